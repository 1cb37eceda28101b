#!/bin/bash
# Bad input is refused with a clear message and leaves no job behind: scripts without #!,
# bad directive values, unreadable scripts, a missing interpreter, unwritable output, no
# server, malformed HTTP requests on the Unix socket, and (issue 11) out-of-range, fractional
# and NUL-bearing JobSpec fields, a negative nice from an ordinary user, a lower-case bearer.
source "$(dirname "$0")/lib.sh"

start_gantry
W="$TEST_DIR/work"
mkdir -p "$W"
chmod 0755 "$W"
cd "$W" || fail "cd $W"
SOCK="$GANTRY_HOME/gantry.sock"

# A finished job, so that "count unchanged" compares against a non-empty list.
j=$(submit -o /dev/null --wrap true) || fail "submit"
gwait "$j" || fail "first job failed"
count=$(q_count)
expect_eq "$count" "1" "one job to start with"
unchanged() { expect_eq "$(q_count)" "$count" "no job was created"; }

log "--- script without #!"
printf 'echo hi\n#SBATCH -J x\n' >"$W/nosh.sh"
expect_fail_with "nosh.sh:1: the batch script must start with #!" g submit "$W/nosh.sh"
unchanged

log "--- bad directive values name the line"
bad_directive() {  # bad_directive DIRECTIVE KEY_PHRASE
  printf '#!/bin/bash\n#SBATCH -J bad\n#SBATCH %s\ntrue\n' "$1" >"$W/bad.sh"
  expect_fail_with "bad.sh:3: $2" g submit "$W/bad.sh"
}
bad_directive "--time=abc" "invalid --time value 'abc'"
bad_directive "--mem=lots" "invalid --mem value 'lots'"
bad_directive "--array=5-1" "invalid --array value '5-1'"
bad_directive "--cpus-per-task=0" "invalid --cpus-per-task value '0'"
bad_directive "--nodes=3" "invalid --nodes value '3'"
unchanged
printf '#!/bin/bash\n#SBATCH -J bad\n#SBATCH --dependency=afterok:999999\ntrue\n' >"$W/bad.sh"
expect_fail_with "job 999999 does not exist" g submit "$W/bad.sh"
# The server checks that dependencies exist, so the message names the clause, not the line.
expect_contains "$LAST_STDERR" "dependency afterok:999999" "the error names the dependency clause"
unchanged
expect_fail_with "command line: " g submit --time=abc --wrap true
unchanged

log "--- unreadable scripts"
expect_fail_with "cannot read $W/nope.sh: No such file or directory" g submit "$W/nope.sh"
mkdir -p "$W/adir"
expect_fail_with "Is a directory" g submit "$W/adir"
printf '#!/bin/bash\ntrue\n' >"$W/secret.sh"
chmod 000 "$W/secret.sh"
if [[ $(id -u) == 0 ]]; then
  # root reads anything: try it as nobody.
  expect_fail_with "Permission denied" setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env GANTRY_HOME="$GANTRY_HOME" "$GANTRY_BIN" submit "$W/secret.sh"
else
  expect_fail_with "Permission denied" g submit "$W/secret.sh"
fi
printf '' >"$W/empty.sh"
expect_fail_with "empty.sh" g submit "$W/empty.sh"
unchanged

log "--- interpreter that does not exist"
printf '#!/nonexistent/interp\necho hi\n' >"$W/interp.sh"
i=$(submit "$W/interp.sh") || fail "submit interp.sh"
gwait "$i"
expect_eq "$(state_of "$i")" "FAILED" "job with #!/nonexistent/interp FAILED"
reason=$(json_get "$i" 't["reason"]')
expect_contains "$reason" "could not start" "reason says it could not start"
expect_true "reason names /nonexistent/interp (got: $reason)" \
  eval '[[ "$reason" == *"/nonexistent/interp"* ]]'
count=$(q_count)

log "--- unwritable output path"
expect_fail_with "/nonexistent/dir" g submit -o /nonexistent/dir/out --wrap true
expect_fail_with "cannot be written" g submit -e /nonexistent/dir/err --wrap true
unchanged

log "--- no server"
empty=$(mktemp -d)
expect_fail_with "gantry up" env GANTRY_HOME="$empty" "$GANTRY_BIN" q
expect_fail_with "cannot connect" env GANTRY_HOME="$empty" "$GANTRY_BIN" submit --wrap true
rmdir "$empty"

log "--- HTTP API on the Unix socket"
# api METHOD PATH [BODY]: prints "<status> <body>".
api() {
  local args=(-s -o "$W/api.body" -w '%{http_code}' --unix-socket "$SOCK" -X "$1")
  [[ $# -ge 3 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  local code
  code=$(curl "${args[@]}" "http://gantry$2") || fail "curl $1 $2 failed"
  echo "$code $(cat "$W/api.body")"
}
r=$(api POST /v1/jobs '{not json')
expect_contains "$r" "400 " "invalid JSON -> 400"
expect_contains "$r" "invalid JSON" "with a message"
r=$(api POST /v1/jobs "{\"script\":\"#!/bin/sh\\ntrue\\n\",\"working_dir\":\"$W\",\"frobnicate\":1}")
expect_contains "$r" "400 " "unknown field -> 400"
expect_contains "$r" "frobnicate" "naming the field"
r=$(api POST /v1/jobs '{"script": 5}')
expect_contains "$r" "400 " "wrong type -> 400"
expect_contains "$r" "wrong type" "saying so"
r=$(api GET /v1/no/such/path)
expect_contains "$r" "404 " "unknown path -> 404"
r=$(api GET /v1/jobs/999999)
expect_contains "$r" "404 " "unknown job -> 404"
r=$(api GET /v1/jobs/abc)
expect_contains "$r" "400 " "malformed job id -> 400"
r=$(api DELETE /v1/jobs)
expect_contains "$r" "405 " "wrong method -> 405"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$W/api.body" &&
  pass "error bodies are JSON" || fail "error body is not JSON: $(cat "$W/api.body")"
unchanged
r=$(api GET /v1/whoami)
expect_contains "$r" "200 " "whoami works on the same socket"

log "--- issue 11: the report's bodies get 400 naming the field, and the server lives on"
# bad_body FIELDS MESSAGE: POST a held /tmp job with FIELDS added; expect 400 and MESSAGE.
HEAD='"script":"#!/bin/sh\ntrue\n","submit_dir":"/tmp","working_dir":"/tmp","hold":true'
bad_body() {
  local r
  r=$(api POST /v1/jobs "{$HEAD,$1}")
  expect_contains "$r" "400 " "$1 -> 400"
  expect_contains "$r" "$2" "with the message"
}
# Regression: this body made the server loop until std::bad_alloc (run decoding wrapped).
bad_body '"array":{"task_runs":[[9223372036854775806,9223372036854775807,1]]}' \
  "array task id 9223372036854775806 is out of range: task ids must be from 0 to 4000000"
# Regression: this one wrapped the task count negative, past the 1,000,000 check.
bad_body '"array":{"task_runs":[[0,9223372036854775807,1]]}' \
  "field 'array.task_runs' has too many tasks: an array may have at most 1000000"
r=$(api GET /v1/whoami)
expect_contains "$r" "200 " "the server answers after the array bodies"
# Regression: the deadline overflowed and the job was killed after 0.03 s.
bad_body '"time_limit_seconds":10000000000000' \
  "field 'time_limit_seconds' is out of range (got 10000000000000): must be from 0 to 3153600000"
bad_body '"ntasks":2.5' "field 'ntasks' must be a whole number (got 2.5)"
bad_body '"max_retries":1.9' "field 'max_retries' must be a whole number (got 1.9)"
bad_body '"ntasks":1e30' "field 'ntasks' is out of range (got 1e+30): must be from 1 to 1000000"
bad_body '"ntasks":1e400' "invalid JSON: number overflow parsing '1e400'"
bad_body '"stdout":"/tmp/a\u0000b"' "field 'stdout' contains a NUL byte"
bad_body '"script_args":["x\u0000y"]' "field 'script_args[0]' contains a NUL byte"
bad_body '"environment":{"A":"1\u00002"}' "field 'environment.A' contains a NUL byte"
bad_body '"array":{"task_ids":[4000001]}' \
  "array task id 4000001 is out of range: task ids must be from 0 to 4000000, as for --array"
bad_body '"nice":-2147483646' "field 'nice' is out of range (got -2147483646)"
unchanged
expect_fail_with "invalid --array value '4000001'" g submit --array=4000001 --wrap true
expect_fail_with "invalid --time value '52560001': time limit too large (at most 100 years)" \
  g submit --time=52560001 --wrap true
expect_fail_with "invalid --nice value '2147483646': expected a whole number from -2147483645 to" \
  g submit --nice=2147483646 --wrap true
unchanged

# A negative nice: only root and the server's own user. As root, try it as nobody.
if [[ $(id -u) == 0 ]]; then
  as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
  r=$(as_nobody curl -s -w ' %{http_code}' --unix-socket "$SOCK" -X POST \
    -H 'Content-Type: application/json' --data-binary "{$HEAD,\"nice\":-2147483645}" \
    http://gantry/v1/jobs) || fail "curl as nobody"
  expect_contains "$r" " 403" "a negative nice from nobody -> 403"
  expect_contains "$r" "a negative nice (-2147483645)" "saying why"
  expect_fail_with "only root and the server's own user may give one" \
    as_nobody env GANTRY_HOME="$GANTRY_HOME" "$GANTRY_BIN" submit --nice=-5 -o /dev/null --wrap true
  unchanged
else
  skip "a negative nice from an unprivileged user needs root to switch to nobody"
fi

# null is the same as absent: accepted (a held job, then cancelled).
r=$(api POST /v1/jobs "{$HEAD,\"name\":null}")
expect_contains "$r" "201 " "\"name\":null is accepted as absent"
held=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["job_id"])' "${r#* }")
g cancel "$held" >/dev/null || fail "cancel $held"
# The root user (or the server's own) may give a negative nice.
r=$(api POST /v1/jobs "{$HEAD,\"nice\":-5}")
expect_contains "$r" "201 " "the server's own user may give a negative nice"
held=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["job_id"])' "${r#* }")
g cancel "$held" >/dev/null || fail "cancel $held"

log "--- the bearer scheme is case-insensitive (RFC 7235)"
TCP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$GANTRY_HOME/server.json")
TOKEN=$(cat "$GANTRY_HOME/token")
for scheme in Bearer bearer BEARER; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $scheme $TOKEN" "$TCP/v1/whoami")
  expect_eq "$code" "200" "Authorization: $scheme <token> -> 200"
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: bearer wrong" "$TCP/v1/whoami")
expect_eq "$code" "401" "a wrong token in lower case is still refused"

log "--- the server still runs jobs afterwards"
j=$(submit -o /dev/null --wrap true) || fail "submit after the bad bodies"
gwait "$j" || fail "the job after the bad bodies failed"
expect_eq "$(state_of "$j")" "DONE" "a job submitted after the bad bodies runs"
# The largest time limit allowed (100 years) is a limit far away, not an instant kill.
r=$(api POST /v1/jobs "{\"script\":\"#!/bin/sh\\nsleep 0.5\\n\",\"submit_dir\":\"$W\",\"working_dir\":\"$W\",\"stdout\":\"/dev/null\",\"time_limit_seconds\":3153600000}")
expect_contains "$r" "201 " "a 100-year time limit is accepted"
j=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["job_id"])' "${r#* }")
gwait "$j"
expect_eq "$(state_of "$j")" "DONE" "a job with a 100-year time limit runs to its end"

finish
