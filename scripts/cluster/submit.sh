#!/usr/bin/env bash
# Submits a campaign as a Slurm job array of SHARDS tasks and its merge, chained with
# --dependency=afterok (docs/cluster.md). Prints the two job ids.
#
#   ENTRY=theorem2-soft CASES=1000000 SHARDS=100 OUT=$PWD/run scripts/cluster/submit.sh [SBATCH OPTIONS…]
#
# SBATCH OPTIONS (a partition, a time limit, an account, …) go to both jobs. MAX_RUNNING
# limits how many tasks run at once (--array=1-SHARDS%MAX_RUNNING).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${ENTRY:?set ENTRY}" "${CASES:?set CASES}" "${SHARDS:?set SHARDS}" "${OUT:?set OUT}"
export ENTRY CASES OUT
mkdir -p "$OUT/logs"
range="1-$SHARDS${MAX_RUNNING:+%$MAX_RUNNING}"
array=$(sbatch --parsable --array="$range" --output="$OUT/logs/shard-%a.out" "$@" \
    "$here/campaign-array.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
    --output="$OUT/logs/merge.out" "$@" "$here/merge.sbatch")
merge=${merge%%;*}
echo "array job $array ($SHARDS shards), merge job $merge"
echo "$array $merge" >"$OUT/jobs"
