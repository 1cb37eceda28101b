# shellcheck shell=bash
# Sourced by the SLURM benchmarks (bench/slurm/, bench/pilots/) and tests (tests/integration/
# slurm/): brings up a private single-node SLURM (Debian's slurm-wlm
# and munge) on localhost, everything in one temp dir, and takes it down by PID.
#   slurm_up [CPUS]   installs the packages if missing, starts munged, slurmctld and slurmd,
#                     waits until the node is idle; exports SLURM_CONF and SLURM_BENCH_DIR.
#   slurm_down        cancels what is left, kills the three daemons by their recorded PIDs,
#                     removes the temp dir. Safe to call twice; callers trap it on EXIT.
# SLURM_BENCH_KEEP=1 keeps the temp dir (logs, state) for a look afterwards. Progress goes to
# stderr. Needs root: apt-get, and slurmd runs jobs as the submitting user.

slurm_log() { echo "slurm: $*" >&2; }

slurm_install() {
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null &&
    return 0
  slurm_log "installing slurm-wlm and munge with apt-get"
  apt-get update -q >&2 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge >&2
}

slurm_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits up to $1 tenths of a second for the command in $2... to succeed.
slurm_wait_for() {
  local tenths=$1
  shift
  for _ in $(seq "$tenths"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}

slurm_gone() { ! kill -0 "$1"; }

slurm_queue_empty() { [ -z "$(squeue -h)" ]; }

slurm_node_idle() { [ "$(sinfo -h -N -o %t 2>/dev/null)" = idle ]; }

slurm_write_conf() {  # $1 = CPUs to advertise
  local d=$SLURM_BENCH_DIR
  # Settings from SLURM's high-throughput guide (https://slurm.schedmd.com/high_throughput.html):
  # builtin FIFO scheduler that runs on every event, no batch delay, deep queue scan. No
  # accounting, cgroups or affinity: linuxproc tracking and task/none work in a container.
  # sched/builtin logs "Invalid SchedulerParameters interval: 0": it finds its own "interval="
  # inside "sched_min_interval=0" and falls back to its default; harmless.
  cat >"$d/slurm.conf" <<EOF
ClusterName=gantrybench
SlurmctldHost=localhost
SlurmctldPort=$(slurm_free_port)
SlurmdPort=$(slurm_free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$d/munge.socket
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,default_queue_depth=1000
MaxJobCount=1000000
MaxArraySize=1000001
SlurmdParameters=config_overrides
NodeName=$(hostname -s) NodeAddr=127.0.0.1 CPUs=$1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

slurm_up() {
  local cpus=${1:-64}
  slurm_install || { slurm_log "apt-get install slurm-wlm munge failed"; return 1; }
  SLURM_BENCH_DIR=$(mktemp -d /tmp/slurm-bench.XXXXXX)
  export SLURM_BENCH_DIR
  local d=$SLURM_BENCH_DIR
  chmod 0755 "$d"  # munged wants its socket's directory searchable by all
  mkdir -p "$d/state" "$d/spool" "$d/jobs"

  dd if=/dev/urandom of="$d/munge.key" bs=1024 count=1 status=none
  chmod 0400 "$d/munge.key"
  # --force: munged refuses to run as root without it.
  munged -F --force --socket="$d/munge.socket" --key-file="$d/munge.key" \
    --pid-file="$d/munged.pid" --log-file="$d/munged.log" --seed-file="$d/munged.seed" \
    </dev/null >"$d/munged.out" 2>&1 &
  SLURM_MUNGED_PID=$!
  slurm_wait_for 100 test -S "$d/munge.socket" ||
    { slurm_log "munged did not start: $(tail -3 "$d/munged.out" "$d/munged.log" 2>/dev/null)"; return 1; }
  slurm_log "munged up (pid $SLURM_MUNGED_PID)"

  slurm_write_conf "$cpus"
  export SLURM_CONF=$d/slurm.conf
  # -D: stay in the foreground so $! is the daemon's PID; -i: ignore state from earlier runs.
  slurmctld -D -i </dev/null >"$d/slurmctld.out" 2>&1 &
  SLURM_CTLD_PID=$!
  slurm_wait_for 200 scontrol ping ||
    { slurm_log "slurmctld did not answer: $(tail -5 "$d/slurmctld.log" "$d/slurmctld.out")"; return 1; }
  slurm_log "slurmctld up (pid $SLURM_CTLD_PID)"
  slurmd -D </dev/null >"$d/slurmd.out" 2>&1 &
  SLURM_SLURMD_PID=$!
  slurm_wait_for 300 slurm_node_idle ||
    { slurm_log "node not idle: $(sinfo -N 2>&1; tail -5 "$d/slurmd.log" "$d/slurmd.out")"; return 1; }
  slurm_log "slurmd up (pid $SLURM_SLURMD_PID), node $(hostname -s) idle with $cpus CPUs"
}

slurm_down() {
  [ -n "${SLURM_BENCH_DIR:-}" ] || return 0
  if [ -n "${SLURM_CTLD_PID:-}" ] && kill -0 "$SLURM_CTLD_PID" 2>/dev/null; then
    # Jobs still running would leave slurmstepd processes behind once slurmd is gone.
    scancel --quiet --user="$(id -un)" 2>/dev/null &&
      slurm_wait_for 100 slurm_queue_empty
  fi
  local pid
  for pid in ${SLURM_SLURMD_PID:-} ${SLURM_CTLD_PID:-} ${SLURM_MUNGED_PID:-}; do
    kill "$pid" 2>/dev/null || continue
    slurm_wait_for 100 slurm_gone "$pid" || kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "${SLURM_BENCH_KEEP:-}" ]; then
    slurm_log "down; logs kept in $SLURM_BENCH_DIR"
  else
    rm -rf "$SLURM_BENCH_DIR"
    slurm_log "down"
  fi
  SLURM_BENCH_DIR='' SLURM_SLURMD_PID='' SLURM_CTLD_PID='' SLURM_MUNGED_PID=''
}
