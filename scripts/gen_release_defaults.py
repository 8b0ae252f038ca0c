#!/usr/bin/env python3
"""Generate ``linter/liferay/data/portal-releases.json``: the portal.properties defaults that differ
between quarterly releases of the 7.4 family, as deltas on the 7.4 base table (``portal-7.4.json``,
liferay-portal master of 2024-12-04, the code line of 2024.Q4/2025.Q1).

What was read, and what could not be:
* No release tag of liferay/liferay-portal (``2025.q1.0-lts``, ``2026.q1.0-lts``...) could be read:
  no snapshot of the repository can be fetched here and the search index keeps master and fork
  snapshots, not tags. The deltas below are therefore taken from Liferay's own files at the
  commits named in each entry, and the releases they apply to from ``linter.liferay.releases``
  (the JGroups 5 gate: ``JGROUPS5_FROM``; 2026.Q3 stays unsettled and keeps the base table).
* Liferay's per-release "Default Setting and Feature Flag Changes" pages (learn.liferay.com) read
  for 2024.Q1, 2024.Q3, 2025.Q2, 2025.Q4 and 2026.Q2 list no change of a Cluster Link, Ehcache,
  ``dl.store.*`` or JDBC pool default (the other releases' pages were not read): releases without a
  delta share the base table, and their output is unchanged.

Each delta: the release gate it starts at, and per key the value with its source (repository,
commit, path). ``tests/test_release_defaults.py`` checks the output is current.

Usage: ``python scripts/gen_release_defaults.py [--out linter/liferay/data]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from linter.liferay.releases import JGROUPS5_FROM  # noqa: E402

_JG5_PROPERTIES = "liferay/liferay-portal@6cfe4873:portal-impl/src/portal.properties"
_JG5_TEST = (
    "liferay/liferay-portal@be475683:modules/apps/portal-cache/portal-cache-test/src/testIntegration/java/"
    "com/liferay/portal/cache/internal/test/ClusterSymEncryptTest.java (asserts both defaults)"
)

# name -> (first release (year, quarter), label, {key: (value, source)})
DELTAS: dict[str, tuple[tuple[int, int], str, dict[str, tuple[str, str]]]] = {
    "jgroups5": (
        JGROUPS5_FROM,
        "JGroups 5 code line",
        {
            "cluster.link.channel.properties.control": (
                "jgroups/secure/sym_encrypt/udp_control.xml",
                f"{_JG5_PROPERTIES}; {_JG5_TEST}",
            ),
            "cluster.link.channel.properties.transport.0": (
                "jgroups/secure/sym_encrypt/udp_transport.xml",
                f"{_JG5_PROPERTIES}; {_JG5_TEST}",
            ),
            "cluster.link.jmx.enabled": ("false", _JG5_PROPERTIES),
        },
    ),
}


def table() -> dict[str, object]:
    return {
        "base": "portal-7.4.json",
        "deltas": {
            name: {
                "from": list(first),
                "label": label,
                "values": {key: {"value": value, "source": source} for key, (value, source) in sorted(keys.items())},
            }
            for name, (first, label, keys) in sorted(DELTAS.items())
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "linter" / "liferay" / "data")
    args = parser.parse_args(argv)
    target = args.out / "portal-releases.json"
    target.write_text(json.dumps(table(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
