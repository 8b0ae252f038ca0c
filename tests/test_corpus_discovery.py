"""Every real configuration in ``../shared/corpus/real`` is discovered as an expert reads it:
which clusters, how many nodes, which Liferay version, without ``--liferay-version``.

The expectations were written by a Liferay administrator from the files alone, before the tool
was run on them (the team's notes of 2026-12-07), one line per source below. Where the tool
answers differently on purpose, the line says so and why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import pytest

from linter.cli import main
from tests.test_corpus_check import NO_CONFIGURATION_AS_GIVEN


class Seen(NamedTuple):
    cluster: str
    nodes: int
    version: str  # the family the report gives
    certain: bool  # False: the report must say the version is assumed or a range


REAL: dict[str, list[Seen] | str] = {
    # one WildFly node; its only live clue is the Elasticsearch 6 connector file (7.1-7.2). The
    # expert's "7.3 likely" rests on a commented-out path; the tool reads no comments and says the range.
    "Iakim__Liferay-Cluster-Powershell": [Seen("Iakim__Liferay-Cluster-Powershell", 1, "7.2", False)],
    "LiferayCloud__liferay-helm-chart": "helm",
    "balcsida__liferay-docker-cluster": [Seen("balcsida__liferay-docker-cluster", 2, "7.2", True)],
    "borxa__docker-liferay7-cluster": [Seen("borxa__docker-liferay7-cluster", 2, "7.2", True)],
    # a one-node compose stack (its Dockerfile is not in the source: version unknown), and two
    # Kubernetes Deployments of 3 replicas each in their own folders (image liferay7: 7.x, not which)
    "byousri__liferay-cluster-docker-kubernetes": [
        Seen("byousri__liferay-cluster-docker-kubernetes", 1, "7.4", False),
        Seen("kubernetes-liferay", 3, "7.4", False),
        Seen("PROD", 3, "7.4", False),
    ],
    "ibairuiz__liferay-helm": "helm",
    # four alternative images (SP14/SP8, unicast/multicast) in four folders; the expert reads them as
    # four setups from the README and start scripts. The files alone (three of the four folders have
    # no Dockerfile here) look like four node directories of one cluster: the tool reports the
    # differences between them (HA103 transport mismatch says they are not one cluster). Version: the
    # one Dockerfile here copies the configuration into /opt/liferay-portal-6.2-ee-sp14: 6.2, certain.
    "joolz__docker-liferay-cluster": [Seen("joolz__docker-liferay-cluster", 4, "6.2", True)],
    "roclas__dxpCluster": [Seen("roclas__dxpcluster", 2, "7.0", True)],
    # the image is a placeholder; LIFERAY_* variables say 7.x (the Dockerfile beside it names GA112)
    "s0beran0__liferay-ga112-kubernetes": [Seen("s0beran0__liferay-ga112-kubernetes", 1, "7.4", False)],
    "vasanth-canopi__liferay-cluster": [Seen("liferay-cluster-sticky-session", 2, "7.1", True)],
    **{name: "refused" for name in NO_CONFIGURATION_AS_GIVEN},
}


def _sources(shared: Path) -> list[Path]:
    return sorted(p for p in (shared / "corpus" / "real").iterdir() if p.is_dir())


def test_every_real_source_has_an_expectation(shared_dir: Path) -> None:
    assert sorted(p.name for p in _sources(shared_dir)) == sorted(REAL)


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_source_is_discovered_as_an_expert_reads_it(
    shared_dir: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    source = shared_dir / "corpus" / "real" / name
    if not source.is_dir():
        pytest.skip(f"{name} not in this corpus")
    code = main(["check", "--format", "json", str(source)])
    out, err = capsys.readouterr()
    expected = REAL[name]
    if expected == "refused":
        assert code == 2 and "no Liferay configuration found" in err
        return
    doc = json.loads(out)
    if expected == "helm":  # an unrendered chart: one finding that says so, never a green run
        assert code == 1 and doc["clusters"] == []
        assert any(f["rule"] == "HA001" and "helm template" in f["message"] for f in doc["findings"])
        return
    assert isinstance(expected, list)
    seen = [
        Seen(
            c["name"],
            len(c["nodes"]),
            c["liferay_version"],
            "assumed" not in c["version_source"] and "possible" not in c["version_source"],
        )
        for c in doc["clusters"]
    ]
    assert sorted(seen) == sorted(expected)
