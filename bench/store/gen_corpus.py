#!/usr/bin/env python3
"""Generate the ingest-benchmark corpus for the store: one STIX 2.1 bundle per partner.

Usage: gen_corpus.py OUTDIR [--objects 1000000] [--partners 10] [--seed 1] [--dup-rate 0.30]
       gen_corpus.py --self-test

Writes OUTDIR/partner-01.json ... partner-NN.json (one bundle each, one object per
line), OUTDIR/sample-values.txt (1,000 observable values found in the corpus, for
query benchmarks) and, last, OUTDIR/manifest.json (counts per kind, expected unique
objects after deduplication, seed and options). The same options and seed give
byte-identical output. Python 3 standard library only.

What the corpus holds (default proportions of all objects written; --mix changes
the first four, the per-kind duplicate rates have their own options):

  SCOs           50%  ipv4-addr 28, domain-name 24, url 20, file 16, ipv6-addr 6,
                      email-addr 6 (relative weights inside the SCO share); values in
                      Tessera's canonical form, STIX 2.1 deterministic ids (§2.9):
                      UUIDv5 in the SCO namespace over the RFC 8785 JSON of
                      {"value": ...} or, for files, {"hashes": {one hash}} (MD5,
                      SHA-1, SHA-256, SHA-512 preferred in that order).
  indicators     25%  pattern_type stix, one comparison over an observable of the
                      corpus ([domain-name:value = '...'], [file:hashes.'SHA-256' =
                      '...'], ...), valid_from; a random id per partner report.
  SDOs            5%  identities (one per partner, used as created_by_ref; one
                      "reference library" identity and 12 sector identities that
                      every partner file carries, identical), and named objects:
                      malware 30, threat-actor 20, intrusion-set 20, campaign 20,
                      tool 10 (relative weights), names from a generated vocabulary,
                      0-3 aliases each.
  relationships  20%  indicates 60 (indicator -> named SDO), uses 20 (actor, intrusion
                      set, campaign or malware -> malware or tool), targets 10 (->
                      sector identity), attributed-to 10 (campaign -> actor or
                      intrusion set, intrusion set -> actor); both ends are in the
                      same partner file.

Duplicates across partners (--dup-rate, default 30% of all objects written): a
logical object is written by 1..N partners; every copy after the first is a
duplicate. How copies look:

  SCO           the same object (same deterministic id) in several files.
  indicator     the same pattern under a different indicator id per partner,
                created_by_ref that partner, its own timestamps.
  named SDO     per partner its own id; the primary name, or an alias as name with
                every other name in aliases (so any two copies share a name or
                alias). --library-rate (20%) of named objects are "reference
                library" objects instead: every copy is the same object, same id.
  identity      library and sector identities: the same object in every file.
  relationship  the same (source, type, target) between the same logical objects,
                each partner with its own relationship id and its own ids for the
                ends (except library objects and sector identities).

Named SDOs are duplicated more (--sdo-dup-rate, 60%: well-known families and
actors are reported by many partners), indicators at --indicator-dup-rate (30%),
relationships at up to --relationship-dup-rate (30%; lower when the ends are not
shared by enough partners); the SCO duplicate rate is then set so that the whole
corpus reaches --dup-rate. manifest.json has the figures actually produced.

Expected unique objects (manifest "expected_unique", "unique_by_type"), from the generator's own bookkeeping:
SCOs by id, indicators by (pattern_type, pattern), named SDOs by logical object
(name/alias group), identities by id, relationships by (source, type, target) of
logical objects, i.e. after the store has merged the ends.
"relationships_unique_by_ref_ids" is the count by the ref ids as written (what a
store that does not map relationship ends to merged objects would keep).
"""

import argparse
import hashlib
import ipaddress
import json
import math
import os
import random
import re
import sys
import time

FORMAT_VERSION = 1

# STIX 2.1 §2.9: the namespace of SCO deterministic ids.
SCO_NAMESPACE = bytes.fromhex("00abedb4aa42466c9c01fed23315a9b7")

SCO_WEIGHTS = {"ipv4-addr": 28, "domain-name": 24, "url": 20, "file": 16,
               "ipv6-addr": 6, "email-addr": 6}
NAMED_WEIGHTS = {"malware": 30, "threat-actor": 20, "intrusion-set": 20,
                 "campaign": 20, "tool": 10}
REL_WEIGHTS = {"indicates": 60, "uses": 20, "targets": 10, "attributed-to": 10}
DEFAULT_MIX = "sco=50,indicator=25,sdo=5,relationship=20"

SECTORS = ["energy", "financial-services", "healthcare", "government", "telecommunications",
           "manufacturing", "education", "technology", "transportation", "defense",
           "retail", "utilities"]
HASH_PREFERENCE = ["MD5", "SHA-1", "SHA-256", "SHA-512"]
HASH_HEX_LEN = {"MD5": 32, "SHA-1": 40, "SHA-256": 64, "SHA-512": 128}
# Hash sets a file carries, with weights.
HASH_SETS = [(("SHA-256",), 45), (("MD5", "SHA-1", "SHA-256"), 30), (("MD5",), 10),
             (("SHA-1", "SHA-256"), 10), (("SHA-256", "SHA-512"), 5)]
TLDS = ["com", "net", "org", "info", "biz", "xyz", "top", "ru", "cn", "io", "online",
        "site", "club", "de", "uk", "br", "in", "su", "cc", "pw"]
MALWARE_TYPES = ["ransomware", "trojan", "backdoor", "remote-access-trojan", "bot", "spyware",
                 "downloader", "dropper", "keylogger", "worm", "rootkit", "webshell"]
ACTOR_TYPES = ["crime-syndicate", "nation-state", "hacker", "criminal", "activist", "spy"]
TOOL_TYPES = ["remote-access", "credential-exploitation", "network-capture",
              "vulnerability-scanning", "information-gathering", "exploitation",
              "denial-of-service"]
ONSETS = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
          "br", "dr", "kr", "st", "tr", "sh", "ch", "th", "gr", "pl", "x"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "y"]
CODAS = ["", "", "", "n", "r", "k", "x", "s", "l"]
ANIMALS = ["Bear", "Panda", "Spider", "Kitten", "Tiger", "Jackal", "Chollima", "Wolf",
           "Falcon", "Viper", "Owl", "Lynx", "Mantis", "Scorpion", "Hornet", "Typhoon"]
MALWARE_SUFFIXES = ["", "", "", " Loader", " Stealer", " RAT", " Bot", " Locker", " Miner"]
TOOL_SUFFIXES = ["", "", " Kit", " Scan", " Exec", " Dump", " Proxy"]

RESERVED_V4 = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
    "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3")]
RESERVED_V4 = [(int(n.network_address), int(n.broadcast_address)) for n in RESERVED_V4]


# ---------------------------------------------------------------- ids and times

def _uuid_text(b):
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def sco_id(type_, contributing):
    """STIX 2.1 §2.9 deterministic id. contributing: dict of the ID-contributing
    properties; RFC 8785 for these plain-ASCII-key objects is sorted keys, no spaces,
    non-ASCII kept as is (json.dumps escapes controls the way JCS does)."""
    name = json.dumps(contributing, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    b = bytearray(hashlib.sha1(SCO_NAMESPACE + name.encode("utf-8")).digest()[:16])
    b[6] = (b[6] & 0x0F) | 0x50
    b[8] = (b[8] & 0x3F) | 0x80
    return f"{type_}--{_uuid_text(b)}"


def v4_from_int(n):
    b = bytearray(n.to_bytes(16, "big"))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    return _uuid_text(b)


class DerivedIds:
    """UUIDv4-shaped ids that are a function of (seed, what, index, partner), so the
    id a partner gave an object can be recomputed wherever it is referenced."""

    def __init__(self, seed):
        self.key = hashlib.blake2b(f"tessera-bench-{seed}".encode(), digest_size=32).digest()

    def get(self, type_, what, index, partner):
        d = hashlib.blake2b(f"{what}:{index}:{partner}".encode(), key=self.key,
                            digest_size=16).digest()
        return f"{type_}--{v4_from_int(int.from_bytes(d, 'big'))}"


def timestamp(ms):
    """STIX 2.1 §3.2 timestamp: UTC, milliseconds, trailing Z."""
    t = time.gmtime(ms // 1000)
    return (f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T{t.tm_hour:02d}:"
            f"{t.tm_min:02d}:{t.tm_sec:02d}.{ms % 1000:03d}Z")


T0_MS = 1672531200000                 # 2023-01-01T00:00:00.000Z
SPAN_MS = 2 * 365 * 86400 * 1000      # timestamps fall in 2023-2024
FIXED_TS = "2023-01-01T00:00:00.000Z"  # shared (library, sector) objects


# ---------------------------------------------------------------- helpers

def apportion(total, weights):
    """Split total into integer parts proportional to weights (largest remainder)."""
    keys = list(weights)
    wsum = sum(weights[k] for k in keys)
    if wsum == 0:
        return {k: 0 for k in keys}
    raw = {k: total * weights[k] / wsum for k in keys}
    out = {k: int(raw[k]) for k in keys}
    rest = total - sum(out.values())
    for k in sorted(keys, key=lambda k: (-(raw[k] - out[k]), keys.index(k)))[:rest]:
        out[k] += 1
    return out


def geometric_extra(rng, cap):
    """Extra copies of a shared object: 1 with p 1/2, 2 with p 1/4, ... capped."""
    e = 1
    while e < cap and rng.random() < 0.5:
        e += 1
    return e


MEAN_EXTRA_UNCAPPED = 2.0


def multiplicities(rng, logical, dups, partners):
    """Copies per logical object: each >= 1 and <= partners, summing to logical + dups."""
    m = [1] * logical
    cap = partners - 1
    if cap <= 0 or logical == 0:
        return m
    budget = min(dups, logical * cap)
    passes = 0
    while budget > 0:
        passes += 1
        p_share = min(1.0, budget / (logical * MEAN_EXTRA_UNCAPPED))
        if passes > 20:
            p_share = 1.0
        for i in range(logical):
            if budget == 0:
                break
            room = partners - m[i]
            if room > 0 and rng.random() < p_share:
                e = min(geometric_extra(rng, room), budget)
                m[i] += e
                budget -= e
    return m


def logical_count(reports, dups, partners):
    """Logical objects for reports copies with about dups duplicates: at least one
    (when there are reports) and at least reports / partners (no object can have
    more copies than there are partners)."""
    if reports == 0:
        return 0
    return min(reports, max(1, reports - dups, -(-reports // partners)))


def reporters(rng, m, partners):
    """Bit mask of m distinct partners out of partners."""
    mask = 0
    for p in rng.sample(range(partners), m):
        mask |= 1 << p
    return mask


def bits(mask):
    out = []
    p = 0
    while mask:
        if mask & 1:
            out.append(p)
        mask >>= 1
        p += 1
    return out


def weighted(rng, items, cum, total):
    x = rng.random() * total
    for item, c in zip(items, cum):
        if x < c:
            return item
    return items[-1]


def make_chooser(weights):
    items = list(weights)
    cum, acc = [], 0
    for k in items:
        acc += weights[k]
        cum.append(acc)
    return lambda rng: weighted(rng, items, cum, acc)


def q(s):
    return json.dumps(s, ensure_ascii=False)


# ---------------------------------------------------------------- values

class Vocabulary:
    """Generated words and names; every name unique after lower-casing and dropping
    everything but letters and digits, so no two logical objects can merge."""

    def __init__(self, rng):
        self.rng = rng
        self.seen = set()

    def word(self):
        r = self.rng
        n = 2 if r.random() < 0.55 else 3
        return "".join(r.choice(ONSETS) + r.choice(VOWELS) for _ in range(n)) + r.choice(CODAS)

    def _unique(self, make):
        for _ in range(1000):
            name = make()
            key = re.sub(r"[^a-z0-9]", "", name.lower())
            if key and key not in self.seen:
                self.seen.add(key)
                return name
        raise RuntimeError("vocabulary exhausted")

    def name(self, type_):
        r = self.rng
        if type_ == "malware":
            return self._unique(lambda: self.word().capitalize() + r.choice(MALWARE_SUFFIXES))
        if type_ == "threat-actor":
            return self._unique(lambda: self.word().capitalize() + " " + r.choice(ANIMALS))
        if type_ == "intrusion-set":
            return self._unique(
                lambda: (f"{r.choice(['APT', 'UNC', 'TG', 'DEV'])}-{r.randint(1, 99999)}"
                         if r.random() < 0.5 else self.word().capitalize() + " Team"))
        if type_ == "campaign":
            return self._unique(lambda: "Operation " + self.word().capitalize()
                                + (" " + self.word().capitalize() if r.random() < 0.3 else ""))
        if type_ == "tool":
            return self._unique(lambda: self.word().capitalize() + r.choice(TOOL_SUFFIXES))
        raise ValueError(type_)

    def alias(self, type_):
        r = self.rng
        if type_ == "malware":
            forms = [lambda: "Win32/" + self.word().capitalize(),
                     lambda: "Trojan." + self.word().capitalize(),
                     lambda: self.word().capitalize()]
        elif type_ in ("threat-actor", "intrusion-set"):
            forms = [lambda: f"TA{r.randint(100, 999999)}", lambda: f"Group {r.randint(1, 99999)}",
                     lambda: self.word().capitalize() + " " + r.choice(ANIMALS)]
        elif type_ == "campaign":
            forms = [lambda: self.word().capitalize() + " Campaign",
                     lambda: f"C{r.randint(1000, 9999999)}"]
        else:
            forms = [lambda: self.word().capitalize(), lambda: self.word().capitalize() + "-ng"]
        return self._unique(lambda: r.choice(forms)())


class ScoValues:
    """Unique canonical observable values per SCO type."""

    def __init__(self, rng, vocab):
        self.rng = rng
        self.vocab = vocab
        self.seen = {t: set() for t in SCO_WEIGHTS}

    def _domain(self):
        r = self.rng
        label = self.vocab.word()
        if r.random() < 0.4:
            label += str(r.randint(0, 999))
        if r.random() < 0.3:
            label += "-" + self.vocab.word()
        host = label + "." + r.choice(TLDS)
        if r.random() < 0.2:
            host = r.choice(["www", "cdn", "mail", "api", "login", "update", "dl"]) + "." + host
        return host

    def _ipv4(self):
        r = self.rng
        while True:
            n = r.getrandbits(32)
            if not any(lo <= n <= hi for lo, hi in RESERVED_V4):
                return n, f"{n >> 24}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"

    def make(self, type_):
        """Returns (value-for-pattern, object-json-body, id, sample-value)."""
        r = self.rng
        seen = self.seen[type_]
        while True:
            if type_ == "ipv4-addr":
                _, v = self._ipv4()
            elif type_ == "ipv6-addr":
                # Global unicast 2400::/6 .. 2c00::; some with a run of zero groups.
                n = (r.randint(0x2400, 0x2c0f) << 112) | r.getrandbits(112)
                if r.random() < 0.5:
                    n = (n >> 64 << 64) | r.getrandbits(16)
                v = ipaddress.IPv6Address(n).compressed
            elif type_ == "domain-name":
                v = self._domain()
            elif type_ == "url":
                if r.random() < 0.15:
                    host = self._ipv4()[1]
                else:
                    host = self._domain()
                scheme = "https" if r.random() < 0.4 else "http"
                port = f":{r.choice([8080, 8443, 8000, 4443])}" if r.random() < 0.05 else ""
                segs = [self.vocab.word() for _ in range(r.randint(0, 3))]
                leaf = self.vocab.word() + r.choice([".php", ".exe", ".zip", ".html", "", ".js"])
                path = "/" + "/".join(segs + [leaf]) if r.random() < 0.9 else "/"
                query = f"?id={r.getrandbits(32):x}" if r.random() < 0.25 else ""
                v = f"{scheme}://{host}{port}{path}{query}"
            elif type_ == "email-addr":
                local = self.vocab.word()
                if r.random() < 0.5:
                    local += r.choice([".", "_", ""]) + self.vocab.word()
                if r.random() < 0.4:
                    local += str(r.randint(1, 9999))
                v = f"{local}@{self._domain()}"
            elif type_ == "file":
                algos = HASH_SETS_CHOOSER(r)
                hashes = {a: f"{r.getrandbits(4 * HASH_HEX_LEN[a]):0{HASH_HEX_LEN[a]}x}"
                          for a in algos}
                key = next(a for a in HASH_PREFERENCE if a in hashes)
                v = hashes[key]
                if v in seen:
                    continue
                seen.add(v)
                id_ = sco_id("file", {"hashes": {key: v}})
                body = ('"hashes":{' + ",".join(f'"{a}":"{h}"' for a, h in hashes.items()) + "}")
                shown = "SHA-256" if "SHA-256" in hashes else key
                pattern_key = shown if shown == "MD5" else f"'{shown}'"
                pattern = f"[file:hashes.{pattern_key} = '{hashes[shown]}']"
                return pattern, body, id_, v
            else:
                raise ValueError(type_)
            if v in seen:
                continue
            seen.add(v)
            id_ = sco_id(type_, {"value": v})
            return f"[{type_}:value = '{v}']", f'"value":{q(v)}', id_, v


HASH_SETS_CHOOSER = make_chooser({s: w for s, w in HASH_SETS})


# ---------------------------------------------------------------- output

class Bundles:
    """One bundle file per partner, one object per line."""

    def __init__(self, outdir, partners, rng):
        self.files, self.paths, self.counts = [], [], [0] * partners
        for p in range(partners):
            path = os.path.join(outdir, f"partner-{p + 1:02d}.json")
            f = open(path + ".tmp", "w", encoding="utf-8", newline="\n", buffering=1 << 20)
            f.write(f'{{"type":"bundle","id":"bundle--{v4_from_int(rng.getrandbits(128))}",'
                    f'"objects":[\n')
            self.files.append(f)
            self.paths.append(path)

    def write(self, p, obj):
        self.files[p].write(obj if self.counts[p] == 0 else ",\n" + obj)
        self.counts[p] += 1

    def close(self):
        for f, path in zip(self.files, self.paths):
            f.write("\n]}\n")
            f.close()
            os.replace(path + ".tmp", path)


def partner_name(p):
    return f"partner-{p + 1:02d}"


# ---------------------------------------------------------------- the generator

def parse_mix(text):
    mix = {}
    for part in text.split(","):
        k, _, v = part.partition("=")
        k = k.strip()
        if k not in ("sco", "indicator", "sdo", "relationship"):
            raise SystemExit(f"--mix: unknown kind '{k}' (sco, indicator, sdo, relationship)")
        mix[k] = float(v)
    for k in ("sco", "indicator", "sdo", "relationship"):
        mix.setdefault(k, 0.0)
    total = sum(mix.values())
    if total <= 0:
        raise SystemExit("--mix: all shares are zero")
    return {k: v / total for k, v in mix.items()}


def generate(args, log):
    t_start = time.monotonic()
    P, N = args.partners, args.objects
    rng = random.Random(args.seed)
    ids = DerivedIds(args.seed)
    vocab = Vocabulary(rng)
    mix = parse_mix(args.mix)
    rates = {"indicator": args.indicator_dup_rate, "named": args.sdo_dup_rate,
             "relationship": args.relationship_dup_rate}
    if P == 1:
        rates = {k: 0.0 for k in rates}

    # ---- report (object) counts per kind
    n_ind = round(N * mix["indicator"])
    n_rel = round(N * mix["relationship"])
    n_sdo_share = round(N * mix["sdo"])
    # partner identities; library and sector identities in every file
    n_ident = P + P + len(SECTORS) * P
    n_named = n_sdo_share - n_ident
    min_named = 20 * P if n_rel else 0   # enough named objects per partner for relationships
    if n_named < min_named:
        need = math.ceil((n_ident + min_named) / mix["sdo"]) if mix["sdo"] else 0
        raise SystemExit(f"--objects {N} is too small for {P} partners: the SDO share must hold "
                         f"{n_ident} identities and at least {min_named} named objects"
                         + (f" (use --objects {need} or more)" if need else ""))
    n_sco = N - n_ind - n_rel - n_sdo_share
    named_reports = apportion(n_named, NAMED_WEIGHTS)
    sco_reports = apportion(n_sco, SCO_WEIGHTS)

    # ---- named SDOs: logical objects, copies, reporters, names
    named = {}      # type -> list of dicts
    for t, nr in named_reports.items():
        u = logical_count(nr, round(nr * rates["named"]), P)
        lst = []
        for m in multiplicities(rng, u, nr - u, P):
            primary = vocab.name(t)
            k = rng.choice([0, 0, 1, 1, 1, 2, 3])
            aliases = [vocab.alias(t) for _ in range(k)]
            lst.append({"name": primary, "aliases": aliases, "mask": reporters(rng, m, P),
                        "library": rng.random() < args.library_rate,
                        "created": T0_MS + rng.randrange(SPAN_MS)})
        named[t] = lst
    # per (type, partner): logical indices that partner reports
    by_partner = {(t, p): [] for t in named for p in range(P)}
    for t, lst in named.items():
        for i, o in enumerate(lst):
            for p in bits(o["mask"]):
                by_partner[(t, p)].append(i)

    # ---- indicators: logical objects and reporters (patterns chosen after the SCOs)
    u_ind = logical_count(n_ind, round(n_ind * rates["indicator"]), P)
    ind_mask = [reporters(rng, m, P) for m in multiplicities(rng, u_ind, n_ind - u_ind, P)]
    ind_by_min = [[] for _ in range(P + 1)]   # ind_by_min[k]: indicators with >= k copies
    for i, mask in enumerate(ind_mask):
        for k in range(1, mask.bit_count() + 1):
            ind_by_min[k].append(i)
    named_by_min = {t: [[] for _ in range(P + 1)] for t in named}
    for t, lst in named.items():
        for i, o in enumerate(lst):
            for k in range(1, o["mask"].bit_count() + 1):
                named_by_min[t][k].append(i)

    # ---- relationships: logical (type, source, target) with reporters among the
    # partners that have both ends
    rel_types = make_chooser(REL_WEIGHTS)
    if n_rel and not all(named.values()):
        raise SystemExit("relationships need named SDOs of every type: "
                         "raise --objects or the sdo share")
    named_choice = make_chooser(NAMED_WEIGHTS)
    rel_dups_target = round(n_rel * rates["relationship"])
    u_rel_target = max(1, n_rel - rel_dups_target)
    p_share = min(1.0, (n_rel / u_rel_target - 1) / MEAN_EXTRA_UNCAPPED) if P > 1 else 0.0
    rels = []       # (rtype, (skind, sidx), (tkind, tidx), mask)
    rel_keys = set()
    left = n_rel
    failures = 0

    def pick_end(kinds, q_mask, want):
        """A logical object of one of kinds reported by a partner of q_mask; tries a
        few and keeps the one sharing most partners with q_mask (up to want)."""
        best, best_n = None, 0
        qs = bits(q_mask)
        for _ in range(24):
            t = rng.choice(kinds)
            if t == "sector":
                return ("sector", rng.randrange(len(SECTORS))), q_mask.bit_count()
            cand = by_partner[(t, rng.choice(qs))]
            if not cand:
                continue
            i = rng.choice(cand)
            n = (named[t][i]["mask"] & q_mask).bit_count()
            if n > best_n:
                best, best_n = (t, i), n
                if n >= want:
                    break
        return best, best_n

    while left > 0:
        rtype = rel_types(rng)
        want = 1 + geometric_extra(rng, P - 1) if rng.random() < p_share else 1
        want = min(want, left, P)
        if rtype == "indicates":
            if not ind_by_min[1]:
                failures += 1
                if failures > 100000:
                    raise SystemExit("cannot place relationships: no indicators")
                continue
            k = want
            while not ind_by_min[k]:
                k -= 1
            src = ("indicator", rng.choice(ind_by_min[k]))
            src_mask = ind_mask[src[1]]
            tgt, n = pick_end([named_choice(rng)], src_mask, want)
        else:
            if rtype == "uses":
                skinds = ["threat-actor", "intrusion-set", "campaign", "malware"]
                tkinds = ["malware", "tool"]
            elif rtype == "targets":
                skinds = ["threat-actor", "intrusion-set", "campaign", "malware"]
                tkinds = ["sector"]
            else:
                st = rng.choice(["campaign", "campaign", "intrusion-set"])
                skinds = [st]
                tkinds = ["threat-actor", "intrusion-set"] if st == "campaign" else ["threat-actor"]
            st = rng.choice(skinds)
            if not named.get(st):
                failures += 1
                if failures > 100000:
                    raise SystemExit("cannot place relationships: too few named objects")
                continue
            k = want
            while not named_by_min[st][k]:
                k -= 1
            src = (st, rng.choice(named_by_min[st][k]))
            src_mask = named[st][src[1]]["mask"]
            tgt, n = pick_end(tkinds, src_mask, want)
        key = (rtype, src, tgt)
        if tgt is None or n == 0 or src == tgt or key in rel_keys:
            failures += 1
            if failures > 100000 + 10 * n_rel:
                raise SystemExit("cannot place relationships: too few named objects")
            continue
        rel_keys.add(key)
        tgt_mask = src_mask if tgt[0] == "sector" else named[tgt[0]][tgt[1]]["mask"]
        common = bits(src_mask & tgt_mask)
        m = min(want, len(common))
        mask = 0
        for p in rng.sample(common, m):
            mask |= 1 << p
        rels.append((rtype, src, tgt, mask))
        left -= m
    del rel_keys

    # ---- SCOs take the rest of the duplicate budget
    dups_target = round(N * args.dup_rate)
    dups_other = (n_ind - u_ind) + (n_rel - len(rels)) + (n_ident - (P + 1 + len(SECTORS))) \
        + sum(named_reports[t] - len(named[t]) for t in named)
    sco_dups = max(0, dups_target - dups_other) if P > 1 else 0
    sco_dups = min(sco_dups, n_sco - u_ind)    # every indicator needs its own observable
    sco_dups_by_type = apportion(sco_dups, sco_reports)
    sco_dups_by_type = {t: sco_reports[t] - logical_count(sco_reports[t], d, P)
                        for t, d in sco_dups_by_type.items()}
    sco_dups = sum(sco_dups_by_type.values())
    u_sco = n_sco - sco_dups
    if u_sco < u_ind:
        raise SystemExit(f"{u_ind} unique indicators need as many observables; only {u_sco} SCOs")

    # ---- write: the manifest goes first and comes back last, so a directory with a
    # manifest is always complete; stale partner files from a larger run go too.
    os.makedirs(args.outdir, exist_ok=True)
    for name in os.listdir(args.outdir):
        m = re.fullmatch(r"partner-(\d\d)\.json(\.tmp)?", name)
        stale = m and (m.group(2) or int(m.group(1)) > P)
        if name in ("manifest.json", "manifest.json.tmp") or stale:
            os.remove(os.path.join(args.outdir, name))
    out = Bundles(args.outdir, P, rng)
    reports = {}
    unique = {}

    # identities
    partner_ident = [ids.get("identity", "partner", 0, p) for p in range(P)]
    library_ident = ids.get("identity", "library", 0, 0)
    sector_ident = [ids.get("identity", "sector", i, 0) for i in range(len(SECTORS))]
    library_obj = (f'{{"type":"identity","spec_version":"2.1","id":"{library_ident}",'
                   f'"created":"{FIXED_TS}","modified":"{FIXED_TS}",'
                   f'"name":"Tessera Bench Reference Library","identity_class":"organization"}}')
    sector_objs = [f'{{"type":"identity","spec_version":"2.1","id":"{sector_ident[i]}",'
                   f'"created":"{FIXED_TS}","modified":"{FIXED_TS}",'
                   f'"name":"{s.replace("-", " ").capitalize()} sector","identity_class":"class",'
                   f'"sectors":["{s}"]}}' for i, s in enumerate(SECTORS)]
    for p in range(P):
        out.write(p, f'{{"type":"identity","spec_version":"2.1","id":"{partner_ident[p]}",'
                     f'"created":"{FIXED_TS}","modified":"{FIXED_TS}",'
                     f'"name":"Partner {p + 1:02d} CERT","identity_class":"organization",'
                     f'"sectors":["{SECTORS[p % len(SECTORS)]}"]}}')
        out.write(p, library_obj)
        for s in sector_objs:
            out.write(p, s)
    reports["identity"] = n_ident
    unique["identity"] = P + 1 + len(SECTORS)

    def named_id(t, i, p):
        if named[t][i]["library"]:
            return ids.get(t, "library-" + t, i, 0)
        return ids.get(t, t, i, p)

    def named_obj(t, i, o, p, name, aliases, creator, created_ms, modified_ms):
        extra = ""
        if t == "malware":
            extra = f',"malware_types":["{MALWARE_TYPES[i % len(MALWARE_TYPES)]}"],"is_family":true'
        elif t == "threat-actor":
            extra = f',"threat_actor_types":["{ACTOR_TYPES[i % len(ACTOR_TYPES)]}"]'
        elif t == "tool":
            extra = f',"tool_types":["{TOOL_TYPES[i % len(TOOL_TYPES)]}"]'
        al = f',"aliases":{json.dumps(aliases, ensure_ascii=False)}' if aliases else ""
        return (f'{{"type":"{t}","spec_version":"2.1","id":"{named_id(t, i, p)}",'
                f'"created_by_ref":"{creator}","created":"{timestamp(created_ms)}",'
                f'"modified":"{timestamp(modified_ms)}","name":{q(name)}{al}{extra}}}')

    for t, lst in named.items():
        for i, o in enumerate(lst):
            if o["library"]:
                obj = named_obj(t, i, o, 0, o["name"], o["aliases"], library_ident,
                                o["created"], o["created"])
                for p in bits(o["mask"]):
                    out.write(p, obj)
                continue
            for p in bits(o["mask"]):
                if o["aliases"] and rng.random() < 0.3:
                    name = rng.choice(o["aliases"])
                    aliases = [o["name"]] + [a for a in o["aliases"] if a != name]
                else:
                    name = o["name"]
                    aliases = o["aliases"] if rng.random() < 0.5 else []
                c = T0_MS + rng.randrange(SPAN_MS)
                out.write(p, named_obj(t, i, o, p, name, aliases, partner_ident[p], c,
                                       c + rng.randrange(30 * 86400000)))
        reports[t] = named_reports[t]
        unique[t] = len(lst)

    # SCOs: type order shuffled within the stream so each file mixes types
    values = ScoValues(rng, vocab)
    sco_patterns = []   # pattern per logical SCO
    sample_pool = []
    sco_types = []
    for t in SCO_WEIGHTS:
        u = sco_reports[t] - sco_dups_by_type[t]
        sco_types.append((t, u, multiplicities(rng, u, sco_dups_by_type[t], P)))
        reports[t] = sco_reports[t]
        unique[t] = u
    stream = [(t, j) for t, u, _ in sco_types for j in range(u)]
    rng.shuffle(stream)
    mult = {t: m for t, _, m in sco_types}
    for t, j in stream:
        pattern, body, id_, value = values.make(t)
        obj = f'{{"type":"{t}","spec_version":"2.1","id":"{id_}",{body}}}'
        for p in bits(reporters(rng, mult[t][j], P)):
            out.write(p, obj)
        sco_patterns.append(pattern)
        sample_pool.append(value)
    del stream, mult, sco_types

    # indicators: each logical indicator over a distinct observable of the corpus
    chosen = rng.sample(range(len(sco_patterns)), u_ind)
    for i, mask in enumerate(ind_mask):
        pattern = q(sco_patterns[chosen[i]])
        for p in bits(mask):
            c = T0_MS + rng.randrange(SPAN_MS)
            ts = timestamp(c)
            out.write(p, f'{{"type":"indicator","spec_version":"2.1",'
                         f'"id":"{ids.get("indicator", "indicator", i, p)}",'
                         f'"created_by_ref":"{partner_ident[p]}","created":"{ts}","modified":"{ts}",'
                         f'"indicator_types":["malicious-activity"],"pattern":{pattern},'
                         f'"pattern_type":"stix","pattern_version":"2.1",'
                         f'"valid_from":"{timestamp(c - rng.randrange(7 * 86400000))}"}}')
    reports["indicator"] = n_ind
    unique["indicator"] = u_ind

    # relationships
    def end_id(end, p):
        kind, i = end
        if kind == "indicator":
            return ids.get("indicator", "indicator", i, p)
        if kind == "sector":
            return sector_ident[i]
        return named_id(kind, i, p)

    raw_keys = set()
    rel_by_type = {k: 0 for k in REL_WEIGHTS}
    for rtype, src, tgt, mask in rels:
        for p in bits(mask):
            s, d = end_id(src, p), end_id(tgt, p)
            raw_keys.add((s, rtype, d))
            c = T0_MS + rng.randrange(SPAN_MS)
            ts = timestamp(c)
            out.write(p, f'{{"type":"relationship","spec_version":"2.1",'
                         f'"id":"relationship--{v4_from_int(rng.getrandbits(128))}",'
                         f'"created_by_ref":"{partner_ident[p]}","created":"{ts}","modified":"{ts}",'
                         f'"relationship_type":"{rtype}","source_ref":"{s}","target_ref":"{d}"}}')
            rel_by_type[rtype] += 1
    reports["relationship"] = n_rel
    unique["relationship"] = len(rels)
    out.close()

    # sample values for query benchmarks
    k = min(args.sample_values, len(sample_pool))
    with open(os.path.join(args.outdir, "sample-values.txt"), "w", encoding="utf-8",
              newline="\n") as f:
        for v in rng.sample(sample_pool, k):
            f.write(v + "\n")

    total_unique = sum(unique.values())
    # Every copy is new, a duplicate under an id already seen, or a duplicate under
    # another id ("merged"): merged = distinct ids - unique objects.
    named_ids = sum(1 if o["library"] else o["mask"].bit_count()
                    for lst in named.values() for o in lst)
    distinct_ids = (sum(unique[t] for t in SCO_WEIGHTS) + unique["identity"] + n_ind + n_rel
                    + named_ids)
    if abs((N - total_unique) - dups_target) > max(2, N // 1000):
        log(f"note: {100 * (N - total_unique) / N:.1f}% duplicates instead of "
            f"{100 * args.dup_rate:.1f}%: the other kinds' rates (--indicator-dup-rate, "
            f"--sdo-dup-rate, --relationship-dup-rate), the number of partners or the "
            f"observables the indicators need bound what the SCOs can take")
    assert sum(reports.values()) == N == sum(out.counts), (reports, N, out.counts)
    kinds = {
        "sco": list(SCO_WEIGHTS), "indicator": ["indicator"],
        "named_sdo": list(NAMED_WEIGHTS), "identity": ["identity"],
        "relationship": ["relationship"],
    }
    by_kind = {}
    for kind, types in kinds.items():
        o = sum(reports[t] for t in types)
        u = sum(unique[t] for t in types)
        by_kind[kind] = {"objects": o, "unique": u, "duplicates": o - u,
                         "duplicate_rate": round((o - u) / o, 4) if o else 0.0}
    manifest = {
        "generator": "bench/store/gen_corpus.py",
        "format_version": FORMAT_VERSION,
        "seed": args.seed,
        "partners": P,
        "objects": N,
        "options": {"mix": args.mix, "dup_rate": args.dup_rate,
                    "indicator_dup_rate": args.indicator_dup_rate,
                    "sdo_dup_rate": args.sdo_dup_rate,
                    "relationship_dup_rate": args.relationship_dup_rate,
                    "library_rate": args.library_rate, "sample_values": args.sample_values},
        "files": [{"partner": partner_name(p), "file": os.path.basename(out.paths[p]),
                   "objects": out.counts[p], "bytes": os.path.getsize(out.paths[p])}
                  for p in range(P)],
        "objects_by_type": reports,
        "unique_by_type": unique,
        "relationships_by_type": rel_by_type,
        "kinds": by_kind,
        "expected_unique": total_unique,
        "duplicates": N - total_unique,
        "duplicate_rate": round((N - total_unique) / N, 4),
        "relationships_unique_by_ref_ids": len(raw_keys),
        "distinct_ids": distinct_ids,
        "expected_merged": distinct_ids - total_unique,
        "library_named_objects": sum(o["library"] for lst in named.values() for o in lst),
        "dedup_keys": {
            "sco": "id (STIX 2.1 deterministic)",
            "indicator": "pattern_type + pattern",
            "named_sdo": "type + name/aliases (any shared name or alias)",
            "identity": "id",
            "relationship": "(source, relationship_type, target) of the merged ends",
        },
        "sample_values": {"file": "sample-values.txt", "count": k},
        "generation_seconds": round(time.monotonic() - t_start, 2),
    }
    tmp = os.path.join(args.outdir, "manifest.json.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    os.replace(tmp, os.path.join(args.outdir, "manifest.json"))
    log(f"{N} objects in {P} files under {args.outdir}: {total_unique} unique, "
        f"{N - total_unique} duplicates ({100 * (N - total_unique) / N:.1f}%), "
        f"{manifest['generation_seconds']} s")
    return manifest


# ---------------------------------------------------------------- self-test

def self_test(vectors):
    """Checks sco_id against the reference vectors for the types generated here."""
    ok = 0
    with open(vectors, encoding="utf-8") as f:
        for line in f:
            v = json.loads(line)
            s = v["sco"]
            t = s["type"]
            if t in ("ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr"):
                c = {"value": s["value"]}
            elif t == "file" and set(s) <= {"type", "hashes"}:
                h = s["hashes"]
                k = next((a for a in HASH_PREFERENCE if a in h), next(iter(h)))
                c = {"hashes": {k: h[k]}}
            else:
                continue
            got = sco_id(t, c)
            if got != v["id"]:
                print(f"self-test: {json.dumps(s)}: got {got}, expected {v['id']}", file=sys.stderr)
                return 1
            ok += 1
    if ok == 0:
        print(f"self-test: no applicable vectors in {vectors}", file=sys.stderr)
        return 1
    print(f"self-test: {ok} SCO ids match {vectors}")
    return 0


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 2)[2],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", nargs="?", help="output directory (created)")
    ap.add_argument("--objects", type=int, default=1_000_000, help="objects in all (default 1000000)")
    ap.add_argument("--partners", type=int, default=10, help="partners, one file each (default 10)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--dup-rate", type=float, default=0.30,
                    help="share of all objects that are duplicates across partners (0.30)")
    ap.add_argument("--indicator-dup-rate", type=float, default=0.30, help="(0.30)")
    ap.add_argument("--sdo-dup-rate", type=float, default=0.60, help="named SDOs (0.60)")
    ap.add_argument("--relationship-dup-rate", type=float, default=0.30,
                    help="target; lower when ends are shared by too few partners (0.30)")
    ap.add_argument("--library-rate", type=float, default=0.20,
                    help="named SDOs every partner writes with the same id (0.20)")
    ap.add_argument("--mix", default=DEFAULT_MIX,
                    help=f"shares of all objects by kind (default {DEFAULT_MIX})")
    ap.add_argument("--sample-values", type=int, default=1000,
                    help="observable values written to sample-values.txt (1000)")
    ap.add_argument("-q", "--quiet", action="store_true")
    ap.add_argument("--self-test", nargs="?", metavar="VECTORS", const="",
                    help="check SCO ids against vectors/sco-ids.jsonl and exit")
    args = ap.parse_args(argv)
    if args.self_test is not None:
        path = args.self_test or os.path.join(here, "..", "..", "..", "shared", "vectors",
                                              "sco-ids.jsonl")
        return self_test(path)
    if not args.outdir:
        ap.error("OUTDIR is required")
    if args.partners < 1 or args.partners > 99:
        ap.error("--partners must be 1..99")
    if args.objects < 1000:
        ap.error("--objects must be at least 1000")
    for name in ("dup_rate", "indicator_dup_rate", "sdo_dup_rate", "relationship_dup_rate",
                 "library_rate"):
        if not 0.0 <= getattr(args, name) < 1.0:
            ap.error(f"--{name.replace('_', '-')} must be in [0, 1)")
    log = (lambda s: None) if args.quiet else (lambda s: print(s, file=sys.stderr))
    generate(args, log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
