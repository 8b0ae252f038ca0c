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

from linter.sources.ehcache import Cache, EhcacheConfig, Factory, read_ehcache  # noqa: E402
from linter.sources.jgroups import read_jgroups_xml  # noqa: E402
from linter.sources.properties import Dialect, dialect_for, parse_properties  # noqa: E402
from linter.sources.xml_safe import parse_xml  # noqa: E402

PORTAL_FILES = {
    "6.0": ("portal-6.0.11-ee-sp1.properties", "iso-8859-1", "6.0.11 EE SP1"),
    "6.1": ("portal-6.1.0-ga1.properties", "iso-8859-1", "6.1.0 GA1"),
    "6.2": ("portal-6.2.5-ga6.properties", "iso-8859-1", "6.2.5 CE GA6"),
    "7.4": ("portal-7.4-master-2024-12-04.properties", "utf-8", "7.4 (master 2024-12-04)"),
}
# Built-in XML resources: (resource name as Liferay resolves it, families, corpus file).
JGROUPS_BUILTINS = [
    (f"jgroups/{variant}/{channel}.xml", "7.0-7.4", f"jgroups/master-2024-12/{variant}/{channel}.xml")
    for variant in ("unsecure", "secure/md5", "secure/x509")
    for channel in ("udp_control", "udp_transport")
]
EHCACHE_BUILTINS = (
    [
        (f"ehcache/{name}.xml", "6.0", f"ehcache/6.0.11/{name}.xml")
        for name in (
            "hibernate",
            "hibernate-clustered",
            "liferay-multi-vm",
            "liferay-multi-vm-clustered",
            "liferay-single-vm",
        )
    ]
    + [
        (f"ehcache/{name}.xml", "6.1-6.2", f"ehcache/6.2.5/{name}.xml")
        for name in ("hibernate-clustered", "liferay-multi-vm-clustered", "liferay-single-vm")
    ]
    + [
        (f"ehcache/{name}.xml", "7.0-7.4", f"ehcache/master-2024-12/{name}.xml")
        for name in ("liferay-multi-vm", "liferay-single-vm")
    ]
)
# 7.0/7.1-era default multi-VM file (the 7.0 docs name it; later removed): a 7.x snapshot of Liferay's
# own module file, kept in corpus/real (zoltantoth0409/liferay-portal, see its PROVENANCE entry).
EHCACHE_BUILTINS_REAL = [
    (
        "ehcache/liferay-multi-vm-clustered.xml",
        "7.0-7.3",
        "zoltantoth0409__liferay-portal/modules/apps/portal-cache/portal-cache-ehcache-impl/src/main/resources/"
        "ehcache/liferay-multi-vm-clustered.xml",
    )
]
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


def _factory(f: Factory) -> list[object]:
    return [f.kind, f.class_name, f.properties_text, f.property_separator, f.line]


def _cache(c: Cache) -> list[object]:
    listeners = [_factory(f) for f in c.event_listeners]
    return [c.name, c.line, listeners, _factory(c.bootstrap) if c.bootstrap else None]


def _ehcache(config: EhcacheConfig) -> dict[str, object]:
    return {
        "manager_name": config.name,
        "peer_providers": [_factory(f) for f in config.peer_providers],
        "peer_listeners": [_factory(f) for f in config.peer_listeners],
        "default_cache": _cache(config.default_cache) if config.default_cache else None,
        "caches": [_cache(c) for c in config.caches],
    }


def builtin_table(corpus: Path) -> dict[str, list[dict[str, object]]]:
    """Facts about Liferay's built-in Ehcache and JGroups files (what they declare, with lines)."""
    out: dict[str, list[dict[str, object]]] = {"jgroups": [], "ehcache": []}
    for name, families, rel in JGROUPS_BUILTINS:
        doc = parse_xml((corpus / rel).read_bytes(), rel)
        stack = read_jgroups_xml(doc)  # type: ignore[arg-type]
        protocols = [[p.name, p.line, [[a.name, a.value, a.line] for a in p.attributes]] for p in stack.protocols]
        out["jgroups"].append({"name": name, "families": families, "source": rel, "protocols": protocols})
    sources = [(n, f, corpus / r, r) for n, f, r in EHCACHE_BUILTINS]
    sources += [(n, f, corpus.parent / "real" / r, f"real/{r}") for n, f, r in EHCACHE_BUILTINS_REAL]
    for name, families, path, rel in sources:
        doc = parse_xml(path.read_bytes(), rel)
        config = read_ehcache(doc)  # type: ignore[arg-type]
        out["ehcache"].append({"name": name, "families": families, "source": rel, **_ehcache(config)})
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
    dump("builtin-resources.json", builtin_table(corpus))
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
