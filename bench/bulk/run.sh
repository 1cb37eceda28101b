#!/usr/bin/env bash
# Bulk: a million-task array through `gantry server` (no agent, so every task stays queued).
# Prints: submit time (accepted durably), server RSS before and after, `gantry q` latency
# with the million queued, and the time until the server answers again after a restart
# (kill -9, as a crash). A benchmark, not a test: nothing is asserted.
# Usage: bench/bulk/run.sh [N]   (default 1000000)
set -euo pipefail
if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then sed -n '2,6p' "$0" | sed 's/^# //'; exit 0; fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
n="${1:-1000000}"
gantry="${GANTRY_BIN:-$root/build/apps/gantry/gantry}"
[ -x "$gantry" ] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }

export GANTRY_HOME="$(mktemp -d /tmp/gantry-bulk.XXXXXX)"
server_pid=
start_server() {
  "$gantry" server --no-tcp >>"$GANTRY_HOME/server.log" 2>&1 &
  server_pid=$!
}
stop_server() { [ -n "$server_pid" ] && kill "$1" "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true; }
trap 'stop_server -TERM; rm -rf "$GANTRY_HOME"' EXIT
now() { date +%s.%N; }
ms() { python3 -c "import sys; print(f'{(float(sys.argv[2]) - float(sys.argv[1])) * 1000:.0f}')" "$1" "$2"; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status"; }
# Waits until the server answers a request; prints the time it took in ms.
until_serving() {
  local t0=$1
  until "$gantry" q --noheader >/dev/null 2>&1; do sleep 0.01; done
  ms "$t0" "$(now)"
}

start_server
until_serving "$(now)" >/dev/null
echo "server RSS idle: $(rss_mib) MiB"
cd "$GANTRY_HOME"
t0=$(now)
id=$("$gantry" submit --parsable --array="0-$((n - 1))" -o /dev/null --wrap true)
t1=$(now)
echo "submit --array=0-$((n - 1)): accepted in $(ms "$t0" "$t1") ms (job $id)"
echo "server RSS with $n queued: $(rss_mib) MiB"

best=999999
for _ in 1 2 3 4 5; do
  t0=$(now); out=$("$gantry" q); t1=$(now)
  v=$(ms "$t0" "$t1"); ((v < best)) && best=$v
done
echo "gantry q with $n queued: ${best} ms (best of 5, whole command); it prints:"
echo "$out" | sed 's/^/    /'
t0=$(now); "$gantry" status "$id" >/dev/null; t1=$(now)
echo "gantry status $id: $(ms "$t0" "$t1") ms"

stop_server -KILL
t0=$(now)
start_server
echo "restart after kill -9 with $n queued: serving again in $(until_serving "$t0") ms"
echo "server RSS after restart: $(rss_mib) MiB"
echo "gantry q after restart: $("$gantry" q --noheader | head -3)"
