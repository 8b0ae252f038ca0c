"""Per-release portal.properties defaults (issue 17): a node on a release whose defaults differ
from the 7.4 base table (the JGroups 5 releases: sym_encrypt default stacks) resolves an unset key
to that release's default, with an origin naming the release; every other release, and a node
whose release is not known, keeps the 7.4 table and its output. One table per release is shared
by all nodes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from linter.load.resolve import default_settings
from tests.conftest import REPO

CONTROL = "cluster.link.channel.properties.control"
TRANSPORT = "cluster.link.channel.properties.transport.0"


def _cluster(tmp_path: Path) -> Path:
    root = tmp_path / "cluster"
    for name in ("node1", "node2"):
        node = root / name
        node.mkdir(parents=True)
        (node / "portal-ext.properties").write_text(
            "cluster.link.enabled=true\n"
            "cluster.link.autodetect.address=db.internal:5432\n"
            "jdbc.default.url=jdbc:postgresql://db.internal:5432/lportal\n",
            encoding="utf-8",
        )
    return root


def _show(cluster: Path, *args: str) -> dict[str, dict[str, object]]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "linter", "show", "--format", "json", "--all", *args, str(cluster)],
        cwd=cluster.parent,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)["clusters"][0]["settings"]
    return {s["key"]: s["nodes"]["node1"] for s in settings}


def test_jgroups5_release_resolves_the_sym_encrypt_default_stacks(tmp_path: Path) -> None:
    shown = _show(_cluster(tmp_path), "--liferay-version", "2026.q4.2")
    assert shown[CONTROL]["value"] == "jgroups/secure/sym_encrypt/udp_control.xml"
    assert shown[TRANSPORT]["value"] == "jgroups/secure/sym_encrypt/udp_transport.xml"
    origin = shown[CONTROL]["origin"]
    assert isinstance(origin, dict)
    assert "2026.Q4" in json.dumps(origin) and "6cfe4873" in json.dumps(origin)
    assert shown["cluster.link.jmx.enabled"]["value"] == "false"


@pytest.mark.parametrize("release", [None, "2025.q1.3-lts", "2026.q1.0-lts", "2026.q3.0"])
def test_releases_without_a_delta_keep_the_74_table(tmp_path: Path, release: str | None) -> None:
    """2026.Q3 is unsettled (JGroups 4 or 5): it keeps the 7.4 table, never a guess."""
    args = ("--liferay-version", release) if release else ("--liferay-version", "7.4")
    shown = _show(_cluster(tmp_path), *args)
    assert shown[CONTROL]["value"] == "jgroups/secure/md5/udp_control.xml"
    assert "Liferay 7.4 default (portal.properties 7.4 (master 2024-12-04)" in json.dumps(shown[CONTROL]["origin"])
    assert "cluster.link.jmx.enabled" not in shown


def test_one_shared_table_per_release() -> None:
    assert default_settings("7.4", "2026.q4.1") is default_settings("7.4", "2026.q4.7-slim")
    assert default_settings("7.4", "2025.q1.1-lts") is default_settings("7.4")
    assert default_settings("7.4", "2026.q3.0") is default_settings("7.4")
    assert default_settings("7.4", "2026.q4.1") is not default_settings("7.4")
    # entries the release does not change are the base table's own objects
    key = "cluster.link.enabled"
    assert default_settings("7.4", "2026.q4.1")[key] is default_settings("7.4")[key]


def test_generated_release_table_is_current() -> None:
    from scripts.gen_release_defaults import table

    data = (REPO / "linter" / "liferay" / "data" / "portal-releases.json").read_text(encoding="utf-8")
    assert json.loads(data) == table()
