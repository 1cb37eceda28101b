#!/bin/bash
# Limits and accounting: wall-time limit with a SIGTERM-ignoring job, memory limit, exit
# codes and signals (status and gantry wait's exit status), CPU usage, and the agent never
# over-committing its cores.
source "$(dirname "$0")/lib.sh"

start_gantry
enter_work_dir

log "--- wall-time limit: -t 0:3 and a job that ignores SIGTERM"
t=$(submit -t 0:3 --wrap 'trap "echo got-TERM" TERM; echo started; while :; do sleep 0.1; done') ||
  fail "submit timed job"
gwait "$t"
rc=$?
expect_eq "$rc" "137" "gantry wait exits 128+9: killed after the grace"
expect_eq "$(state_of "$t")" "FAILED" "timed-out job FAILED"
expect_contains "$(json_get "$t" 't["reason"]')" "wall-time limit of 0:00:03 exceeded" \
  "reason says the limit was exceeded"
expect_eq "$(json_get "$t" 't["signal"]')" "9" "SIGKILL recorded"
expect_contains "$(cat "slurm-$t.out")" "got-TERM" "the job got SIGTERM first"
wall=$(json_get "$t" 't["attempt_list"][-1]["usage"]["wall_seconds"]')
python3 -c "import sys; sys.exit(0 if 3 <= $wall < 15 else 1)" &&
  pass "it ran about 3 s + 1 s grace (wall $wall s)" || fail "timed job wall time $wall"

log "--- memory limit"
m=$(submit --mem=50M --wrap 'dd if=/dev/zero of=/dev/null bs=200M count=1') || fail "submit mem hog"
gwait "$m"
expect_eq "$(state_of "$m")" "FAILED" "job over --mem=50M FAILED"
expect_contains "$(json_get "$m" 't["reason"]')" "memory" "reason mentions memory"
ok=$(submit --mem=50M --wrap 'dd if=/dev/zero of=/dev/null bs=1M count=10 2>/dev/null && echo fine') ||
  fail "submit small job"
gwait "$ok" || fail "job within --mem=50M failed: $(g status "$ok")"
expect_eq "$(cat "slurm-$ok.out")" "fine" "job within the memory limit succeeds"
# Which mechanism enforced it: a gantry cgroup (v2 or v1) or the RLIMIT_AS fallback.
mech=$(submit --mem=50M --wrap 'cat /proc/self/cgroup; echo "ulimit-v $(ulimit -v)"') ||
  fail "submit mechanism probe"
gwait "$mech" || fail "mechanism probe failed: $(g status "$mech")"
out=$(cat "slurm-$mech.out")
if grep -Eq '^0::/.*gantry\.' <<<"$out"; then
  mechanism="cgroup v2"
elif grep -Eq '^[0-9]+:([^:]*,)?memory(,[^:]*)?:/.*gantry\.' <<<"$out"; then
  mechanism="cgroup v1"
elif grep -q '^ulimit-v [0-9]' <<<"$out"; then
  mechanism="rlimit fallback (RLIMIT_AS)"
else
  fail "the --mem job is in no gantry cgroup and has no address-space limit: $out"
fi
log "memory limit mechanism tested: $mechanism"
pass "the memory limit was enforced by $mechanism"
# Root with a memory controller in the kernel must get a cgroup: the fallback is a skip then.
if [[ $mechanism == rlimit* && $(id -u) == 0 ]] &&
   awk '$1 == "memory" && $4 == 1 {f = 1} END {exit !f}' /proc/cgroups; then
  skip "the kernel has a memory cgroup controller but gantry up used the rlimit fallback"
fi

log "--- exit status and signals"
e=$(submit --wrap 'exit 3') || fail "submit exit 3"
gwait "$e"
expect_eq "$?" "3" "gantry wait exits 3"
expect_eq "$(state_of "$e")" "FAILED" "exit 3 is FAILED"
expect_contains "$(g status "$e")" "ExitCode=3:0" "status ExitCode=3:0"
expect_eq "$(json_get "$e" 't["exit_code"]')" "3" "status --json exit_code"
k=$(submit --wrap 'kill -9 $$') || fail "submit kill -9"
gwait "$k"
expect_eq "$?" "137" "gantry wait exits 137 for signal 9"
expect_eq "$(json_get "$k" '[t["signal"], t["attempt_list"][-1]["signal"]]')" "[9, 9]" \
  "signal 9 recorded on the task and the attempt"
expect_contains "$(g status "$k")" "ExitCode=-1:9" "status ExitCode=-1:9"
z=$(submit --wrap 'exit 0') || fail "submit exit 0"
gwait "$z"
expect_eq "$?" "0" "gantry wait exits 0 for DONE"
gwait "$e" "$z"
expect_eq "$?" "3" "gantry wait on several jobs: the highest exit code"

# --open-mode=append keeps every attempt's output (the default truncates on each attempt,
# as SLURM does: test_open_mode checks that).
r=$(submit --max-retries=2 --open-mode=append --wrap 'echo "try $GANTRY_ATTEMPT"; exit 2') ||
  fail "submit retried"
gwait "$r"
expect_eq "$?" "2" "a job failing every retry: wait exits 2"
expect_eq "$(json_get "$r" '[t["state"], t["attempts"], t["deep_retries"]]')" '["FAILED", 3, 2]' \
  "--max-retries=2: 3 attempts, then FAILED"
expect_eq "$(cat "slurm-$r.out")" $'try 1\ntry 2\ntry 3' "each attempt ran with its GANTRY_ATTEMPT"

log "--- gantry wait on cancelled jobs"
c1=$(submit -H --wrap true) || fail "submit held"
g cancel -q "$c1"
gwait "$c1"
expect_eq "$?" "1" "wait on a job cancelled before it ran exits 1"
c2=$(submit --wrap 'trap "" TERM; echo up; while :; do sleep 0.1; done') || fail "submit running"
wait_file "slurm-$c2.out"
g cancel -q "$c2"
gwait "$c2"
rc=$?
expect_eq "$(state_of "$c2")" "CANCELLED" "the running job is CANCELLED"
# `gantry wait` exits 1 for a cancelled job, whatever signal ended its attempt.
expect_true "wait on a job cancelled while running exits 1, as --help says (got $rc)" test "$rc" = 1

log "--- usage"
u=$(submit --wrap 'i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done') || fail "submit cpu burner"
gwait "$u" || fail "cpu burner failed"
cpu=$(json_get "$u" 't["attempt_list"][-1]["usage"]["user_cpu_seconds"]')
python3 -c "import sys; sys.exit(0 if $cpu > 0.2 else 1)" && pass "user CPU recorded ($cpu s > 0.2)" ||
  fail "user_cpu_seconds $cpu <= 0.2"
rss=$(json_get "$u" 't["attempt_list"][-1]["usage"]["max_rss_kb"]')
((rss > 0)) && pass "max_rss_kb recorded ($rss)" || fail "max_rss_kb $rss"
expect_contains "$(g status "$u")" "user " "status text shows usage"

log "--- cores never over-committed (up --cores 2)"
ids=()
for i in 1 2 3 4; do
  ids+=("$(submit -c 1 -o /dev/null --wrap "s=\$(date +%s.%N); sleep 0.7; echo \"\$s \$(date +%s.%N)\" >> $W/cores.times")") ||
    fail "submit core job $i"
done
big=$(submit -c 3 -o /dev/null --wrap true) || fail "submit -c 3"
gwait "${ids[@]}" || fail "core jobs failed"
expect_eq "$(wc -l <"$W/cores.times")" "4" "all four 1-CPU jobs ran"
n=$(max_overlap "$W/cores.times")
((n <= 2)) && pass "at most 2 of the 4 jobs overlapped (saw $n)" || fail "$n jobs overlapped on 2 cores"
two=$(submit -c 2 -o /dev/null --wrap "s=\$(date +%s.%N); sleep 0.5; echo \"\$s \$(date +%s.%N)\" >> $W/two.times") ||
  fail "submit -c 2 a"
two2=$(submit -c 1 -o /dev/null --wrap "s=\$(date +%s.%N); sleep 0.5; echo \"\$s \$(date +%s.%N)\" >> $W/two.times") ||
  fail "submit -c 1 b"
gwait "$two" "$two2" || fail "-c 2 / -c 1 jobs failed"
expect_eq "$(max_overlap "$W/two.times")" "1" "a -c 2 job and a -c 1 job never overlap"
expect_eq "$(state_of "$big")" "READY" "a -c 3 job stays READY"
expect_contains "$(json_get "$big" 't["why"]')" "CPUs" "why-not-running mentions CPUs"
expect_contains "$(g status "$big")" "needs 3 CPUs" "status text says it needs 3 CPUs"
g cancel -q "$big"

finish
