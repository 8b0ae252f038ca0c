#!/usr/bin/env python3
"""The parse-only floor: read and parse every file of the given cluster directories with the
linter's own readers, and nothing else (no discovery, resolution, references or rules).

Files are dispatched by name as the linter's readers expect them: ``*.properties`` (Liferay's
7.4 dialect and encoding), JGroups and Ehcache XML (through ``xml_safe`` and the stack and cache
models), OSGi ``.config``/``.cfg`` under ``osgi/configs``, JVM flags in ``setenv.sh``,
``setenv.bat`` and ``jvm.options``, and ``liferay-ha.toml`` manifests. Files are read as ``check``
reads them: bounded, and confined to the audited tree (a symbolic link out of it is refused).
This is the least any audit of the same files must do; ``bench/run.py`` runs it as a whole process beside ``check`` on
the same tree (like with like) and also reports the in-process time this script prints.

Usage: ``python bench/parse_only.py DIR... [--json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

JVM_FILES = frozenset({"setenv.sh", "setenv.bat", "jvm.options"})


def _kind(path: Path) -> str | None:
    name = path.name
    if name.endswith(".properties"):
        return "properties"
    if name.endswith(".xml"):
        with open(path, "rb") as handle:
            head = handle.read(2048)
        return "ehcache" if b"<ehcache" in head else "jgroups"
    if name.endswith((".config", ".cfg")) and path.parent.name == "configs":
        return "osgi"
    if name in JVM_FILES:
        return "jvm"
    if name == "liferay-ha.toml":
        return "manifest"
    return None


def collect(roots: list[Path]) -> list[tuple[str, Path, Path]]:
    """(kind, file, the real path of the directory it was found under) for every known file."""
    out: list[tuple[str, Path, Path]] = []
    for root in roots:
        real = Path(os.path.realpath(root))
        for directory, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                path = Path(directory, name)
                kind = _kind(path)
                if kind is not None:
                    out.append((kind, path, real))
    return out


def parse_all(files: list[tuple[str, Path, Path]]) -> dict[str, int]:
    """Parse every file; returns how many entries of each kind were read (so nothing is skipped)."""
    import tomllib

    from linter.sources.ehcache import load_ehcache
    from linter.sources.files import Limits
    from linter.sources.jgroups import load_jgroups_xml
    from linter.sources.jvm_flags import read_jvm_flags
    from linter.sources.osgi_config import read_osgi_config
    from linter.sources.properties import dialect_for, encoding_for, read_properties

    dialect, encoding = dialect_for("7.4"), encoding_for("7.4")
    counts: dict[str, int] = {}
    cwd = os.getcwd()
    for kind, path, root in files:
        display = os.path.relpath(path, cwd)
        limits = Limits(roots=(root,))  # bounded reads confined to the audited tree, as check reads
        size: int
        if kind == "properties":
            size = len(read_properties(path, display, encoding=encoding, dialect=dialect, limits=limits).entries)
        elif kind == "jgroups":
            size = len(load_jgroups_xml(path, display, limits).protocols)
        elif kind == "ehcache":
            size = len(load_ehcache(path, display, limits).caches)
        elif kind == "osgi":
            size = len(read_osgi_config(path, display, limits).entries)
        elif kind == "jvm":
            size = len(read_jvm_flags(path, display, limits).flags)
        else:
            with open(path, "rb") as handle:
                size = len(tomllib.load(handle))
        counts[kind] = counts.get(kind, 0) + size
    return counts


def _import_readers() -> None:
    """Import the readers (and lxml) before the clock starts: the in-process figure is parsing only."""
    import importlib

    for name in ("ehcache", "jgroups", "jvm_flags", "osgi_config", "properties", "xml_safe"):
        importlib.import_module(f"linter.sources.{name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true", help="print the counts and timings as JSON")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    _import_readers()
    imported = time.perf_counter()
    files = collect(args.dirs)
    counts = parse_all(files)
    elapsed = time.perf_counter() - imported
    if args.json:
        print(json.dumps({"files": len(files), "entries": counts, "seconds": elapsed, "imports": imported - start}))
    else:
        print(f"parsed {len(files)} files in {elapsed:.3f} s (imports {imported - start:.3f} s): {counts}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main())
