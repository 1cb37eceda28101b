#!/bin/bash
# GET /metrics (issue 16 section 4): Prometheus text that a parser accepts, with jobs by state
# and partition, submissions and completions, the queue wait histogram, agents and their
# cores, API latency per route; refused to a caller without an admin or steer-agents rule.
source "$(dirname "$0")/lib.sh"

need_users gantry-prom
command -v curl >/dev/null || skip_test "needs curl"
start_gantry
enter_work_dir

j1=$(submit -o /dev/null --wrap true)
j2=$(submit -o /dev/null --wrap 'exit 2')
j3=$(submit -o /dev/null --hold --wrap true)
gwait "$j1"
gwait "$j2"
g q >/dev/null

sock="$GANTRY_HOME/gantry.sock"
out=$(curl -sS --fail-with-body --unix-socket "$sock" http://gantry/metrics) || fail "GET /metrics failed: $out"
# A strict reader of the text format: every sample line "name{labels} value" with a declared
# TYPE, histogram buckets cumulative and ending at +Inf = _count.
parsed=$(python3 - "$out" <<'PY'
import re, sys
text = sys.argv[1]
types, samples = {}, {}
line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*)?\})? (-?[0-9.e+]+|\+Inf|NaN)$')
for line in text.splitlines():
    if line.startswith('# TYPE '):
        _, _, name, kind = line.split(' ')
        types[name] = kind
        continue
    if line.startswith('# HELP ') or not line:
        continue
    m = line_re.match(line)
    if not m:
        sys.exit('bad line: ' + line)
    name, labels, value = m.group(1), m.group(3) or '', float(m.group(4))
    base = re.sub(r'_(bucket|sum|count)$', '', name)
    if name not in types and base not in types:
        sys.exit('no TYPE for ' + name)
    samples[(name, labels)] = value
def get(name, labels):
    return samples.get((name, labels), 0)
buckets = sorted(((float('inf') if v == '+Inf' else float(v)), c) for (n, l), c in samples.items()
                 if n == 'gantry_queue_wait_seconds_bucket'
                 for v in re.findall(r'le="([^"]+)"', l))
counts = [c for _, c in buckets]
assert counts == sorted(counts), 'buckets not cumulative'
print('done', int(get('gantry_jobs_completed_total', 'state="DONE",partition="local"')))
print('failed', int(get('gantry_jobs_completed_total', 'state="FAILED",partition="local"')))
print('submitted', int(get('gantry_jobs_submitted_total', 'partition="local"')))
print('held', int(get('gantry_jobs', 'state="HELD",partition="local"')))
print('waits', int(get('gantry_queue_wait_seconds_count', 'partition="local"')))
print('cpus', int(get('gantry_agent_cpus', 'agent="local",kind="total"')))
print('agents', int(sum(v for (n, l), v in samples.items() if n == 'gantry_agents')))
print('api', int(sum(v for (n, l), v in samples.items()
                     if n == 'gantry_http_request_duration_seconds_count' and 'route="/v1/jobs"' in l)) > 0)
PY
) || fail "the metrics do not parse: $parsed"
expect_contains "$parsed" "done 1" "one job completed DONE"
expect_contains "$parsed" "failed 1" "one FAILED"
expect_contains "$parsed" "submitted 3" "three submitted"
expect_contains "$parsed" "held 1" "one held job is counted by state and partition"
expect_contains "$parsed" "waits 2" "two queue waits observed"
expect_contains "$parsed" "cpus 2" "the local agent's 2 cores"
expect_contains "$parsed" "agents 1" "one agent"
expect_contains "$parsed" "api True" "API latency per route"

log "--- authorised like every endpoint"
other=$(setpriv --reuid=gantry-prom --regid="$(id -g gantry-prom)" --init-groups \
  curl -sS -o /dev/null -w '%{http_code}' --unix-socket "$sock" http://gantry/metrics)
expect_eq "$other" "403" "a user without admin or steer-agents is refused"
tcp=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$GANTRY_HOME/server.json")
expect_eq "$(curl -sS -o /dev/null -w '%{http_code}' "$tcp/metrics")" "401" "TCP without a token is refused"
expect_eq "$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$GANTRY_HOME/token")" "$tcp/metrics")" \
  "200" "the server user's token may read them"
g cancel "$j3" >/dev/null
finish
