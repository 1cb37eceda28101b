#!/usr/bin/env bash
# Installs what is missing, builds, starts `gantry up` in a temporary GANTRY_HOME and shows
# jobs running and finishing: a plain job, an array, a dependency, a held job, a cancel.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
gantry="$root/build/apps/gantry/gantry"
export GANTRY_HOME="$(mktemp -d /tmp/gantry-demo.XXXXXX)"
work="$GANTRY_HOME/work"
mkdir -p "$work" && cd "$work"
"$gantry" up >"$GANTRY_HOME/up.log" 2>&1 &
up_pid=$!
trap 'kill "$up_pid" 2>/dev/null; wait "$up_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -S "$GANTRY_HOME/gantry.sock" ] && break; sleep 0.1; done
head -n 2 "$GANTRY_HOME/up.log"

run() { echo "\$ $*"; "$@"; }
cat > hello.sh <<'JOB'
#!/bin/bash
#SBATCH -J hello
#SBATCH -t 1:00
#SBATCH -o hello-%j.out
echo "hello from job $SLURM_JOB_ID (array task ${SLURM_ARRAY_TASK_ID:-none}) in $PWD"
sleep 1
JOB
run "$gantry" submit hello.sh
run "$gantry" submit --array=1-4%2 -o 'sweep-%A_%a.out' hello.sh
run "$gantry" submit -d afterok:1 --wrap 'echo "after job 1"'
run "$gantry" submit -H --wrap 'echo held'
run "$gantry" q
run "$gantry" status 4
run "$gantry" release 4
run "$gantry" submit --wrap 'sleep 300'
sleep 1
run "$gantry" cancel 9
run "$gantry" wait 1 2 3 4 || true
run "$gantry" q --all
run "$gantry" logs 1
run "$gantry" events 1
echo "demo done; state was in $GANTRY_HOME"
