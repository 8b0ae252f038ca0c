"""The example clusters of current releases (``fixtures/clusters/compose-2026q1-*``): the healthy
one raises nothing, the broken one exactly the problems its README plants, each at the node that
has it. ``compose-74-healthy`` is the same setup on 2025.Q1 LTS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.cli import main
from tests.conftest import FIXTURES

CLUSTERS = FIXTURES / "clusters"


def _found(capsys: pytest.CaptureFixture[str], cluster: Path) -> tuple[int, set[tuple[str, str, str, int | None]]]:
    code = main(["check", "--format", "json", str(cluster)])
    doc = json.loads(capsys.readouterr().out)
    out = set()
    for finding in doc["findings"]:
        location = finding["location"]
        file = Path(location["file"]).resolve().relative_to(cluster.resolve()).as_posix()
        out.add((finding["rule"], finding["node"], file, location.get("line")))
    return code, out


@pytest.mark.parametrize("name", ["compose-74-healthy", "compose-2026q1-healthy"])
def test_healthy_current_release_clusters_raise_nothing(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _found(capsys, CLUSTERS / name) == (0, set())


def test_half_upgraded_2026q1_cluster_reports_its_planted_problems(capsys: pytest.CaptureFixture[str]) -> None:
    es7 = "configs/com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConfiguration.config"
    code, found = _found(capsys, CLUSTERS / "compose-2026q1-broken")
    assert found == {
        ("HA610", "liferay-1", "docker-compose.yml", 27),  # 1: two releases, one node each
        ("HA610", "liferay-2", "docker-compose.yml", 46),
        ("HA408", "liferay-1", es7, 1),  # 2: the Elasticsearch 7 file on the 2026.Q1 node only
    }
    assert code == 1
