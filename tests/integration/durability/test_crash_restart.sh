#!/bin/bash
# Crash safety: `gantry up` is SIGKILLed at random moments while a 5,000-task workload is
# submitted (4 times) and while it drains (2 times), and restarted on the same GANTRY_HOME each time. At the end every task must have ended
# exactly once with the exit status its index implies, every journal must be numbered 1..N
# without gaps and end in a terminal state, and no task may ever have had two attempts alive
# at once (each attempt holds a per-task flock while it runs; a second live attempt finds it
# taken and records DOUBLE).
source "$(dirname "$0")/../core/lib.sh"

KILLS=${KILLS:-4}
DRAIN_KILLS=${DRAIN_KILLS:-2}
start_gantry --cores 4
W="$TEST_DIR/work"
mkdir -p "$W/locks"
cd "$W" || fail "cd $W"

# Each attempt: take the task's lock (or say DOUBLE), note start and end with the attempt
# number, exit with index % 3. A few tasks sleep so that kills find attempts running.
cat >"$W/task.sh" <<'SCRIPT'
#!/bin/bash
id=${SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID}_${SLURM_ARRAY_TASK_ID:-x}
exec 9>>"locks/$id"
flock -n 9 || echo "$id $GANTRY_ATTEMPT DOUBLE $EPOCHREALTIME" >>marks
echo "$id $GANTRY_ATTEMPT S $EPOCHREALTIME" >>marks
idx=${SLURM_ARRAY_TASK_ID:-${CODE:-0}}
((idx % 50 == 7)) && sleep 0.5
echo "$id $GANTRY_ATTEMPT E $EPOCHREALTIME" >>marks
exit $((idx % 3))
SCRIPT
chmod +x "$W/task.sh"

log "--- submitting 5,000 tasks (4 arrays of 1,200 + 200 singles)"
t0=$SECONDS
arrays=()
for k in 1 2 3 4; do
  arrays+=("$(submit -a 0-1199 -o /dev/null -J "arr$k" "$W/task.sh")") || fail "submit array $k"
done
singles=()

# The singles are submitted while the kills happen: their submissions must either fail
# (the server is down) and be retried here, or be accepted and never lost.
log "--- killing gantry up $KILLS times at random moments"
single_codes=()
i=0
for ((k = 1; k <= KILLS; k++)); do
  # submit some singles, then wait a random 0.3-2.5 s, then SIGKILL
  for ((n = 0; n < 50 && i < 200; n++, i++)); do
    out=$(CODE=$i g submit --parsable -o /dev/null -J single "$W/task.sh" 2>/dev/null) ||
      { n=$((n - 1)); i=$((i - 1)); continue; }
    singles+=("$out")
    single_codes+=("$((i % 3))")
  done
  delay=$(python3 -c 'import random; print(round(random.uniform(0.3, 2.5), 2))')
  sleep "$delay"
  stop_gantry KILL
  log "kill $k after ${delay}s; $(cat marks 2>/dev/null | grep -c " S ") attempt starts so far"
  restart_gantry --cores 4
done
while ((i < 200)); do
  singles+=("$(CODE=$i submit -o /dev/null -J single "$W/task.sh")") || fail "submit single $i"
  single_codes+=("$((i % 3))")
  i=$((i + 1))
done
expect_eq "${#singles[@]}" "200" "all 200 singles accepted"

log "--- killing it $DRAIN_KILLS more times while the queue drains"
for ((k = 1; k <= DRAIN_KILLS; k++)); do
  delay=$(python3 -c 'import random; print(round(random.uniform(0.5, 3.0), 2))')
  sleep "$delay"
  stop_gantry KILL
  log "drain kill $k after ${delay}s; $(grep -c ' S ' marks) attempt starts so far"
  restart_gantry --cores 4
done

log "--- waiting for everything to end"
for j in "${arrays[@]}" "${singles[@]}"; do
  timeout 120 "$GANTRY_BIN" wait -q "$j" >/dev/null 2>&1
  rc=$?
  ((rc == 124)) && fail "job $j did not end: $(g status "$j" | head -5)"
done
log "workload ended $((SECONDS - t0)) s after the first submission"

log "--- checking"
g q --all --json >"$TEST_DIR/q.json" || fail "q --all --json"
: >"$TEST_DIR/events.json"
for j in "${arrays[@]}" "${singles[@]}"; do
  g events --json "$j" >>"$TEST_DIR/events.json" || fail "events $j"
done
printf '%s\n' "${singles[@]}" >"$TEST_DIR/singles"
printf '%s\n' "${single_codes[@]}" >"$TEST_DIR/single_codes"
printf '%s\n' "${arrays[@]}" >"$TEST_DIR/arrays"
python3 - "$TEST_DIR" "$W/marks" <<'PY' >"$TEST_DIR/check.out" 2>&1
import json, sys, collections
d, marks = sys.argv[1], sys.argv[2]
q = json.load(open(d + "/q.json"))
arrays = [int(x) for x in open(d + "/arrays").read().split()]
singles = [int(x) for x in open(d + "/singles").read().split()]
codes = [int(x) for x in open(d + "/single_codes").read().split()]
errors = []
by_job = collections.defaultdict(list)
for t in q:
    by_job[t["job_id"]].append(t)
want = {}
for a in arrays:
    ts = by_job.get(a, [])
    if len(ts) != 1200: errors.append(f"array {a}: {len(ts)} tasks listed, not 1200")
    for t in ts:
        want[t["id"]] = (t, t["array_index"] % 3, f"{a}_{t['array_index']}")
for s, c in zip(singles, codes):
    ts = by_job.get(s, [])
    if len(ts) != 1: errors.append(f"single {s}: {len(ts)} tasks listed")
    for t in ts: want[t["id"]] = (t, c, f"{s}_x")
print("tasks checked:", len(want))
for tid, (t, code, _) in want.items():
    st = "DONE" if code == 0 else "FAILED"
    if t["state"] != st or t["exit_code"] != code:
        errors.append(f"task {tid}: {t['state']} exit {t['exit_code']}, want {st} exit {code}")
# journals: the events files are several JSON arrays one after another
text = open(d + "/events.json").read()
dec = json.JSONDecoder(); pos = 0; ev = []
while pos < len(text):
    while pos < len(text) and text[pos].isspace(): pos += 1
    if pos >= len(text): break
    obj, pos = dec.raw_decode(text, pos); ev.extend(obj)
by_task = collections.defaultdict(list)
for e in ev: by_task[e["task_id"]].append(e)
terminal = {"DONE", "FAILED", "CANCELLED"}
for tid in want:
    es = by_task.get(tid, [])
    seqs = [e["seq"] for e in es]
    if seqs != list(range(1, len(seqs) + 1)):
        errors.append(f"task {tid}: journal seq {seqs}")
    ends = [e for e in es if e["state"] in terminal]
    if len(ends) != 1 or not es or es[-1]["state"] not in terminal:
        errors.append(f"task {tid}: {len(ends)} terminal events, last {es[-1]['state'] if es else None}")
# markers: no DOUBLE; every task's final attempt ran to its end
att = collections.defaultdict(set); ended = collections.defaultdict(set)
doubles = []
for line in open(marks):
    p = line.split()
    if p[2] == "DOUBLE": doubles.append(line.strip())
    elif p[2] == "S": att[p[0]].add(int(p[1]))
    elif p[2] == "E": ended[p[0]].add(int(p[1]))
if doubles: errors.append(f"{len(doubles)} attempts ran beside another of the same task: {doubles[:5]}")
reruns = sum(1 for k in att if len(att[k]) > 1)
for tid, (t, _, key) in want.items():
    if t["attempts"] not in ended[key]:
        errors.append(f"task {tid} ({key}): final attempt {t['attempts']} has no end marker ({sorted(ended[key])})")
# shallow/deep: every requeue says which; deep ones are counted, and only attempts that
# really started (S marker) may have been counted deep
shallow_total = deep_total = 0
for tid, (t, _, key) in want.items():
    es = by_task.get(tid, [])
    deep = sum("deep retry" in e["reason"] for e in es)
    shallow = sum("had not started" in e["reason"] for e in es)
    shallow_total += shallow; deep_total += deep
    if deep != t["deep_retries"] or deep + shallow != t["attempts"] - 1:
        errors.append(f"task {tid}: {t['attempts']} attempts, deep_retries {t['deep_retries']}, "
                      f"journal says {deep} deep + {shallow} shallow requeues")
    if deep > len([n for n in att[key] if n < t["attempts"]]):
        errors.append(f"task {tid}: {deep} deep retries but earlier attempts started: {sorted(att[key])}")
print("requeues: shallow", shallow_total, "deep", deep_total)
print("tasks with more than one attempt:", reruns)
print("attempt starts:", sum(len(v) for v in att.values()))
for e in errors[:20]: print("ERROR", e)
print("errors:", len(errors))
sys.exit(1 if errors else 0)
PY
rc=$?
cat "$TEST_DIR/check.out"
((rc == 0)) && pass "5,000 tasks: right end state and exit code, one terminal event, gap-free journals, shallow/deep counted right, no double runs" ||
  fail "consistency check failed (see above)"
reruns=$(awk '/more than one attempt/ {print $NF}' "$TEST_DIR/check.out")
((reruns > 0)) && pass "the kills interrupted attempts ($reruns tasks ran again)" ||
  unobserved "no kill happened to interrupt an attempt this time"
finish
