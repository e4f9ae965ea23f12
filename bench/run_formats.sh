#!/usr/bin/env bash
# Reader throughput and memory (figures for docs/PERFORMANCE.md, "Readers"):
#   1. builds the `release` preset's tessera_read_bench and generators;
#   2. generates inputs into build/bench-data/ (once, fixed seeds): a 128 MiB STIX
#      2.1 bundle, a 1 GiB one (for peak RSS on a large input), and a 1M-line
#      observable list;
#   3. runs each reader RUNS times (5) with a counting sink and prints the median
#      MB/s and records/s and the peak RSS (one JSON line per run is kept in
#      build/bench-data/read-*.jsonl).
# The MISP and CSV readers have benchmarks of their own (bench/formats/misp,
# bench/formats/feeds). Environment: RUNS (5), SKIP_BUILD=1, SKIP_1G=1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs=${RUNS:-5}
build=build/release
data=build/bench-data
mkdir -p "$data"

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target tessera_read_bench tessera_gen_stix tessera_gen_observables
fi

gen_stix() {  # MB
  local out=$data/gen-$1mb-seed1.json
  if [[ ! -s $out ]]; then
    echo "generating $out" >&2
    "$build/bench/tessera_gen_stix" --mb "$1" --seed 1 >"$out.tmp" && mv "$out.tmp" "$out"
  fi
  echo "$out"
}
gen_lines() {  # LINES
  local out=$data/observables-$1.txt
  if [[ ! -s $out ]]; then
    echo "generating $out" >&2
    "$build/bench/tessera_gen_observables" --lines "$1" --seed 1 >"$out.tmp" && mv "$out.tmp" "$out"
  fi
  echo "$out"
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (+ local changes)')"

# bench FORMAT FILE [RUNS]: median MB/s, records/s, and peak RSS over the runs.
bench() {
  local format=$1 file=$2 n=${3:-$runs} log
  log=$data/read-$format-$(basename "$file").jsonl
  : >"$log"
  for ((i = 0; i < n; i++)); do
    "$build/bench/formats/read/tessera_read_bench" "$format" "$file" >>"$log"
  done
  python3 - "$log" "$format" "$file" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
med = lambda k: statistics.median(r[k] for r in rows)
print(f"{sys.argv[2]:<10} {sys.argv[3]}: {rows[0]['bytes']/1e6:.0f} MB, {rows[0]['records']} records, "
      f"median of {len(rows)}: {med('mb_per_s'):.1f} MB/s, {med('records_per_s'):,.0f} records/s, "
      f"peak RSS {max(r['peak_rss_mib'] for r in rows):.1f} MiB")
PY
}

bench stix "$(gen_stix 128)"
bench lines "$(gen_lines 1000000)"
bench text "$(gen_lines 1000000)"
if [[ ${SKIP_1G:-0} != 1 ]]; then
  bench stix "$(gen_stix 1024)" 1
fi
