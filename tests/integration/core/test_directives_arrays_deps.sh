#!/bin/bash
# #SBATCH directives, part 2: job arrays (ranges, steps, lists, %max-concurrent and the array
# environment), dependencies (afterok, afterany, afternotok, singleton), --begin, --nice.
source "$(dirname "$0")/lib.sh"

start_gantry
enter_work_dir

# indexes ID: the array indexes of job ID ("2-5,7"); untouched tasks come as one row.
indexes() { json_get "$1" '",".join(x["indexes"] for x in ts)'; }

log "--- -a ranges, steps, lists (held: only the task set)"
f=$(script arr.sh 'true')
id=$(submit -H -a 2-5 "$f") || fail "submit -a 2-5"
expect_eq "$(indexes "$id")" "2-5" "-a 2-5"
id2=$(submit -H --array=0-9:4 "$f") || fail "submit --array=0-9:4"
expect_eq "$(indexes "$id2")" "0,4,8" "--array=0-9:4"
id3=$(submit -H -a 7,1,3-4 "$f") || fail "submit -a 7,1,3-4"
expect_eq "$(indexes "$id3")" "1,3-4,7" "-a 7,1,3-4 (sorted)"
expect_eq "$(json_get "$id3" 't["count"]')" "4" "four untouched tasks in one row"
expect_eq "$(json_get "$id3" 't["array_task_count"]')" "4" "array_task_count"
g cancel -q "$id" "$id2" "$id3" || fail "cancel held arrays"

log "--- the array environment"
f=$(script arrenv.sh '#SBATCH --array=10-14:2' '#SBATCH -o env-%a.txt' \
  'echo "$SLURM_ARRAY_TASK_ID $SLURM_ARRAY_JOB_ID $SLURM_ARRAY_TASK_COUNT $SLURM_ARRAY_TASK_MIN $SLURM_ARRAY_TASK_MAX|$GANTRY_ARRAY_TASK_ID $GANTRY_ARRAY_JOB_ID $GANTRY_ARRAY_TASK_COUNT"')
id=$(submit "$f") || fail "submit array env"
gwait "$id" || fail "array env job failed: $(g status "$id")"
for i in 10 12 14; do
  expect_eq "$(cat "env-$i.txt")" "$i $id 3 10 14|$i $id 3" "array task $i environment"
done

log "--- %1: array tasks never overlap"
f=$(script serial.sh '#SBATCH -a 1-4%1' '#SBATCH -o /dev/null' \
  's=$(date +%s.%N); sleep 0.3; echo "$s $(date +%s.%N)" >> '"$W/serial.times")
id=$(submit "$f") || fail "submit %1 array"
gwait "$id" || fail "%1 array failed"
expect_eq "$(wc -l <"$W/serial.times")" "4" "every task of the %1 array ran"
expect_eq "$(max_overlap "$W/serial.times")" "1" "%1: at most one task at a time"
f=$(script par.sh '#SBATCH -a 1-4%2' '#SBATCH -o /dev/null' \
  's=$(date +%s.%N); sleep 0.3; echo "$s $(date +%s.%N)" >> '"$W/par.times")
id=$(submit "$f") || fail "submit %2 array"
gwait "$id" || fail "%2 array failed"
n=$(max_overlap "$W/par.times")
((n <= 2)) && pass "%2: at most two tasks at a time (saw $n)" || fail "%2 array: $n overlapped"

f=$(script limited.sh '#SBATCH -a 1-2%1' '#SBATCH -o /dev/null' \
  "while [ ! -e $W/limgate ]; do sleep 0.05; done")
id=$(submit "$f") || fail "submit gated %1 array"
wait_state "${id}_1" RUNNING
sleep 0.3
expect_eq "$(state_of "${id}_2")" "READY" "%1: the second task waits while the first runs"
expect_contains "$(json_get "${id}_2" 't["why"]')" "JobArrayTaskLimit" "its why names the %1 limit"
touch "$W/limgate"
gwait "$id" || fail "gated array failed"

log "--- dependencies"
# stamp FILE: the job records its start and end time in FILE.
stamp='echo "$(date +%s.%N)" > "$SLURM_JOB_NAME.start"; sleep 0.5; echo "$(date +%s.%N)" > "$SLURM_JOB_NAME.end"'
# The two jobs depended on wait for a gate file, so the dependants are surely still waiting
# when checked, however slow the machine.
gate="while [ ! -e $W/depgate ]; do sleep 0.05; done"
ok=$(submit -J depok -o /dev/null --wrap "$gate; $stamp") || fail "submit depok"
bad=$(submit -J depbad -o /dev/null --wrap "$gate; $stamp; exit 1") || fail "submit depbad"
f=$(script after_ok.sh "#SBATCH -d afterok:$ok" "#SBATCH -J a_ok" '#SBATCH -o /dev/null' "$stamp")
a1=$(submit "$f") || fail "submit afterok"
f=$(script after_any.sh "#SBATCH --dependency=afterany:$bad" '#SBATCH -J a_any' \
  '#SBATCH -o /dev/null' "$stamp")
a2=$(submit "$f") || fail "submit afterany"
f=$(script after_notok.sh "#SBATCH -d afternotok:$bad" '#SBATCH -J a_notok' \
  '#SBATCH -o /dev/null' "$stamp")
a3=$(submit "$f") || fail "submit afternotok"
f=$(script after_ok_bad.sh "#SBATCH -d afterok:$bad" '#SBATCH -J a_okbad' 'true')
a4=$(submit "$f") || fail "submit afterok on a failing job"
f=$(script after_notok_ok.sh "#SBATCH -d afternotok:$ok" '#SBATCH -J a_notokok' 'true')
a5=$(submit "$f") || fail "submit afternotok on a succeeding job"
expect_eq "$(state_of "$a1")" "WAITING" "afterok job waits while its dependency runs"
expect_contains "$(g status "$a1")" "Dependency" "status says why it waits"
for x in "$a2" "$a3" "$a4" "$a5"; do
  expect_eq "$(state_of "$x")" "WAITING" "dependant $x waits"
done
touch "$W/depgate"
gwait "$a1" "$a2" "$a3"
expect_eq "$(state_of "$a1")" "DONE" "afterok on a succeeded job ran"
expect_eq "$(state_of "$a2")" "DONE" "afterany on a failed job ran"
expect_eq "$(state_of "$a3")" "DONE" "afternotok on a failed job ran"
after() {  # after A B: B started after A ended
  python3 -c 'import sys; sys.exit(0 if float(open(sys.argv[2]).read()) >= float(open(sys.argv[1]).read()) else 1)' \
    "$1.end" "$2.start"
}
expect_true "afterok: a_ok started after depok ended" after depok a_ok
expect_true "afterany: a_any started after depbad ended" after depbad a_any
expect_true "afternotok: a_notok started after depbad ended" after depbad a_notok
gwait "$a4"
expect_eq "$(state_of "$a4")" "CANCELLED" "afterok on a failed job"
expect_contains "$(json_get "$a4" 't["reason"]')" "can never be satisfied" "its reason"
gwait "$a5"
expect_eq "$(state_of "$a5")" "CANCELLED" "afternotok on a succeeded job"

log "--- dependencies on an array and on one task"
f=$(script arrdep.sh '#SBATCH -a 1-3' '#SBATCH -o /dev/null' \
  'sleep 0.$SLURM_ARRAY_TASK_ID; date +%s.%N > "arr$SLURM_ARRAY_TASK_ID.end"')
ar=$(submit "$f") || fail "submit array for deps"
d_all=$(submit -d "afterok:$ar" -o /dev/null --wrap 'date +%s.%N > all.start') || fail "afterok:ARRAY"
d_one=$(submit -d "afterok:${ar}_1" -o /dev/null --wrap 'date +%s.%N > one.start') ||
  fail "afterok:ARRAY_1"
gwait "$d_all" "$d_one" || fail "array dependants failed"
for i in 1 2 3; do expect_true "afterok:ARRAY started after task $i ended" after "arr$i" all; done
expect_true "afterok:ARRAY_1 started after task 1 ended" after arr1 one

log "--- singleton"
s1=$(submit -J single -o /dev/null --wrap "$stamp; mv single.end single1.end") ||
  fail "submit singleton 1"
f=$(script single2.sh '#SBATCH -J single' '#SBATCH -d singleton' '#SBATCH -o /dev/null' \
  'echo "$(date +%s.%N)" > single2.start')
s2=$(submit "$f") || fail "submit singleton 2"
gwait "$s1" "$s2" || fail "singleton jobs failed"
expect_true "singleton: the second 'single' started after the first ended" after single1 single2

log "--- --begin=now+2"
# The waiting is seen on a job that begins in an hour (no race with a slow machine).
later=$(submit --begin=now+3600 --wrap true) || fail "submit --begin=now+3600"
st=$(g status "$later")
expect_contains "$st" "State=WAITING" "--begin job waits"
expect_contains "$st" "BeginTime" "status says it waits for its begin time"
g cancel -q "$later"
t0=$(date +%s)
f=$(script begin.sh '#SBATCH --begin=now+2' 'date +%s')
b=$(submit "$f") || fail "submit --begin"
gwait "$b" || fail "begin job failed"
started=$(cat "slurm-$b.out")
((started >= t0 + 2)) && pass "--begin=now+2: started at $started >= submit $t0 + 2" ||
  fail "--begin=now+2 job started at $started, submitted at $t0"

log "--- --nice: a niced job yields to a later one"
# A 2-CPU blocker holds the node until the gate file exists; then 2-CPU jobs run one by one.
blk=$(submit -c 2 -o /dev/null --wrap "while [ ! -e $W/gate ]; do sleep 0.05; done") ||
  fail "submit blocker"
wait_state "$blk" RUNNING
f=$(script niced.sh '#SBATCH --nice=1000' '#SBATCH -c 2' '#SBATCH -o /dev/null' \
  'date +%s.%N > niced.start')
n1=$(submit "$f") || fail "submit niced"
expect_eq "$(json_get "$n1" 't["spec"]["nice"]')" "1000" "--nice=1000 recorded"
n2=$(submit -c 2 -o /dev/null --wrap 'date +%s.%N > plain.start') || fail "submit plain"
touch "$W/gate"
gwait "$blk" "$n1" "$n2" || fail "nice jobs failed"
cp plain.start plain.end  # after() compares A.end with B.start
expect_true "the plain job started before the niced one submitted earlier" after plain niced

finish
