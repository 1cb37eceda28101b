#!/bin/bash
# Restarts of `gantry up` on the same GANTRY_HOME: held and finished jobs survive a clean
# restart; a job RUNNING when gantry up is SIGKILLed gets a second attempt and completes;
# every journal has gap-free sequence numbers.
source "$(dirname "$0")/lib.sh"

start_gantry
enter_work_dir

# seqs_ok ID: the journal of every task of ID is numbered 1..N without gaps.
seqs_ok() {
  g events --json "$1" | python3 -c '
import json, sys
from collections import defaultdict
ev = json.load(sys.stdin)
by = defaultdict(list)
for e in ev:
    by[e["task_id"]].append(e["seq"])
bad = {t: s for t, s in by.items() if s != list(range(1, len(s) + 1))}
if not ev or bad:
    print("gaps or disorder:", bad or "no events"); sys.exit(1)'
}

log "--- before the restart"
h=$(submit -H -J held-one --wrap 'echo released-after-restart') || fail "submit held"
f=$(submit -J done-one --wrap 'echo finished-before') || fail "submit finished"
x=$(submit -J failed-one --wrap 'exit 4') || fail "submit failing"
a=$(submit -H -a 1-3 -J held-arr -o /dev/null --wrap true) || fail "submit held array"
gwait "$f" || fail "job $f failed"
gwait "$x"
g cancel -q "${a}_2" || fail "cancel ${a}_2"
events_f_before=$(g events "$f")
seq_h_before=$(json_get "$h" 't["event_seq"]')

log "--- clean restart (SIGTERM)"
stop_gantry TERM
expect_true "the socket is gone after a clean stop" test ! -S "$GANTRY_HOME/gantry.sock"
restart_gantry
expect_eq "$(state_of "$h")" "HELD" "held job still HELD"
expect_eq "$(json_get "$h" 't["name"]')" "held-one" "with its name"
expect_eq "$(json_get "$h" 't["event_seq"]')" "$seq_h_before" "and its journal position"
expect_eq "$(state_of "$f")" "DONE" "finished job still DONE"
expect_eq "$(state_of "$x")" "FAILED" "failed job still FAILED"
expect_eq "$(json_get "$x" 't["exit_code"]')" "4" "with its exit code"
expect_eq "$(g events "$f")" "$events_f_before" "the finished job's journal is unchanged"
expect_contains "$(g q --noheader -a)" "done-one" "q -a lists the finished job"
expect_contains "$(g q --noheader)" "${a}_[1,3]" "q summarises the held array tasks left"
expect_eq "$(state_of "${a}_2")" "CANCELLED" "the cancelled array task is still CANCELLED"
g release -q "$h" || fail "release after restart"
gwait "$h" || fail "released job failed after restart: $(g status "$h")"
expect_eq "$(cat "slurm-$h.out")" "released-after-restart" "the held job released after restart ran"
g cancel -q "$a"
n=$(submit --wrap 'echo new') || fail "submit after restart"
gwait "$n" || fail "new job failed"
((n > a + 2)) && pass "job ids keep increasing after restart ($n)" ||
  fail "new job id $n reuses an old id (array was $a)"

log "--- SIGKILL while a job runs"
cat >"$W/crash.sh" <<'EOF'
#!/bin/bash
echo "$$" >> pids
if [ "$GANTRY_ATTEMPT" = 1 ]; then
  sleep 1000 &
  echo "$!" >> pids
  echo running > running
  wait
fi
echo "finished on attempt $GANTRY_ATTEMPT"
EOF
r=$(submit "$W/crash.sh") || fail "submit crash job"
wait_file "$W/running"
wait_state "$r" RUNNING
mapfile -t pids <"$W/pids"
expect_eq "${#pids[@]}" "2" "attempt 1 recorded its pids"
STRAY_PIDS+=("${pids[@]}")
stop_gantry KILL
rm -f "$W/running"
restart_gantry
gwait "$r"
rc=$?
expect_eq "$rc" "0" "the interrupted job completes after the restart"
expect_eq "$(state_of "$r")" "DONE" "DONE"
expect_eq "$(json_get "$r" 't["attempts"]')" "2" "it took 2 attempts"
expect_eq "$(json_get "$r" 'len(t["attempt_list"])')" "2" "status lists both attempts"
expect_contains "$(cat "slurm-$r.out")" "finished on attempt 2" "attempt 2 ran to the end"
# Attempt 1's processes live in their own session and may outlive gantry up. Find them by the
# PIDs they recorded (only while they are still the job's processes), then kill them.
left=()
for p in "${pids[@]}"; do
  if [[ -r /proc/$p/cmdline ]] && tr '\0' ' ' <"/proc/$p/cmdline" | grep -Eq 'attempts/|sleep 1000'; then
    left+=("$p")
  fi
done
# The restarted agent must kill what is left of attempts it no longer tracks before the job
# runs again; otherwise two copies of the job would run at once (this happened once).
expect_eq "${left[*]}" "" "attempt 1's processes are gone once attempt 2 has ended"
for p in "${left[@]}"; do kill -KILL "$p" 2>/dev/null; done
ev_r=$(g events "$r")
log "journal of $r:"$'\n'"$ev_r"
expect_contains "$ev_r" "attempt 2" "the journal shows the second attempt"

log "--- journals are gap-free"
for id in "$h" "$f" "$x" "$a" "$n" "$r"; do
  out=$(seqs_ok "$id") && pass "events of $id: seq 1..N without gaps" || fail "job $id: $out"
done

finish
