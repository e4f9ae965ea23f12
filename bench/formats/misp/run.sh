#!/usr/bin/env bash
# MISP reader throughput and memory (figures for docs/PERFORMANCE.md, "Readers"):
#   1. builds a Release tree (BUILD, default build/release) with the
#      benchmarks: tessera_gen_misp, misp_bench and tessera_read_bench;
#   2. generates a deterministic events list of GEN_MB MiB (default 128; seed 1)
#      into build/bench-data/ (once), and with BIG=1 a 1024 MiB one too;
#   3. reads it RUNS times (default 5) end to end with `tessera_read_bench misp FILE`
#      (the reader into a sink that only counts) under /usr/bin/time -v and prints
#      the medians: wall time, MB/s (10^6 bytes/s), events/s, objects/s, peak RSS,
#      and MB per CPU-second (user+sys; what wall time would be on an idle core);
#   4. runs misp_bench (Google Benchmark, in memory, TESSERA_BENCH_MB MiB, 5
#      repetitions, aggregates only) unless SKIP_GBENCH=1.
# Environment: BUILD, GEN_MB, RUNS, BIG=1, SKIP_BUILD=1, SKIP_GBENCH=1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."

build=${BUILD:-build/release}
runs=${RUNS:-5}
gen_mb=${GEN_MB:-128}
data=build/bench-data
mkdir -p "$data"

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTESSERA_BUILD_BENCHMARKS=ON >/dev/null
  cmake --build "$build" -j2 --target tessera_gen_misp misp_bench tessera_read_bench
fi

generate() {  # MB -> path
  local out=$data/misp-$1mb-seed1.json
  if [[ ! -s $out ]]; then
    echo "generating $out" >&2
    "$build/bench/formats/misp/tessera_gen_misp" --mb "$1" --seed 1 >"$out.tmp"
    mv "$out.tmp" "$out"
  fi
  echo "$out"
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores," \
  "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (+ local changes)')"

# run FILE: RUNS end-to-end reads; medians of wall time, MB/s, events/s, objects/s, RSS.
run() {
  local file=$1 log rows i
  log=$(mktemp)
  rows=$(mktemp)
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -v "$build/bench/formats/read/tessera_read_bench" misp "$file" 2>"$log" >>"$rows"
    sed -n 's/.*Elapsed (wall clock) time.*: //p; s/.*Maximum resident set size (kbytes): //p;
            s/.*User time (seconds): //p; s/.*System time (seconds): //p' "$log" |
      paste -sd' ' >>"$rows.time"
  done
  python3 - "$rows" "$rows.time" "$file" <<'PY'
import json, statistics, sys
reads = [json.loads(l) for l in open(sys.argv[1])]
times = [l.split() for l in open(sys.argv[2])]
def seconds(t):
    s = 0.0
    for part in t.split(":"):
        s = s * 60 + float(part)
    return s
# time -v prints user, system, wall, ..., max RSS in this order.
cpus = [float(t[0]) + float(t[1]) for t in times]
walls = [seconds(t[2]) for t in times]
rss = [int(t[3]) / 1024 for t in times]
med = statistics.median
r0 = reads[0]
b = r0["bytes"]
all_runs = ", ".join("%.1f" % r["mb_per_s"] for r in reads)
print(f"misp {sys.argv[3]}: {b/1e6:.1f} MB, {r0['records']} events, {r0['objects']} STIX objects, "
      f"{r0['rejected']} rejected; {len(reads)} runs")
print(f"  reader (in-process clock): median {med(r['mb_per_s'] for r in reads):.1f} MB/s, "
      f"{med(r['records_per_s'] for r in reads):,.0f} events/s, "
      f"{med(r['objects'] / r['seconds'] for r in reads):,.0f} objects/s "
      f"(all runs MB/s: {all_runs})")
print(f"  end to end (/usr/bin/time -v): median wall {med(walls):.2f} s = {b / med(walls) / 1e6:.1f} MB/s, "
      f"peak RSS median {med(rss):.1f} MiB (max {max(rss):.1f})")
print(f"  CPU (user+sys): median {med(cpus):.2f} s = {b / med(cpus) / 1e6:.1f} MB per CPU-second "
      f"(the figure on a machine shared with other work)")
PY
  rm -f "$log" "$rows" "$rows.time"
}

echo
echo "== end to end: tessera_read_bench misp FILE =="
run "$(generate "$gen_mb")"
if [[ ${BIG:-0} == 1 ]]; then
  run "$(generate 1024)"
fi

if [[ ${SKIP_GBENCH:-0} == 1 ]]; then exit 0; fi
echo
echo "== misp_bench (in memory, TESSERA_BENCH_MB=${TESSERA_BENCH_MB:-16}) =="
TESSERA_BENCH_MB="${TESSERA_BENCH_MB:-16}" "$build/bench/formats/misp/misp_bench" \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
