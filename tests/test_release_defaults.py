"""Per-release portal.properties defaults (issue 17): a node on a release whose defaults differ
from the 7.4 base table (the changes Liferay's "Default Setting and Feature Flag Changes" pages list
for 2025.Q2, 2025.Q3, 2025.Q4 and 2026.Q2, and the JGroups 5 sym_encrypt stacks) resolves an unset
key to that release's default, with an origin naming the release and the source; a release's table
holds every change up to it. Older releases, and a node whose release is not known, keep the 7.4
table and its output. One table per release is shared by all nodes."""

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
    # 2026.Q3 has the 2025.Q2-2026.Q2 changes but not the JGroups 5 stacks (unsettled there)
    assert default_settings("7.4", "2026.q3.0") is default_settings("7.4", "2026.q3.4")
    assert default_settings("7.4", "2026.q3.0")[CONTROL] is default_settings("7.4")[CONTROL]
    assert default_settings("7.4", "2026.q4.1") is not default_settings("7.4")
    # entries the release does not change are the base table's own objects
    key = "cluster.link.enabled"
    assert default_settings("7.4", "2026.q4.1")[key] is default_settings("7.4")[key]


def test_generated_release_table_is_current() -> None:
    from scripts.gen_release_defaults import table

    data = (REPO / "linter" / "liferay" / "data" / "portal-releases.json").read_text(encoding="utf-8")
    assert json.loads(data) == table()


LEARN = "https://learn.liferay.com/w/dxp/"
Q2_PAGE = "2025-q2-default-setting-and-feature-flag-changes"
Q4_PAGE = "2025-q4-default-setting-and-feature-flag-changes"
Q26_PAGE = "2026-q2-default-setting-and-feature-flag-changes"


def _changed(shown: dict[str, dict[str, object]], key: str, value: str, release: str, page: str) -> None:
    assert shown[key]["value"] == value
    origin = json.dumps(shown[key]["origin"])
    assert f"Liferay {release} default" in origin and LEARN in origin and page in origin


def _base(shown: dict[str, dict[str, object]], key: str, value: str) -> None:
    assert shown[key]["value"] == value
    assert "Liferay 7.4 default (portal.properties 7.4 (master 2024-12-04)" in json.dumps(shown[key]["origin"])


def test_2025q2_page_size_defaults_change_and_2025q1_keeps_the_old_ones(tmp_path: Path) -> None:
    cluster = _cluster(tmp_path)
    key = "announcements.entry.page.delta.values"
    _changed(_show(cluster, "--liferay-version", "2025.q2.1"), key, "20,40,60", "2025.Q2", Q2_PAGE)
    _base(_show(cluster, "--liferay-version", "2025.q1.9-lts"), key, "4,8,20,40,60")


def test_2025q4_adds_company_mx_update_and_removes_the_mail_keys(tmp_path: Path) -> None:
    """A key the 2025.Q4 page adds resolves on 2025.Q4 and on the later 2026.Q1 LTS (cumulative);
    2025.Q3 has no such default. A key the page removes leaves the table from 2025.Q4 on."""
    cluster = _cluster(tmp_path)
    q3 = _show(cluster, "--liferay-version", "2025.q3.2")
    assert "company.mx.update" not in q3
    _base(q3, "mail.session.mail", "false")
    for release, name in (("2025.q4.0", "2025.Q4"), ("2026.q1.3-lts", "2026.Q1")):
        shown = _show(cluster, "--liferay-version", release)
        _changed(shown, "company.mx.update", "true", name, Q4_PAGE)
        assert "mail.session.mail" not in shown
        # an earlier release's change is still there
        _changed(shown, "announcements.entry.page.delta.values", "20,40,60", name, Q2_PAGE)
        # and an untouched key keeps the base default and origin
        _base(shown, "session.timeout", "15")


def test_2026q2_change_reaches_the_jgroups5_releases_too(tmp_path: Path) -> None:
    cluster = _cluster(tmp_path)
    assert "upgrade.log.progress.interval" not in _show(cluster, "--liferay-version", "2026.q1.3-lts")
    _changed(
        _show(cluster, "--liferay-version", "2026.q2.0"), "upgrade.log.progress.interval", "300000", "2026.Q2", Q26_PAGE
    )
    q4 = _show(cluster, "--liferay-version", "2026.q4.2")
    _changed(q4, "upgrade.log.progress.interval", "300000", "2026.Q4", Q26_PAGE)
    assert q4[CONTROL]["value"] == "jgroups/secure/sym_encrypt/udp_control.xml"


def test_a_key_added_in_one_release_and_removed_in_the_next(tmp_path: Path) -> None:
    cluster = _cluster(tmp_path)
    key = "analytics.cloud.domain.allowed"
    _changed(_show(cluster, "--liferay-version", "2025.q2.0"), key, "liferay.com", "2025.Q2", Q2_PAGE)
    assert key not in _show(cluster, "--liferay-version", "2025.q3.0")
