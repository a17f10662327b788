#!/usr/bin/env bash
# Saturation: zero-leaker probability of scenarios/saturation-raid.toml as the raid grows
# against fixed inventories (THAAD 24, PAC-3 16), with common random numbers (same seed).
# Usage: scripts/saturation.sh [samples] [backend]   -> results/saturation.csv (+ table on stdout)
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-2000}
backend=${2:-auto}
bin=target/release/interceptmc
[ -x "$bin" ] || cargo build --release
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=results/saturation.csv
echo "raid_size,samples,backend,p_zero_leakers,p_zero_leakers_lo,p_zero_leakers_hi,p_kill,mean_leakers,interceptors_per_raid,wall_s" > "$tmp/sat.csv"
for n in 1 2 5 10 15 20 25 30 40; do
    "$bin" run scenarios/saturation-raid.toml --samples "$samples" --backend "$backend" \
        --set raid.size="$n" -q --out "$tmp/run$n"
    python3 - "$tmp/run$n/summary.csv" "$n" >> "$tmp/sat.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
a = [r for r in rows if r["threat"] == "all"][0]
per_raid = (int(a["interceptors"]) + int(a["decoy_interceptors"])) / int(a["samples"])
print(",".join([sys.argv[2], a["samples"], a["backend"], a["p_zero_leakers"], a["p_zero_leakers_lo"],
                a["p_zero_leakers_hi"], a["p_kill"], a["mean_leakers"], f"{per_raid:.3f}", a["wall_s"]]))
PY
done
mv "$tmp/sat.csv" "$out"
column -s, -t < "$out"
