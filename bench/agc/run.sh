#!/usr/bin/env bash
# Read throughput of `gantry root scan` (src/root: every branch of each file read, decompressed
# and summed) on the shared NanoAOD files, against the independent Python decoder
# (src/root/testdata/decode_root.py: stdlib zlib/lzma, python3-lz4, python3-zstandard) doing the
# same scan on the same files in the same run. Prints values/s for both and the ratio.
# Usage: bench/agc/run.sh [REPEATS]   (GANTRY=path/to/gantry, GANTRY_SHARED_DATA=dir)
# Takes about a minute; not run by CI.
set -euo pipefail
if [[ "${1:-}" == --help || "${1:-}" == -h ]]; then sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0; fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
gantry="${GANTRY:-$root/build/apps/gantry/gantry}"
repeats="${1:-3}"
data=""
for d in "${GANTRY_SHARED_DATA:-}" "$root/../shared/data" /work/shared/data; do
  if [[ -n "$d" && -f "$d/root/agc_open-data-example.root" ]]; then data="$d/root"; break; fi
done
[[ -n "$data" ]] || { echo "no shared data (../shared/data/root)" >&2; exit 1; }
[[ -x "$gantry" ]] || { echo "build gantry first ($gantry)" >&2; exit 1; }
python=/usr/bin/python3
decoder="$root/src/root/testdata/decode_root.py"
files=(agc_open-data-example.root nanoAOD_2015_CMS_Open_Data_ttbar.root coffea_nano_dimuon.root
       coffea_nano_dy.root coffea_nano_tree.root)

now() { date +%s.%N; }
values() { "$python" -c 'import json,sys; d=json.load(sys.stdin); print(sum(b["count"] for b in d["branches"].values()))'; }

printf '%-40s %12s %12s %12s %9s\n' FILE VALUES GANTRY_S PYTHON_S RATIO
total_values=0 total_g=0 total_p=0
for f in "${files[@]}"; do
  path="$data/$f"
  best=""
  for ((i = 0; i < repeats; i++)); do
    t0=$(now)
    out=$("$gantry" root scan "$path" --tree Events --json)
    t1=$(now)
    t=$(echo "$t1 - $t0" | bc -l)
    if [[ -z "$best" ]] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  n=$(echo "$out" | values)
  t0=$(now)
  pout=$("$python" "$decoder" "$path" Events)
  t1=$(now)
  pt=$(echo "$t1 - $t0" | bc -l)
  pn=$(echo "$pout" | values)
  if [[ "$n" != "$pn" ]]; then echo "value counts differ for $f: $n vs $pn" >&2; exit 1; fi
  printf '%-40s %12d %12.4f %12.4f %8.1fx\n' "$f" "$n" "$best" "$pt" "$(echo "$pt / $best" | bc -l)"
  total_values=$((total_values + n))
  total_g=$(echo "$total_g + $best" | bc -l)
  total_p=$(echo "$total_p + $pt" | bc -l)
done
printf 'gantry root scan: %.0f values/s; Python decoder: %.0f values/s; ratio %.1fx\n' \
  "$(echo "$total_values / $total_g" | bc -l)" "$(echo "$total_values / $total_p" | bc -l)" \
  "$(echo "$total_p / $total_g" | bc -l)"
