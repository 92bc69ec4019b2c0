#!/usr/bin/env bash
# The cluster recipes on a real Slurm: a one-node cluster in a temporary folder (munged,
# slurmctld and slurmd started here as this script's own processes), a campaign submitted
# with submit.sh as a job array of SHARDS shards plus the merge chained with afterok, and the
# merged report compared with the unsharded run of the same campaign.
#
# Compared: every line of the two reports but the top-level "seconds" (format, entry,
# settings, statistics, and the records in case order), byte for byte. "seconds" is the
# time the run took (the merge sums its shards'), which no two runs share.
#
# Needs Debian's slurmctld, slurmd, slurm-client and munge; installs them when absent
# (root, or sudo without a password, and apt-get). When they cannot be installed the test
# prints a loud SKIPPED line and exits 0, or exits 1 when MLCSC_REQUIRE_SLURM=1. Any other
# failure exits nonzero. The daemons it started are stopped by process id on every exit.
#
#   scripts/cluster/slurm_test.sh            (MLCSC=path/to/mlcsc; default target/release)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
ENTRY=${ENTRY:-theorem2-soft}
CASES=${CASES:-2000}
SHARDS=${SHARDS:-4}
TIMEOUT=${TIMEOUT:-300}
packages=(slurmctld slurmd slurm-client munge)

say() { echo "slurm_test: $*"; }
fail() {
    echo "slurm_test: FAILED: $*" >&2
    exit 1
}
skip() {
    local banner="SKIPPED: the Slurm test did not run: $*"
    if [[ ${MLCSC_REQUIRE_SLURM:-0} == 1 ]]; then
        fail "$banner (MLCSC_REQUIRE_SLURM=1)"
    fi
    printf '\n%s\n%s\n%s\n\n' "########" "$banner" "########"
    printf '%s\n' "$banner" >&2
    exit 0
}

have_packages() {
    command -v slurmctld && command -v slurmd && command -v sbatch && command -v munged
} >/dev/null

install_packages() {
    have_packages && return 0
    local as_root=()
    if [[ $(id -u) != 0 ]]; then
        sudo -n true 2>/dev/null || skip "${packages[*]} are not installed, and installing them needs root (no password-less sudo)"
        as_root=(sudo -n)
    fi
    command -v apt-get >/dev/null || skip "${packages[*]} are not installed, and there is no apt-get"
    say "installing ${packages[*]}"
    local install=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q
        --no-install-recommends "${packages[@]}")
    if ! "${install[@]}" >"$work/apt.log" 2>&1; then
        "${as_root[@]}" apt-get update -q >>"$work/apt.log" 2>&1 || true
        "${install[@]}" >>"$work/apt.log" 2>&1 ||
            skip "apt-get could not install ${packages[*]} (no package registry?): $(tail -n 1 "$work/apt.log")"
    fi
    have_packages || fail "apt-get installed ${packages[*]} but the daemons are not on PATH"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/mlcsc-slurm.XXXXXX")
pids=()
jobs_submitted=()
whole=""
stop_everything() {
    local status=$?
    set +e
    if ((${#jobs_submitted[@]})); then
        scancel "${jobs_submitted[@]}" 2>/dev/null
        for _ in $(seq 20); do
            [[ -z $(squeue -h -j "$(IFS=,; echo "${jobs_submitted[*]}")" 2>/dev/null) ]] && break
            sleep 0.5
        done
    fi
    [[ -n ${whole:-} ]] && kill "$whole" 2>/dev/null && wait "$whole" 2>/dev/null
    local k
    for ((k = ${#pids[@]} - 1; k >= 0; k--)); do
        kill "${pids[k]}" 2>/dev/null
    done
    for ((k = ${#pids[@]} - 1; k >= 0; k--)); do
        wait "${pids[k]}" 2>/dev/null
    done
    if ((status != 0)); then
        for log in "$work"/*.log "$work"/run/logs/*.out; do
            [[ -f $log ]] && { echo "---- $log"; tail -n 20 "$log"; } >&2
        done
    fi
    rm -rf "$work"
    exit "$status"
}
trap stop_everything EXIT
trap 'exit 130' INT TERM

install_packages

MLCSC=${MLCSC:-$repo/target/release/mlcsc}
if [[ ! -x $MLCSC ]]; then
    say "building mlcsc"
    (cd "$repo" && cargo build --release --locked -q)
fi
export MLCSC

# A free TCP port (the kernel's choice), for each daemon.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
        echo $((20000 + RANDOM % 20000))
}

write_config() {
    local node cpus
    node=$(hostname -s)
    cpus=$(nproc)
    mkdir -p "$work/state" "$work/spool"
    cat >"$work/slurm.conf" <<CONF
ClusterName=mlcsctest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
AuthType=auth/munge
AuthInfo=socket=$work/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=600
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF=$work/slurm.conf
}

start_daemons() {
    dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
    chmod 600 "$work/munge.key"
    munged --foreground --force --key-file="$work/munge.key" --socket="$work/munge.socket" \
        --pid-file="$work/munged.pid" --log-file="$work/munged.log" \
        --seed-file="$work/munged.seed" >"$work/munged.out" 2>&1 &
    pids+=($!)
    for _ in $(seq 50); do [[ -S $work/munge.socket ]] && break; sleep 0.1; done
    [[ -S $work/munge.socket ]] || fail "munged did not open its socket"
    slurmctld -D -i -f "$work/slurm.conf" >"$work/slurmctld.out" 2>&1 &
    pids+=($!)
    slurmd -D -f "$work/slurm.conf" -N "$(hostname -s)" >"$work/slurmd.out" 2>&1 &
    pids+=($!)
    for _ in $(seq 60); do
        sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && return 0
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null || fail "a daemon (pid $pid) stopped while starting"
        done
        sleep 0.5
    done
    fail "the node did not become idle in 30 s: $(sinfo -h 2>&1 | head -n 3)"
}

# Waits until the merge job leaves the queue; it must have completed.
wait_for() {
    local job=$1 deadline=$((SECONDS + TIMEOUT)) state=""
    while ((SECONDS < deadline)); do
        state=$(scontrol show job "$job" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2)
        case $state in
            COMPLETED) return 0 ;;
            FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE)
                fail "job $job ended $state" ;;
        esac
        sleep 1
    done
    fail "job $job not done after $TIMEOUT s (state ${state:-unknown})"
}

started=$SECONDS
write_config
start_daemons
say "one-node Slurm up in $((SECONDS - started)) s ($(sinfo -h -o '%N %c CPUs'))"
run=$work/run
ENTRY=$ENTRY CASES=$CASES SHARDS=$SHARDS OUT=$run \
    "$repo/scripts/cluster/submit.sh" --chdir="$work" >"$work/submit.out" 2>&1 ||
    fail "submit.sh failed: $(cat "$work/submit.out")"
read -r array merge <"$run/jobs"
[[ -n $array && -n $merge ]] || fail "submit.sh gave no job ids"
jobs_submitted=("$array" "$merge")
say "submitted array job $array ($SHARDS shards of $CASES cases) and merge job $merge"
# The unsharded run, meanwhile (exit 1, a counterexample, and 3, undecided, are results); in
# the background, so that a signal stops the test at once.
"$MLCSC" campaign "$ENTRY" --cases "$CASES" --save 0 --report "$work/whole.json" >/dev/null &
whole=$!
wait "$whole" ||
    { status=$?; [[ $status == 1 || $status == 3 ]] || fail "the unsharded run exited $status"; }
whole=""
wait_for "$merge"
for task in $(seq 1 "$SHARDS"); do
    [[ -f $run/shards/shard-$task.json ]] || fail "shard $task/$SHARDS wrote no report"
done
without_seconds() { grep -v '^  "seconds": ' "$1"; }
if ! diff <(without_seconds "$work/whole.json") <(without_seconds "$run/merged.json") >"$work/diff.log"; then
    fail "the merged report differs from the unsharded run: $(head -n 20 "$work/diff.log")"
fi
say "PASSED: $SHARDS Slurm array tasks merged by an afterok job equal the unsharded run ($CASES cases, statistics and records), in $((SECONDS - started)) s"
