"""Every compose and Kubernetes source of ``../shared/corpus/real`` read as Liferay would see it.

The expectations were written from reading the corpus files themselves (and PROVENANCE.md), not
from this tool's output: which services or pods run Liferay, the version an official image tag
pins, and the effective value of each setting the source configures, with the line a user would
edit. Where the code disagrees with that reading, the test says so with a strict xfail and the
reason, rather than following the code.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from linter.cli import main
from linter.load.discovery import discover
from linter.load.loader import load_cluster
from linter.model import Cluster, Node
from linter.origin import Confidence, OriginKind, Problem, ProblemKind


@pytest.fixture(scope="module")
def real(shared_dir: Path) -> Path:
    path = shared_dir / "corpus" / "real"
    if not path.is_dir():
        pytest.skip(f"corpus of real clusters not present at {path}")
    return path


def _clusters(*paths: Path) -> tuple[list[Cluster], list[Problem]]:
    found = discover(list(paths))
    return [load_cluster(spec) for spec in found.clusters], found.problems


def _one(*paths: Path) -> Cluster:
    clusters, problems = _clusters(*paths)
    assert problems == [] and len(clusters) == 1, (problems, [c.name for c in clusters])
    return clusters[0]


def _nodes(cluster: Cluster) -> dict[str, Node]:
    return {node.name: node for node in cluster.nodes}


def _value(node: Node, key: str) -> str:
    return node.settings[key].value


def _where(node: Node, key: str) -> tuple[str, int | None]:
    """File (relative to the corpus source) and line of a setting's origin."""
    origin = node.settings[key].origin
    return origin.file, origin.line


def _rel(path: str, base: Path) -> str:
    return Path(path).resolve().relative_to(base.resolve()).as_posix()


def _check_json(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, dict[str, Any]]:
    code = main(["check", "--format", "json", *map(str, paths)])
    return code, json.loads(capsys.readouterr().out)


def _show_json(capsys: pytest.CaptureFixture[str], *paths: Path) -> dict[str, Any]:
    assert main(["show", "--all", "--format", "json", *map(str, paths)]) == 0
    doc: dict[str, Any] = json.loads(capsys.readouterr().out)
    return doc


def _shown(doc: dict[str, Any], key: str) -> dict[str, str]:
    """node -> displayed value of one setting in ``show --format json``."""
    for cluster in doc["clusters"]:
        for row in cluster["settings"]:
            if row["key"] == key:
                return {node: cell["value"] for node, cell in row["nodes"].items()}
    raise AssertionError(f"{key} not shown")


# ----------------------------------------------------------------------------- compose

BALCSIDA_URL = (
    "jdbc:mysql://database/lportal?characterEncoding=UTF-8&dontTrackOpenResources=true"
    "&holdResultsOpenOverStatementClose=true&serverTimezone=GMT&useFastDateParsing=false&useUnicode=true"
    "&useSSL=false"
)
ES6_PID = "com.liferay.portal.search.elasticsearch6.configuration.ElasticsearchConfiguration"


def test_balcsida_two_dxp_72_nodes_configured_by_liferay_env(real: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """docker-compose.yml: services liferay-1 and liferay-2 (database and search are not Liferay),
    both built from liferay/Dockerfile (FROM liferay/dxp:7.2.10-sp5-...), configured only through
    LIFERAY_* variables (lines 35-43 and 60-68), ./liferay/mnt bound at /mnt/liferay, so
    mnt/files/osgi/configs/*.config lands in /opt/liferay/osgi/configs."""
    source = real / "balcsida__liferay-docker-cluster"
    cluster = _one(source)
    assert cluster.version == "7.2"
    assert "liferay/dxp:7.2.10-sp5" in cluster.version_source and "liferay/Dockerfile:1" in cluster.version_source
    nodes = _nodes(cluster)
    assert list(nodes) == ["liferay-1", "liferay-2"]
    # value and line in liferay-1's environment (lines 35-43); liferay-2's list is the same, 25 lines down
    expected = {
        "jdbc.default.driverClassName": ("com.mysql.cj.jdbc.Driver", 35),
        "jdbc.default.url": (BALCSIDA_URL, 36),
        "jdbc.default.username": ("user", 37),
        "cluster.link.enabled": ("true", 39),
        "cluster.link.autodetect.address": ("database:3306", 40),
        "dl.store.impl": ("com.liferay.portal.store.db.DBStore", 41),
        "web.server.display.node": ("true", 42),
    }
    shift = {"liferay-1": 0, "liferay-2": 25}
    for name, node in nodes.items():
        for key, (value, line) in expected.items():
            origin = node.settings[key].origin
            assert origin.kind is OriginKind.ENV, (name, key)
            assert (_value(node, key), _rel(origin.file, source), origin.line) == (
                value,
                "docker-compose.yml",
                line + shift[name],
            ), (name, key)
        config = node.osgi_config(ES6_PID)
        assert config is not None
        assert _rel(config.path, source) == f"liferay/mnt/files/osgi/configs/{ES6_PID}.config"
        assert {e.key: e.value for e in config.entries} == {
            "operationMode": "REMOTE",
            "indexNamePrefix": "liferay-",
            "transportAddresses": "search:9300",
            "clusterName": "liferay_cluster",
        }
    # LIFERAY_JDBC_PERIOD_DEFAULT_PERIOD_PASSWORD=password (lines 38, 63): read, never shown
    assert _value(nodes["liferay-1"], "jdbc.default.password") == "password"
    shown = _shown(_show_json(capsys, source), "jdbc.default.password")
    assert set(shown) == {"liferay-1", "liferay-2"} and all("password" not in v for v in shown.values())


def test_borxa_two_nodes_of_a_720_bundle_image(real: Path) -> None:
    """docker-compose.yml: liferay-720-node-1/2 (lb-haproxy, postgres, the two Elasticsearch nodes
    and redis are not Liferay), built from liferay/Dockerfile: LIFERAY_HOME=/usr/local/liferay-ce-
    portal-7.2.0-ga1 (line 10), portal-ext.properties copied into it (line 37). Their JDBC_*/ES_*
    variables are read by entrypoint.sh, not by Liferay; the values it writes into portal-ext are the
    ones already in the file."""
    source = real / "borxa__docker-liferay7-cluster"
    cluster = _one(source)
    nodes = _nodes(cluster)
    assert list(nodes) == ["liferay-720-node-1", "liferay-720-node-2"]
    ext = "liferay/config/portal-ext.properties"
    expected = {
        "jdbc.read.driverClassName": ("org.postgresql.Driver", 8),
        "jdbc.read.url": ("jdbc:postgresql://postgres-lfr720:5432/lportal", 9),
        "jdbc.read.username": ("liferay", 10),
        "jdbc.write.url": ("jdbc:postgresql://postgres-lfr720:5432/lportal", 14),
        "web.server.display.node": ("true", 32),
        "setup.wizard.enabled": ("false", 41),
        "dl.store.impl": ("com.liferay.portal.store.file.system.AdvancedFileSystemStore", 61),
    }
    for node in nodes.values():
        assert node.home == "/usr/local/liferay-ce-portal-7.2.0-ga1"
        for key, (value, line) in expected.items():
            file, at = _where(node, key)
            assert (_value(node, key), _rel(file, source), at) == (value, ext, line), key
        # the read/write split is wired in: dynamic-data-source-spring.xml is in spring.configs (lines 76-115)
        assert "META-INF/dynamic-data-source-spring.xml" in _value(node, "spring.configs").split(",")
        assert not any(k.startswith("jdbc.") and s.origin.kind is OriginKind.ENV for k, s in node.settings.items())
    identities = {n: {m.target: m.identity for m in node.mounts} for n, node in nodes.items()}
    library = "/data/liferay/document_library"  # named volume lfr-720-dl-volume (lines 42, 75)
    assert identities["liferay-720-node-1"][library] == identities["liferay-720-node-2"][library]


@pytest.mark.xfail(
    strict=True,
    reason="liferay/entrypoint.sh rewrites the configuration at every start: line 125 uncomments "
    "'#cluster.link.enabled=true' (portal-ext.properties:71), lines 89-90 write rootDir=/data/liferay/"
    "document_library and lines 101-116 a REMOTE ES6 config (es-node-1-lfr720:9300); a static read of "
    "the files sees cluster.link.enabled unset (default false) and no OSGi configs",
)
def test_borxa_what_liferay_sees_after_the_entrypoint(real: Path) -> None:
    for node in _one(real / "borxa__docker-liferay7-cluster").nodes:
        assert _value(node, "cluster.link.enabled") == "true"
        store = node.osgi_config(
            "com.liferay.portal.store.file.system.configuration.AdvancedFileSystemStoreConfiguration"
        )
        assert store is not None and store.get("rootDir") is not None
        search = node.osgi_config(ES6_PID)
        assert search is not None and search.get("transportAddresses") is not None


def test_borxa_version_is_72(real: Path) -> None:
    assert _one(real / "borxa__docker-liferay7-cluster").version == "7.2"


def test_roclas_two_dxp_70_nodes_with_their_own_setenv(real: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """docker-compose.yml: node1liferaydxp (Dockerfile) and node2liferaydxp (Dockerfile2); db is
    MySQL. Both images copy portal-ext.properties into the DXP 7.0.10.11 SP11 home (Dockerfile:65),
    unicast.xml into tomcat-8.0.32/webapps/ROOT/WEB-INF/classes (line 63) and their own setenv
    (line 61: setenv.sh, Dockerfile2: setenv2.sh). Both bind ./data/document_library over the
    default store root."""
    source = real / "roclas__dxpCluster"
    cluster = _one(source)
    assert cluster.version == "7.0"  # liferay.home names 7.0.10.11 (portal-ext.properties:6)
    nodes = _nodes(cluster)
    assert list(nodes) == ["node1liferaydxp", "node2liferaydxp"]
    home = "/opt/liferay/liferay-dxp-digital-enterprise-7.0.10.11-sp11"
    expected = {
        "jdbc.default.driverClassName": ("com.mysql.jdbc.Driver", 3),
        "jdbc.default.username": ("root", 4),
        "liferay.home": (home, 6),
        "jdbc.default.url": (
            "jdbc:mysql://db/lportal?useUnicode=true&characterEncoding=UTF-8&useFastDateParsing=false",
            7,
        ),
        # "true " and "db:3306 " in the file: Commons Configuration trims every line (facts §1.5)
        "cluster.link.enabled": ("true", 9),
        "cluster.link.autodetect.address": ("db:3306", 11),
        "cluster.link.channel.properties.control": ("unicast.xml", 13),
        "cluster.link.channel.properties.transport.0": ("unicast.xml", 14),
        "setup.wizard.enabled": ("false", 23),
    }
    setenv = {"node1liferaydxp": "setenv.sh", "node2liferaydxp": "setenv2.sh"}
    hosts = {
        "node1liferaydxp": "node1liferaydxp[7800],node2liferaydxp[7800]",
        "node2liferaydxp": "node2liferaydxp[7800],node1liferaydxp[7800]",
    }
    for name, node in nodes.items():
        assert node.home == home
        for key, (value, line) in expected.items():
            file, at = _where(node, key)
            assert (_value(node, key), _rel(file, source), at) == (value, "portal-ext.properties", line), key
        assert _value(node, "dl.store.impl").endswith("FileSystemStore")
        bind = node.system_property("jgroups.bind_addr")
        assert bind is not None and bind.value == name
        assert (_rel(bind.origin.file, source), bind.origin.line) == (setenv[name], 6)
        initial = node.system_property("jgroups.tcpping.initial_hosts")
        assert initial is not None and initial.value == hosts[name] and initial.origin.line == 7
        reference = node.reference("cluster.link.channel.properties.control")
        assert reference is not None and reference.kind == "file"
        assert _rel(reference.origin.file, source) == "unicast.xml"
    identities = {n: {m.target: m.identity for m in node.mounts} for n, node in nodes.items()}
    library = f"{home}/data/document_library"
    assert identities["node1liferaydxp"][library] == identities["node2liferaydxp"][library]
    shown = _shown(_show_json(capsys, source), "jdbc.default.password")
    assert set(shown) == set(nodes) and "admin" not in "".join(shown.values())  # portal-ext.properties:5


def test_vasanth_two_portal_712_nodes_sharing_a_document_volume(real: Path) -> None:
    """liferay-cluster-sticky-session/docker-compose.yml: liferay-portal-node-1/2 built from
    Dockerfile-liferay (FROM liferay/portal:7.1.2-ga3), which copies configs/portal-ext.properties to
    $LIFERAY_HOME (/opt/liferay), configs/*.config to osgi/configs and setenv.sh to tomcat-9.0.10/bin.
    postgres, es-node-1, pgadmin and haproxy are not Liferay."""
    source = real / "vasanth-canopi__liferay-cluster" / "liferay-cluster-sticky-session"
    cluster = _one(source)
    assert cluster.version == "7.1"
    assert "liferay/portal:7.1.2-ga3" in cluster.version_source and "Dockerfile-liferay:1" in cluster.version_source
    nodes = _nodes(cluster)
    assert list(nodes) == ["liferay-portal-node-1", "liferay-portal-node-2"]
    expected = {
        "web.server.display.node": ("true", 2),
        "setup.wizard.enabled": ("false", 3),
        "module.framework.properties.osgi.console": ("0.0.0.0:11311", 4),
        "cluster.link.enabled": ("true", 5),
        "jdbc.default.driverClassName": ("org.postgresql.Driver", 7),
        "jdbc.default.url": ("jdbc:postgresql://postgres:5432/lportal", 8),
        "jdbc.default.username": ("liferay", 9),
    }
    for node in nodes.values():
        assert node.home == "/opt/liferay"
        for key, (value, line) in expected.items():
            file, at = _where(node, key)
            assert (_value(node, key), _rel(file, source), at) == (value, "configs/portal-ext.properties", line)
        search = node.osgi_config("com.liferay.portal.search.elasticsearch.configuration.ElasticsearchConfiguration")
        assert search is not None
        assert {e.key: e.value for e in search.entries} == {
            "operationMode": "REMOTE",
            "transportAddresses": "es-node-1:9300",
            "clusterName": "elasticsearch",
        }
        assert node.osgi_config("com.liferay.portal.bundle.blacklist.internal.BundleBlacklistConfiguration")
        timezone = node.system_property("user.timezone")
        assert timezone is not None and timezone.value == "Asia/Kolkata"
        assert _rel(timezone.origin.file, source) == "configs/setenv.sh"
        flags = {f.name: f.value for f in node.jvm_flags}
        assert flags["-Xmx"] == "2048m"
    identities = {n: {m.target: m.identity for m in node.mounts} for n, node in nodes.items()}
    one, two = identities["liferay-portal-node-1"], identities["liferay-portal-node-2"]
    assert one["/opt/liferay/data/document_library"] == two["/opt/liferay/data/document_library"]  # lfr-dl-volume
    assert one["/opt/liferay/deploy"] != two["/opt/liferay/deploy"]  # ./deploy/portal-node-1 and -2


def test_byousri_compose_has_one_liferay_service(real: Path) -> None:
    """docker-compose.yml: one service 'liferay' (build: lportal, whose Dockerfile is not in the
    corpus); proxy (HAProxy) and mysql are not Liferay. The compose file sets no Liferay setting."""
    source = real / "byousri__liferay-cluster-docker-kubernetes"
    cluster = _one(source / "docker-compose.yml")
    (node,) = cluster.nodes
    assert node.name == "liferay"
    assert not any(s.origin.kind is not OriginKind.DEFAULT for s in node.settings.values() if s.key.startswith("jdbc."))


# ----------------------------------------------------------------------------- Kubernetes


def test_byousri_kubernetes_dev_deployment_has_three_pods(real: Path) -> None:
    """kubernetes-liferay/liferay-deployment.yaml: Deployment liferay-dev, replicas: 3 (line 11), a
    Liferay 7 image of their own; only GET_HOSTS_FROM=dns is set, nothing Liferay reads."""
    source = real / "byousri__liferay-cluster-docker-kubernetes" / "kubernetes-liferay" / "liferay-deployment.yaml"
    cluster = _one(source)
    nodes = _nodes(cluster)
    assert list(nodes) == ["liferay-dev-1", "liferay-dev-2", "liferay-dev-3"]
    for node in nodes.values():
        assert [(v.name, v.value) for v in node.env] == [("GET_HOSTS_FROM", "dns")]
        assert not any(
            s.origin.file and Path(s.origin.file).resolve() == source.resolve() for s in node.settings.values()
        )
        assert node.mounts == ()


def test_byousri_kubernetes_prod_volumes_are_not_in_the_pod_spec(real: Path) -> None:
    """kubernetes-liferay/PROD/liferay-deployment.yaml: Deployment liferay-prod, replicas: 3 (line 11).
    Its `volumes:` (line 52) is indented under `template`, beside `spec`, not inside the pod spec, so
    the volumeMounts at lines 48 and 50 name volumes the pod does not have: Kubernetes rejects the
    pod template. The DB password comes from the Secret mysql (lines 39-43): never read."""
    source = real / "byousri__liferay-cluster-docker-kubernetes" / "kubernetes-liferay" / "PROD"
    cluster = _one(source)
    nodes = _nodes(cluster)
    assert list(nodes) == ["liferay-prod-1", "liferay-prod-2", "liferay-prod-3"]
    problems = {(p.kind, Path(p.origin.file).name, p.origin.line) for p in cluster.problems}
    assert problems == {
        (ProblemKind.UNRESOLVED_REFERENCE, "liferay-deployment.yaml", 48),
        (ProblemKind.UNRESOLVED_REFERENCE, "liferay-deployment.yaml", 50),
    }
    for node in nodes.values():
        env = {v.name: v.value for v in node.env}
        assert env["LIFERAY_DB_HOST"] == "mysql:3306" and env["LIFERAY_DB_NAME"] == "liferay-prod"
        assert env["LIFERAY_DB_USER"] == "root"
        assert env["LIFERAY_DB_PASSWORD"] == "${env.LIFERAY_DB_PASSWORD}"
        # the image's own entrypoint uses LIFERAY_DB_*; EnvPropertiesUtil decodes them to no jdbc.* key
        assert not any(k.startswith("jdbc.") and s.origin.kind is OriginKind.ENV for k, s in node.settings.items())
        assert node.mounts == ()


def test_s0beran0_statefulset_of_one_pod_with_secret_credentials(real: Path) -> None:
    """statefullset.yaml: StatefulSet liferay, replicas: 1 (line 8), namespace YOUR_NAMESPACE,
    image YOUR_IMAGE (a placeholder: no version pinned). JDBC URL, user and password come from the
    Secret liferay-db-credentials (never read); the driver is the literal YOUR_JDBC_DRIVER (line 30);
    LIFERAY_JVM_OPTS (line 28) and upgrade.database.auto.run=true (line 47). The Secret in
    secrets.yaml holds BASE_64_* placeholders that must never be read."""
    source = real / "s0beran0__liferay-ga112-kubernetes"
    cluster = _one(source)
    (node,) = cluster.nodes
    assert node.name == "liferay-0"
    manifest = "statefullset.yaml"
    assert (_value(node, "jdbc.default.driverClassName"), _where(node, "jdbc.default.driverClassName")[1]) == (
        "YOUR_JDBC_DRIVER",
        30,
    )
    for key, line in (("url", 32), ("username", 37), ("password", 42)):
        setting = node.settings[f"jdbc.default.{key}"]
        variable = f"LIFERAY_JDBC_PERIOD_DEFAULT_PERIOD_{key.upper()}"
        assert setting.value == "${env." + variable + "}" and setting.confidence is Confidence.UNRESOLVED
        assert (_rel(setting.origin.file, source), setting.origin.line) == (manifest, line)
    assert (_value(node, "upgrade.database.auto.run"), _where(node, "upgrade.database.auto.run")[1]) == ("true", 47)
    flags = {f.name: f.value for f in node.jvm_flags}
    assert flags["-Xms"] == "6g" and flags["-Xmx"] == "6g"
    assert flags["com.sun.management.jmxremote.port"] == "9010"
    assert flags["com.sun.management.jmxremote.authenticate"] == "false"


# ----------------------------------------------------------------------------- Helm charts


@pytest.mark.parametrize(
    ("source", "template"),
    [
        ("ibairuiz__liferay-helm", "liferay/templates/deployment.yaml"),
        ("LiferayCloud__liferay-helm-chart", "templates/configmap.yaml"),
    ],
)
def test_helm_chart_is_refused_with_one_clear_finding(
    real: Path, source: str, template: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = _check_json(capsys, real / source)
    assert code == 1
    (finding,) = doc["findings"]
    assert finding["rule"] == "HA001" and "helm template" in finding["message"]
    assert _rel(finding["location"]["file"], real / source) == template
    assert main(["show", str(real / source)]) in (0, 1)  # show refuses it too, without a crash
    assert "helm template" in capsys.readouterr().out


def test_helm_chart_invents_no_cluster(real: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, doc = _check_json(capsys, real / "ibairuiz__liferay-helm")
    assert doc["clusters"] == []


# ----------------------------------------------------------------------------- secrets

CHECK_FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab", "html")


def _every_output(tmp_path: Path, source: Path) -> dict[str, str]:
    outputs: dict[str, str] = {}
    for fmt in CHECK_FORMATS:
        out = tmp_path / f"check.{fmt}"
        assert main(["check", "--format", fmt, "--output", str(out), str(source)]) in (0, 1)
        outputs[f"check {fmt}"] = out.read_text(encoding="utf-8")
    for fmt in ("text", "json"):
        out = tmp_path / f"show.{fmt}"
        assert main(["show", "--all", "--format", fmt, "--output", str(out), str(source)]) in (0, 1)
        outputs[f"show {fmt}"] = out.read_text(encoding="utf-8")
    return outputs


@pytest.mark.parametrize(
    ("source", "secrets"),
    [
        # MYSQL_ROOT_PASSWORD of the database service (docker-compose.yml:6)
        ("balcsida__liferay-docker-cluster", ("UglyDuckling",)),
        # pgAdmin's password (docker-compose.yml:69)
        ("vasanth-canopi__liferay-cluster/liferay-cluster-sticky-session", ("canopi_2023",)),
        # MySQL root password (docker-compose.yml:17, lportal/configs/portal-ext.properties:4)
        ("byousri__liferay-cluster-docker-kubernetes", ("QbM223AWf",)),
        # the Secret's placeholders (secrets.yaml:7-9)
        ("s0beran0__liferay-ga112-kubernetes", ("BASE_64_URL", "BASE_64_USER", "BASE_64_PASSWORD")),
    ],
)
def test_corpus_passwords_appear_in_no_output(
    real: Path, tmp_path: Path, source: str, secrets: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    for where, text in _every_output(tmp_path, real / source).items():
        for secret in secrets:
            assert secret not in text, where
    capsys.readouterr()


def test_liferay_jdbc_password_from_compose_env_is_masked_everywhere(
    real: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """balcsida's LIFERAY_JDBC_PERIOD_DEFAULT_PERIOD_PASSWORD (docker-compose.yml:38, :63) is read into
    jdbc.default.password; its corpus value 'password' is also an ordinary word, so the copy gives
    each node a distinctive one (and, differing, they make HA205 report the mismatch)."""
    source = tmp_path / "balcsida"
    shutil.copytree(real / "balcsida__liferay-docker-cluster", source)
    compose = source / "docker-compose.yml"
    lines = compose.read_text().splitlines(keepends=True)
    for number, secret in ((38, "Balcsida-Pw-One-7f3a"), (63, "Balcsida-Pw-Two-9c1e")):
        assert lines[number - 1].strip() == "- LIFERAY_JDBC_PERIOD_DEFAULT_PERIOD_PASSWORD=password"
        lines[number - 1] = lines[number - 1].replace("=password", f"={secret}")
    compose.write_text("".join(lines))
    code, doc = _check_json(capsys, source)
    assert code == 0 and "HA205" in {f["rule"] for f in doc["findings"]}  # a warning
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    for where, text in _every_output(outputs, source).items():
        assert "Balcsida-Pw-One-7f3a" not in text and "Balcsida-Pw-Two-9c1e" not in text, where
    capsys.readouterr()


def test_no_corpus_deployment_crashes_a_rule(real: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sources = [
        real / "balcsida__liferay-docker-cluster",
        real / "borxa__docker-liferay7-cluster",
        real / "roclas__dxpCluster",
        real / "vasanth-canopi__liferay-cluster" / "liferay-cluster-sticky-session",
        real / "byousri__liferay-cluster-docker-kubernetes" / "docker-compose.yml",
        real / "byousri__liferay-cluster-docker-kubernetes" / "kubernetes-liferay" / "liferay-deployment.yaml",
        real / "byousri__liferay-cluster-docker-kubernetes" / "kubernetes-liferay" / "PROD",
        real / "s0beran0__liferay-ga112-kubernetes",
        real / "ibairuiz__liferay-helm",
        real / "LiferayCloud__liferay-helm-chart",
    ]
    for source in sources:
        code, doc = _check_json(capsys, source)
        assert code in (0, 1), source
        assert not any(f["rule"] == "HA009" for f in doc["findings"]), source
