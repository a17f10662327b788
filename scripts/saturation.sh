#!/usr/bin/env bash
# Saturation: zero-leaker probability of scenarios/saturation-raid.toml as the raid grows
# against fixed inventories (THAAD 24, PAC-3 16), with common random numbers (same seed).
# Usage: scripts/saturation.sh [samples] [backend] [scenario] [out]
#   defaults: 2000, auto, scenarios/saturation-raid.toml, results/runs/saturation.csv (+ table on stdout)
#   scripts/saturation.sh 1000 cpu scenarios/capacity-raid.toml results/saturation-capacity.csv
#   adds the capacity-bound counts per battery (README, "Capacity").
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-2000}
backend=${2:-auto}
scenario=${3:-scenarios/saturation-raid.toml}
out=${4:-results/runs/saturation.csv}
bin=target/release/interceptmc
[ -x "$bin" ] || cargo build --release
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "raid_size,samples,backend,p_zero_leakers,p_zero_leakers_lo,p_zero_leakers_hi,p_kill,mean_leakers,interceptors_per_raid,channels_bound_per_raid,interval_bound_per_raid,track_bound_per_raid,fire_control_bound_per_raid,wall_s" > "$tmp/sat.csv"
for n in 1 2 5 10 15 20 25 30 40; do
    "$bin" run "$scenario" --samples "$samples" --backend "$backend" \
        --set raid.size="$n" -q --out "$tmp/run$n"
    python3 - "$tmp/run$n" "$n" >> "$tmp/sat.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1] + "/summary.csv")))
a = [r for r in rows if r["threat"] == "all"][0]
raids = int(a["samples"])
per_raid = (int(a["interceptors"]) + int(a["decoy_interceptors"])) / raids
# battery.csv's capacity columns (with capacity keys only), summed over the batteries' `all`
# rows: the threats whose engagement each limit delayed or prevented.
limits = ["bound_fire_channels", "bound_launch_interval", "bound_track_capacity", "bound_fire_control"]
batteries = [r for r in csv.DictReader(open(sys.argv[1] + "/battery.csv")) if r["threat"] == "all"]
bound = [sum(int(r.get(k) or 0) for r in batteries) / raids for k in limits]
print(",".join([sys.argv[2], a["samples"], a["backend"], a["p_zero_leakers"], a["p_zero_leakers_lo"],
                a["p_zero_leakers_hi"], a["p_kill"], a["mean_leakers"], f"{per_raid:.3f}"]
               + [f"{x:.2f}" for x in bound] + [a["wall_s"]]))
PY
done
mkdir -p "$(dirname "$out")"
mv "$tmp/sat.csv" "$out"
column -s, -t < "$out"
