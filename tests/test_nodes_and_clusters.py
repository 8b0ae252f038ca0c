"""Which services and workloads are Liferay nodes, and which nodes form which cluster, in compose
projects and Kubernetes manifests (issue: trustworthy on real clusters). Expectations written
before the runs, from what Compose and Kubernetes would start."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.cli import main

LIFERAY = "    image: liferay/portal:7.4.3.112-ga112\n"


def _clusters(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, list[str]]:
    main(["check", "--format", "json", "--verbose", *args])
    doc = json.loads(capsys.readouterr().out)
    return {c["name"]: sorted(n["name"] for n in c["nodes"]) for c in doc["clusters"]}


def _compose(tmp_path: Path, text: str, env: str | None = None) -> Path:
    (tmp_path / "docker-compose.yml").write_text(text)
    if env is not None:
        (tmp_path / ".env").write_text(env)
    return tmp_path


PROFILED = (
    "name: portal\n"
    "services:\n"
    "  liferay1:\n" + LIFERAY + "  liferay2:\n" + LIFERAY + "  liferay-debug:\n" + LIFERAY + "    profiles: [debug]\n"
)


def test_services_behind_an_inactive_profile_are_not_nodes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # docker compose up starts liferay1 and liferay2 only; the verbose notes say why liferay-debug is left out
    assert _clusters(capsys, str(_compose(tmp_path, PROFILED))) == {"portal": ["liferay1", "liferay2"]}
    main(["check", "--verbose", str(tmp_path)])
    said = " ".join(capsys.readouterr().out.split())
    assert "liferay-debug runs only with profile debug, which is not active: not checked" in said


@pytest.mark.parametrize("how", [["--profile", "debug"], ["--profile", "*"], "env"])
def test_an_active_profile_adds_its_services(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], how: list[str] | str
) -> None:
    env = "COMPOSE_PROFILES=debug,other\n" if how == "env" else None
    _compose(tmp_path, PROFILED, env)
    args = [] if how == "env" else list(how)
    assert _clusters(capsys, *args, str(tmp_path)) == {"portal": ["liferay-debug", "liferay1", "liferay2"]}


def test_services_name_the_cluster_they_belong_to(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # remote staging and live in one project: two clusters, not one of four nodes
    text = "services:\n"
    for name, cluster in (("live1", "live"), ("live2", "live"), ("staging1", "staging"), ("staging2", "staging")):
        text += f"  {name}:\n" + LIFERAY + f"    x-liferay-ha-lint: {{cluster: {cluster}}}\n"
    assert _clusters(capsys, str(_compose(tmp_path, text))) == {
        "live": ["live1", "live2"],
        "staging": ["staging1", "staging2"],
    }


def _workload(name: str, image: str, mount: str, label: str = "") -> str:
    labels = f"  labels:\n    liferay-ha-lint/cluster: {label}\n" if label else ""
    return (
        "apiVersion: apps/v1\nkind: Deployment\n"
        f"metadata:\n  name: {name}\n{labels}"
        "spec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n"
        f"        - name: main\n          image: {image}\n"
        f"          volumeMounts:\n            - name: data\n              mountPath: {mount}\n"
        "      volumes:\n        - name: data\n          persistentVolumeClaim:\n            claimName: data\n"
    )


def test_a_backup_job_mounting_the_data_folder_is_no_node(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "k8s.yaml").write_text(
        _workload("liferay", "liferay/dxp:2025.q1.12-lts", "/opt/liferay/data")
        + "---\n"
        + _workload("backup", "restic/restic:0.17", "/opt/liferay/data")
    )
    assert _clusters(capsys, str(tmp_path / "k8s.yaml")) == {"liferay": ["liferay-1", "liferay-2"]}


def test_workloads_labelled_with_their_cluster_are_split(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "k8s.yaml").write_text(
        _workload("live", "liferay/dxp:2025.q1.12-lts", "/opt/liferay/data", "live")
        + "---\n"
        + _workload("staging", "liferay/dxp:2025.q1.12-lts", "/opt/liferay/data", "staging")
    )
    assert _clusters(capsys, str(tmp_path / "k8s.yaml")) == {
        "live": ["live-1", "live-2"],
        "staging": ["staging-1", "staging-2"],
    }


def test_defaults_on_a_private_image_are_unconfirmed_infos(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a private Liferay image may carry its own portal-ext.properties: what rests on Liferay's
    # defaults there is said as an unconfirmed info, never an error that fails the gate; the same
    # workload on the official image is an error
    for image, severity in (
        ("registry.example.com/acme/liferay-dxp:7.4-custom", "info"),
        ("liferay/dxp:2025.q1.12-lts", "error"),
    ):
        (tmp_path / "k8s.yaml").write_text(_workload("liferay", image, "/opt/liferay/data"))
        main(["check", "--format", "json", "--select", "HA101", str(tmp_path / "k8s.yaml")])
        findings = json.loads(capsys.readouterr().out)["findings"]
        assert [f["severity"] for f in findings] == [severity, severity]
        assert all(("unconfirmed" in f["message"]) == (severity == "info") for f in findings)


def test_a_node_folder_with_a_dockerfile_is_the_image_it_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # as joolz/docker-liferay-cluster builds its 6.2 nodes: portal-ext.properties copied into the bundle,
    # the stack copied into a class-path folder that RUN mkdir made; the class-path reference resolves
    # there (no HA003), and the stray copy of the stack beside the Dockerfile plays no part
    stack = (
        '<config xmlns="urn:org:jgroups"><TCP bind_port="7800"/>'
        '<TCPPING initial_hosts="a[7800],b[7800]" port_range="0"/><MERGE3/></config>\n'
    )
    home = "/opt/liferay-portal-6.2-ee-sp14"
    for name in ("node1", "node2"):
        node = tmp_path / name
        node.mkdir()
        (node / "portal-ext.properties").write_text(
            "cluster.link.enabled=true\ncluster.link.channel.properties.control=myehcache/tcp.xml\n"
            "cluster.link.channel.properties.transport.0=myehcache/tcp.xml\n"
        )
        (node / "tcp.xml").write_text(stack)
        (node / "Dockerfile").write_text(
            "FROM liferay-ee-sp14\n"
            f"COPY portal-ext.properties {home}\n"
            f"RUN mkdir {home}/tomcat-7.0.62/webapps/ROOT/WEB-INF/classes/myehcache\n"
            f"COPY tcp.xml {home}/tomcat-7.0.62/webapps/ROOT/WEB-INF/classes/myehcache\n"
        )
    main(["check", "--format", "json", "--liferay-version", "6.2", "--select", "HA003,HA103", str(tmp_path)])
    doc = json.loads(capsys.readouterr().out)
    assert doc["findings"] == []
    (cluster,) = doc["clusters"]
    assert all(any(f.endswith("tcp.xml") for f in n["files"]) for n in cluster["nodes"])
    # without the Dockerfile, the same folder is a Liferay home whose class path has no myehcache/tcp.xml
    for name in ("node1", "node2"):
        (tmp_path / name / "Dockerfile").unlink()
    main(["check", "--format", "json", "--liferay-version", "6.2", "--select", "HA003", str(tmp_path)])
    assert {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]} == {"HA003"}


def test_two_portals_in_one_project_get_a_hint_to_name_their_clusters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # staging and live in one compose project, each on its own database, Cluster Link off: HA203
    # (the nodes disagree on the database) says how to declare them as two clusters
    text = "services:\n"
    for name, db in (("live", "live-db"), ("staging", "staging-db")):
        text += f"  {name}:\n" + LIFERAY + "    environment:\n"
        text += f"      LIFERAY_JDBC_PERIOD_DEFAULT_PERIOD_URL: jdbc:postgresql://{db}:5432/lportal\n"
    main(["check", "--format", "json", "--select", "HA203", str(_compose(tmp_path, text))])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert findings and all("x-liferay-ha-lint: {cluster: NAME}" in f["help"] for f in findings)


def test_a_build_context_given_as_such_is_the_image_it_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # as ibairuiz/liferay-helm's docker-image/: a Dockerfile FROM the 7.1 image copying OSGi configs;
    # given on the command line it is one node (was: refused as "no Liferay configuration found")
    context = tmp_path / "docker-image"
    (context / "config").mkdir(parents=True)
    (
        context / "config" / "com.liferay.portal.search.elasticsearch6.configuration.ElasticsearchConfiguration.config"
    ).write_text('operationMode="REMOTE"\n')
    (context / "Dockerfile").write_text("FROM liferay/dxp:7.1.10.1\nCOPY config/ /opt/liferay/osgi/configs/\n")
    main(["check", "--format", "json", str(context)])
    (cluster,) = json.loads(capsys.readouterr().out)["clusters"]
    assert cluster["liferay_version"] == "7.1" and [n["name"] for n in cluster["nodes"]] == ["docker-image"]
    assert any(f.endswith("ElasticsearchConfiguration.config") for f in cluster["nodes"][0]["files"])


def test_a_file_given_alone_checks_its_own_cluster_not_a_folder_above_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # as pre-commit passes a changed file: prod/node1/portal-ext.properties is checked with prod/node2,
    # never with unrelated node folders beside prod (the working directory holds both)
    for rel in ("prod/node1", "prod/node2", "lab-a", "lab-b"):
        (tmp_path / rel).mkdir(parents=True)
        (tmp_path / rel / "portal-ext.properties").write_text("cluster.link.enabled=true\n")
    monkeypatch.chdir(tmp_path)
    main(["check", "--format", "json", "prod/node1/portal-ext.properties"])
    (cluster,) = json.loads(capsys.readouterr().out)["clusters"]
    assert cluster["name"] == "prod" and [n["name"] for n in cluster["nodes"]] == ["node1", "node2"]
