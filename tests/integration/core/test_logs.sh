#!/bin/bash
# gantry logs: stdout to stdout, a separate -e file to stderr; -f follows a running job and
# ends with it; unknown jobs and whole arrays fail clearly.
source "$(dirname "$0")/lib.sh"

start_gantry
enter_work_dir

log "--- logs of a finished job"
j=$(submit -e err-%j.txt --wrap 'echo out1; echo err1 >&2; echo out2') || fail "submit"
gwait "$j" || fail "job failed"
out=$(g logs "$j" 2>"$W/logs.err") || fail "gantry logs $j failed: $(cat "$W/logs.err")"
expect_eq "$out" $'out1\nout2' "stdout file on stdout"
expect_eq "$(cat "$W/logs.err")" "err1" "separate -e file on stderr"
j2=$(submit --wrap 'echo both-out; echo both-err >&2') || fail "submit"
gwait "$j2" || fail "job failed"
out=$(g logs "$j2" 2>"$W/logs2.err") || fail "gantry logs $j2"
expect_eq "$out" $'both-out\nboth-err' "without -e both streams are in the stdout file"
expect_eq "$(cat "$W/logs2.err")" "" "and nothing is printed twice on stderr"
e=$(submit --wrap 'printf "no newline at end"') || fail "submit"
gwait "$e" || fail "job failed"
expect_eq "$(g logs "$e" | od -c | tail -2 | head -1 | awk '{print $NF}')" "d" \
  "output is passed through unchanged (no newline added)"

b=$(submit --wrap 'seq 1 300000') || fail "submit big"
gwait "$b" || fail "big job failed"
expect_eq "$(g logs "$b" | md5sum)" "$(md5sum <"slurm-$b.out")" "logs of a 1.9 MB output is the whole file"

log "--- logs -f on a running job"
f=$(submit -e ferr.txt --wrap 'for i in $(seq 1 10); do echo "line $i"; echo "eline $i" >&2; sleep 0.2; done') ||
  fail "submit follower"
timeout 30 "$GANTRY_BIN" logs -f "$f" >"$W/follow.out" 2>"$W/follow.err"
rc=$?
expect_eq "$rc" "0" "logs -f exits by itself when the job ends"
expect_eq "$(state_of "$f")" "DONE" "the job had ended"
expect_eq "$(cat "$W/follow.out")" "$(seq 1 10 | sed 's/^/line /')" "every stdout line, in order"
expect_eq "$(cat "$W/follow.err")" "$(seq 1 10 | sed 's/^/eline /')" "every stderr line, in order"
b2=$(submit --wrap 'for i in 1 2 3 4; do seq 1 40000; sleep 0.3; done') || fail "submit big follower"
timeout 30 "$GANTRY_BIN" logs -f "$b2" >"$W/big.follow" || fail "logs -f of big output failed"
expect_eq "$(md5sum <"$W/big.follow")" "$(md5sum <"slurm-$b2.out")" "logs -f of a growing 1 MB output"
# Start following before the job produces anything (a held job that is released later).
h=$(submit -H --wrap 'for i in 1 2 3; do echo "h$i"; sleep 0.2; done') || fail "submit held"
timeout 30 "$GANTRY_BIN" logs -f "$h" >"$W/held.out" 2>&1 &
fpid=$!
EXTRA_PIDS+=("$fpid")
sleep 0.3
kill -0 "$fpid" 2>/dev/null && pass "logs -f waits on a job that has not started" ||
  fail "logs -f on a held job exited at once: $(cat "$W/held.out")"
g release -q "$h" || fail "release"
wait "$fpid"
expect_eq "$?" "0" "logs -f of the released job exited 0"
expect_eq "$(cat "$W/held.out")" $'h1\nh2\nh3' "it printed the whole output"

log "--- errors"
expect_fail_with "job 999999 does not exist" g logs 999999
a=$(submit -a 1-2 -o /dev/null --wrap true) || fail "submit array"
expect_fail_with "name one, e.g. ${a}_1" g logs "$a"
gwait "$a"
expect_fail_with "invalid job id" g logs not-a-job-id
expect_fail_with "missing JOBID" g logs

finish
