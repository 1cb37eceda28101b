#!/usr/bin/env bash
# gantry acct over a month of one user's records (issue 16 section 1: 1,000,000 attempts in
# under 1 s; sacct queries are known to keep slurmdbd busy for minutes). Fills a scratch
# store with RECORDS of alice's attempts in November 2026 (and a tenth as many of others'),
# starts `gantry up --no-tcp` on it, and times
#   gantry acct -u alice -S 2026-11-01 -E 2026-11-30T23:59:59 [-P]   > file
# end to end (the CLI, the socket, the server's scan and formatting), RUNS times. Prints the
# best and median seconds, the ratio to the 1 s goal, and the peer measured in the same run:
# the sqlite3 shell printing the same rows' raw columns from the same file (no formatting,
# no server: a floor). A benchmark: nothing asserted.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/acct/run.sh [--records N] [--runs N] [--build DIR] [--keep]
  --records N   alice's records (default 1000000)
  --runs N      timed runs of each command (default 3)
  --build DIR   build directory with apps/gantry/gantry and bench/acct/fill_usage
  --keep        keep the scratch GANTRY_HOME
USAGE
}

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${BUILD:-$root/build}"
records=1000000 runs=3 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    --build) build="$2"; shift ;;
    --keep) keep=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
gantry="$build/apps/gantry/gantry"
fill="$build/bench/acct/fill_usage"
for b in "$gantry" "$fill"; do
  [ -x "$b" ] || { echo "run.sh: $b missing: ninja -C $build gantry fill_usage" >&2; exit 1; }
done
command -v sqlite3 >/dev/null || { echo "run.sh: needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }

export TZ=UTC
export GANTRY_HOME="$(mktemp -d /tmp/gantry-acct.XXXXXX)"
up_pid=""
cleanup() {
  if [ -n "$up_pid" ]; then kill "$up_pid" 2>/dev/null || true; wait "$up_pid" 2>/dev/null || true; fi
  if [ "$keep" = 1 ]; then echo "kept $GANTRY_HOME"; else rm -rf "$GANTRY_HOME"; fi
}
trap cleanup EXIT

t0=$EPOCHREALTIME
"$fill" "$GANTRY_HOME/gantry.db" "$records"
printf 'filled in %.1f s (%s)\n' "$(echo "$EPOCHREALTIME - $t0" | bc)" \
  "$(du -h "$GANTRY_HOME/gantry.db" | cut -f1)"

"$gantry" up --no-tcp --cores 1 >"$GANTRY_HOME/up.log" 2>&1 &
up_pid=$!
for _ in $(seq 300); do
  [ -S "$GANTRY_HOME/gantry.sock" ] && "$gantry" q >/dev/null 2>&1 && break
  sleep 0.1
done

out="$GANTRY_HOME/out.txt"
# time_runs NAME CMD...: runs CMD RUNS times with stdout to $out; prints best and median.
time_runs() {
  local name=$1; shift
  local times=() t
  for _ in $(seq "$runs"); do
    t=$EPOCHREALTIME
    "$@" >"$out"
    times+=("$(echo "$EPOCHREALTIME - $t" | bc)")
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  best=$(head -1 <<<"$sorted")
  median=$(sed -n "$(((runs + 1) / 2))p" <<<"$sorted")
  printf '%-34s best %6.3f s  median %6.3f s  (%d lines)\n' "$name" "$best" "$median" "$(wc -l <"$out")"
}

window=(-u alice -S 2026-11-01 -E 2026-11-30T23:59:59)
time_runs "gantry acct (table)" "$gantry" acct "${window[@]}"
acct_best=$best
time_runs "gantry acct -P" "$gantry" acct "${window[@]}" -P
time_runs "gantry acct --json" "$gantry" acct "${window[@]}" --json
time_runs "peer: sqlite3 shell, raw columns" sqlite3 -separator '|' "$GANTRY_HOME/gantry.db" \
  "SELECT job_id, job_name, partition, account, cores, state, exit_code FROM usage WHERE user = 'alice' AND end_time BETWEEN 1793491200000000 AND 1796083199000000"
peer_best=$best
printf 'gantry acct: %.3f s for %d records: %.2fx the 1 s goal (under 1 is better); %.2fx the sqlite3 shell\n' \
  "$acct_best" "$records" "$acct_best" "$(echo "$acct_best / $peer_best" | bc -l)"
