#!/usr/bin/env python3
"""Generate the compact Liferay knowledge tables shipped in ``linter/liferay/data/``.

Sources (read-only, see ../shared/corpus/liferay/PROVENANCE.md):
* ``portal-<version>.properties``: Liferay's own defaults, read with our reader in the
  Liferay dialect (ISO-8859-1 for 6.x, UTF-8 for 7.4), so duplicates and commented-out list
  entries come out exactly as the portal sees them;
* ``legacy/portal-legacy-<family>.properties``: old defaults of keys whose default changed in
  the next release (used to reconstruct 7.0-7.3 from 7.4);
* ``verify-properties-legacy-keys.tsv``: VerifyProperties' obsolete/renamed/migrated/modularized
  keys for 6.2.5 and master 2024-12.

Usage: ``python scripts/gen_liferay_data.py [--shared ../shared] [--out linter/liferay/data]``.
The output is deterministic (sorted keys); ``tests/test_liferay_data.py`` checks it is current.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from linter.sources.properties import Dialect, dialect_for, parse_properties  # noqa: E402

PORTAL_FILES = {
    "6.0": ("portal-6.0.11-ee-sp1.properties", "iso-8859-1", "6.0.11 EE SP1"),
    "6.1": ("portal-6.1.0-ga1.properties", "iso-8859-1", "6.1.0 GA1"),
    "6.2": ("portal-6.2.5-ga6.properties", "iso-8859-1", "6.2.5 CE GA6"),
    "7.4": ("portal-7.4-master-2024-12-04.properties", "utf-8", "7.4 (master 2024-12-04)"),
}
LEGACY_FAMILIES = ("6.0", "6.1", "6.2", "7.0", "7.1", "7.2", "7.3", "7.4")


def portal_table(path: Path, family: str, encoding: str, label: str) -> dict[str, object]:
    data = path.read_bytes()
    parsed = parse_properties(data, path.name, encoding=encoding, dialect=dialect_for(family))
    values = parsed.values()
    lines: dict[str, int] = {}
    for entry in parsed.entries:
        lines.setdefault(entry.key, entry.line)
    return {
        "source": f"shared/corpus/liferay/{path.name}",
        "label": label,
        "sha256": hashlib.sha256(data).hexdigest(),
        "values": {k: [values[k], lines[k]] for k in sorted(values)},
    }


def legacy_table(path: Path) -> dict[str, str]:
    parsed = parse_properties(path.read_bytes(), path.name, encoding="utf-8", dialect=Dialect.LIFERAY)
    return dict(sorted(parsed.values().items()))


def verify_table(path: Path) -> dict[str, dict[str, list[list[str]]]]:
    out: dict[str, dict[str, list[list[str]]]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            kinds = out.setdefault(row["verify_properties_version"], {})
            kinds.setdefault(row["kind"], []).append(
                [row["old_key"], row["new_key"] or "", row["module_symbolic_name_prefix"] or ""]
            )
    for kinds in out.values():
        for rows in kinds.values():
            rows.sort()
    return out


def generate(shared: Path, out: Path) -> list[Path]:
    corpus = shared / "corpus" / "liferay"
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def dump(name: str, obj: object) -> None:
        target = out / name
        target.write_text(json.dumps(obj, indent=0, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)

    for family, (name, encoding, label) in PORTAL_FILES.items():
        dump(f"portal-{family}.json", portal_table(corpus / name, family, encoding, label))
    dump(
        "legacy.json",
        {f: legacy_table(corpus / "legacy" / f"portal-legacy-{f}.properties") for f in LEGACY_FAMILIES},
    )
    dump("verify-properties.json", verify_table(corpus / "verify-properties-legacy-keys.tsv"))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=REPO / "linter" / "liferay" / "data")
    args = parser.parse_args(argv)
    for path in generate(args.shared, args.out):
        print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
