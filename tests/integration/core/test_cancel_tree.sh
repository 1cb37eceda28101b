#!/bin/bash
# Cancelling a running job kills its whole process tree: children, grandchildren in a
# subshell, a setsid'd child and a double-forked daemon; the job ends CANCELLED and gantry
# is left with no zombie children.
source "$(dirname "$0")/lib.sh"

start_gantry
enter_work_dir

cat >"$W/tree.sh" <<'EOF'
#!/bin/bash
trap 'echo got-TERM' TERM
sleep 1000 &
echo "$!" >> pids
( sleep 1000 & echo "$!" >> pids; wait ) &
echo "$!" >> pids
setsid sleep 1000 &
echo "$!" >> pids
( setsid sleep 1000 & echo "$!" >> pids ) # a daemon: its parent exits at once
echo "$$" >> pids
echo ready > ready
while :; do wait; done
EOF

# alive PID: the process exists and is not a zombie.
alive() {
  local st
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n "$st" && "$st" != Z ]]
}

for round in cancel cancel-all; do
  log "--- round: $round"
  rm -f "$W/pids" "$W/ready"
  id=$(submit -o tree.out "$W/tree.sh") || fail "submit tree job"
  wait_file "$W/ready"
  mapfile -t pids <"$W/pids"
  STRAY_PIDS+=("${pids[@]}")
  expect_eq "${#pids[@]}" "6" "the job wrote 6 pids"
  for p in "${pids[@]}"; do alive "$p" || fail "pid $p is not running before the cancel"; done
  pass "all 6 processes run before the cancel"
  if [[ $round == cancel ]]; then
    g cancel -q "$id" || fail "gantry cancel $id"
  else
    g cancel -q --all || fail "gantry cancel --all"
  fi
  gwait "$id"
  expect_eq "$(state_of "$id")" "CANCELLED" "job is CANCELLED"
  survivors=()
  for p in "${pids[@]}"; do
    if alive "$p"; then
      survivors+=("$p:$(tr '\0' ' ' <"/proc/$p/cmdline")")
      kill -KILL "$p"  # verified alive and ours just above: do not leave it behind
    fi
  done
  expect_eq "${survivors[*]}" "" "no process of the tree survives (by PID)"
  zombies=$(ps -o pid=,stat=,comm= --ppid "$GANTRY_PID" | awk '$2 ~ /^Z/')
  expect_eq "$zombies" "" "no zombie children of gantry up ($GANTRY_PID)"
done
expect_contains "$(cat "$W/tree.out")" "got-TERM" "the job got SIGTERM"
expect_contains "$(json_get "$id" 't["reason"]')" "cancel" "reason says cancelled"

finish
