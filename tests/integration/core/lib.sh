# Shared helpers for the core integration tests (sourced, not run).
#
# Every test starts its own `gantry up` in a fresh temp GANTRY_HOME, drives the real binary
# ($GANTRY_BIN) and stops it by PID on exit. Checks go through pass/fail helpers that count;
# the script ends with `finish`, which prints "N passed, 0 failed[, K skipped]".
#
# A test that skips a check exits SKIP_CODE (77), which tests/integration/CMakeLists.txt
# registers as SKIP_RETURN_CODE: ctest shows it as skipped, never as passed. Under CI=true
# (CI runs as root) nothing may skip: a skip makes the test fail, saying why. Tests create
# what they need when they are root (need_users, a tmpfs mount, the cgroups gantry makes).

set -u

if [[ -z "${GANTRY_BIN:-}" ]]; then
  _lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  for _c in "$_lib_dir/../../../build-it/apps/gantry/gantry" \
            "$_lib_dir/../../../build/apps/gantry/gantry"; do
    if [[ -x "$_c" ]]; then GANTRY_BIN=$(cd "$(dirname "$_c")" && pwd)/gantry; break; fi
  done
fi
[[ -x "${GANTRY_BIN:-}" ]] || { echo "GANTRY_BIN is not set to an executable gantry" >&2; exit 1; }
export GANTRY_BIN

PASSED=0
SKIPPED=0
SKIP_CODE=77
SKIP_REASONS=()
UNOBSERVED=()
TEST_NAME=$(basename "$0" .sh)
GANTRY_PID=""
TEST_DIR=""
# PIDs of extra processes this shell started (servers, agents): killed on exit.
EXTRA_PIDS=()

log() { echo "[$TEST_NAME] $*"; }

# fail "msg": print and exit 1. Inside $(...) it only ends the subshell: callers write
# `x=$(submit ...) || fail "..."`.
fail() {
  echo "[$TEST_NAME] FAIL: $*" >&2
  ((BASH_SUBSHELL > 0)) && exit 1
  if [[ -n "$TEST_DIR" && -f "$TEST_DIR/up.log" ]]; then
    echo "--- last lines of gantry up's log ---" >&2
    tail -n 15 "$TEST_DIR/up.log" >&2
  fi
  echo "$PASSED passed, 1 failed, $SKIPPED skipped"
  exit 1
}

pass() { PASSED=$((PASSED + 1)); log "ok: $*"; }

# skip "why": a check that cannot run here (or is disabled because of a known bug). The
# test goes on; `finish` then exits SKIP_CODE (or fails under CI=true).
skip() { SKIPPED=$((SKIPPED + 1)); SKIP_REASONS+=("$*"); log "SKIP: $*"; }

# skip_test "why": the whole test cannot run here: exit SKIP_CODE now (fail under CI=true).
skip_test() {
  skip "$*"
  finish
}

# unobserved "what": a check whose occasion is left to chance (a random kill, the machine's
# speed) and did not come this run. It is neither a pass nor a skip: the test still passes,
# and its last lines list what it did not get to see.
unobserved() { UNOBSERVED+=("$*"); log "NOT OBSERVED this run: $*"; }

# need_users NAME...: unprivileged local users (made with useradd when missing, so running
# the test again is fine). Only root can make them and switch to them: skip_test otherwise.
# useradd fails while another test holds the lock on /etc/passwd: tried again, bounded.
need_users() {
  local u i
  [[ $(id -u) == 0 ]] || skip_test "needs root to create users ($*) and switch to them"
  for u in "$@"; do
    for ((i = 0; i < 50; i++)); do
      id "$u" >/dev/null 2>&1 && break
      useradd -M -s /bin/bash "$u" 2>/dev/null || sleep 0.1
    done
    id "$u" >/dev/null 2>&1 || fail "useradd $u failed"
  done
}

# known_bug "what" CMD...: a check that fails because of a bug in Gantry (marked
# `# KNOWN BUG:` at the call site). It runs, but a failure is counted as skipped; a pass says
# the bug looks fixed.
known_bug() {
  local what=$1; shift
  if "$@"; then
    pass "$what (KNOWN BUG marker can go: the check passes now)"
  else
    skip "KNOWN BUG: $what"
  fi
}

finish() {
  local u
  for u in "${UNOBSERVED[@]}"; do log "not observed this run (left to chance): $u"; done
  if ((SKIPPED == 0)); then
    echo "$PASSED passed, 0 failed"
    exit 0
  fi
  if [[ "${CI:-}" == true ]]; then
    for u in "${SKIP_REASONS[@]}"; do echo "[$TEST_NAME] FAIL: skipped under CI=true: $u" >&2; done
    echo "[$TEST_NAME] FAIL: nothing may skip in CI (it runs as root with every package installed)" >&2
    echo "$PASSED passed, 1 failed, $SKIPPED skipped"
    exit 1
  fi
  echo "$PASSED passed, 0 failed, $SKIPPED skipped"
  exit "$SKIP_CODE"
}

# g ARGS...: run gantry.
g() { "$GANTRY_BIN" "$@"; }

# enter_work_dir: W=$TEST_DIR/work, created, and the current directory (jobs submitted from
# here run here). Call after start_gantry.
enter_work_dir() {
  W="$TEST_DIR/work"
  mkdir -p "$W"
  cd "$W" || fail "cd $W"
}

# script NAME LINES...: writes $W/NAME as a bash script made of the given lines; prints its path.
script() {
  local f="$W/$1"; shift
  { echo '#!/bin/bash'; printf '%s\n' "$@"; } >"$f"
  echo "$f"
}

expect_eq() {  # expect_eq ACTUAL EXPECTED "what"
  local a=${1//$'\n'/\\n} e=${2//$'\n'/\\n}
  if [[ "$1" == "$2" ]]; then pass "$3 (= '$e')"; else fail "$3: expected '$e', got '$a'"; fi
}

expect_contains() {  # expect_contains HAYSTACK NEEDLE "what"
  if [[ "$1" == *"$2"* ]]; then
    pass "$3 (contains '$2')"
  else
    fail "$3: expected to contain '$2', got: $1"
  fi
}

expect_not_contains() {  # expect_not_contains HAYSTACK NEEDLE "what"
  if [[ "$1" != *"$2"* ]]; then
    pass "$3 (no '$2')"
  else
    fail "$3: expected NOT to contain '$2', got: $1"
  fi
}

expect_true() {  # expect_true "what" CMD...: CMD must succeed
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what (command failed: $*)"; fi
}

# expect_fail_with SUBSTRING CMD...: CMD must exit non-zero and print SUBSTRING on stderr.
# The stderr text is left in $LAST_STDERR.
expect_fail_with() {
  local needle=$1; shift
  local errf rc
  errf=$(mktemp)
  "$@" >/dev/null 2>"$errf"
  rc=$?
  LAST_STDERR=$(cat "$errf")
  rm -f "$errf"
  if ((rc == 0)); then fail "expected failure of: $* (it succeeded; stderr: $LAST_STDERR)"; fi
  if [[ "$LAST_STDERR" != *"$needle"* ]]; then
    fail "'$*' failed (rc $rc) but stderr lacks '$needle': $LAST_STDERR"
  fi
  pass "'$*' refused: ${LAST_STDERR%%$'\n'*}"
}

# make_test_dir: a world-traversable temp dir, removed on exit.
make_test_dir() {
  TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gantry-it.XXXXXX")
  chmod 0755 "$TEST_DIR"
}

# wait_socket FILE: bounded wait (10 s) for a Unix socket to appear.
wait_socket() {
  local i
  for ((i = 0; i < 200; i++)); do
    [[ -S "$1" ]] && return 0
    sleep 0.05
  done
  return 1
}

# start_gantry [extra up args]: new GANTRY_HOME (0755), `gantry up` in the background.
start_gantry() {
  [[ -n "$TEST_DIR" ]] || make_test_dir
  export GANTRY_HOME="$TEST_DIR"
  restart_gantry "$@"
}

# restart_gantry [extra up args]: start `gantry up` again on the same GANTRY_HOME.
restart_gantry() {
  rm -f "$GANTRY_HOME/server.json"
  "$GANTRY_BIN" up --cores 2 --kill-grace 1 "$@" >>"$GANTRY_HOME/up.log" 2>&1 &
  GANTRY_PID=$!
  local i
  for ((i = 0; i < 200; i++)); do
    if [[ -S "$GANTRY_HOME/gantry.sock" && -s "$GANTRY_HOME/server.json" ]] &&
       g q >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$GANTRY_PID" 2>/dev/null || fail "gantry up exited at start"
    sleep 0.05
  done
  fail "gantry up did not come up within 10 s"
}

# stop_pid PID [SIGNAL]: stop a child of this shell (its PID cannot be reused before we reap
# it, so signalling it is safe): SIGNAL (default TERM), 10 s bounded, then SIGKILL; reap it.
stop_pid() {
  local pid=$1 sig=${2:-TERM} i
  [[ -n "$pid" ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$sig" "$pid" 2>/dev/null
    for ((i = 0; i < 200; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      # a zombie child still answers kill -0: check its state
      [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" == Z ]] && break
      sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null
  fi
  { wait "$pid"; } 2>/dev/null  # braces: also silence the shell's "Killed" job notice
  return 0
}

# stop_gantry [SIGNAL]: stop OUR gantry up (by PID) and wait for it.
stop_gantry() {
  stop_pid "$GANTRY_PID" "${1:-TERM}"
  GANTRY_PID=""
}

# Job processes a test recorded by PID (not our children): on exit, each one still running
# whose command line matches STRAY_PATTERN is killed, so a failing test leaves nothing behind.
STRAY_PIDS=()
STRAY_PATTERN='gantry-it\.|sleep 1000'
kill_strays() {
  local p
  for p in "${STRAY_PIDS[@]}"; do
    if [[ -r /proc/$p/cmdline ]] && tr '\0' ' ' <"/proc/$p/cmdline" | grep -Eq "$STRAY_PATTERN"; then
      kill -KILL "$p" 2>/dev/null
    fi
  done
}

_cleanup() {
  local rc=$?
  stop_gantry
  local p
  for p in "${EXTRA_PIDS[@]}"; do stop_pid "$p"; done
  kill_strays
  if [[ -n "$TEST_DIR" && -d "$TEST_DIR" ]]; then
    chmod -R u+rwX "$TEST_DIR" 2>/dev/null
    rm -rf "$TEST_DIR"
  fi
  exit $rc
}
trap _cleanup EXIT

# submit ARGS...: gantry submit --parsable; prints the job id, fails the test on error.
submit() {
  local out
  out=$(g submit --parsable "$@" 2>"$TEST_DIR/.submit.err") ||
    fail "gantry submit $* failed: $(cat "$TEST_DIR/.submit.err")"
  [[ "$out" =~ ^[0-9]+$ ]] || fail "gantry submit --parsable $* printed '$out'"
  echo "$out"
}

# json_get ID PYEXPR: evaluate PYEXPR on the first task `t` of `gantry status --json ID`
# (all tasks as `ts`), e.g. json_get 5 't["state"]'.
json_get() {
  g status --json "$1" | python3 -c '
import json, sys
ts = json.load(sys.stdin)
t = ts[0]
v = eval(sys.argv[1])
print(json.dumps(v) if isinstance(v, (dict, list, bool)) or v is None else v)' "$2"
}

state_of() { json_get "$1" 't["state"]'; }

# wait_state ID STATE [SECONDS]: poll status until the (first) task is in STATE (max 30 s,
# counted on the clock: on a loaded machine each poll itself takes a while).
wait_state() {
  local id=$1 want=$2 limit=${3:-30} st=""
  local deadline=$((SECONDS + limit))
  while ((SECONDS <= deadline)); do
    st=$(state_of "$id" 2>/dev/null)
    [[ "$st" == "$want" ]] && return 0
    sleep 0.1
  done
  fail "job $id did not reach $want within ${limit}s (state: $st)"
}

# gwait ID...: gantry wait, bounded by 60 s; echoes nothing, returns gantry wait's status.
gwait() { timeout 60 "$GANTRY_BIN" wait -q "$@"; }

# wait_file FILE [SECONDS]: bounded wait for a non-empty file.
wait_file() {
  local i limit=${2:-30}
  for ((i = 0; i < limit * 20; i++)); do
    [[ -s "$1" ]] && return 0
    sleep 0.05
  done
  fail "file $1 did not appear within ${limit}s"
}

# q_count: number of jobs `gantry q --all --json` lists.
q_count() {
  g q --all --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}

# max_overlap FILE: FILE holds lines "<start> <end>" (floats); prints the largest number of
# intervals that overlap at one instant.
max_overlap() {
  python3 - "$1" <<'EOF'
import sys
ev = []
for line in open(sys.argv[1]):
    s, e = map(float, line.split())
    ev.append((s, 1)); ev.append((e, -1))
ev.sort(key=lambda x: (x[0], x[1]))  # ends before starts at the same instant
cur = best = 0
for _, d in ev:
    cur += d; best = max(best, cur)
print(best)
EOF
}
