#!/usr/bin/env python3
"""Recount a gen_corpus.py corpus from its files and compare with manifest.json.

Usage: check_corpus.py DIR

Reads every partner file, applies the deduplication keys the manifest documents,
independently of the generator's bookkeeping, and checks:
  - per type: objects written and unique objects;
  - SCOs: the same id always carries the same object;
  - named SDOs: copies grouped by shared name or alias (union-find over
    lower-cased names), never two groups sharing a name;
  - relationships: unique by (source, type, target) after mapping each end to its
    logical object, and by the ref ids as written; every ref resolves inside the
    same file;
  - distinct ids, and so the duplicates under another id ("merged");
  - sample-values.txt: every value is an observable of the corpus.
Exit 0 when everything matches, 1 otherwise. Python 3 standard library only.
"""

import json
import os
import sys

SCO_TYPES = {"ipv4-addr", "ipv6-addr", "domain-name", "url", "file", "email-addr"}
NAMED_TYPES = {"malware", "threat-actor", "intrusion-set", "campaign", "tool"}


class UnionFind:
    def __init__(self):
        self.parent = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def objects_of(path):
    """Yields the objects of a bundle written one object per line (fast path), or
    falls back to json.load for any other layout."""
    with open(path, encoding="utf-8") as f:
        first = f.readline()
        if not first.startswith('{"type":"bundle"') or not first.rstrip().endswith("["):
            f.seek(0)
            yield from json.load(f)["objects"]
            return
        for line in f:
            line = line.rstrip("\n")
            if line in ("]}", ""):
                continue
            yield json.loads(line[:-1] if line.endswith(",") else line)


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    d = argv[1]
    with open(os.path.join(d, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    problems = []
    written = {}
    sco = {}                      # id -> canonical JSON
    identities = set()
    patterns = set()
    named_names = {t: UnionFind() for t in NAMED_TYPES}
    named_copies = []             # (type, partner, id, [names])
    values = set()
    rel_raw = set()
    rel_pending = []              # (partner, src, type, tgt)
    ind_pattern = {}              # (partner, id) -> pattern
    named_of = {}                 # (partner, id) -> (type, first name)
    all_ids = set()

    for fi in manifest["files"]:
        p = fi["partner"]
        ids_here = set()
        n = 0
        refs = []
        for o in objects_of(os.path.join(d, fi["file"])):
            n += 1
            t = o["type"]
            written[t] = written.get(t, 0) + 1
            ids_here.add(o["id"])
            all_ids.add(o["id"])
            if o.get("spec_version") != "2.1":
                problems.append(f"{fi['file']}: {o['id']}: spec_version")
            if t in SCO_TYPES:
                text = json.dumps(o, sort_keys=True)
                if sco.setdefault(o["id"], text) != text:
                    problems.append(f"{o['id']}: differs between copies")
                if "value" in o:
                    values.add(o["value"])
                else:
                    values.update(o["hashes"].values())
            elif t == "identity":
                identities.add(o["id"])
            elif t == "indicator":
                key = (o["pattern_type"], o["pattern"])
                patterns.add(key)
                ind_pattern[(p, o["id"])] = key
            elif t in NAMED_TYPES:
                names = [o["name"]] + o.get("aliases", [])
                uf = named_names[t]
                for a in names[1:]:
                    uf.union(names[0].lower(), a.lower())
                uf.find(names[0].lower())
                named_of[(p, o["id"])] = (t, names[0].lower())
            elif t == "relationship":
                refs += [o["source_ref"], o["target_ref"]]
                rel_raw.add((o["source_ref"], o["relationship_type"], o["target_ref"]))
                rel_pending.append((p, o["source_ref"], o["relationship_type"], o["target_ref"]))
            else:
                problems.append(f"{fi['file']}: unexpected type {t}")
        if n != fi["objects"]:
            problems.append(f"{fi['file']}: {n} objects, manifest says {fi['objects']}")
        missing = [r for r in refs if r not in ids_here]
        if missing:
            problems.append(f"{fi['file']}: {len(missing)} refs not in the file, e.g. {missing[0]}")

    def logical(p, ref):
        if (p, ref) in ind_pattern:
            return ("indicator",) + ind_pattern[(p, ref)]
        if (p, ref) in named_of:
            t, name = named_of[(p, ref)]
            return (t, named_names[t].find(name))
        return ("id", ref)

    rel_logical = {(logical(p, s), r, logical(p, t)) for p, s, r, t in rel_pending}

    unique = {"identity": len(identities), "indicator": len(patterns),
              "relationship": len(rel_logical)}
    for t in SCO_TYPES:
        unique[t] = sum(1 for i in sco if i.startswith(t + "--"))
    for t in NAMED_TYPES:
        uf = named_names[t]
        unique[t] = len({uf.find(x) for x in list(uf.parent)})

    for t, n in manifest["objects_by_type"].items():
        if written.get(t, 0) != n:
            problems.append(f"{t}: {written.get(t, 0)} written, manifest says {n}")
    for t, n in manifest["unique_by_type"].items():
        if unique.get(t, 0) != n:
            problems.append(f"{t}: {unique.get(t, 0)} unique, manifest says {n}")
    if len(rel_raw) != manifest["relationships_unique_by_ref_ids"]:
        problems.append(f"relationships by ref ids: {len(rel_raw)}, manifest says "
                        f"{manifest['relationships_unique_by_ref_ids']}")
    total = sum(unique.values())
    if total != manifest["expected_unique"]:
        problems.append(f"unique total {total}, manifest says {manifest['expected_unique']}")
    if "distinct_ids" in manifest and len(all_ids) != manifest["distinct_ids"]:
        problems.append(f"distinct ids {len(all_ids)}, manifest says {manifest['distinct_ids']}")
    if manifest.get("expected_merged", len(all_ids) - total) != len(all_ids) - total:
        problems.append(f"merged {len(all_ids) - total}, manifest says {manifest['expected_merged']}")
    with open(os.path.join(d, manifest["sample_values"]["file"]), encoding="utf-8") as f:
        sample = [line.rstrip("\n") for line in f]
    if len(sample) != manifest["sample_values"]["count"] or any(v not in values for v in sample):
        problems.append("sample-values.txt: count or values do not match the corpus")

    for msg in problems[:50]:
        print(msg, file=sys.stderr)
    if problems:
        print(f"check_corpus: {len(problems)} problems", file=sys.stderr)
        return 1
    print(f"check_corpus: {d}: {sum(written.values())} objects, {total} unique, "
          f"{len(all_ids)} distinct ids ({len(all_ids) - total} merged), relationships by "
          f"ref ids {len(rel_raw)}: matches manifest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
