#!/usr/bin/env python3
"""The raw floor: the least any audit of a cluster tree must do, with nothing of the linter.

Walks every given directory, reads every file whole, scans the lines of every ``*.properties``
file the minimal way (skip blank and comment lines, split the others on the first ``=`` or
``:``) and parses every ``*.xml`` file with ``lxml.etree.fromstring``. No models, no encodings
or dialects, no confinement, no rules, nothing imported from ``linter``: this is the reference
issue 19's budgets are measured against (``bench/run.py`` runs it as a whole process beside
``check`` and ``show`` on the same tree).

It prints what it did (files and bytes read, properties entries, XML documents and their
top-level elements) so that a test can see that every file was really read.

Usage: ``python bench/raw_floor.py DIR... [--json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from lxml import etree


def scan_properties(data: bytes) -> int:
    """The entries of a properties file, the minimal way: how many key/value lines it has."""
    entries = 0
    for raw in data.decode("utf-8", "replace").splitlines():
        line = raw.lstrip()
        if not line or line[0] in "#!":
            continue
        equals, colon = line.find("="), line.find(":")
        cut = min(i for i in (equals, colon, len(line)) if i >= 0)
        key, value = line[:cut].rstrip(), line[cut + 1 :].strip()
        if key or value:
            entries += 1
    return entries


def floor(roots: list[Path]) -> dict[str, int]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    counts = {"files": 0, "bytes": 0, "properties_files": 0, "properties_entries": 0, "xml_files": 0, "xml_elements": 0}
    for root in roots:
        for directory, _dirs, files in os.walk(root):
            for name in files:
                with open(os.path.join(directory, name), "rb") as handle:
                    data = handle.read()
                counts["files"] += 1
                counts["bytes"] += len(data)
                if name.endswith(".properties"):
                    counts["properties_files"] += 1
                    counts["properties_entries"] += scan_properties(data)
                elif name.endswith(".xml"):
                    counts["xml_files"] += 1
                    counts["xml_elements"] += len(etree.fromstring(data, parser))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true", help="print the counts and timing as JSON")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    counts = floor(args.dirs)
    elapsed = time.perf_counter() - start
    if args.json:
        print(json.dumps({**counts, "seconds": elapsed}))
    else:
        print(f"read {counts['files']} files ({counts['bytes']} bytes) in {elapsed:.3f} s: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
