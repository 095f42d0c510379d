#!/usr/bin/env bash
# A single-node SLURM cluster on localhost, for the tests and for trying `tollway sweep --backend slurm`.
#   scripts/slurm.sh up     install (Debian: slurmctld slurmd slurm-client munge) if missing, start munged,
#                           slurmctld and slurmd; does nothing when the cluster it started is already up
#   scripts/slurm.sh down   stop the daemons this script started (by their recorded PIDs), nothing else
#   scripts/slurm.sh env    print the export line clients need (SLURM_CONF)
# State, config and logs live in $TOLLWAY_SLURM_DIR (default /tmp/tollway-slurm). Needs root.
set -euo pipefail
D=${TOLLWAY_SLURM_DIR:-/tmp/tollway-slurm}
export SLURM_CONF=$D/slurm.conf

alive() { [ -f "$D/$1.bgpid" ] && kill -0 "$(cat "$D/$1.bgpid")" 2>/dev/null && [ "$(ps -o stat= -p "$(cat "$D/$1.bgpid")" | cut -c1)" != Z ]; }

up() {
  if alive munged && alive slurmctld && alive slurmd; then
    echo "slurm: already up (SLURM_CONF=$SLURM_CONF)"; return 0
  fi
  down quiet
  if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
  fi
  mkdir -p "$D/state" "$D/spool"
  if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null
    chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  local host ncpu
  host=$(hostname -s); ncpu=$(nproc)
  cat > "$SLURM_CONF" <<CONF
ClusterName=tollway
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/builtin
MinJobAge=60
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$ncpu State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  if [ ! -S /run/munge/munge.socket.2 ] || ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F > "$D/munged.out" 2>&1 & echo $! > "$D/munged.bgpid"
    for _ in $(seq 50); do [ -S /run/munge/munge.socket.2 ] && break; sleep 0.1; done
  fi
  munge -n </dev/null | unmunge > /dev/null
  /usr/sbin/slurmctld -D -i > "$D/slurmctld.out" 2>&1 & echo $! > "$D/slurmctld.bgpid"
  /usr/sbin/slurmd -D > "$D/slurmd.out" 2>&1 & echo $! > "$D/slurmd.bgpid"
  for _ in $(seq 150); do sinfo -h -o %T 2>/dev/null | grep -qx idle && break; sleep 0.2; done
  sinfo -h -o %T | grep -qx idle || { echo "slurm: the node did not become idle; see $D/*.log" >&2; exit 1; }
  echo "slurm: up (SLURM_CONF=$SLURM_CONF)"
}

down() {
  for p in slurmd slurmctld munged; do
    f=$D/$p.bgpid; [ -f "$f" ] || continue
    pid=$(cat "$f")
    if kill "$pid" 2>/dev/null; then [ "${1:-}" = quiet ] || echo "slurm: stopped $p ($pid)"; fi
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; [ "$(ps -o stat= -p "$pid" | cut -c1)" = Z ] && break; sleep 0.1; done
    rm -f "$f"
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env) echo "export SLURM_CONF=$SLURM_CONF" ;;
  *) echo "usage: scripts/slurm.sh up|down|env" >&2; exit 2 ;;
esac
