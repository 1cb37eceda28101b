#!/bin/bash
# gantry q: pending array tasks summarised as ID_[a-b], filters by state/user/name/job,
# --json; gantry cancel of ARRAY_ID, ARRAY_ID_N and --all.
source "$(dirname "$0")/lib.sh"

start_gantry
cd "$TEST_DIR" || fail "cd"

# qjson [q args]: python expression over the list `js` of `gantry q --json` rows.
qjson() {
  local expr=$1; shift
  g q --json "$@" | python3 -c 'import json, sys; js = json.load(sys.stdin); print(eval(sys.argv[1]))' "$expr"
}

log "--- a held array is one q line ID_[5-99]"
a=$(submit -H -a 5-99 -J bigarr -o /dev/null --wrap true) || fail "submit held array"
out=$(g q)
expect_contains "$out" "${a}_[5-99]" "q summarises the pending tasks"
expect_eq "$(g q --noheader | grep -c bigarr)" "1" "one line for 95 held tasks"
expect_contains "$(g q | head -1)" "JOBID" "q has a header"
expect_not_contains "$(g q --noheader)" "JOBID" "--noheader drops it"

log "--- q --json"
expect_eq "$(qjson 'sum(x["count"] for x in js)')" "95" "q --json parses and counts every task"
expect_eq "$(qjson '[x["indexes"] for x in js if x["job_id"] == '"$a"']')" "['5-99']" \
  "the untouched tasks are one row"
expect_eq "$(qjson 'sorted(set(j["state"] for j in js))')" "['HELD']" "all HELD"
expect_eq "$(qjson 'set(j["job_id"] for j in js) == {'"$a"'}')" "True" "q --json job_id is the array id"

log "--- filters"
r=$(submit -J runner -o /dev/null --wrap 'sleep 30') || fail "submit runner"
wait_state "$r" RUNNING
d=$(submit -J quick -o /dev/null --wrap true) || fail "submit quick"
gwait "$d" || fail "quick job failed"
expect_eq "$(g q --noheader -t RUNNING | awk '{print $1}')" "$r" "q -t RUNNING shows only the running job"
expect_contains "$(g q --noheader --state HELD)" "${a}_[5-99]" "q --state HELD shows the array"
expect_not_contains "$(g q --noheader -t HELD)" "runner" "q -t HELD hides the running job"
expect_not_contains "$(g q --noheader)" "quick" "q hides finished jobs by default"
expect_contains "$(g q --noheader -a)" "quick" "q -a includes finished jobs"
expect_contains "$(g q --noheader -t DONE)" "quick" "q -t DONE shows finished jobs"
expect_eq "$(g q --noheader -n runner | awk '{print $3}')" "runner" "q -n NAME"
expect_eq "$(qjson 'sum(j["count"] for j in js)' -n nosuchname)" "0" "q -n with an unknown name: nothing"
me=$(id -un)
expect_eq "$(qjson 'sum(j["count"] for j in js)' -u "$me")" "96" "q -u $me: my unfinished tasks"
expect_eq "$(qjson 'sum(j["count"] for j in js)' -u nobody)" "0" "q -u nobody: none"
expect_eq "$(qjson 'sum(j["count"] for j in js)' -j "$a")" "95" "q -j ARRAY_ID"
expect_eq "$(qjson '[j["name"] for j in js]' -j "$r")" "['runner']" "q -j JOBID"
expect_fail_with "unknown state 'BOGUS'" g q -t BOGUS

log "--- cancel ARRAY_ID_N"
g cancel -q "${a}_50" || fail "cancel ${a}_50"
expect_eq "$(state_of "${a}_50")" "CANCELLED" "task 50 cancelled"
expect_eq "$(state_of "${a}_51")" "HELD" "task 51 untouched"
expect_contains "$(g q --noheader)" "${a}_[5-49,51-99]" "q summary skips the cancelled task"
expect_eq "$(qjson 'sum(j["count"] for j in js)' -j "$a")" "94" "94 tasks still pending"
expect_fail_with "does not exist" g cancel 999999

log "--- cancel ARRAY_ID"
b=$(submit -H -a 1-3 -J small -o /dev/null --wrap true) || fail "submit second array"
out=$(g cancel "$a") || fail "cancel $a"
expect_contains "$out" "94" "cancel ARRAY_ID reports the 94 remaining tasks"
expect_eq "$(qjson 'sum(j["count"] for j in js)' -j "$a")" "0" "no task of $a pending"
expect_eq "$(qjson 'sorted(set(j["state"] for j in js))' -a -j "$a")" "['CANCELLED']" \
  "all 95 tasks CANCELLED"
expect_eq "$(qjson 'sum(j["count"] for j in js)' -j "$b")" "3" "the other array is untouched"

log "--- cancel --all"
c=$(submit -J later --begin=now+600 -o /dev/null --wrap true) || fail "submit waiting job"
g cancel --all -q || fail "cancel --all"
for id in "$r" "$b" "${b}_3" "$c"; do
  gwait "$id"
  expect_eq "$(state_of "$id")" "CANCELLED" "cancel --all: $id"
done
expect_eq "$(qjson 'sum(j["count"] for j in js)')" "0" "q is empty after cancel --all"
expect_eq "$(state_of "$d")" "DONE" "cancel --all leaves finished jobs alone"

finish
