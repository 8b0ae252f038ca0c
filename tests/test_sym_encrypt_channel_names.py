"""On the sym_encrypt Cluster Link stacks of the JGroups 5 releases the channel names seed the
SYM_ENCRYPT key (releases-2024-2026 §2.3, M10): custom names that differ between nodes are
reported (HA108) and a copied stack without a key is reported (HA121), but the findings never print
the names, neither in a message nor in a source snippet; ``show`` and the HTML report's settings
table replace a channel name on a sym_encrypt stack by "not shown ... name N" (equal names, equal
N), for custom and default names alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO

NAMES_DIFFER = FIXTURES / "rules" / "HA108" / "fail" / "sym-encrypt-names-differ-on-2026q4"
COPIED_STACK = FIXTURES / "rules" / "HA121" / "fail" / "sym-encrypt-copy-outside-prefix-on-2026q4"
NAMES = (
    "prod-control-7f3a9c2e41d84b6a",
    "prod-transport-0-c81d5e0a93f2",
    "prod-control-0000aaaa1111bbbb",
    "prod-transport-0-0000aaaa1111",
)


def _check(cluster: Path, fmt: str, tmp_path: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--liferay-version", "2026.q4", "--format", fmt, str(cluster)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    return result.stdout + result.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_custom_channel_names_on_sym_encrypt_are_never_printed(fmt: str, tmp_path: Path) -> None:
    for cluster, rule in ((NAMES_DIFFER, "HA108"), (COPIED_STACK, "HA121")):
        assert any(name in (cluster / "node1" / "portal-ext.properties").read_text() for name in NAMES)
        out = _check(cluster, fmt, tmp_path)
        assert rule in out
        for name in NAMES:
            assert name not in out, f"{rule} {fmt}: channel name {name} printed"


def _run(args: list[str], tmp_path: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run(
        [sys.executable, "-m", "linter", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return result.stdout + result.stderr


DEFAULT_NAMES = FIXTURES / "rules" / "HA121" / "fail" / "builtin-sym-encrypt-default-names-on-2026q4"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_show_hides_channel_names_on_sym_encrypt(fmt: str, tmp_path: Path) -> None:
    out = _run(["show", "--all", "--liferay-version", "2026.q4", "--format", fmt, str(NAMES_DIFFER)], tmp_path)
    assert "cluster.link.channel.name.control" in out
    for name in NAMES:
        assert name not in out, f"show {fmt}: channel name {name} printed"
    # the two nodes' names differ: the matrix still says so, by number
    assert "seeds the sym_encrypt key; name 1" in out and "seeds the sym_encrypt key; name 2" in out
    out = _run(["show", "--all", "--liferay-version", "2026.q4", "--format", fmt, str(DEFAULT_NAMES)], tmp_path)
    assert "cluster.link.channel.name.control" in out
    assert "liferay-channel-control" not in out and "liferay-channel-transport-0" not in out


def test_show_prints_channel_names_on_other_stacks(tmp_path: Path) -> None:
    """2026.Q1 (JGroups 4, md5 default stacks): the names are no key material and stay visible."""
    out = _run(["show", "--all", "--liferay-version", "2026.q1", "--format", "json", str(DEFAULT_NAMES)], tmp_path)
    assert "liferay-channel-control" in out


def test_html_report_hides_channel_names_on_sym_encrypt(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    _run(
        ["check", "--liferay-version", "2026.q4", "--format", "html", "--output", str(report), str(NAMES_DIFFER)],
        tmp_path,
    )
    html = report.read_text(encoding="utf-8")
    assert "cluster.link.channel.name.control" in html
    for name in NAMES:
        assert name not in html, f"HTML report: channel name {name} printed"
