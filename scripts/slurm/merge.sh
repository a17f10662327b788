#!/usr/bin/env bash
# Adds up the K shards that scripts/slurm/shard-array.sh wrote under OUT_ROOT into
# OUT_ROOT/merged (README.md, "Shards and Slurm"); refuses missing, overlapping or mismatched
# shards (exit 2). Submit it to run after the array:
#
#   sbatch --dependency=afterok:<array job id> scripts/slurm/merge.sh results/runs/siting 8
#SBATCH --job-name=interceptmc-merge
#SBATCH --cpus-per-task=1
#SBATCH --time=00:30:00
#SBATCH --output=slurm-%x-%j.out
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 OUT_ROOT K" >&2
    exit 2
fi
root=$1 K=$2
dirs=()
for ((k = 0; k < K; k++)); do
    dirs+=("$root/shard-$k-of-$K")
done
exec "${INTERCEPTMC:-interceptmc}" merge "${dirs[@]}" --out "$root/merged"
