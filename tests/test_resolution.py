"""Effective settings: include chains, setup-wizard precedence, env overrides, placeholders."""

from __future__ import annotations

from pathlib import Path

from linter.load.discovery import discover
from linter.load.loader import load_cluster
from linter.model import Cluster
from linter.origin import Confidence, OriginKind, ProblemKind


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _load(root: Path, version: str = "7.4") -> Cluster:
    found = discover([root], version)
    assert not found.problems, found.problems
    (spec,) = found.clusters
    return load_cluster(spec)


def test_setup_wizard_overrides_portal_ext_and_history_is_kept(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "n1/portal-ext.properties": "jdbc.default.url=jdbc:mysql://db/lportal\n",
            "n1/portal-setup-wizard.properties": "jdbc.default.url=jdbc:mysql://localhost/lportal\n",
            "n2/portal-ext.properties": "jdbc.default.url=jdbc:mysql://db/lportal\n",
        },
    )
    n1, n2 = _load(tmp_path).nodes
    s = n1.setting("jdbc.default.url")
    assert s is not None and s.value == "jdbc:mysql://localhost/lportal"
    assert s.origin.file.endswith("n1/portal-setup-wizard.properties") and s.origin.line == 1
    assert [h.origin.kind for h in s.overridden] == [OriginKind.DEFAULT, OriginKind.FILE]
    assert n2.setting("jdbc.default.url").value == "jdbc:mysql://db/lportal"  # type: ignore[union-attr]


def test_include_and_override_file_beats_the_including_file(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "n1/portal-ext.properties": "include-and-override=portal-common.properties\ncluster.link.enabled=false\n",
            "n1/portal-common.properties": "cluster.link.enabled=true\nweb.server.display.node=true\n",
            "n2/portal-ext.properties": "cluster.link.enabled=true\n",
        },
    )
    n1 = _load(tmp_path).nodes[0]
    s = n1.setting("cluster.link.enabled")
    assert s is not None and s.value == "true" and s.origin.file.endswith("portal-common.properties")
    assert any(p.file.path.endswith("portal-common.properties") for p in n1.properties)


def test_missing_include_is_reported(tmp_path: Path) -> None:
    _write(tmp_path, {"n1/portal-ext.properties": "include-and-override=nowhere.properties\n", "n2/setenv.sh": ""})
    n1 = _load(tmp_path).nodes[0]
    assert [(p.kind, p.origin.line) for p in n1.problems] == [(ProblemKind.UNRESOLVED_REFERENCE, 1)]


def test_env_overrides_files_on_7x_not_on_6x(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "liferay-ha.toml": (
                '[clusters.c]\nliferay-version = "7.4"\n'
                '[clusters.c.nodes.n1]\npath = "n1"\nenv-files = ["n1.env"]\n'
                '[clusters.c.nodes.n2]\npath = "n2"\n'
            ),
            "n1.env": "# comment\nLIFERAY_CLUSTER_PERIOD_LINK_PERIOD_ENABLED=true\nLIFERAY_JVM_OPTS=-Xmx4g\n",
            "n1/portal-ext.properties": "cluster.link.enabled=false\n",
            "n2/portal-ext.properties": "cluster.link.enabled=false\n",
        },
    )
    found = discover([tmp_path])
    cluster = load_cluster(found.clusters[0])
    s = cluster.nodes[0].setting("cluster.link.enabled")
    assert s is not None and s.value == "true" and s.origin.kind is OriginKind.ENV and s.origin.line == 2
    assert any(f.name == "-Xmx" and f.value == "4g" for f in cluster.nodes[0].jvm_flags)
    six = load_cluster(found.clusters[0], override_version="6.2")
    assert six.nodes[0].setting("cluster.link.enabled").value == "false"  # type: ignore[union-attr]


def test_placeholders_cycles_and_jvm_fallback(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "n1/portal-ext.properties": (
                "my.db.host=db.internal\n"
                "jdbc.default.url=jdbc:mysql://${my.db.host}/lportal\n"
                "a.key=${b.key}\n"
                "b.key=${a.key}\n"
                "dl.store.file.system.root.dir=${liferay.home}/data/document_library\n"
                "uses.flag=${my.flag}\n"
                "missing.ref=${nobody.defines.this}\n"
            ),
            "n1/setenv.sh": 'CATALINA_OPTS="$CATALINA_OPTS -Dmy.flag=from-jvm -Xmx2g"\n',
            "n2/portal-ext.properties": "\n",
        },
    )
    n1 = _load(tmp_path).nodes[0]
    assert n1.setting("jdbc.default.url").value == "jdbc:mysql://db.internal/lportal"  # type: ignore[union-attr]
    assert n1.setting("dl.store.file.system.root.dir").value == "${liferay.home}/data/document_library"  # type: ignore[union-attr]
    assert n1.setting("uses.flag").value == "from-jvm"  # type: ignore[union-attr]
    assert n1.setting("a.key").confidence is Confidence.UNRESOLVED  # type: ignore[union-attr]
    messages = sorted(p.message for p in n1.problems if p.kind is ProblemKind.UNRESOLVED_PLACEHOLDER)
    assert any("cycle" in m for m in messages)
    assert any("nobody.defines.this" in m for m in messages)


def test_defaults_come_from_the_version(tmp_path: Path) -> None:
    _write(tmp_path, {"n1/portal-ext.properties": "a=1\n", "n2/portal-ext.properties": "a=1\n"})
    six = _load(tmp_path, "6.2").nodes[0].setting("cluster.link.channel.properties.control")
    seven = _load(tmp_path, "7.4").nodes[0].setting("cluster.link.channel.properties.control")
    assert six is not None and six.value.startswith("UDP(") and six.confidence is Confidence.DEFAULT
    assert seven is not None and seven.value == "jgroups/secure/md5/udp_control.xml"
    assert "7.4 default" in seven.origin.detail


def test_version_detected_from_evidence(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "n1/portal-ext.properties": "dl.store.impl=com.liferay.portlet.documentlibrary.store.DBStore\n",
            "n2/portal-ext.properties": "ehcache.cluster.link.replication.enabled=true\nsetup.wizard.enabled=false\n",
        },
    )
    found = discover([tmp_path])
    cluster = load_cluster(found.clusters[0])
    assert cluster.version == "6.2"
    assert "dl.store.impl" in cluster.version_source


def test_external_properties_from_a_jvm_flag(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "n1/portal-ext.properties": "cluster.link.enabled=false\n",
            "n1/site-overrides.properties": "cluster.link.enabled=true\n",
            "n1/setenv.sh": (
                'CATALINA_OPTS="$CATALINA_OPTS -Dexternal-properties=/opt/liferay/site-overrides.properties"\n'
            ),
            "n2/portal-ext.properties": "cluster.link.enabled=false\n",
        },
    )
    n1, n2 = _load(tmp_path, "6.2").nodes
    s = n1.setting("cluster.link.enabled")
    assert s is not None and s.value == "true" and s.origin.file.endswith("site-overrides.properties")
    assert n2.setting("cluster.link.enabled").value == "false"  # type: ignore[union-attr]


def test_jgroups_3_stack_is_weak_version_evidence(tmp_path: Path) -> None:
    stack = '<config xmlns="urn:org:jgroups"><TCP bind_port="7800" singleton_name="lr"/><TCPPING/><MERGE2/></config>\n'
    _write(
        tmp_path,
        {
            "n1/portal-ext.properties": "cluster.link.channel.properties.control=jgroups/tcp.xml\n",
            "n1/WEB-INF/classes/jgroups/tcp.xml": stack,
            "n1/osgi/configs/com.liferay.portal.store.file.system.configuration.FileSystemStoreConfiguration.config": (
                'rootDir="/mnt/dl"\n'
            ),
            "n2/portal-ext.properties": "cluster.link.enabled=true\n",
        },
    )
    cluster = load_cluster(discover([tmp_path]).clusters[0])
    assert cluster.version == "7.1" and "MERGE2" in cluster.version_source


def test_include_of_liferay_built_in_portal_developer_properties(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "n1/portal-ext.properties": "include-and-override=portal-developer.properties\ncluster.link.enabled=true\n",
            "n2/portal-ext.properties": "cluster.link.enabled=true\n",
        },
    )
    n1, n2 = _load(tmp_path, "7.4").nodes
    assert not n1.problems  # a file inside portal-impl.jar, not a missing include
    s = n1.setting("theme.css.fast.load")
    assert s is not None and s.value == "false" and s.origin.kind is OriginKind.BUILTIN
    assert "portal-developer.properties" in s.origin.detail
    assert n2.setting("theme.css.fast.load").value == "true"  # type: ignore[union-attr]


def test_defaults_with_placeholders_are_expanded_per_node_only_where_the_node_reaches_them(tmp_path: Path) -> None:
    """Liferay's defaults hold ${...} (module.framework.base.dir=${liferay.home}/osgi): expanded
    once for every node that sets nothing they reach, and per node where it does."""
    _write(
        tmp_path,
        {
            "n1/portal-ext.properties": "cluster.link.enabled=true\n",
            "n2/portal-ext.properties": "cluster.link.enabled=true\n",
            "n3/portal-ext.properties": "cluster.link.enabled=true\nliferay.home=/srv/liferay\n",
        },
    )
    n1, n2, n3 = _load(tmp_path).nodes
    shared = n1.setting("module.framework.modules.dir")
    assert shared is not None and shared is n2.setting("module.framework.modules.dir")
    assert shared.value == "${liferay.home}/osgi/modules" and shared.confidence is Confidence.DEFAULT
    own = n3.setting("module.framework.modules.dir")
    assert own is not None and own.value == "/srv/liferay/osgi/modules" and own.raw == shared.raw
    # a default that reaches nothing the node sets stays shared even on n3
    assert n3.setting("blogs.email.entry.added.body") is n1.setting("blogs.email.entry.added.body")


def test_a_defaults_table_with_a_problem_is_expanded_by_each_node() -> None:
    from linter.load.resolve import Layer, resolve
    from linter.origin import Origin, Setting

    def default(key: str, value: str) -> Setting:
        return Setting(key, value, value, Origin("defaults", kind=OriginKind.DEFAULT), Confidence.DEFAULT)

    base = {k: default(k, v) for k, v in {"a": "${b}", "b": "${a}", "c": "${d}/x", "d": "/base"}.items()}
    first = resolve([Layer("portal-ext.properties", {})], {}, base)
    second = resolve([Layer("portal-ext.properties", {"d": ("/node", Origin("p", 1))})], {}, base)
    assert [p.kind for p in first.problems] == [ProblemKind.UNRESOLVED_PLACEHOLDER]  # the cycle, said per node
    assert [p.kind for p in second.problems] == [ProblemKind.UNRESOLVED_PLACEHOLDER]
    assert first.settings["c"].value == "/base/x" and second.settings["c"].value == "/node/x"
