#!/bin/bash
# Regressions (issue 11 items 3 and 7): array tasks queued on the agent overtook earlier and
# higher-priority pending jobs (a single job ran 21st while `status` said "0 job(s) ahead"),
# and `gantry hold ARRAY` missed the tasks queued on the agent but not started.
source "$(dirname "$0")/lib.sh"

start_gantry  # 2 cores
enter_work_dir

# fill SECONDS: a job on both cores that runs until $W/go-N exists (or SECONDS pass);
# prints its id once it runs.
fill() {
  local n=$1 id
  id=$(submit -c 2 -o /dev/null --wrap "echo up > $W/full-$n; for i in \$(seq 400); do [ -e $W/go-$n ] && break; sleep 0.05; done")
  wait_file "$W/full-$n"
  echo "$id"
}

# expect_single_early FILE WHAT: the single job's line in FILE is first or second (it takes
# the first free core; the first array task may start beside it on the second).
expect_single_early() {
  local pos
  pos=$(grep -n single "$1" | cut -d: -f1)
  ((pos <= 2)) && pass "$2 (line $pos of $(basename "$1"))" ||
    fail "the single job ran as number $pos: $(tr '\n' ' ' <"$1")"
}

log "--- a high-priority single job runs before a low-priority array submitted after it"
f=$(fill 1)
s=$(submit --nice=-1000 -o /dev/null --wrap "echo single >> $W/o1.txt")
a=$(submit --array=1-20 --nice=1000 -o /dev/null --wrap "echo arr >> $W/o1.txt; sleep 0.3")
why=$(g status "$s")
expect_contains "$why" "0 job(s) ahead" "status: nothing is ahead of the single job"
touch "$W/go-1"
gwait "$s" || fail "single job failed"
gwait "$a" || fail "array failed"
expect_single_early "$W/o1.txt" "the single job ran first"

log "--- with equal nice, a single job submitted before an array runs before its later tasks"
f=$(fill 2)
s=$(submit -o /dev/null --wrap "echo single >> $W/o2.txt")
a=$(submit --array=1-20 -o /dev/null --wrap "echo arr >> $W/o2.txt; sleep 0.3")
touch "$W/go-2"
gwait "$s" || fail "single job failed"
gwait "$a" || fail "array failed"
expect_single_early "$W/o2.txt" "the single job ran before the array's later tasks"

log "--- a single job submitted while array tasks wait in the agent's queue is not held back by them"
a=$(submit --array=1-40 --nice=10 -o /dev/null --wrap "echo arr >> $W/o3.txt; sleep 0.3")
wait_file "$W/o3.txt"
s=$(submit --nice=-10 -o /dev/null --wrap "echo single >> $W/o3.txt")
gwait "$s" || fail "single job failed"
before=$(grep -c arr "$W/o3.txt")
# Started before it: the tasks running when it was submitted, and those taken from the
# agent's queue in the moment before the server took the rest back (a few at most).
((before <= 8)) && pass "the single job started after $before of 40 array tasks" ||
  fail "the single job waited for $before array tasks"
g cancel -q "$a"
gwait "$a"

log "--- hold ARRAY holds the tasks queued on the agent, not only those in the server's queue"
f=$(fill 3)
a=$(submit --array=1-4 -o /dev/null --wrap "echo \$SLURM_ARRAY_TASK_ID >> $W/o4.txt")
for ((i = 0; i < 100; i++)); do  # the agent's queue takes some of them
  [[ "$(g q --json -j "$a" | python3 -c 'import json,sys; print(sum(t["state"] == "SCHEDULED" for t in json.load(sys.stdin)))')" != 0 ]] && break
  sleep 0.05
done
out=$(g hold "$a" 2>&1) || fail "hold: $out"
expect_contains "$out" "4" "hold counts all four tasks"
touch "$W/go-3"
gwait "$f"
sleep 1  # a task that escaped the hold would run now
expect_true "no held task ran" test ! -e "$W/o4.txt"
states=$(g q --json -j "$a" | python3 -c 'import json,sys; print(sorted({t["state"] for t in json.load(sys.stdin)}))')
expect_eq "$states" "['HELD']" "every task of the array is HELD"
g release -q "$a" || fail "release"
gwait "$a" || fail "released array failed"
expect_eq "$(sort "$W/o4.txt" | tr '\n' ' ')" "1 2 3 4 " "after release all four ran once"

finish
