#!/usr/bin/env python3
"""What SQLite alone costs for a store's random-key indexes (docs/PERFORMANCE.md,
"Store and ingest": the floor under `tessera ingest`).

Inserts N objects (a STIX-like id, a 280-byte body) and one observable value
each into two tables, in transactions of BATCH rows, WAL and synchronous=NORMAL
as the store uses, and prints the CPU seconds per variant:

  plain    the two tables keyed by insertion order only (no index on a random key)
  indexed  the same with the two indexes a store of observables cannot do
           without: object id (UNIQUE) and observable value

The difference is what two random-key B-tree inserts per object cost at this
size; Python's per-row overhead is in both and cancels. Usage:
  bench/store/sqlite_floor.py [--objects N] [--batch B] [--cache-mib M] [--dir DIR]
"""
import argparse
import os
import random
import sqlite3
import tempfile
import time
import uuid


def run(indexed, rows, observables, batch, cache_mib, directory):
    path = os.path.join(directory, "floor-%s.db" % ("indexed" if indexed else "plain"))
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA cache_size=-%d" % (cache_mib * 1024))
    unique = " UNIQUE" if indexed else ""
    db.execute("CREATE TABLE objects (seq INTEGER PRIMARY KEY, id TEXT NOT NULL%s, "
               "type TEXT NOT NULL, json TEXT NOT NULL)" % unique)
    db.execute("CREATE TABLE observables (object_seq INTEGER NOT NULL, value TEXT NOT NULL, "
               "PRIMARY KEY (object_seq, value)) WITHOUT ROWID")
    if indexed:
        db.execute("CREATE INDEX observables_value ON observables (value)")
    wall, cpu = time.perf_counter(), time.process_time()
    for first in range(0, len(rows), batch):
        db.execute("BEGIN")
        db.executemany("INSERT INTO objects VALUES (?, ?, ?, ?)", rows[first:first + batch])
        db.executemany("INSERT INTO observables VALUES (?, ?)", observables[first:first + batch])
        db.execute("COMMIT")
    db.close()  # the last checkpoint counts too
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=700_000)
    parser.add_argument("--batch", type=int, default=50_000)
    parser.add_argument("--cache-mib", type=int, default=128)
    parser.add_argument("--dir", default=tempfile.gettempdir())
    args = parser.parse_args()
    rng = random.Random(1)
    body = "x" * 280
    rows = [(i + 1, "domain-name--%s" % uuid.UUID(int=rng.getrandbits(128)), "domain-name", body)
            for i in range(args.objects)]
    observables = [(i + 1, "host%d.example%d.com" % (rng.getrandbits(30), i % 1000))
                   for i in range(args.objects)]
    cpu = {}
    for indexed in (False, True):
        wall, cpu[indexed] = run(indexed, rows, observables, args.batch, args.cache_mib, args.dir)
        print("%-8s %9d objects  %6.2f s wall  %6.2f s CPU  %5.2f µs CPU/object"
              % ("indexed" if indexed else "plain", args.objects, wall, cpu[indexed],
                 cpu[indexed] / args.objects * 1e6))
    print("two random-key index inserts per object: %.2f µs CPU"
          % ((cpu[True] - cpu[False]) / args.objects * 1e6))


if __name__ == "__main__":
    main()
