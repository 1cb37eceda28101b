#!/bin/bash
# Bad input is refused with a clear message and leaves no job behind: scripts without #!,
# bad directive values, unreadable scripts, a missing interpreter, unwritable output, no
# server, and malformed HTTP requests on the Unix socket.
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

finish
