#!/usr/bin/env bash
# End-to-end STIX read benchmark (figures for docs/PERFORMANCE.md):
#   1. builds the `release` preset (tessera, stix_bench, tessera_gen_stix);
#   2. generates a 128 MiB STIX 2.1 bundle into build/bench-data/ (once; seed 1);
#   3. times `tessera stix validate --quiet FILE` RUNS times (5) under
#      /usr/bin/time -v and prints the median wall time, MB/s and peak RSS, for
#      the generated bundle and, when ../shared exists, the ATT&CK ICS bundle;
#   4. runs stix_bench (Google Benchmark, 5 repetitions, aggregates only) on a
#      generated in-memory bundle (TESSERA_BENCH_MB, default 8) and on the ATT&CK file.
#
# Environment: RUNS (5), GEN_MB (128), TESSERA_BENCH_MB (8), SKIP_BUILD=1 to reuse
# build/release, SKIP_GBENCH=1 to skip step 4. MB/s means 10^6 bytes per second.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs=${RUNS:-5}
gen_mb=${GEN_MB:-128}
build=build/release
data=build/bench-data
attack=../shared/corpora/stix2/attack/ics-attack-18.1.json

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target tessera stix_bench tessera_gen_stix
fi

mkdir -p "$data"
gen=$data/gen-${gen_mb}mb-seed1.json
if [[ ! -s $gen ]]; then
  echo "generating $gen"
  "$build/bench/tessera_gen_stix" --mb "$gen_mb" --seed 1 >"$gen.tmp"
  mv "$gen.tmp" "$gen"
fi

echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (+ local changes)')"

# time_validate FILE: RUNS timed runs of the CLI; prints median wall, MB/s, peak RSS.
time_validate() {
  local file=$1 bytes i log rc walls=() rsss=()
  bytes=$(stat -c %s "$file")
  log=$(mktemp)
  for ((i = 0; i < runs; i++)); do
    rc=0
    /usr/bin/time -v "$build/tessera" stix validate --quiet "$file" 2>"$log" >/dev/null || rc=$?
    if [[ $rc -ne 0 ]]; then
      echo "  note: run $((i + 1)) exited $rc (the file has validation errors)"
    fi
    # "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.23"
    walls+=("$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$log" |
      awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f", s }')")
    rsss+=("$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")")
  done
  rm -f "$log"
  local median_wall median_rss
  median_wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  median_rss=$(printf '%s\n' "${rsss[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  echo "validate $(basename "$file"): $bytes bytes, $runs runs"
  echo "  wall times (s): ${walls[*]}"
  awk -v b="$bytes" -v w="$median_wall" -v r="$median_rss" 'BEGIN {
    printf "  median wall %.3f s, %.1f MB/s, peak RSS %.1f MiB (median)\n", w, (w > 0 ? b / w / 1e6 : 0), r / 1024 }'
}

echo
echo "== tessera stix validate --quiet (end to end, /usr/bin/time -v) =="
time_validate "$gen"
if [[ -f $attack ]]; then
  time_validate "$attack"
else
  echo "(../shared not found: ATT&CK bundle skipped)"
fi

if [[ ${SKIP_GBENCH:-0} == 1 ]]; then exit 0; fi
gbench=("$build/bench/stix_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true)
echo
echo "== stix_bench: generated bundle, TESSERA_BENCH_MB=${TESSERA_BENCH_MB:-8} =="
env -u TESSERA_BENCH_FILE TESSERA_BENCH_MB="${TESSERA_BENCH_MB:-8}" "${gbench[@]}"
if [[ -f $attack ]]; then
  echo
  echo "== stix_bench: $attack =="
  TESSERA_BENCH_FILE=$attack "${gbench[@]}"
fi
