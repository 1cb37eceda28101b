#!/bin/bash
# GPUs, partitions, node features and --exclusive on one host (docs/resources.md): an agent
# with declared GPUs 0,1,3, in partitions batch and gpu (the server also has debug), with
# features avx2 and ib. Jobs see only their own devices, GPUs are never handed out twice, an
# unknown partition is refused at submission, and status --why says why a job waits.
source "$(dirname "$0")/lib.sh"

make_test_dir
printf 'batch default\ngpu\n# no agent is in this one\ndebug\n' >"$TEST_DIR/partitions"
start_gantry --cores 4 --gpus 0,1,3 --partitions "$TEST_DIR/partitions" --partition batch,gpu \
  --feature avx2,ib
enter_work_dir
why() { json_get "$1" 't.get("why", "")'; }

log "--- a job gets its own devices in CUDA_VISIBLE_DEVICES, SLURM_JOB_GPUS, GANTRY_GPUS"
id=$(submit -p gpu --gpus=2 -o one.out --wrap 'echo "$CUDA_VISIBLE_DEVICES|$SLURM_JOB_GPUS|$GANTRY_GPUS"')
gwait "$id" || fail "GPU job $id failed: $(g status "$id")"
expect_eq "$(cat one.out)" "0,1|0,1|0,1" "two GPUs: devices 0 and 1"
id=$(submit --gres=gpu:1 -o gres.out --wrap 'echo "$CUDA_VISIBLE_DEVICES"')
gwait "$id" || fail "--gres job $id failed"
expect_eq "$(cat gres.out)" "0" "--gres=gpu:1: one device"
id=$(submit -o none.out --wrap 'echo "[${CUDA_VISIBLE_DEVICES-unset}][${SLURM_JOB_GPUS-unset}]"')
gwait "$id" || fail "job $id failed"
expect_eq "$(cat none.out)" "[][unset]" "a job without GPUs on a GPU node sees none"

log "--- GPUs are never over-committed"
a=$(submit --gpus=2 -o a.out --wrap 'echo "$CUDA_VISIBLE_DEVICES"; while [ ! -e release-a ]; do sleep 0.05; done')
wait_file a.out
c=$(submit --gpus=1 -o c.out --wrap 'echo "$CUDA_VISIBLE_DEVICES"')
gwait "$c" || fail "one-GPU job $c failed"
# Jobs start in priority order: one waiting for GPUs holds back what comes after it on
# that agent (as one waiting for cores does), so the 2-GPU job comes after the 1-GPU one.
b=$(submit --gpus=2 -o b.out --wrap 'echo "$CUDA_VISIBLE_DEVICES"')
expect_eq "$(cat c.out)" "3" "the one GPU left is device 3"
expect_eq "$(state_of "$b")" "READY" "a second 2-GPU job waits while devices 0,1 are held"
expect_contains "$(why "$b")" "waiting for 1 free CPU(s), 2 GPU(s)" "--why names the GPUs"
touch release-a
gwait "$a" "$b" || fail "jobs $a $b failed: $(g status "$a" "$b")"
expect_eq "$(cat a.out)" "0,1" "first 2-GPU job: 0,1"
expect_eq "$(cat b.out)" "0,1" "second 2-GPU job after it: 0,1 again"
(($(json_get "$b" 't["start_time"]') >= $(json_get "$a" 't["end_time"]'))) &&
  pass "the second 2-GPU job started after the first ended" ||
  fail "jobs $a and $b held devices 0,1 at once: $(g status "$a" "$b")"

log "--- more GPUs than any agent has"
big=$(submit --gpus=4 --wrap true)
expect_contains "$(why "$big")" "needs 4 GPU(s), but the agent with the most has 3" "--why for 4 GPUs"
expect_contains "$(g status "$big")" "needs 4 GPU(s)" "status text says it too"
g cancel -q "$big"

log "--- partitions"
expect_fail_with "invalid partition specified: 'nosuch'" g submit -p nosuch --wrap true
d=$(submit -p debug --wrap true)
expect_contains "$(why "$d")" "member(MY.Partition, TARGET.Partitions) is false" \
  "a job of a partition without agents says why it waits"
expect_eq "$(json_get "$d" 't["partition"]')" "debug" "its partition"
g cancel -q "$d"
id=$(submit --wrap true)
expect_eq "$(json_get "$id" 't["partition"]')" "batch" "no -p: the default partition"
gwait "$id" || fail "default-partition job failed"

log "--- an agent naming a partition the server does not have is refused"
mkdir -p "$TEST_DIR/stray"
timeout 60 "$GANTRY_BIN" agent --server "unix://$GANTRY_HOME/gantry.sock" --name stray \
  --home "$TEST_DIR/stray" --cores 1 --partition nosuch >"$TEST_DIR/stray.log" 2>&1
rc=$?
((rc != 0 && rc != 124)) && pass "the agent exits with status $rc" || fail "the agent exited $rc"
expect_contains "$(cat "$TEST_DIR/stray.log")" "partition 'nosuch', which this server does not have" \
  "it says why"

log "--- features (-C/--constraint)"
id=$(submit -C 'ib&[avx2|avx512]' -o feat.out --wrap 'echo ran')
gwait "$id" || fail "constraint job $id failed: $(g status "$id")"
expect_eq "$(cat feat.out)" "ran" "ib&[avx2|avx512] runs here"
miss=$(submit -C 'a100|h100' --wrap true)
expect_contains "$(why "$miss")" 'member("a100", TARGET.Features)' "--why names the feature"
expect_contains "$(json_get "$miss" 't["spec"]["requirements"]')" 'TARGET.Features' \
  "the constraint is in the job's Requirements"
g cancel -q "$miss"
expect_fail_with "a Gantry job runs on one node" g submit -C 'ib*2' --wrap true

log "--- --exclusive holds the whole node"
hold=$(submit -o hold.out --wrap 'echo up; while [ ! -e release-x ]; do sleep 0.05; done')
wait_file hold.out
x=$(submit --exclusive -o x.out --wrap 'echo "$SLURM_CPUS_ON_NODE|$CUDA_VISIBLE_DEVICES"')
expect_eq "$(state_of "$x")" "READY" "an exclusive job waits while another job runs"
expect_contains "$(why "$x")" "waiting for a whole agent to be free (--exclusive)" "--why for --exclusive"
touch release-x
gwait "$hold" "$x" || fail "jobs $hold $x failed"
expect_eq "$(cat x.out)" "4|0,1,3" "the exclusive job has every core and every GPU"
(($(json_get "$x" 't["start_time"]') >= $(json_get "$hold" 't["end_time"]'))) &&
  pass "the exclusive job started after the other job ended" ||
  fail "exclusive job $x shared the node: $(g status "$hold" "$x")"

log "--- JDL RequestGpus"
cat >gpu.jdl <<'EOF'
[
  Executable = "/bin/sh";
  Arguments = "-c 'echo $GANTRY_GPUS'";
  StdOutput = "jdl.out";
  RequestGpus = 2;
]
EOF
out=$(g submit --parsable gpu.jdl 2>"$TEST_DIR/jdl.err") || fail "submit gpu.jdl: $(cat "$TEST_DIR/jdl.err")"
gwait "$out" || fail "JDL job $out failed: $(g status "$out")"
expect_eq "$(cat jdl.out)" "0,1" "RequestGpus = 2 gives two devices"

finish
