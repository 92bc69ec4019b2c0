#!/usr/bin/env bash
# A campaign in one allocation, for machines that limit job arrays: GNU parallel runs the
# shards JOBS at a time, then the shards are merged (docs/cluster.md).
#
#   sbatch -N1 -c 32 --wrap 'ENTRY=theorem2-soft CASES=1000000 SHARDS=64 OUT=$PWD/run scripts/cluster/parallel.sh'
#
# Each job reads its shard from GNU parallel (`--shard auto/SHARDS`: PARALLEL_SEQ is 1, 2, …)
# and keeps a checkpoint, so running the script again after an interruption resumes every
# shard where it stopped. JOBS defaults to the allocation's CPUs (SLURM_CPUS_ON_NODE), else
# all the machine's; each mlcsc process uses RAYON_NUM_THREADS threads (default 1 here).
set -euo pipefail
: "${ENTRY:?set ENTRY}" "${CASES:?set CASES}" "${SHARDS:?set SHARDS}" "${OUT:?set OUT}"
MLCSC=${MLCSC:-mlcsc}
JOBS=${JOBS:-${SLURM_CPUS_ON_NODE:-$(nproc)}}
export RAYON_NUM_THREADS=${RAYON_NUM_THREADS:-1}
mkdir -p "$OUT/shards" "$OUT/checkpoints"
# Exit codes 1 (a counterexample) and 3 (undecided) are results kept in the report.
seq 1 "$SHARDS" | parallel --halt now,fail=1 -j "$JOBS" \
    "$MLCSC" campaign "$ENTRY" --cases "$CASES" --seed "${SEED:-2017}" \
    --arithmetic "${ARITHMETIC:-exact}" --shard "auto/$SHARDS" --save 0 \
    --checkpoint "$OUT/checkpoints/shard-{}.jsonl" \
    --report "$OUT/shards/shard-{}.json" --overwrite '>/dev/null;' \
    's=$?; [ $s -eq 0 ] || [ $s -eq 1 ] || [ $s -eq 3 ]'
"$MLCSC" merge "$OUT/shards" --recheck "${RECHECK:-sample}" --report "$OUT/merged.json" --overwrite
