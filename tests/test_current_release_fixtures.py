"""The example clusters of current releases (``fixtures/clusters/compose-2026q1-*`` and the node
directories ``dirs-2025q1-healthy``, ``dirs-2026q1-*``): the healthy ones raise nothing, the broken
ones exactly the problems their README plants, each at the node that has it.
``compose-74-healthy`` is the compose setup on 2025.Q1 LTS."""

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


@pytest.mark.parametrize(
    "name", ["compose-74-healthy", "compose-2026q1-healthy", "dirs-2025q1-healthy", "dirs-2026q1-healthy"]
)
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


def test_hand_upgraded_2026q1_node_directories_report_their_planted_problems(
    capsys: pytest.CaptureFixture[str],
) -> None:
    es7 = "node1/osgi/configs/com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConfiguration.config"
    code, found = _found(capsys, CLUSTERS / "dirs-2026q1-broken")
    es8 = "node2/osgi/configs/com.liferay.portal.search.elasticsearch8.configuration.ElasticsearchConfiguration.config"
    assert found == {
        # 1: the elasticsearch8 file without production mode: the sidecar runs on node2
        ("HA405", "node2", es8, 1),
        # 2: the Elasticsearch 7 file kept on node1, the Elasticsearch 8 one on node2 only
        ("HA408", "node1", es7, 1),
        ("HA601", "node1", es7, None),
        ("HA601", "node1", "node1", None),
        ("HA601", "node2", "node2", None),
        ("HA601", "node2", es8, None),
    }
    assert code == 1
