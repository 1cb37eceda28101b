#!/bin/bash
# The harness itself: two hosts ping each other over the bridge and nobody else has their
# addresses; a host sees its own directory and not another's nor the test's; a process started
# on a host runs in its namespace and is stopped by PID; a run that fails leaves no namespace
# behind, and one that is SIGKILLed loses its holders at once and its names at the next run.
source "$(dirname "$0")/../integration/core/lib.sh"
source "$(dirname "$0")/hosts.sh"

# Child mode (run by the checks at the end): make two hosts, record them, then fail or hang.
if [[ "${1:-}" == --child ]]; then
  hosts_init
  host_add x
  host_add y
  { echo "$HOSTS_PREFIX"; echo "${HOSTS_HOLDERS[*]}"; echo "$TEST_DIR"; } >"$2.tmp"
  mv "$2.tmp" "$2"
  # exec: the shell's PID (the holders' parent) becomes the sleep, which the test kills.
  [[ "$3" == hang ]] && exec sleep 1000
  fail "failing on purpose, with two hosts up"
fi

hosts_init
host_add a
host_add b

log "--- network"
expect_eq "$(host_ip a) $(host_ip b)" "10.213.0.1 10.213.0.2" "hosts get 10.213.0.1 and .2"
if command -v ping >/dev/null; then
  expect_true "a pings b" host_exec a bash -c "ping -q -c 1 -W 5 $(host_ip b) >/dev/null"
  expect_true "b pings a" host_exec b bash -c "ping -q -c 1 -W 5 $(host_ip a) >/dev/null"
else
  skip "ping is not installed (iputils-ping)"
fi
# The same over TCP: b listens (python3), a connects (bash's /dev/tcp).
host_start b "$TEST_DIR/nc.log" python3 -c '
import socket
s = socket.socket(); s.bind(("10.213.0.2", 7000)); s.listen(1)
c, _ = s.accept(); c.sendall(b"hello from " + socket.gethostname().encode())'
listener=$HOST_PID
for ((i = 0; i < 100; i++)); do
  got=$(host_exec a bash -c 'exec 3<>/dev/tcp/10.213.0.2/7000 && cat <&3' 2>/dev/null) && break
  sleep 0.05
done
expect_eq "$got" "hello from b" "a opens a TCP connection to b (and b's hostname is b)"
host_stop "$listener"
expect_eq "$(ip -o addr show | grep -c '10\.213\.')" "0" "the root namespace has no 10.213 address"
expect_eq "$(ip -o link show | grep -c 'br0')" "0" "the bridge is not in the root namespace"
expect_eq "$(host_exec a ip -o -4 addr show dev eth0 | awk '{print $4}')" "10.213.0.1/24" \
  "host a's eth0 has its address"

log "--- filesystems"
host_exec a bash -c 'echo mine >"$HOME/file-a" && echo tmp >/tmp/tmp-a' ||
  fail "host a writes to its own directory"
expect_eq "$(cat "$(host_dir a)/file-a")" "mine" "the test sees what host a wrote in its directory"
expect_true "host b cannot see host a's directory" \
  host_exec b bash -c "! test -e '$(host_dir a)'"
expect_eq "$(host_exec b bash -c "cd '$TEST_DIR' && echo * hosts/*")" "hosts hosts/b" \
  "host b sees nothing of the test's directory but its own directory"
mkdir -p "$TEST_DIR/server-home" && echo secret >"$TEST_DIR/server-home/token"
expect_true "host a cannot see a server's GANTRY_HOME beside the hosts" \
  host_exec a bash -c "! test -e '$TEST_DIR/server-home/token'"
expect_true "host b has a /tmp of its own" host_exec b bash -c '! test -e /tmp/tmp-a'
expect_eq "$(host_exec a hostname)" "a" "host a's hostname is a"

log "--- processes by PID"
host_start a "$TEST_DIR/sleep.log" sleep 1000
p=$HOST_PID
expect_true "the process runs in host a's network namespace" \
  bash -c "ip netns pids $(host_ns a) | grep -qx $p"
host_stop "$p"
expect_true "host_stop ended it" bash -c "! kill -0 $p 2>/dev/null"

log "--- cleanup after a failure"
info="$TEST_DIR/child.info"
bash "$0" --child "$info" fail >"$TEST_DIR/child.log" 2>&1
expect_eq "$?" "1" "the child run failed"
prefix=$(sed -n 1p "$info")
expect_eq "$(ip netns list | grep -c "^$prefix-")" "0" "a failed run leaves no namespace behind"
for h in $(sed -n 2p "$info"); do
  expect_true "its holder $h is gone" bash -c "! kill -0 $h 2>/dev/null"
done

log "--- cleanup after SIGKILL"
rm -f "$info"
bash "$0" --child "$info" hang >"$TEST_DIR/child2.log" 2>&1 &
child=$!
for ((i = 0; i < 400; i++)); do [[ -s "$info" ]] && break; sleep 0.05; done
prefix=$(sed -n 1p "$info")
[[ -n "$prefix" ]] || fail "the hanging child did not make its hosts: $(cat "$TEST_DIR/child2.log")"
kill -KILL "$child"
{ wait "$child"; } 2>/dev/null
for h in $(sed -n 2p "$info"); do
  for ((i = 0; i < 100; i++)); do kill -0 "$h" 2>/dev/null || break; sleep 0.05; done
  expect_true "holder $h died with the SIGKILLed run" bash -c "! kill -0 $h 2>/dev/null"
done
rm -rf "$(sed -n 3p "$info")"  # its TEST_DIR: its own trap never ran
expect_eq "$(ip netns list | grep -c "^$prefix-")" "3" "its namespaces are still named"
_hosts_sweep_stale
expect_eq "$(ip netns list | grep -c "^$prefix-")" "0" "the next run's hosts_init removes them"

log "--- this run's own cleanup"
mine=$HOSTS_PREFIX
hosts_cleanup
expect_eq "$(ip netns list | grep -c "^$mine-")" "0" "hosts_cleanup removes every namespace"
finish
