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
submit() { echo "\$ gantry submit $*" >&2; "$gantry" submit --parsable "$@"; }
one=$(submit hello.sh)
sweep=$(submit --array=1-4%2 -o 'sweep-%A_%a.out' hello.sh)
after=$(submit -d "afterok:$one" --wrap "echo after job $one")
held=$(submit -H --wrap 'echo held')
echo "submitted jobs $one, $sweep (array), $after (after $one), $held (held)"
run "$gantry" q
run "$gantry" status "$held"
run "$gantry" release "$held"
long=$(submit --wrap 'sleep 300')
sleep 1
run "$gantry" cancel "$long"
run "$gantry" wait "$one" "$sweep" "$after" "$held" || true
run "$gantry" q --all
run "$gantry" logs "$one"
run "$gantry" events "$one"
echo "demo done; state was in $GANTRY_HOME"
