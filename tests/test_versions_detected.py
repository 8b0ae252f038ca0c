"""Which Liferay version each node runs, told from its own evidence without --liferay-version
(issue: trustworthy on real clusters). Every expectation below was written before the run, from
what the files say to a Liferay administrator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.cli import main
from linter.liferay.detect import clues_from_image
from linter.load.dockerfile import parse_dockerfile

ES7 = "com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConfiguration.config"


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    main(["check", "--format", "json", *args])
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def _rules(doc: dict) -> list[str]:  # type: ignore[type-arg]
    return sorted(f["rule"] for f in doc["findings"])


@pytest.mark.parametrize(
    ("image", "family"),
    [
        ("liferay/portal:7.4.3.112-ga112", "7.4"),
        ("docker.io/liferay/dxp:2025.q1.12-lts", "7.4"),
        ("liferay/dxp:7.2.10-sp5-d1.6.3-20210728164918", "7.2"),
        ("registry.example.com:5000/acme/liferay-portal:7-ce-ga5-tomcat", "7.0"),
        ("acme/liferay:CE-6.2.5-ga6", "6.2"),
        ("acme/liferay-dxp:7.1.10-dxp-28", "7.1"),
        ("gcr.io/project/liferay7:v2", "7.0-7.4"),
        ("mysql:5.7", None),
        ("acme/portal:7.4", None),  # does not say Liferay
        ("liferay/portal", None),  # no tag: latest, whatever it is today
    ],
)
def test_image_references_name_their_liferay_version(image: str, family: str | None) -> None:
    clues = clues_from_image(image, "compose.yml:3")
    if family is None:
        assert clues == []
        return
    (clue,) = clues
    low, _, high = family.partition("-")
    assert min(clue.families) == low and max(clue.families) == (high or low)


def test_dockerfile_arg_in_from_and_stages_are_expanded(tmp_path: Path) -> None:
    (tmp_path / "portal-ext.properties").write_text("a=1\n")
    text = (
        "# escape=`\n"
        "ARG TAG=7.1.10-dxp-28\n"
        "FROM liferay/dxp:${TAG} AS base\n"
        "ENV LIFERAY_JVM_OPTS=-Xmx4g `\n"
        "    OTHER=1\n"
        "COPY portal-ext.properties $LIFERAY_HOME/\n"
        "RUN <<EOT\n"
        "FROM alpine:3\n"
        "EOT\n"
        "FROM base\n"
        "COPY <<EOF /opt/liferay/osgi/configs/x.config\n"
        "a=1\n"
        "EOF\n"
    )
    parsed = parse_dockerfile(text, "Dockerfile", tmp_path)
    assert parsed.image == "liferay/dxp:7.1.10-dxp-28"  # ARG default expanded, the stage followed
    assert [(v.name, v.value) for v in parsed.env] == [("LIFERAY_JVM_OPTS", "-Xmx4g"), ("OTHER", "1")]
    assert [c.target for c in parsed.copies] == ["/opt/liferay/portal-ext.properties"]  # from the stage
    assert len(parsed.notes) == 1 and "here-document" in parsed.notes[0]


def test_compose_build_args_override_the_dockerfile_default(tmp_path: Path) -> None:
    parsed = parse_dockerfile(
        "ARG TAG=7.1.10-dxp-28\nFROM liferay/dxp:${TAG}\n", "Dockerfile", tmp_path, {"TAG": "7.2.10-sp5"}
    )
    assert parsed.image == "liferay/dxp:7.2.10-sp5"
    unknown = parse_dockerfile("ARG TAG\nFROM liferay/dxp:$TAG\n", "Dockerfile", tmp_path)
    assert unknown.image is None and "TAG" in unknown.notes[0]


def _compose_built_from(tmp_path: Path, dockerfile: str, build: str = "build: .") -> Path:
    (tmp_path / "Dockerfile").write_text(dockerfile)
    (tmp_path / "docker-compose.yml").write_text(
        f"services:\n  liferay:\n    image: acme-portal:latest\n    {build}\n    deploy:\n      replicas: 2\n"
    )
    return tmp_path


def test_compose_service_built_from_arg_tagged_dockerfile_is_71(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # expected: 2 nodes, Liferay 7.1 from the Dockerfile's base image (not "no evidence, 7.4 assumed")
    _compose_built_from(tmp_path, "ARG TAG=7.1.10-dxp-28\nFROM liferay/dxp:${TAG}\n")
    doc = _check(capsys, str(tmp_path))
    (cluster,) = doc["clusters"]
    assert len(cluster["nodes"]) == 2
    assert cluster["liferay_version"] == "7.1"
    assert "liferay/dxp:7.1.10-dxp-28" in cluster["version_source"]


def test_compose_build_args_choose_the_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _compose_built_from(
        tmp_path, "ARG TAG=7.1.10-dxp-28\nFROM liferay/dxp:${TAG}\n", "build: {context: ., args: {TAG: 7.3.10-u4}}"
    )
    (cluster,) = _check(capsys, str(tmp_path))["clusters"]
    assert cluster["liferay_version"] == "7.3"


def test_stale_6x_key_does_not_outweigh_osgi_configs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # expected: the cluster is 7.4 (OSGi files exist only on 7.x), the stale key is reported by HA702
    # as unknown on 7.4, and no 6.x-only rule (HA501-HA504) speaks
    for name in ("node1", "node2", "node3"):
        configs = tmp_path / name / "osgi" / "configs"
        configs.mkdir(parents=True)
        (configs / ES7).write_text('operationMode="REMOTE"\nnetworkHostAddresses=["http://search:9200"]\n')
        (tmp_path / name / "portal-ext.properties").write_text(
            "cluster.link.enabled=true\ncluster.link.autodetect.address=db:5432\n"
            "jdbc.default.url=jdbc:postgresql://db:5432/lportal\n"
            + ("ehcache.cluster.link.replication.enabled=true\n" if name == "node2" else "")
        )
    doc = _check(capsys, str(tmp_path))
    (cluster,) = doc["clusters"]
    assert cluster["liferay_version"] == "7.4"
    assert (
        "contradicting" in cluster["version_source"]
        and "ehcache.cluster.link.replication.enabled" in cluster["version_source"]
    )
    rules = _rules(doc)
    assert "HA702" in rules and not any(r.startswith("HA50") for r in rules)


def test_nodes_of_two_versions_are_an_error_and_each_is_checked_as_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # expected: HA610 on the 6.2 outlier; the 6.x-only rule HA401 (Lucene index not replicated)
    # judges the 6.2 node, not the 7.4 ones
    props = "cluster.link.enabled=true\njdbc.default.url=jdbc:mysql://db.internal/lportal\n"
    for name in ("liferay-dxp-7.4.13-u112-a", "liferay-dxp-7.4.13-u112-b", "liferay-portal-6.2-ce-ga6"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "portal-ext.properties").write_text(props)
    doc = _check(capsys, "--select", "HA610,HA401", str(tmp_path))
    found = sorted((f["rule"], f["node"]) for f in doc["findings"])
    assert found == [("HA401", "liferay-portal-6.2-ce-ga6"), ("HA610", "liferay-portal-6.2-ce-ga6")]
    (cluster,) = doc["clusters"]
    assert cluster["liferay_version"] == "7.4"  # what most nodes run


def test_node_folders_built_from_two_base_images_are_a_version_mismatch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # expected: each folder is the image its Dockerfile builds (7.1 and 7.2): HA610 between them; the
    # config/ folder below a build context is not a node
    for name, tag in (("image-a", "7.1.10.1"), ("image-b", "7.2.10-sp5")):
        (tmp_path / name / "config").mkdir(parents=True)
        (tmp_path / name / "Dockerfile").write_text(
            f"FROM liferay/dxp:{tag}\nCOPY portal-ext.properties /opt/liferay/\n"
        )
        (tmp_path / name / "portal-ext.properties").write_text("cluster.link.enabled=true\n")
        (tmp_path / name / "config" / ES7).write_text('operationMode="REMOTE"\n')
    doc = _check(capsys, "--select", "HA610", str(tmp_path))
    assert [(c["name"], len(c["nodes"])) for c in doc["clusters"]] == [(tmp_path.name, 2)]
    assert [f["rule"] for f in doc["findings"]] == ["HA610", "HA610"]  # a tie: each side reported


def test_kubernetes_folders_beside_a_compose_project_are_their_own_clusters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docker-compose.yml").write_text("services:\n  liferay:\n    image: liferay/portal:7.4.3.112-ga112\n")
    k8s = tmp_path / "k8s" / "prod"
    k8s.mkdir(parents=True)
    (k8s / "liferay.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: liferay\nspec:\n  replicas: 2\n"
        "  template:\n    spec:\n      containers:\n        - name: liferay\n"
        "          image: liferay/portal:7.4.3.112-ga112\n"
    )
    doc = _check(capsys, str(tmp_path))
    assert sorted(len(c["nodes"]) for c in doc["clusters"]) == [1, 2]


def test_elasticsearch8_config_is_a_74_clue_without_inventing_a_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # expected: the elasticsearch8 PIDs exist only in 2026.Q1+ (7.4 family), so the nodes are 7.4 and
    # the elasticsearch8 file says so; the release stays unknown (no tag, folder or --liferay-version)
    es8 = "com.liferay.portal.search.elasticsearch8.configuration.ElasticsearchConfiguration.config"
    for name in ("node1", "node2"):
        configs = tmp_path / name / "osgi" / "configs"
        configs.mkdir(parents=True)
        (configs / es8).write_text('productionModeEnabled=B"true"\nnetworkHostAddresses=["http://search:9200"]\n')
        (tmp_path / name / "portal-ext.properties").write_text("cluster.link.enabled=true\n")
    doc = _check(capsys, str(tmp_path))
    (cluster,) = doc["clusters"]
    assert cluster["liferay_version"] == "7.4"
    assert "Elasticsearch 8 connector PID" in cluster["version_source"]
    assert [n.get("liferay_release") for n in cluster["nodes"]] == [None, None]
    assert not any(f["rule"] in ("HA405", "HA407", "HA408") for f in doc["findings"])
