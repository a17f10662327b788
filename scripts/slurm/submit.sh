#!/usr/bin/env bash
# Submits K shards of a run or sweep as a Slurm job array and the merge as a job that waits for
# all of them (README.md, "Shards and Slurm"):
#
#   scripts/slurm/submit.sh 8 sweep scenarios/sweeps/siting.toml results/runs/siting --backend gpu
#
# Results: OUT_ROOT/shard-k-of-K/ per shard, OUT_ROOT/merged/ in the end. Extra sbatch options
# (partition, account, GPUs) go in SBATCH_* environment variables or in the two scripts.
set -euo pipefail

if [ $# -lt 4 ]; then
    echo "usage: $0 K run|sweep FILE OUT_ROOT [interceptmc arguments...]" >&2
    exit 2
fi
K=$1 root=$4
shift
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$root"
array=$(sbatch --parsable --array="0-$((K - 1))" "$here/shard-array.sh" "$@")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" "$here/merge.sh" "$root" "$K")
echo "shards: job array $array (tasks 0-$((K - 1))); merge: job ${merge%%;*} -> $root/merged"
