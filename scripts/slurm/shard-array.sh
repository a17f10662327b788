#!/usr/bin/env bash
# One shard of a run or sweep per task of a Slurm job array (README.md, "Shards and Slurm").
#
#   sbatch --array=0-7 scripts/slurm/shard-array.sh sweep scenarios/sweeps/siting.toml results/runs/siting
#   sbatch --array=0-7 scripts/slurm/shard-array.sh run scenarios/saturation-raid.toml results/runs/raid --samples 10000000
#
# Task k of K (k counted from the array's first index, K = SLURM_ARRAY_TASK_COUNT) runs
# `interceptmc CMD FILE --shard k/K --out ROOT/shard-k-of-K` with the remaining arguments; a
# requeued sweep task resumes its shard (--resume) instead of starting again. scripts/slurm/merge.sh
# (or `interceptmc merge`) then adds the K shards up. INTERCEPTMC names the binary (default:
# interceptmc on the PATH).
#SBATCH --job-name=interceptmc-shard
#SBATCH --cpus-per-task=16
#SBATCH --time=04:00:00
#SBATCH --output=slurm-%x-%A_%a.out
set -euo pipefail

if [ $# -lt 3 ]; then
    echo "usage: $0 run|sweep FILE OUT_ROOT [interceptmc arguments...]" >&2
    exit 2
fi
cmd=$1 file=$2 root=$3
shift 3
case "$cmd" in
    run|sweep) ;;
    *) echo "$0: the command is run or sweep, not '$cmd'" >&2; exit 2 ;;
esac
: "${SLURM_ARRAY_TASK_ID:?not a job array task: submit with sbatch --array=0-(K-1)}"
: "${SLURM_ARRAY_TASK_COUNT:?not a job array task: submit with sbatch --array=0-(K-1)}"
k=$(( SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-0} ))
K=$SLURM_ARRAY_TASK_COUNT
out="$root/shard-$k-of-$K"
bin=${INTERCEPTMC:-interceptmc}
resume=()
if [ "$cmd" = sweep ] && [ -f "$out/sweep.json" ]; then
    resume=(--resume)
fi
echo "interceptmc $cmd $file: shard $k/$K -> $out" >&2
exec "$bin" "$cmd" "$file" --shard "$k/$K" --out "$out" -q "${resume[@]}" "$@"
