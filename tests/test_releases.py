"""The release axis under 7.4: release texts parse and order as Liferay names them, the gates
between releases come from Liferay's documentation, and each node's release reaches the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.cli import main
from linter.liferay.releases import boundary, jgroups_major, parse_release, search_connector


@pytest.mark.parametrize(
    ("text", "name", "key"),
    [
        ("2025.q1.12-lts", "2025.Q1 LTS", (2025, 1, 12)),
        ("2025.Q1.12-LTS-slim", "2025.Q1 LTS", (2025, 1, 12)),
        ("2026.q1", "2026.Q1", (2026, 1, -1)),
        ("2026.Q1 LTS", "2026.Q1 LTS", (2026, 1, -1)),
        ("2024.q2.0", "2024.Q2", (2024, 2, 0)),
        ("7.4.13-u112", "7.4 U112", (0, 0, 112)),
        ("7.4.3.112-ga112", "7.4 GA112", (0, 0, 112)),
    ],
)
def test_release_texts_parse_as_liferay_names_them(text: str, name: str, key: tuple[int, int, int]) -> None:
    release = parse_release(text)
    assert release is not None and release.name == name and release[:3] == key


@pytest.mark.parametrize("text", ["7.4", "latest", "7.3.10-u4", "6.2", "2026", "q1"])
def test_texts_that_name_no_74_release(text: str) -> None:
    assert parse_release(text) is None


def test_releases_order_updates_before_quarterly_releases() -> None:
    texts = ["2026.q1.0-lts", "7.4.13-u112", "2025.q1.12-lts", "2025.q1.8-lts", "2024.q4.7"]
    ordered = sorted(r for t in texts if (r := parse_release(t)) is not None)
    assert [r.text for r in ordered] == ["7.4.13-u112", "2024.q4.7", "2025.q1.8-lts", "2025.q1.12-lts", "2026.q1.0-lts"]


def test_gates_follow_the_documented_switches() -> None:
    q4_2025, q1_2026, q3_2026, q4_2026 = (
        parse_release(t) for t in ("2025.q4.3", "2026.q1.0-lts", "2026.q3.0", "2026.q4.0")
    )
    assert search_connector(q4_2025) == "elasticsearch7" and search_connector(q1_2026) == "elasticsearch8"
    assert search_connector(parse_release("7.4.3.132-ga132")) == "elasticsearch7"
    assert jgroups_major(q1_2026) == 4 and jgroups_major(q3_2026) is None and jgroups_major(q4_2026) == 5
    assert q4_2025 and q1_2026 and q3_2026 and q4_2026
    assert "search connectors" in (boundary(q4_2025, q1_2026) or "")
    assert boundary(q1_2026, q3_2026) is None  # JGroups 5 in 2026.Q3 is not settled: no boundary on a guess
    assert "JGroups 4 and 5" in (boundary(q1_2026, q4_2026) or "")


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    main(["check", "--format", "json", *args])
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_each_node_release_is_in_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n"
        "  a:\n    image: liferay/dxp:2025.q1.12-lts\n"
        "  b:\n    image: liferay/dxp:2025.q1.12-lts\n"
        "  c:\n    image: liferay/dxp:2025.q1.8-lts\n"
    )
    (cluster,) = _json(capsys, "--select", "HA610", str(tmp_path))["clusters"]
    assert [(n["name"], n["liferay_version"], n["liferay_release"]) for n in cluster["nodes"]] == [
        ("a", "7.4", "2025.q1.12-lts"),
        ("b", "7.4", "2025.q1.12-lts"),
        ("c", "7.4", "2025.q1.8-lts"),
    ]


def test_a_release_given_on_the_command_line_is_every_node_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("node1", "node2"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "portal-ext.properties").write_text("cluster.link.enabled=true\n")
    (cluster,) = _json(capsys, "--liferay-version", "2026.q1.3-lts", str(tmp_path))["clusters"]
    assert cluster["liferay_version"] == "7.4"
    assert {n["liferay_release"] for n in cluster["nodes"]} == {"2026.q1.3-lts"}
