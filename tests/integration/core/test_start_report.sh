#!/bin/bash
# Regression (issue 10, 11 item 9): a running job stayed SCHEDULED in `q` until it ended (its
# start reached the server only with its end), and a finished job's TIME could count up from
# the clock. Now `q` shows RUNNING within a second of the start, and every finished task has
# a start before its end, both from the agent's reports.
source "$(dirname "$0")/lib.sh"

start_gantry
enter_work_dir

# q_state ID: the state `gantry q` shows for job ID.
q_state() {
  g q --json -j "$1" | python3 -c '
import json, sys
rows = json.load(sys.stdin)
print(rows[0]["state"] if rows else "")'
}

log "--- a running job is RUNNING in q within a second of its start"
j=$(submit --wrap "echo up > $W/started; while [ ! -e $W/go ]; do sleep 0.05; done")
wait_file "$W/started"
st=""
for ((i = 0; i < 20; i++)); do  # 1 s, bounded
  st=$(q_state "$j")
  [[ "$st" == RUNNING ]] && break
  sleep 0.05
done
expect_eq "$st" "RUNNING" "q shows the started job RUNNING within 1 s"
start=$(json_get "$j" 't["start_time"]')
marker=$(python3 -c 'import os, sys; print(int(os.stat(sys.argv[1]).st_mtime_ns // 1000))' "$W/started")
((start > 0 && start <= marker)) && pass "the recorded start ($start) precedes the job's first write ($marker)" ||
  fail "recorded start $start, the job wrote its marker at $marker"
touch "$W/go"
gwait "$j" || fail "job $j failed: $(g status "$j")"
ev=$(g events "$j")
expect_contains "$ev" "RUNNING" "the journal records the start"

log "--- finished tasks keep the run time the agent measured"
a=$(submit -a 1-30 -o /dev/null --wrap true)
gwait "$a" || fail "array $a failed"
bad=$(g status --json "$a" | python3 -c '
import json, sys
ts = json.load(sys.stdin)
print(len(ts), [t["id"] for t in ts if not 0 < t["start_time"] < t["end_time"]])')
expect_eq "$bad" "30 []" "every task of the array started before it ended"
sleep 1.1  # a TIME counted from the clock would show 0:01 by now
times=$(g q --all --json -j "$a" | python3 -c '
import json, sys
print(sorted({t["end_time"] - t["start_time"] < 1000000 for t in json.load(sys.stdin)}))')
expect_eq "$times" "[True]" "q --all gives each finished task its own run time"
rows=$(g q --all --noheader -j "$a" | awk '{print $6}' | sort -u)
expect_eq "$rows" "0:00" "q --all shows TIME 0:00 for instant tasks, not a count from the clock"

finish
