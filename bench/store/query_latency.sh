#!/usr/bin/env bash
# Value-lookup latency through the CLI (issue 5, item 8: "< 1 ms median in a
# 10M-object store"; figures for docs/PERFORMANCE.md).
#
# Usage: bench/store/query_latency.sh [DB]
#   DB  a `tessera --db` value: a file path, sqlite:PATH or postgresql://...
#       (default: sqlite:build/bench-data/store-db/store-1m-sqlite.db, the database
#       bench/store/run.sh leaves after its last SQLite run)
#
# Runs `tessera query --db DB --value V --json` once per value for K values drawn
# (seeded) from the corpus's sample-values.txt, after a few warm-up queries, and
# times each call from the shell ($EPOCHREALTIME, no extra process). A call is a
# hit when its output contains the value. Prints min, median, p90, p99, max, mean,
# hits, and one JSON line ("bench":"store-query-latency").
#
# Each figure includes starting and stopping a tessera process and opening the
# database. To show that share, the same loop is timed first with
# `tessera --version` (start-up only) and "median - start-up" is printed beside
# the median: an estimate, not a measurement, of the lookup itself. The in-process
# figure for the issue's target comes from a Google Benchmark (see README.md).
#
# Environment:
#   TESSERA_BIN   tessera binary (build/release/tessera)
#   K             number of timed queries (1000); values are drawn without
#                 replacement while the file lasts, then with replacement
#   CORPUS_DIR    corpus whose sample-values.txt is used (build/bench-data/store-1m)
#   VALUES_FILE   values file, one per line (CORPUS_DIR/sample-values.txt)
#   SEED          seed of the draw (1)
#   WARMUP        untimed queries first (20)
#   SKIP_BASELINE=1   do not time `tessera --version`
#   QUERY_ARGS    extra arguments for every `tessera query` (word-split)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/../.."

bin=${TESSERA_BIN:-build/release/tessera}
k=${K:-1000}
corpus=${CORPUS_DIR:-build/bench-data/store-1m}
values_file=${VALUES_FILE:-$corpus/sample-values.txt}
seed=${SEED:-1}
warmup=${WARMUP:-20}
db=${1:-sqlite:build/bench-data/store-db/store-1m-sqlite.db}
read -r -a query_args <<<"${QUERY_ARGS:-}"

die() { echo "query_latency.sh: $*" >&2; exit 1; }
[[ $k =~ ^[1-9][0-9]*$ ]] || die "K must be a positive integer"
[[ $warmup =~ ^[0-9]+$ ]] || die "WARMUP must be a non-negative integer"
[[ -x $bin ]] || die "$bin not found or not executable (set TESSERA_BIN)"
[[ -s $values_file ]] || die "$values_file not found: generate the corpus (bench/store/run.sh or gen_corpus.py)"
case $db in
  postgres://* | postgresql:*) ;;
  sqlite:*) [[ -f ${db#sqlite:} ]] || die "${db#sqlite:} not found: run bench/store/run.sh first" ;;
  *) [[ -f $db ]] || die "$db not found: run bench/store/run.sh first" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/tessera-query-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 - "$values_file" "$k" "$seed" "$warmup" >"$work/values" <<'EOF'
import random, sys
path, k, seed, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
values = [l.rstrip("\n") for l in open(path, encoding="utf-8") if l.strip()]
rng = random.Random(seed)
picked = rng.sample(values, min(k, len(values)))
picked += [rng.choice(values) for _ in range(k - len(picked))]
warm = [rng.choice(values) for _ in range(warmup)]
sys.stdout.write("".join(v + "\n" for v in warm + picked))
EOF
mapfile -t values <"$work/values"

# usec START END: microseconds between two $EPOCHREALTIME readings.
usec() {
  local a=${1//[.,]/} b=${2//[.,]/}
  echo $((10#$b - 10#$a))
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary:  $bin; database: $db; $k queries (seed $seed) from $values_file"

if [[ ${SKIP_BASELINE:-0} != 1 ]]; then
  : >"$work/baseline"
  for ((i = 0; i < k; i++)); do
    t0=$EPOCHREALTIME
    "$bin" --version >/dev/null 2>&1 || true
    t1=$EPOCHREALTIME
    usec "$t0" "$t1" >>"$work/baseline"
  done
fi

: >"$work/times"
: >"$work/hits"
n=0
for v in "${values[@]}"; do
  rc=0
  t0=$EPOCHREALTIME
  "$bin" query --db "$db" --value "$v" --json "${query_args[@]}" >"$work/out" 2>"$work/err" || rc=$?
  t1=$EPOCHREALTIME
  if [[ $rc -gt 1 ]]; then
    echo "query_latency.sh: 'tessera query --value $v' exited $rc:" >&2
    tail -n 10 "$work/err" >&2
    exit 1
  fi
  n=$((n + 1))
  ((n > warmup)) || continue
  usec "$t0" "$t1" >>"$work/times"
  if grep -qF -- "$v" "$work/out"; then echo 1 >>"$work/hits"; else echo 0 >>"$work/hits"; fi
done

python3 - "$work/times" "$work/hits" "$work/baseline" "$db" <<'EOF'
import json, os, statistics, sys
def load(path):
    return [int(x) for x in open(path)] if os.path.exists(path) else []
times, hits, base = load(sys.argv[1]), load(sys.argv[2]), load(sys.argv[3])
db = sys.argv[4]
def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
def ms(us):
    return round(us / 1000, 3)
stats = {"min": ms(min(times)), "median": ms(statistics.median(times)), "p90": ms(pct(times, 90)),
         "p99": ms(pct(times, 99)), "max": ms(max(times)), "mean": ms(statistics.mean(times))}
print("per query, process start included (ms): " + ", ".join(f"{k} {v:.3f}" for k, v in stats.items()))
out = {"bench": "store-query-latency", "db": db, "queries": len(times), "hits": sum(hits),
       "ms": stats}
if base:
    b = ms(statistics.median(base))
    out["startup_median_ms"] = b
    out["median_minus_startup_ms"] = round(stats["median"] - b, 3)
    print(f"start-up alone (tessera --version), median {b:.3f} ms; median - start-up "
          f"{stats['median'] - b:.3f} ms (estimate)")
print(f"hits: {sum(hits)} of {len(times)}" + ("" if sum(hits) == len(times) else
      " (a miss is a query whose output does not contain the value)"))
print(json.dumps(out, separators=(",", ":")))
EOF
