#!/usr/bin/env bash
# End-to-end normalization benchmark (figures for docs/PERFORMANCE.md):
#   1. builds the `release` preset (tessera, normalize_bench, tessera_gen_observables);
#   2. generates LINES (10,000,000) messy observables into build/bench-data/ (once; seed 1);
#   3. times `tessera normalize --from lines --to jsonl FILE > /dev/null` RUNS (3) times
#      under /usr/bin/time and prints the median wall time, observables/s and peak RSS;
#      then the same on a 10x smaller file, to show peak memory does not grow with
#      input size beyond the de-duplication set (and with --keep-duplicates, without it);
#   4. runs normalize_bench (Google Benchmark, 5 repetitions, aggregates only);
#   5. with CALLGRIND=1, counts the instructions per line of the first 100,000 lines
#      of the small file under valgrind (repeatable, unlike wall time on a shared VM).
# Environment: LINES, RUNS, SKIP_BUILD=1, SKIP_GBENCH=1, CALLGRIND=1, BUILD_DIR (a
# configured release build instead of build/release; not built by the script).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

lines=${LINES:-10000000}
runs=${RUNS:-3}
build=${BUILD_DIR:-build/release}
data=build/bench-data

if [[ ${SKIP_BUILD:-0} != 1 && -z ${BUILD_DIR:-} ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target tessera normalize_bench tessera_gen_observables
fi
mkdir -p "$data"
gen() {
  local n=$1 file=$data/observables-$1.txt
  if [[ ! -s $file ]]; then
    "$build/bench/tessera_gen_observables" --lines "$n" --seed 1 >"$file.tmp"
    mv "$file.tmp" "$file"
  fi
  echo "$file"
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

# time_normalize FILE LINES [EXTRA ARGS]: median wall, observables/s, peak RSS.
time_normalize() {
  local file=$1 n=$2; shift 2
  local walls=() rsss=() i log
  log=$(mktemp)
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%e %M' -o "$log" "$build/tessera" normalize --from lines --to jsonl "$@" "$file" \
      >/dev/null 2>/dev/null
    read -r wall rss <"$log"
    walls+=("$wall"); rsss+=("$rss")
  done
  rm -f "$log"
  local median_wall median_rss
  median_wall=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
  median_rss=$(printf '%s\n' "${rsss[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
  awk -v f="$file" -v n="$n" -v w="$median_wall" -v r="$median_rss" -v extra="$*" \
    'BEGIN { printf "%s %s: %d lines, median %.2f s, %.0f observables/s, peak RSS %.0f MiB\n", f, extra, n, w, n / w, r / 1024 }'
}

big=$(gen "$lines")
small=$(gen $((lines / 10)))
time_normalize "$big" "$lines"
time_normalize "$small" $((lines / 10))
time_normalize "$big" "$lines" --keep-duplicates
time_normalize "$small" $((lines / 10)) --keep-duplicates

if [[ ${CALLGRIND:-0} == 1 ]]; then
  sample=$(mktemp)
  head -n 100000 "$small" >"$sample"
  n=$(wc -l <"$sample")
  instructions=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$build/tessera" normalize \
    --from lines --to jsonl "$sample" 2>&1 >/dev/null | sed -n 's/.*Collected : *//p')
  rm -f "$sample"
  echo "callgrind: $instructions instructions for $n lines, $((instructions / n)) per line"
fi

if [[ ${SKIP_GBENCH:-0} != 1 ]]; then
  "$build/bench/normalize_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
fi
