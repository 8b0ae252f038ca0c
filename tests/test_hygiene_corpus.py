"""Liferay's own portal.properties, used as a node's portal-ext.properties, raises no hygiene finding.

Every key of a version's shipped file must be known to HA702 and not obsolete for HA703, and every
key its comments show as an example must be known to HA702 (some of those examples are stale: 7.4
still shows open.id.* keys that its VerifyProperties lists as modularized, so HA703 may report
them). The whole file must also pass HA701 (duplicates), HA704 (booleans), HA705 (encoding) and the
production rule HA801 (its values are the defaults).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from linter.engine import Engine, RunSettings
from linter.load.discovery import discover
from linter.load.loader import load_cluster
from linter.pack import builtin_pack_dir, load_pack
from linter.ruleapi import Rule

FILES = {
    "6.0": "portal-6.0.11-ee-sp1.properties",
    "6.1": "portal-6.1.0-ga1.properties",
    "6.2": "portal-6.2.5-ga6.properties",
    "7.0": "portal-7.4-master-2024-12-04.properties",  # no pristine 7.0-7.3 file: 7.4's stands in
    "7.3": "portal-7.4-master-2024-12-04.properties",
    "7.4": "portal-7.4-master-2024-12-04.properties",
}
# "#key=value" example lines of the shipped files (a dotted key, then '=').
_EXAMPLE = re.compile(rb"^\s*#\s*([A-Za-z][A-Za-z0-9_.\-\[\]\"$]*(?:\.[A-Za-z0-9_\-\[\]\"$]+)+)\s*=(.*)$")


@pytest.fixture(scope="module")
def rules() -> list[Rule]:
    return list(load_pack(builtin_pack_dir()))


def _run(root: Path, family: str, select: list[str], rules: list[Rule]) -> list[str]:
    found = discover([root], family)
    clusters = [load_cluster(spec, override_version=family) for spec in found.clusters]
    report = Engine(rules, RunSettings(select=select)).run(clusters, found.problems)
    return [f"{d.rule} {d.primary.file}:{d.primary.line} {d.message}" for d in report.diagnostics]


def _node(tmp_path: Path, data: bytes) -> Path:
    for name in ("node1", "node2"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "portal-ext.properties").write_bytes(data)
    return tmp_path


@pytest.mark.parametrize("family", sorted(FILES))
def test_shipped_file_raises_no_hygiene_finding(
    shared_dir: Path, tmp_path: Path, family: str, rules: list[Rule]
) -> None:
    data = (shared_dir / "corpus" / "liferay" / FILES[family]).read_bytes()
    findings = _run(_node(tmp_path, data), family, ["HA701", "HA702", "HA703", "HA704", "HA705", "HA801"], rules)
    assert findings == []


@pytest.mark.parametrize("family", sorted(FILES))
def test_documented_example_keys_are_known(shared_dir: Path, tmp_path: Path, family: str, rules: list[Rule]) -> None:
    data = (shared_dir / "corpus" / "liferay" / FILES[family]).read_bytes()
    lines = []
    for raw in data.splitlines():
        m = _EXAMPLE.match(raw)
        if m:
            lines.append(m.group(1) + b"=" + m.group(2).strip())
    assert len(lines) > 100
    findings = _run(_node(tmp_path, b"\n".join(lines) + b"\n"), family, ["HA702"], rules)
    assert findings == []
