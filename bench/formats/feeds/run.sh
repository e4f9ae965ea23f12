#!/usr/bin/env bash
# CSV feed reader throughput and memory (docs/PERFORMANCE.md, "CSV feeds"):
#   1. builds the Release tree with benchmarks (BUILD, default build/release);
#   2. generates build/bench-data/urlhaus-<MB>mb-seed1.csv once (GEN_MB, default 128):
#      a URLhaus-like dump (id, dateadded, url, url_status, threat, tags,
#      urlhaus_link, reporter), about 183 bytes a row;
#   3. reads it RUNS times (5) end to end with tessera_read_bench (file input,
#      counting sink) under /usr/bin/time -v and prints the median wall time,
#      rows/s, MB/s, user time and the peak RSS;
#   4. runs feeds_bench (Google Benchmark, in memory, REPS repetitions, medians).
# SKIP_BUILD=1 reuses the build; SKIP_GBENCH=1 skips step 4.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."

build=${BUILD:-build/release}
runs=${RUNS:-5}
reps=${REPS:-5}
mb=${GEN_MB:-128}
data=build/bench-data
mkdir -p "$data"

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTESSERA_BUILD_BENCHMARKS=ON >/dev/null
  cmake --build "$build" -j2 --target feeds_bench tessera_gen_urlhaus tessera_read_bench
fi

file=$data/urlhaus-${mb}mb-seed1.csv
if [[ ! -s $file ]]; then
  echo "generating $file" >&2
  "$build/bench/formats/feeds/tessera_gen_urlhaus" --mb "$mb" --seed 1 >"$file.tmp"
  mv "$file.tmp" "$file"
fi

echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (+ local changes)')"
echo "input:   $file ($(stat -c %s "$file") bytes)"

log=$data/read-urlhaus-${mb}mb.log
: >"$log"
for ((i = 0; i < runs; i++)); do
  /usr/bin/time -v "$build/bench/formats/read/tessera_read_bench" urlhaus "$file" >>"$log" 2>"$log.time.$i"
  {
    grep -E 'Elapsed \(wall clock\)|User time|Maximum resident' "$log.time.$i" | tr '\n' ' '
    echo
  } >>"$log.times"
done
python3 - "$log" "$log.times" <<'PY'
import json, re, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
times = open(sys.argv[2]).read().strip().splitlines()[-len(rows):]
def wall(t):
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1).split(":")
    return sum(float(x) * 60 ** i for i, x in enumerate(reversed(m)))
user = [float(re.search(r"User time \(seconds\): (\S+)", t).group(1)) for t in times]
rss = [int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) for t in times]
walls = [wall(t) for t in times]
n, b = rows[0]["records"], rows[0]["bytes"]
print(f"urlhaus end to end, {len(rows)} runs: {n:,} rows, {rows[0]['objects']:,} objects, "
      f"{rows[0]['rejected']} rejected")
print(f"  median wall {statistics.median(walls):.2f} s = {n / statistics.median(walls):,.0f} rows/s, "
      f"{b / statistics.median(walls) / 1e6:.1f} MB/s")
print(f"  median user {statistics.median(user):.2f} s = {n / statistics.median(user):,.0f} rows/s of CPU")
print(f"  reader's own clock (median): {statistics.median(r['records_per_s'] for r in rows):,.0f} rows/s")
print(f"  peak RSS {max(rss) / 1024:.1f} MiB (max of runs)")
PY
rm -f "$log.times" "$log".time.*

if [[ ${SKIP_GBENCH:-0} != 1 ]]; then
  "$build/bench/formats/feeds/feeds_bench" --benchmark_repetitions="$reps" \
    --benchmark_report_aggregates_only=true 2>/dev/null | grep -E '_median|Benchmark'
fi
