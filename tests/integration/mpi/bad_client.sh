#!/bin/bash
# A PMI client that breaks the protocol, for the launcher's failure tests. Rank 0 misbehaves
# as $1 says; rank 1 initializes and sleeps (so no barrier can complete), the other ranks
# initialize and wait in a barrier. All of them must be killed.
#   garbage      sends a line that is not PMI
#   longline     sends a put of 5000 bytes without a newline limit
#   disconnect   enters the barrier, then closes its PMI connection
#   spawn        sends PMI-1's spawn request (MPI_Comm_spawn of a PMI-1 MPI library)
set -u
pmi() { echo "$1" >&"$PMI_FD"; }
reply() { read -r -u "$PMI_FD" line; }
if [[ $PMI_RANK != 0 ]]; then
  pmi "cmd=init pmi_version=1 pmi_subversion=1"; reply
  [[ $PMI_RANK != 1 ]] && { pmi "cmd=barrier_in"; reply; }
  sleep 60
  exit 0
fi
case $1 in
  garbage) pmi "hello, this is not PMI" ;;
  longline) printf 'cmd=put kvsname=x key=k value=%s\n' "$(head -c 5000 /dev/zero | tr '\0' a)" >&"$PMI_FD" ;;
  disconnect)
    pmi "cmd=init pmi_version=1 pmi_subversion=1"; reply
    pmi "cmd=barrier_in"
    eval "exec $PMI_FD>&-" ;;
  spawn)
    pmi "cmd=init pmi_version=1 pmi_subversion=1"; reply
    printf 'mcmd=spawn\nnprocs=1\nexecname=/bin/true\ntotspawns=1\nspawnssofar=1\nargcnt=0\npreput_num=0\ninfo_num=0\nendcmd\n' >&"$PMI_FD" ;;
esac
sleep 60
