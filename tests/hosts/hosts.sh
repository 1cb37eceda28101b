# Test hosts on one machine (sourced after tests/integration/core/lib.sh; see README.md).
#
# hosts_init                  the bridge namespace; cleanup on exit (also after a failure)
# host_add NAME               a host: its own network namespace (eth0, 10.213.0.N/24, on the
#                             bridge), its own mount namespace (private /tmp, /dev/shm, the
#                             harness directory hidden but for its own directory), hostname NAME
# host_exec NAME CMD...       run CMD on host NAME (in its directory $HOST_DIR, foreground)
# host_start NAME LOG CMD...  start CMD on NAME in the background; its PID in $HOST_PID
# host_stop PID               stop a process started with host_start (TERM, bounded, KILL)
# host_ip NAME / host_dir NAME / host_ns NAME
#
# Everything is created by this shell and found again by the names and PIDs it recorded:
# namespaces are named gth<PID of this shell>-<name>, addresses exist only inside them, and
# nothing is sent outside them. Root only (netns, mounts): hosts_init skips the test else.

HOSTS_PREFIX="gth$$"
HOSTS_NET=${HOSTS_NET:-10.213.0}
HOSTS_NAMES=()       # hosts in the order added (their address is 10.213.0.<index+1>)
HOSTS_HOLDERS=()     # PID of each host's namespace holder (same order)
HOSTS_PIDS=()        # processes started with host_start
HOSTS_ROOT=""        # $TEST_DIR/hosts: hosts/<name> is each host's own directory

host_ns() { echo "$HOSTS_PREFIX-$1"; }
host_dir() { echo "$HOSTS_ROOT/$1"; }

_host_index() {
  local i
  for i in "${!HOSTS_NAMES[@]}"; do
    [[ "${HOSTS_NAMES[$i]}" == "$1" ]] && { echo "$i"; return 0; }
  done
  return 1
}

host_ip() {
  local i
  i=$(_host_index "$1") || return 1
  echo "$HOSTS_NET.$((i + 1))"
}

# Namespaces left by an earlier run that was SIGKILLed (ctest's timeout): their names carry
# the PID of the shell that made them; when that process is gone, so is whoever would have
# removed them. Only names of this harness's form are touched.
_hosts_sweep_stale() {
  local ns pid p
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^gth[0-9]+-'); do
    pid=${ns#gth}
    pid=${pid%%-*}
    [[ -d /proc/$pid ]] && continue
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
}

hosts_cleanup() {
  local p n
  for p in "${HOSTS_PIDS[@]}"; do host_stop "$p"; done
  HOSTS_PIDS=()
  for p in "${HOSTS_HOLDERS[@]}"; do
    kill -KILL "$p" 2>/dev/null
    { wait "$p"; } 2>/dev/null
  done
  HOSTS_HOLDERS=()
  # Whatever a job left in a host (a daemonised child): it dies with its namespace's name.
  for n in "${HOSTS_NAMES[@]}" net; do
    for p in $(ip netns pids "$(host_ns "$n")" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    ip netns del "$(host_ns "$n")" 2>/dev/null
  done
  HOSTS_NAMES=()
}

hosts_init() {
  [[ $(id -u) == 0 ]] || skip_test "needs root for network and mount namespaces"
  command -v ip >/dev/null || skip_test "needs ip (iproute2)"
  command -v nsenter >/dev/null && command -v unshare >/dev/null ||
    skip_test "needs nsenter and unshare (util-linux)"
  [[ -n "$TEST_DIR" ]] || make_test_dir
  HOSTS_ROOT="$TEST_DIR/hosts"
  mkdir -p "$HOSTS_ROOT"
  chmod 0755 "$HOSTS_ROOT"
  _hosts_sweep_stale
  # lib.sh's trap stops its own processes and removes TEST_DIR: ours runs first. A signal
  # (ctest, Ctrl-C) becomes an exit, so the trap runs then too.
  trap '_hosts_rc=$?; hosts_cleanup; (exit $_hosts_rc); _cleanup' EXIT
  trap 'exit 143' TERM INT HUP
  ip netns add "$(host_ns net)" || fail "ip netns add $(host_ns net)"
  ip -n "$(host_ns net)" link set lo up
  ip -n "$(host_ns net)" link add br0 type bridge || fail "no bridge in $(host_ns net)"
  ip -n "$(host_ns net)" link set br0 up
}

# The software every host runs, as a cluster's shared /usr or /cvmfs: the build tree that holds
# $GANTRY_BIN (gantry-full, the PMI and spawn-guard libraries beside it), bound read-only at
# its own path. A checkout under /tmp (a CI clone) would otherwise vanish under a host's
# private /tmp.
_hosts_software() {
  local bin=${GANTRY_BIN:-}
  [[ -n "$bin" ]] || return 0
  bin=$(cd "$(dirname "$bin")" && pwd)
  if [[ "$bin" == */apps/gantry ]]; then echo "${bin%/apps/gantry}"; else echo "$bin"; fi
}

# The holder of a host's mount namespace: after the mounts it reports on fd 4 and sleeps.
# It dies with the test shell (pdeathsig) even when that is SIGKILLed.
_HOST_SETUP='
set -e
own=$1 root=$2 name=$3 bin=$4
exec 3<"$own"
if [[ -d "$bin" ]]; then exec 5<"$bin"; else bin=""; fi
mount --make-rprivate /
mount -t tmpfs -o mode=1777 "tmp-$name" /tmp
mount -t tmpfs -o mode=1777 "shm-$name" /dev/shm
if [[ -e "$root" ]]; then mount -t tmpfs -o mode=0755 "hide-$name" "$root"; fi
mkdir -p "$own"
mount --no-canonicalize --bind /proc/self/fd/3 "$own"
exec 3<&-
if [[ -n "$bin" ]]; then
  mkdir -p "$bin"
  mount --no-canonicalize --bind /proc/self/fd/5 "$bin"
  mount -o remount,bind,ro "$bin"
  exec 5<&-
fi
hostname "$name"
echo ready >&4
exec 4>&-
exec setpriv --pdeathsig KILL sleep infinity
'

host_add() {
  local name=$1 ns i dir ready
  ns=$(host_ns "$name")
  i=${#HOSTS_NAMES[@]}
  ((i < 250)) || fail "at most 250 hosts"
  dir=$(host_dir "$name")
  mkdir -p "$dir"
  chmod 0755 "$dir"
  ip netns add "$ns" || fail "ip netns add $ns"
  HOSTS_NAMES+=("$name")
  ip -n "$(host_ns net)" link add "v$i" type veth peer name eth0 netns "$ns" ||
    fail "veth pair for $name"
  ip -n "$(host_ns net)" link set "v$i" master br0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$HOSTS_NET.$((i + 1))/24" dev eth0
  ip -n "$ns" link set eth0 up
  ready="$TEST_DIR/.ready-$name"
  rm -f "$ready"
  ip netns exec "$ns" unshare --mount --uts --propagation private \
    bash -c "$_HOST_SETUP" _ "$dir" "$HOSTS_ROOT" "$name" "$(_hosts_software)" 4>"$ready" &
  HOSTS_HOLDERS+=($!)
  local k
  for ((k = 0; k < 200; k++)); do
    [[ -s "$ready" ]] && break
    kill -0 "$!" 2>/dev/null || fail "the namespace holder of host $name exited"
    sleep 0.05
  done
  [[ -s "$ready" ]] || fail "host $name was not ready within 10 s"
  rm -f "$ready"
}

_host_holder() {
  local i
  i=$(_host_index "$1") || fail "no host named $1"
  echo "${HOSTS_HOLDERS[$i]}"
}

# Runs in the host's namespaces: cd to the host's directory (or $HOST_CWD), HOME there too.
_HOST_ENTER='cd "$1" && shift && export HOME="$HOST_DIR" && exec "$@"'

host_exec() {
  local name=$1 holder dir
  shift
  holder=$(_host_holder "$name")
  dir=$(host_dir "$name")
  HOST_DIR="$dir" nsenter --target "$holder" --net --mount --uts -- \
    bash -c "$_HOST_ENTER" _ "${HOST_CWD:-$dir}" "$@"
}

host_start() {
  local name=$1 logf=$2 holder dir
  shift 2
  holder=$(_host_holder "$name")
  dir=$(host_dir "$name")
  HOST_DIR="$dir" nsenter --target "$holder" --net --mount --uts -- \
    setpriv --pdeathsig TERM bash -c "$_HOST_ENTER" _ "${HOST_CWD:-$dir}" "$@" \
    >"$logf" 2>&1 &
  HOST_PID=$!
  HOSTS_PIDS+=("$HOST_PID")
}

host_stop() {
  local p keep=()
  stop_pid "$1"
  for p in "${HOSTS_PIDS[@]}"; do [[ "$p" == "$1" ]] || keep+=("$p"); done
  HOSTS_PIDS=("${keep[@]}")
}

# --- Gantry on the hosts ---------------------------------------------------------------
# gantry_server_on HOST: a CA and a certificate for HOST's address (in its directory: certs/),
# then `gantry server --listen IP:0` with TLS, GANTRY_HOME $(host_dir HOST)/home. Sets SRV
# (the host), SRV_HOME, SRV_URL (https://IP:PORT), SRV_PID and SRV_CA (the CA's PEM).
gantry_server_on() {
  local host=$1 dir ip i
  dir=$(host_dir "$host")
  ip=$(host_ip "$host")
  SRV=$host
  SRV_HOME="$dir/home"
  SRV_CA="$dir/certs/ca.pem"
  mkdir -p "$dir/certs" "$SRV_HOME"
  (
    cd "$dir/certs" || exit 1
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
      -subj /CN=gantry-hosts-ca -keyout ca.key -out ca.pem || exit 1
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$host" \
      -keyout server.key -out server.csr || exit 1
    printf 'subjectAltName=IP:%s\n' "$ip" >ext.cnf
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
      -extfile ext.cnf -out server.pem || exit 1
  ) >"$TEST_DIR/openssl.log" 2>&1 || fail "openssl: $(cat "$TEST_DIR/openssl.log")"
  host_start "$host" "$TEST_DIR/server.log" "$GANTRY_BIN" server --home "$SRV_HOME" \
    --listen "$ip:0" --tls-cert "$dir/certs/server.pem" --tls-key "$dir/certs/server.key"
  SRV_PID=$HOST_PID
  for ((i = 0; i < 300; i++)); do [[ -s "$SRV_HOME/server.json" ]] && break; sleep 0.05; done
  SRV_URL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' \
    "$SRV_HOME/server.json") || fail "no server.json: $(cat "$TEST_DIR/server.log")"
  [[ "$SRV_URL" == "https://$ip:"* ]] || fail "the server serves '$SRV_URL', not https://$ip:..."
}

# on_srv CMD...: a command of the server's user on the server's host, in $SRV_CWD (default
# $(host_dir SRV)/work, made here), with GANTRY_HOME set: the submit host.
on_srv() {
  local cwd=${SRV_CWD:-$(host_dir "$SRV")/work}
  mkdir -p "$cwd"
  HOST_CWD="$cwd" host_exec "$SRV" env GANTRY_HOME="$SRV_HOME" "$@"
}

# gantry_agent_on HOST [AGENT ARGS...]: a credential of its own (gantry token issue --subject
# agent-HOST, on the server's host) and the CA copied to HOST, then `gantry agent` named HOST
# there (--cores 1 unless given). Its PID in $HOST_PID, its log in $TEST_DIR/agent-HOST.log.
gantry_agent_on() {
  local host=$1 dir
  shift
  dir=$(host_dir "$host")
  cp "$SRV_CA" "$dir/ca.pem"
  on_srv "$GANTRY_BIN" token issue --subject "agent-$host" --scope gantry.agent --lifetime 1h \
    >"$dir/agent.token" || fail "token issue for $host"
  local cores=(--cores 1)
  [[ " $* " == *" --cores "* ]] && cores=()
  host_start "$host" "$TEST_DIR/agent-$host.log" "$GANTRY_BIN" agent --server "$SRV_URL" \
    --token-file "$dir/agent.token" --ca-file "$dir/ca.pem" --name "$host" "${cores[@]}" \
    --home "$dir/agent" --kill-grace 1 "$@"
}

# wait_agents "n1@n1 n2@n2": until `gantry agents` lists exactly these live name@hostname.
wait_agents() {
  local want=$1 got="" i
  for ((i = 0; i < 300; i++)); do
    got=$(on_srv "$GANTRY_BIN" agents --json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin); rows = d["agents"] if isinstance(d, dict) else d
print(" ".join(sorted(r["name"] + "@" + r["hostname"] for r in rows if r["state"] != "lost")))')
    [[ "$got" == "$want" ]] && return 0
    sleep 0.1
  done
  fail "agents: expected '$want', got '$got'"
}
