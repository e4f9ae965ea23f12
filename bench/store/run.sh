#!/usr/bin/env bash
# End-to-end ingest benchmark of the store (issue 5, item 8; figures for docs/PERFORMANCE.md).
#
#   1. generates the corpus with bench/store/gen_corpus.py if it is missing or was made
#      with other options (default build/bench-data/store-1m/: 1,000,000 objects,
#      10 partners, seed 1, 30% duplicates across partners);
#   2. for SQLite, and for PostgreSQL when TESSERA_BENCH_POSTGRES_URL is set: RUNS
#      repetitions of: fresh database, then one `tessera ingest --partner partner-NN
#      --from stix --db URL --json FILE` per partner file, in order. Records the wall
#      time of the whole corpus (process starts included), objects/s, the sums of the
#      per-partner JSON summaries, the peak RSS of the ingest processes and the
#      database size; checks that the objects reported add up to the corpus and
#      compares the new objects with the generator's expected unique count;
#   3. the same for the ATT&CK ICS bundle (skipped with a message when absent);
#   4. prints, per backend and corpus, every run and the median as a table, then one
#      JSON line ("bench":"store-ingest") to paste or collect.
#
# Environment:
#   TESSERA_BIN        tessera binary (build/release/tessera)
#   RUNS               repetitions per backend and corpus (5)
#   OBJECTS, PARTNERS, SEED   corpus size (1000000), partners (10), seed (1)
#   CORPUS_DIR         corpus directory (build/bench-data/store-1m for the defaults,
#                      store-10m for OBJECTS=10000000, and so on;
#                      build/bench-data/store-<OBJECTS>-p<PARTNERS>-s<SEED> otherwise)
#   DB_DIR             where the SQLite databases go (build/bench-data/store-db); the last
#                      run's database is left there for bench/store/query_latency.sh
#   TESSERA_BENCH_POSTGRES_URL   postgresql://... of a database the benchmark may WIPE:
#                      every schema in it is dropped before each run. Refused unless its
#                      name contains "bench" or TESSERA_BENCH_POSTGRES_WIPE=1.
#   TESSERA_BENCH_POSTGRES_RESET command run (bash -c, URL in $TESSERA_BENCH_POSTGRES_URL)
#                      instead of the default wipe, e.g. "tessera db init --db ... --force"
#   ATTACK_FILE        ATT&CK bundle (../shared/corpora/stix2/attack/ics-attack-18.1.json)
#   SKIP_ATTACK=1, SKIP_SQLITE=1, SKIP_CORPUS=1   leave a part out
#   INGEST_ARGS        extra arguments for every `tessera ingest` (word-split), e.g. "--tlp green"
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

bin=${TESSERA_BIN:-build/release/tessera}
runs=${RUNS:-5}
objects=${OBJECTS:-1000000}
partners=${PARTNERS:-10}
seed=${SEED:-1}
for v in "$runs" "$objects" "$partners" "$seed"; do
  [[ $v =~ ^[0-9]+$ ]] || { echo "run.sh: RUNS, OBJECTS, PARTNERS and SEED must be integers" >&2; exit 1; }
done
if ((objects % 1000000 == 0)) && [[ $partners == 10 && $seed == 1 ]]; then
  corpus=${CORPUS_DIR:-build/bench-data/store-$((objects / 1000000))m}
else
  corpus=${CORPUS_DIR:-build/bench-data/store-$objects-p$partners-s$seed}
fi
db_dir=${DB_DIR:-build/bench-data/store-db}
attack=${ATTACK_FILE:-../shared/corpora/stix2/attack/ics-attack-18.1.json}
pg_url=${TESSERA_BENCH_POSTGRES_URL:-}
pg_conn=$pg_url   # what psql takes: a URL, or the key=value string of postgresql:KEY=VALUE...
if [[ $pg_url == postgresql:* && $pg_url != postgresql://* ]]; then pg_conn=${pg_url#postgresql:}; fi
read -r -a ingest_args <<<"${INGEST_ARGS:-}"

die() { echo "run.sh: $*" >&2; exit 1; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ -x $bin ]] || die "$bin not found or not executable (build the release preset, or set TESSERA_BIN)"
command -v python3 >/dev/null || die "python3 is needed (corpus generation and the summaries)"
have_time=0
[[ -x /usr/bin/time ]] && have_time=1

# ---------------------------------------------------------------- corpus

# corpus_ok: the corpus directory is complete (manifest written last) and was made
# with the options asked for.
corpus_ok() {
  [[ -f $corpus/manifest.json ]] || return 1
  python3 - "$corpus/manifest.json" "$objects" "$partners" "$seed" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
sys.exit(0 if (m["objects"], m["partners"], m["seed"]) == tuple(map(int, sys.argv[2:5])) else 1)
EOF
}

if [[ ${SKIP_CORPUS:-0} != 1 ]]; then
  if ! corpus_ok; then
    echo "generating $corpus ($objects objects, $partners partners, seed $seed)"
    if [[ -d $corpus ]]; then   # never remove anything the generator did not write
      for f in "$corpus"/*; do
        case ${f##*/} in
          '*' | partner-[0-9][0-9].json | partner-[0-9][0-9].json.tmp | manifest.json | manifest.json.tmp | sample-values.txt) ;;
          *) die "$corpus holds files gen_corpus.py did not write (${f##*/}): choose another CORPUS_DIR" ;;
        esac
      done
    fi
    python3 "$here/gen_corpus.py" "$corpus" --objects "$objects" --partners "$partners" --seed "$seed"
  fi
  mapfile -t corpus_files < <(python3 -c '
import json, sys
for f in json.load(open(sys.argv[1]))["files"]:
    print(f["partner"], f["file"])' "$corpus/manifest.json")
fi

echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (+ local changes)')"
echo "binary:  $bin ($("$bin" --version 2>/dev/null | head -n1 || echo 'version unknown'))"

# ---------------------------------------------------------------- databases

mkdir -p "$db_dir"
log_dir=$(mktemp -d "${TMPDIR:-/tmp}/tessera-store-bench.XXXXXX")
trap 'rm -rf "$log_dir"' EXIT

# sqlite_fresh PATH: removes the database and its side files.
sqlite_fresh() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

sqlite_bytes() {
  local total=0 f
  for f in "$1" "$1-wal"; do
    [[ -f $f ]] && total=$((total + $(stat -c %s "$f")))
  done
  echo "$total"
}

pg_checked=0
# pg_fresh: empties the PostgreSQL database (every non-system schema dropped, public
# recreated) or runs TESSERA_BENCH_POSTGRES_RESET.
pg_fresh() {
  if [[ -n ${TESSERA_BENCH_POSTGRES_RESET:-} ]]; then
    TESSERA_BENCH_POSTGRES_URL=$pg_url bash -c "$TESSERA_BENCH_POSTGRES_RESET"
    return
  fi
  command -v psql >/dev/null || die "psql not found: install postgresql-client or set TESSERA_BENCH_POSTGRES_RESET"
  if [[ $pg_checked == 0 ]]; then
    local name
    name=$(psql "$pg_conn" -XAtqc 'select current_database()') || die "cannot connect to TESSERA_BENCH_POSTGRES_URL"
    if [[ $name != *bench* && ${TESSERA_BENCH_POSTGRES_WIPE:-0} != 1 ]]; then
      die "refusing to wipe PostgreSQL database '$name': use a database whose name contains 'bench' or set TESSERA_BENCH_POSTGRES_WIPE=1"
    fi
    pg_checked=1
  fi
  psql "$pg_conn" -Xq -v ON_ERROR_STOP=1 >/dev/null <<'EOF'
SET client_min_messages = warning;
DO $$
DECLARE s text;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace
           WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
  CREATE SCHEMA public;
END $$;
EOF
}

pg_bytes() { psql "$pg_conn" -XAtqc 'select pg_database_size(current_database())' 2>/dev/null || echo 0; }

# ---------------------------------------------------------------- one run

now_ns() { local t=$EPOCHREALTIME; echo "${t//[.,]/}000"; }   # EPOCHREALTIME: s.us, locale point

# ingest_one PARTNER FILE DB RUNLOG: one `tessera ingest`, its JSON summary appended
# to RUNLOG.summaries and its peak RSS (KiB) to RUNLOG.rss. Stops the script with
# the end of stderr when tessera fails (see below).
ingest_one() {
  local partner=$1 file=$2 db=$3 runlog=$4 rc=0 out err tm
  out=$log_dir/out.json err=$log_dir/err.log tm=$log_dir/time.txt
  local cmd=("$bin" ingest --partner "$partner" --from stix --db "$db" --json "${ingest_args[@]}" "$file")
  if [[ $have_time == 1 ]]; then
    /usr/bin/time -f '%M' -o "$tm" "${cmd[@]}" >"$out" 2>"$err" || rc=$?
  else
    "${cmd[@]}" >"$out" 2>"$err" || rc=$?
  fi
  # Exit 1 with a summary that counts quarantined records is a completed run (the
  # quarantined column shows it); any other failure stops the benchmark.
  if [[ $rc -gt 1 ]]; then
    echo "run.sh: '${cmd[*]}' exited $rc; end of its stderr:" >&2
    tail -n 20 "$err" >&2
    exit 1
  fi
  # The summary is the JSON object on stdout (or its last line, should anything precede it).
  local why
  if ! why=$(python3 -c '
import json, sys
text = open(sys.argv[1]).read()
try:
    s = json.loads(text)
except ValueError:
    try:
        s = json.loads([l for l in text.splitlines() if l.strip()][-1])
    except (ValueError, IndexError):
        sys.exit("no JSON summary on stdout")
missing = [k for k in ("objects", "new", "updated", "duplicates", "quarantined", "seconds") if k not in s]
if missing:
    sys.exit("the JSON summary lacks " + ", ".join(missing))
if int(sys.argv[3]) != 0 and (not s["quarantined"] or s.get("status") == "failed"):
    sys.exit("exit status " + sys.argv[3] + (": " + s["error"] if s.get("error") else ""))
s["partner"] = sys.argv[2]
with open(sys.argv[4], "a") as f:
    f.write(json.dumps(s) + "\n")' "$out" "$partner" "$rc" "$runlog.summaries" 2>&1); then
    echo "run.sh: '${cmd[*]}': $why; its stdout, then the end of its stderr:" >&2
    head -c 2000 "$out" >&2
    tail -n 20 "$err" >&2
    exit 1
  fi
  if [[ $have_time == 1 ]]; then tail -n 1 "$tm" >>"$runlog.rss"; else echo 0 >>"$runlog.rss"; fi
}

# bench BACKEND LABEL EXPECTED_OBJECTS EXPECTED_UNIQUE EXPECTED_MERGED PARTNER:FILE...
# (EXPECTED_UNIQUE and EXPECTED_MERGED 0: not known, not checked)
# RUNS repetitions of fresh database + every file ingested in order; prints the table
# and the JSON line.
bench() {
  local backend=$1 label=$2 expected=$3 unique=$4 merged=$5
  shift 5
  local inputs=("$@") i db runlog t0 t1 pf partner file
  local results=$log_dir/$backend-$label.runs
  : >"$results"
  echo
  echo "== $label on $backend: $expected objects, ${#inputs[@]} file(s), $runs run(s) =="
  for ((i = 1; i <= runs; i++)); do
    runlog=$log_dir/$backend-$label-$i
    : >"$runlog.summaries"
    : >"$runlog.rss"
    if [[ $backend == sqlite ]]; then
      db=$db_dir/$label-sqlite.db
      sqlite_fresh "$db"
      db="sqlite:$db"
    else
      pg_fresh
      db=$pg_url
    fi
    cat "${inputs[@]#*:}" >/dev/null   # page cache warm for every run alike
    t0=$(now_ns)
    for pf in "${inputs[@]}"; do
      partner=${pf%%:*} file=${pf#*:}
      ingest_one "$partner" "$file" "$db" "$runlog"
    done
    t1=$(now_ns)
    local bytes
    if [[ $backend == sqlite ]]; then bytes=$(sqlite_bytes "$db_dir/$label-sqlite.db"); else bytes=$(pg_bytes); fi
    echo "$i $((t1 - t0)) $bytes $runlog" >>"$results"
    printf '  run %d: %.2f s\n' "$i" "$(awk -v n="$((t1 - t0))" 'BEGIN { print n / 1e9 }')"
  done
  python3 - "$results" "$backend" "$label" "$expected" "$unique" "$merged" <<'EOF'
import json, statistics, sys
results, backend, label, expected, unique, merged = sys.argv[1:7]
merged = int(merged)
REQUIRED = ("objects", "new", "updated", "duplicates", "quarantined", "seconds")
OPTIONAL = ("merged", "records")
expected, unique = int(expected), int(unique)
runs = []
for line in open(results):
    i, ns, size, log = line.split()
    sums = dict.fromkeys(REQUIRED, 0)
    for s in map(json.loads, open(log + ".summaries")):
        for k in REQUIRED:
            sums[k] += s[k]
        for k in OPTIONAL:       # reported by some versions of the summary
            if isinstance(s.get(k), int):
                sums[k] = sums.get(k, 0) + s[k]
    rss = max((int(x) for x in open(log + ".rss") if x.strip()), default=0)
    wall = int(ns) / 1e9
    runs.append({"run": int(i), "seconds": round(wall, 3),
                 "objects_per_second": round(expected / wall) if wall else 0,
                 "tessera_seconds": round(sums.pop("seconds"), 3), **sums,
                 "peak_rss_mib": round(rss / 1024, 1), "db_mib": round(int(size) / 2**20, 1)})
cols = [("run", "run", "{}"), ("seconds", "wall s", "{:.2f}"), ("objects_per_second", "objects/s", "{:,}"),
        ("tessera_seconds", "tessera s", "{:.2f}"), ("objects", "objects", "{:,}"), ("new", "new", "{:,}"),
        ("updated", "updated", "{:,}"), ("duplicates", "duplicates", "{:,}"),
        ("quarantined", "quarantined", "{:,}"), ("peak_rss_mib", "peak RSS MiB", "{:.1f}"),
        ("db_mib", "db MiB", "{:.1f}")]
for k in OPTIONAL:
    if all(k in r for r in runs):
        cols.insert(-3, (k, k, "{:,}"))
def med(k):
    return statistics.median(r[k] for r in runs)
median = {k: med(k) for k, _, _ in cols if k != "run"}
for k in ("objects_per_second", "objects", "new", "updated", "duplicates", "quarantined") + OPTIONAL:
    if k not in median:
        continue
    median[k] = round(median[k])
rows = [[f.format(r[k]) for k, _, f in cols] for r in runs]
rows.append(["median"] + [f.format(median[k]) for k, _, f in cols[1:]])
head = [h for _, h, _ in cols]
width = [max(len(x) for x in col) for col in zip(head, *rows)]
for row in [head] + rows:
    print("  " + "  ".join(x.rjust(w) for x, w in zip(row, width)))
notes = []
if any(r["objects"] != expected for r in runs):
    notes.append(f"objects reported differ from the {expected:,} in the input")
if unique and any(r["new"] != unique for r in runs):
    notes.append(f"new objects differ from the {unique:,} unique objects the generator expects "
                 "(updated/duplicates split, or dedup rules that differ from the manifest's)")
if merged and any("merged" in r and r["merged"] != merged for r in runs):
    notes.append(f"merged differs from the {merged:,} duplicates under another id the generator expects")
if unique and any(r["updated"] for r in runs):
    notes.append("objects were updated: the corpus has no second version of anything")
if any(r["quarantined"] for r in runs):
    notes.append("some records were quarantined")
for n in notes:
    print(f"  note: {n}")
print(json.dumps({"bench": "store-ingest", "backend": backend, "corpus": label,
                  "objects": expected, "expected_unique": unique or None,
                  "expected_merged": merged or None,
                  "median_seconds": round(median["seconds"], 3),
                  "median_objects_per_second": median["objects_per_second"],
                  "runs": runs}, separators=(",", ":")))
EOF
}

# ---------------------------------------------------------------- the benchmarks

backends=()
[[ ${SKIP_SQLITE:-0} != 1 ]] && backends+=(sqlite)
if [[ -n $pg_url ]]; then
  backends+=(postgres)
else
  echo "(TESSERA_BENCH_POSTGRES_URL not set: PostgreSQL skipped)"
fi

if [[ ${SKIP_CORPUS:-0} != 1 ]]; then
  read -r corpus_objects corpus_unique corpus_merged < <(python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
print(m["objects"], m["expected_unique"], m.get("expected_merged", 0))' "$corpus/manifest.json")
  inputs=()
  for pf in "${corpus_files[@]}"; do
    inputs+=("${pf%% *}:$corpus/${pf#* }")
  done
  for b in "${backends[@]}"; do
    bench "$b" "$(basename "$corpus")" "$corpus_objects" "$corpus_unique" "$corpus_merged" "${inputs[@]}"
  done
fi

if [[ ${SKIP_ATTACK:-0} != 1 ]]; then
  if [[ -f $attack ]]; then
    attack_objects=$(python3 -c '
import json, sys
print(len(json.load(open(sys.argv[1]))["objects"]))' "$attack")
    for b in "${backends[@]}"; do
      # No expected counts: the bundle's own ids decide (0 skips the checks).
      bench "$b" "$(basename "$attack" .json)" "$attack_objects" 0 0 "mitre-attack:$attack"
    done
  else
    echo
    echo "($attack not found: ATT&CK bundle skipped)"
  fi
fi

if [[ " ${backends[*]} " == *" sqlite "* && ${SKIP_CORPUS:-0} != 1 ]]; then
  echo
  echo "last SQLite database kept for bench/store/query_latency.sh: $db_dir/$(basename "$corpus")-sqlite.db"
fi
