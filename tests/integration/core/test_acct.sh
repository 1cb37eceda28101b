#!/bin/bash
# gantry acct (issue 16 section 1): jobs that ran are charged once per attempt and shown as
# sacct shows them: the table, --parsable2, --json, -X, the filters; bad options get clear
# errors; another user sees none of our records.
source "$(dirname "$0")/lib.sh"

need_users gantry-acct
start_gantry
enter_work_dir

log "--- jobs run, then acct shows them"
j1=$(submit -o /dev/null -J acct-ok -c 2 --wrap 'sleep 1.2')
j2=$(submit -o /dev/null -J acct-fail --wrap 'exit 3')
retry=$(script retry.sh '#GANTRY --max-retries=1' "test -e $W/second || { touch $W/second; exit 1; }")
j3=$(submit -o /dev/null -J acct-retry "$retry")
gwait "$j1"
gwait "$j2"
gwait "$j3"

out=$(g acct) || fail "gantry acct failed: $out"
expect_contains "$out" "JobID           JobName  Partition    Account  AllocCPUS      State ExitCode" \
  "the header is sacct's"
expect_contains "$out" "------------ ---------- ----------" "with its line of dashes"
line=$(grep "^$j1 " <<<"$out")
expect_contains "$line" "acct-ok" "job $j1 is listed with its name"
expect_contains "$line" " 2  COMPLETED      0:0" "with 2 cores, COMPLETED and exit 0:0"
expect_contains "$(grep "^$j2 " <<<"$out")" "FAILED      3:0" "the failed job shows its exit code"

p=$(g acct -P --format=jobid,jobname,state,exitcode,alloccpus -j "$j1,$j2")
expect_eq "$p" "JobID|JobName|State|ExitCode|AllocCPUS"$'\n'"$j1|acct-ok|COMPLETED|0:0|2"$'\n'"$j2|acct-fail|FAILED|3:0|1" \
  "--parsable2 with --format and -j"
expect_eq "$(g acct -P -n -o jobid -s F -j "$j1,$j2")" "$j2" "-s F selects the failed one"
n=$(g acct --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["jobs"]), sorted(d["jobs"][0].keys())[:3])')
expect_contains "$n" "['account', 'array_index', 'attempt']" "--json gives job objects"
hours=$(g acct --json -j "$j1" | python3 -c 'import json,sys; j=json.load(sys.stdin)["jobs"][0]; print(j["cpus"], j["core_hours"] >= 0, j["user"] != "")')
expect_eq "$hours" "2 True True" "--json carries cores, core-hours and the user"
raw=$(g acct -P -n -o cputimeraw,elapsedraw,alloccpus -j "$j1")
IFS='|' read -r cpu elapsed cores <<<"$raw"
((elapsed >= 1)) || fail "job $j1 slept 1.2 s but ElapsedRaw is $elapsed"
expect_eq "$cpu" "$((elapsed * cores))" "CPUTimeRAW is cores x elapsed"

expect_eq "$(g acct -P -n -o jobid,attempt,state -j "$j3")" "$j3|1|FAILED"$'\n'"$j3|2|COMPLETED" \
  "a retried job has one record per attempt"
expect_eq "$(g acct -X -P -n -o jobid,attempt,state -j "$j3")" "$j3|2|COMPLETED" \
  "-X shows one line per job, with its last outcome"

log "--- time windows"
expect_eq "$(g acct -P -n -o jobid -S now-1hour -E now -j "$j1")" "$j1" "-S now-1hour -E now"
expect_eq "$(g acct -P -n -o jobid -S "$(date -d tomorrow +%Y-%m-%d)" -E "$(date -d '+2 days' +%Y-%m-%d)")" "" \
  "nothing ran tomorrow"
expect_eq "$(g acct -P -n -o jobid -E "$(date -d yesterday +%m%d%y)" -S 2020-01-01)" "" \
  "nothing ran before yesterday (MMDDYY)"

log "--- bad options"
expect_fail_with "-S/--starttime 'yesterday'" g acct -S yesterday
expect_fail_with "month must be 1-12" g acct -E 2024-13-01
expect_fail_with "is after the end time" g acct -S now -E now-1day
expect_fail_with "unknown field 'bogus'" g acct --format=jobid,bogus
expect_fail_with "unknown state 'XX'" g acct -s XX
expect_fail_with "unknown account 'nosuch'" g acct -A nosuch
expect_fail_with "choose one of" g acct --json -P

log "--- gantry report (sreport)"
me=$(id -un)
out=$(g report top -S today -E now) || fail "report top failed: $out"
expect_contains "$out" "$me" "report top lists this user"
expect_contains "$out" "100.0%" "with all the core-hours"
out=$(g report utilization --per day -S today -E now)
expect_contains "$out" "$(date +%Y-%m-%d)" "report utilization has today's row"
jobs=$(g report utilization --per month -S today -E now --json | python3 -c 'import json,sys; print(sum(r["jobs"] for r in json.load(sys.stdin)["rows"]))')
expect_eq "$jobs" "4" "four attempts ended today (the retry counts twice)"
apel=$(g report apel --month "$(date -u +%Y-%m)" --site TEST-SITE)
expect_contains "$apel" "APEL-summary-job-message: v0.3" "report apel writes APEL summary records"
expect_contains "$apel" "Site: TEST-SITE"$'\n'"Month: $((10#$(date -u +%m)))"$'\n'"Year: $(date -u +%Y)" "for this month"
expect_eq "$(grep -c '^%%$' <<<"$apel")" "2" "one record per size (1 and 2 cores)"
expect_eq "$(grep '^NumberOfJobs:' <<<"$apel" | awk '{s += $2} END {print s}')" "4" "counting every attempt"
expect_fail_with "unknown report 'pie'" g report pie
expect_fail_with "expected YYYY-MM" g report apel --month 2026-13
expect_fail_with "--per must be day, week or month" g report utilization --per year

log "--- another user sees none of them"
other=$(setpriv --reuid=gantry-acct --regid="$(id -g gantry-acct)" --init-groups \
  env GANTRY_HOME="$GANTRY_HOME" HOME=/ "$GANTRY_BIN" acct -a -P -n -o jobid -S 2020-01-01) ||
  fail "gantry acct as another user failed: $other"
expect_eq "$other" "" "another user's acct -a lists nothing of ours"
finish
