#!/usr/bin/env python3
"""What SQLite alone costs for a store's random-key indexes (docs/PERFORMANCE.md,
"Store and ingest": the floor under `tessera ingest`).

Inserts N objects (a STIX-like id, a 280-byte body) and one observable value
each into two tables, in transactions of BATCH rows, WAL and synchronous=NORMAL
as the store uses, and prints the CPU seconds per variant:

  plain    the two tables keyed by insertion order only (no index on a random key)
  indexed  the same with the two indexes a store of observables cannot do
           without: object id (UNIQUE) and observable value
  hashed   those two indexes on 64-bit hashes of id and value instead of the
           text (smaller keys; no prefix or range search on them)

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
import zlib


def Hash64(text):
    """A 63-bit hash of the text (SQLite integers are signed 64-bit)."""
    data = text.encode()
    return (zlib.crc32(data) << 31) ^ zlib.adler32(data)


def run(variant, rows, observables, batch, cache_mib, directory):
    path = os.path.join(directory, "floor-%s.db" % variant)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA cache_size=-%d" % (cache_mib * 1024))
    key = "INTEGER" if variant == "hashed" else "TEXT"
    unique = "" if variant == "plain" else " UNIQUE"
    db.execute("CREATE TABLE objects (seq INTEGER PRIMARY KEY, id %s NOT NULL%s, "
               "type TEXT NOT NULL, json TEXT NOT NULL)" % (key, unique))
    db.execute("CREATE TABLE observables (object_seq INTEGER NOT NULL, value %s NOT NULL, "
               "PRIMARY KEY (object_seq, value)) WITHOUT ROWID" % key)
    if variant != "plain":
        db.execute("CREATE INDEX observables_value ON observables (value)")
    if variant == "hashed":
        rows = [(seq, Hash64(id_), type_, body) for seq, id_, type_, body in rows]
        observables = [(seq, Hash64(value)) for seq, value in observables]
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
    for variant in ("plain", "indexed", "hashed"):
        wall, cpu[variant] = run(variant, rows, observables, args.batch, args.cache_mib, args.dir)
        print("%-8s %9d objects  %6.2f s wall  %6.2f s CPU  %5.2f µs CPU/object"
              % (variant, args.objects, wall, cpu[variant], cpu[variant] / args.objects * 1e6))
    for variant in ("indexed", "hashed"):
        print("two random-key index inserts per object, %s: %.2f µs CPU"
              % (variant, (cpu[variant] - cpu["plain"]) / args.objects * 1e6))


if __name__ == "__main__":
    main()
