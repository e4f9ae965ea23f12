#!/usr/bin/env python3
"""Fails on an #include that crosses a module border the wrong way.

Modules live in src/<module>/. Each may include itself and the modules listed
before it in MODULES, with the exceptions in DESIGN.md:
  - store knows stix but no format: it must not include formats or normalize;
  - server, taxii and cli wire modules together: they may include any module
    except cli (only cli includes cli).
Also fails when a header (.h) outside THIRD_PARTY_HEADER_ALLOWLIST includes a
third-party header (simdjson, SQLite, libpq, cpp-httplib, CLI11): those types
stay inside the adapter that wraps them (STYLE.md, "Modules and their borders").

Usage: tools/check_layering.py [--root DIR] [--self-test]
Exit status: 0 clean, 1 violations, 2 usage or self-test failure.
Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

# Dependency order: a module may include only itself and modules earlier here.
MODULES = [
    "core",
    "stix",
    "normalize",
    "warninglists",
    "formats",
    "store",
    "governance",
    "incentives",
    "analysis",
    "taxii",
    "server",
    "cli",
]

# Modules that wire the others together: may include anything but cli.
WIRING_MODULES = {"server", "taxii", "cli"}

# (module, forbidden include, reason): applied on top of the order.
EXTRA_FORBIDDEN = [
    ("store", "formats", "store knows stix but no format; DESIGN.md"),
    ("store", "normalize", "store knows stix but no format; DESIGN.md"),
    ("formats", "store", "formats never link the store; STYLE.md"),
]

# Headers (repo-relative paths, e.g. "src/store/sqlite/sqlite_handle.h") that
# may include third-party headers because they are the adapter's own internals.
THIRD_PARTY_HEADER_ALLOWLIST: set[str] = set()

# Third-party headers that must not leak into our headers.
THIRD_PARTY_HEADER_RE = re.compile(
    r"^(simdjson\.h|simdjson/.*|sqlite3\.h|libpq-fe\.h|httplib\.h|CLI/.*)$"
)

SOURCE_SUFFIXES = {".h", ".cc", ".hpp", ".cpp"}
HEADER_SUFFIXES = {".h", ".hpp"}

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def include_rule(module: str, target: str) -> str | None:
    """Returns why `module` must not include `target`, or None if allowed."""
    if target == module:
        return None
    if target == "cli":
        return "only cli includes cli"
    for mod, forbidden, reason in EXTRA_FORBIDDEN:
        if mod == module and forbidden == target:
            return reason
    if module in WIRING_MODULES:
        return None
    if MODULES.index(target) > MODULES.index(module):
        return f"{target} is above {module} in the layer order"
    return None


def strip_block_comments(text: str) -> str:
    """Blanks /* ... */ comments but keeps line numbers."""
    return re.sub(
        r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.DOTALL
    )


def check_file(rel_path: str, text: str) -> list[Violation]:
    """Checks one file; rel_path is relative to the repo root (src/<module>/...)."""
    parts = Path(rel_path).parts
    if len(parts) < 3 or parts[0] != "src":
        return []
    module = parts[1]
    suffix = Path(rel_path).suffix
    if suffix not in SOURCE_SUFFIXES:
        return []
    if module not in MODULES:
        return [
            Violation(
                rel_path,
                1,
                f"src/{module}/ is not a known module "
                "(add it to MODULES in tools/check_layering.py)",
            )
        ]
    violations = []
    is_header = suffix in HEADER_SUFFIXES
    for lineno, line in enumerate(strip_block_comments(text).splitlines(), start=1):
        m = INCLUDE_RE.match(line)
        if not m:
            continue
        delim, target_path = m.group(1), m.group(2)
        if delim == '"' and "/" in target_path:
            target = target_path.split("/", 1)[0]
            if target in MODULES:
                reason = include_rule(module, target)
                if reason:
                    violations.append(
                        Violation(
                            rel_path,
                            lineno,
                            f"module {module} must not include {target} ({reason})",
                        )
                    )
        if (
            is_header
            and THIRD_PARTY_HEADER_RE.match(target_path)
            and rel_path not in THIRD_PARTY_HEADER_ALLOWLIST
        ):
            violations.append(
                Violation(
                    rel_path,
                    lineno,
                    f"header must not include third-party <{target_path}> "
                    "(keep it in the .cc of the adapter that wraps it; "
                    "forward-declare or use a pimpl)",
                )
            )
    return violations


def check_tree(root: Path) -> tuple[list[Violation], int]:
    src = root / "src"
    violations: list[Violation] = []
    files = 0
    if not src.is_dir():
        return violations, files
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.suffix not in SOURCE_SUFFIXES:
                continue
            rel = path.relative_to(root).as_posix()
            if len(Path(rel).parts) < 3:
                continue  # files directly in src/ belong to no module
            files += 1
            text = path.read_text(encoding="utf-8", errors="replace")
            violations.extend(check_file(rel, text))
    return violations, files


def self_test() -> int:
    cases = [
        # (path, source, expected messages (substring per violation, in order))
        ("src/core/a.h", '#include "core/result.h"\n', []),
        ("src/stix/a.cc", '#include "core/result.h"\n#include "stix/spec.h"\n', []),
        ("src/stix/a.cc", '#include "normalize/url.h"\n', ["module stix must not include normalize"]),
        ("src/core/a.h", '#include "cli/main.h"\n', ["module core must not include cli (only cli"]),
        ("src/formats/a.cc", '#include "normalize/ip.h"\n', []),
        ("src/warninglists/a.cc", '#include "normalize/ip.h"\n#include "stix/bundle.h"\n', []),
        ("src/warninglists/a.cc", '#include "formats/x.h"\n', ["module warninglists must not include formats"]),
        ("src/formats/a.cc", '#include "warninglists/warninglist.h"\n', []),
        ("src/formats/a.cc", '\n#include "store/store.h"\n', ["a.cc:2: module formats must not include store"]),
        ("src/store/a.cc", '#include "stix/spec.h"\n', []),
        ("src/store/sqlite/b.cc", '#include "formats/x.h"\n', ["module store must not include formats"]),
        ("src/store/a.h", '#include "normalize/ip.h"\n', ["module store must not include normalize"]),
        ("src/governance/a.cc", '#include "store/store.h"\n', []),
        ("src/taxii/a.cc", '#include "server/router.h"\n', []),
        ("src/server/a.cc", '#include "taxii/api.h"\n#include "store/s.h"\n', []),
        ("src/server/a.cc", '#include "cli/flags.h"\n', ["module server must not include cli"]),
        ("src/cli/a.cc", '#include "cli/x.h"\n#include "server/s.h"\n', []),
        ("src/analysis/a.cc", '#include "taxii/x.h"\n', ["module analysis must not include taxii"]),
        # Includes without a module prefix, system headers, comments.
        ("src/core/a.cc", '#include "result.h"\n#include <string>\n', []),
        ("src/core/a.cc", '// #include "cli/x.h"\n/* #include "cli/y.h"\n*/\n', []),
        ("src/core/a.cc", '  #  include "stix/x.h"\n', ["module core must not include stix"]),
        # Third-party headers leaking into headers.
        ("src/core/json.cc", "#include <simdjson.h>\n", []),
        ("src/core/json.h", "#include <simdjson.h>\n", ["header must not include third-party <simdjson.h>"]),
        ("src/store/sqlite/db.h", "#include <sqlite3.h>\n", ["third-party <sqlite3.h>"]),
        ("src/store/pg/db.h", '#include "libpq-fe.h"\n', ["third-party <libpq-fe.h>"]),
        ("src/server/http.h", "#include <httplib.h>\n", ["third-party <httplib.h>"]),
        ("src/cli/app.h", "#include <CLI/CLI.hpp>\n", ["third-party <CLI/CLI.hpp>"]),
        ("src/cli/app.cc", "#include <CLI/CLI.hpp>\n", []),
        # Unknown module directory, files outside src/.
        ("src/extras/a.cc", "", ["src/extras/ is not a known module"]),
        ("tests/a.cc", '#include "cli/x.h"\n', []),
        ("src/core/notes.md", '#include "cli/x.h"\n', []),
    ]
    failures = 0
    for path, text, expected in cases:
        got = [str(v) for v in check_file(path, text)]
        ok = len(got) == len(expected) and all(e in g for e, g in zip(expected, got))
        if not ok:
            failures += 1
            print(f"self-test FAILED: {path}: {text!r}\n  expected {expected}\n  got      {got}")
    # Every pair in the order is decided (no exceptions from the rule table).
    for a in MODULES:
        for b in MODULES:
            include_rule(a, b)
    if failures:
        print(f"check_layering self-test: {failures} of {len(cases)} cases failed")
        return 2
    print(f"check_layering self-test: all {len(cases)} cases passed")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="repository root (default: the parent of tools/)",
    )
    parser.add_argument(
        "--self-test", action="store_true", help="check the rules on built-in examples"
    )
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    violations, files = check_tree(args.root)
    for v in violations:
        print(v)
    if violations:
        print(f"check_layering: {len(violations)} violation(s) in {files} files under src/")
        return 1
    print(f"check_layering: OK ({files} files under src/, {len(MODULES)} modules in order)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
