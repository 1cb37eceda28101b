#!/bin/bash
# No shared filesystem (docs/sandbox.md): the server and the submit directory on host srv,
# an agent on host n1 (--no-shared-fs) that cannot see them. A job's script and its input
# files travel with it; stdout, stderr and the named output files come back into the submit
# directory when it ends (checksummed, through a temporary name: none is left); an output the
# job did not write is an event; an input sandbox over the limit, or a missing input file, is
# refused at submission; `gantry logs -f` streams the output of the job running on n1 from
# its sandbox there, before any of it is on srv.
source "$(dirname "$0")/../integration/core/lib.sh"
source "$(dirname "$0")/hosts.sh"

hosts_init
host_add srv
host_add n1
gantry_server_on srv
gantry_agent_on n1 --no-shared-fs
wait_agents "n1@n1"
W="$(host_dir srv)/work"
mkdir -p "$W/data" "$W/sub"

log "--- inputs travel, outputs come back"
printf 'alpha\nbeta\n' >"$W/in.txt"
echo "extra input" >"$W/data/extra.txt"
printf '#!/bin/sh\necho tool-ran\n' >"$W/tool.sh"
chmod +x "$W/tool.sh"
cat >"$W/job.sh" <<'EOF'
#!/bin/bash
#GANTRY --input-files in.txt,data/extra.txt
#GANTRY --input-files tool.sh
#GANTRY --output-files result.txt,sub/r2.txt,never.txt
echo "on $(hostname) in $(basename "$PWD")"
cat in.txt extra.txt
./tool.sh
test -e "$GANTRY_SUBMIT_DIR" && echo "submit dir visible" || echo "submit dir not here"
tr a-z A-Z <in.txt >result.txt
echo two >sub/r2.txt
echo to-stderr >&2
EOF
j=$(on_srv "$GANTRY_BIN" submit --parsable -e "slurm-%j.err" job.sh) || fail "submit job.sh"
on_srv timeout 60 "$GANTRY_BIN" wait -q "$j" ||
  fail "job $j did not succeed: $(on_srv "$GANTRY_BIN" status "$j"; tail -5 "$TEST_DIR/agent-n1.log")"
expect_eq "$(cat "$W/slurm-$j.out")" \
  "$(printf 'on n1 in sandbox\nalpha\nbeta\nextra input\ntool-ran\nsubmit dir not here')" \
  "stdout came back to the submit dir: the job ran on n1 in its sandbox with its inputs"
expect_eq "$(cat "$W/slurm-$j.err")" "to-stderr" "stderr came back (its own file, -e)"
expect_eq "$(cat "$W/result.txt")" "$(printf 'ALPHA\nBETA')" "an output file came back"
expect_eq "$(cat "$W/sub/r2.txt")" "two" "one in a subdirectory too"
expect_eq "$(cd "$W" && ls -a | grep -c 'gantry-.*\.tmp')" "0" "no temporary file is left"
expect_true "n1 never had the submit directory" host_exec n1 bash -c "! test -e '$W'"
events=$(on_srv "$GANTRY_BIN" events "$j")
expect_contains "$events" "output-returned" "the journal records what came back"
expect_contains "$events" "sha256 verified" "with its checksum verified"
expect_contains "$events" "output file never.txt of attempt 1 was not returned: the job did not write it" \
  "the output the job did not write is an event, not silence"

log "--- the agent's flag: a working dir that exists on n1 too is still the submit host's"
j=$(on_srv "$GANTRY_BIN" submit --parsable -D /tmp -o "/tmp/flag-%j.out" --wrap 'hostname; pwd -P') ||
  fail "submit -D /tmp"
on_srv timeout 60 "$GANTRY_BIN" wait -q "$j" || fail "job $j (-D /tmp) failed"
out=$(host_exec srv cat "/tmp/flag-$j.out")
expect_contains "$out" "n1" "it ran on n1"
expect_contains "$out" "/sandbox" "in its sandbox, not in n1's own /tmp"
expect_true "and its output came back to srv's /tmp, not n1's" \
  host_exec n1 bash -c "! test -e /tmp/flag-$j.out"

log "--- bad inputs are refused at submission"
head -c $((9 * 1024 * 1024)) /dev/zero >"$W/big.bin"
expect_fail_with "the input sandbox is too big" on_srv "$GANTRY_BIN" submit --input-files big.bin \
  --wrap true
expect_contains "$LAST_STDERR" "more than the 8.0 MiB" "the message names the limit"
expect_fail_with "No such file or directory" on_srv "$GANTRY_BIN" submit --input-files nothere.txt \
  --wrap true
expect_contains "$LAST_STDERR" "$W/nothere.txt" "the message names the missing file"
expect_fail_with "'..' component" on_srv "$GANTRY_BIN" submit --output-files ../up.txt --wrap true

log "--- gantry logs -f streams from the agent's sandbox"
j=$(on_srv "$GANTRY_BIN" submit --parsable --wrap \
  'echo first-line; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo second-line') ||
  fail "submit the streaming job"
HOST_CWD="$W" host_start srv "$TEST_DIR/logs.out" env GANTRY_HOME="$SRV_HOME" \
  "$GANTRY_BIN" logs -f "$j"
logs_pid=$HOST_PID
for ((i = 0; i < 300; i++)); do
  grep -q first-line "$TEST_DIR/logs.out" 2>/dev/null && break
  sleep 0.1
done
expect_contains "$(cat "$TEST_DIR/logs.out")" "first-line" "logs -f shows the running job's output"
expect_true "while none of it is on srv yet" test ! -e "$W/slurm-$j.out"
host_exec n1 touch /tmp/go
for ((i = 0; i < 300; i++)); do kill -0 "$logs_pid" 2>/dev/null || break; sleep 0.1; done
expect_true "logs -f ended with the job" bash -c "! kill -0 $logs_pid 2>/dev/null"
expect_eq "$(cat "$TEST_DIR/logs.out")" "$(printf 'first-line\nsecond-line')" \
  "logs -f printed all of it, once"
expect_eq "$(cat "$W/slurm-$j.out")" "$(printf 'first-line\nsecond-line')" "and it came back"
finish
