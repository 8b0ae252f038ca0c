"""Referenced JGroups/Ehcache XML: lookup on the node, built-in resources, missing files."""

from __future__ import annotations

from pathlib import Path

from linter.load.discovery import discover
from linter.load.loader import load_cluster
from linter.model import Cluster
from linter.origin import OriginKind, ProblemKind
from tests.conftest import FIXTURES

TCP_XML = """<config xmlns="urn:org:jgroups">
    <TCP bind_port="7800"/>
    <TCPPING initial_hosts="${jgroups.tcpping.initial_hosts:a[7800]}" port_range="0"/>
    <MERGE3/>
</config>
"""


def _cluster(tmp_path: Path, files: dict[str, str], version: str = "7.4") -> Cluster:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return load_cluster(discover([tmp_path], version).clusters[0])


def test_a_file_of_the_same_name_off_the_class_path_is_not_the_resource(tmp_path: Path) -> None:
    # Liferay loads a class-path resource by its full path: conf/jgroups/tcp.xml is not jgroups/tcp.xml
    cluster = _cluster(
        tmp_path,
        {
            "n1/portal-ext.properties": "cluster.link.channel.properties.control=jgroups/tcp.xml\n",
            "n1/conf/jgroups/tcp.xml": TCP_XML,
            "n1/custom_cache/tcp.xml": TCP_XML,
        },
    )
    ref = cluster.nodes[0].reference("cluster.link.channel.properties.control")
    assert ref is not None and ref.kind == "missing"
    assert any("jgroups/tcp.xml" in p.message for p in cluster.nodes[0].problems)


def test_stack_found_under_the_classpath_root(tmp_path: Path) -> None:
    cluster = _cluster(
        tmp_path,
        {
            "n1/portal-ext.properties": "cluster.link.channel.properties.control=/jgroups/tcp.xml\n",
            "n1/tomcat-9.0.56/webapps/ROOT/WEB-INF/classes/jgroups/tcp.xml": TCP_XML,
            "n2/portal-ext.properties": "cluster.link.channel.properties.control=jgroups/tcp.xml\n",
            "n2/webapps/ROOT/WEB-INF/classes/jgroups/tcp.xml": TCP_XML,
        },
    )
    for node in cluster.nodes:
        ref = node.reference("cluster.link.channel.properties.control")
        assert ref is not None and ref.kind == "file" and ref.jgroups is not None
        assert ref.transport == "TCP" and ref.jgroups.discovery is not None
        assert ref.jgroups.discovery.name == "TCPPING"
        assert any(f.endswith("tcp.xml") for f in node.files)
    # the transport channel keeps Liferay's default, a built-in stack
    transport = cluster.nodes[0].reference("cluster.link.channel.properties.transport.0")
    assert transport is not None and transport.kind == "builtin" and transport.transport == "UDP"
    assert transport.origin.kind is OriginKind.BUILTIN


def test_missing_stack_is_an_unresolved_reference_at_the_property(tmp_path: Path) -> None:
    cluster = _cluster(
        tmp_path,
        {
            "n1/portal-ext.properties": "\ncluster.link.channel.properties.control=custom/unicast.xml\n",
            "n2/portal-ext.properties": "a=1\n",
        },
    )
    problems = [(p.kind, p.origin.line) for p in cluster.nodes[0].problems]
    assert problems == [(ProblemKind.UNRESOLVED_REFERENCE, 2)]
    assert cluster.nodes[0].reference("cluster.link.channel.properties.control").kind == "missing"  # type: ignore[union-attr]


def test_jgroups_jar_stack_and_6x_inline_defaults(tmp_path: Path) -> None:
    cluster = _cluster(
        tmp_path,
        {"n1/portal-ext.properties": "cluster.link.channel.properties.control=tcp.xml\n", "n2/setenv.sh": ""},
        version="6.2",
    )
    jar = cluster.nodes[0].reference("cluster.link.channel.properties.control")
    assert jar is not None and jar.kind == "jgroups-jar" and jar.transport == "TCP"
    inline = cluster.nodes[1].reference("cluster.link.channel.properties.control")
    assert inline is not None and inline.kind == "inline" and inline.transport == "UDP"
    assert inline.jgroups is not None and inline.jgroups.attr("UDP", "mcast_group_addr") is not None


def test_ehcache_defaults_per_version(tmp_path: Path) -> None:
    files = {"n1/portal-ext.properties": "a=1\n", "n2/portal-ext.properties": "a=1\n"}
    six_zero = _cluster(tmp_path, files, "6.0").nodes[0].reference("ehcache.multi.vm.config.location")
    assert six_zero is not None and six_zero.ehcache is not None and not six_zero.ehcache.peer_providers
    six_two = _cluster(tmp_path, files, "6.2").nodes[0].reference("ehcache.multi.vm.config.location")
    assert six_two is not None and six_two.ehcache is not None and len(six_two.ehcache.caches) == 44
    assert six_two.ehcache.peer_providers


def test_hostile_referenced_xml_is_refused_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    evil = f'<?xml version="1.0"?>\n<!DOCTYPE config [<!ENTITY x SYSTEM "file://{secret}">]>\n<config>&x;</config>\n'
    cluster = _cluster(
        tmp_path,
        {
            "n1/portal-ext.properties": "cluster.link.channel.properties.control=evil.xml\n",
            "n1/evil.xml": evil,
            "n2/x.properties": "",
        },
    )
    kinds = [p.kind for p in cluster.nodes[0].problems]
    assert kinds == [ProblemKind.REFUSED]
    assert "TOP-SECRET-CONTENT" not in repr(cluster)


def test_fixture_stacks_resolve_without_problems() -> None:
    for cluster_dir in sorted((FIXTURES / "clusters").iterdir()):
        for spec in discover([cluster_dir]).clusters:
            cluster = load_cluster(spec)
            for node in cluster.nodes:
                kinds = {r.kind for r in node.references}
                assert kinds <= {"inline", "file", "builtin"}, (cluster.name, node.name, kinds)


def test_liferay_stacks_known_by_name_and_the_7_0_cache_file(tmp_path: Path) -> None:
    cluster = _cluster(
        tmp_path,
        {
            "n1/portal-ext.properties": (
                "cluster.link.channel.properties.control=jgroups/secure/sym_encrypt/udp_control.xml\n"
            ),
            "n2/portal-ext.properties": "ehcache.multi.vm.config.location=/ehcache/liferay-multi-vm-clustered.xml\n",
        },
    )
    n1, n2 = cluster.nodes
    ref = n1.reference("cluster.link.channel.properties.control")
    assert ref is not None and ref.kind == "builtin" and ref.transport == "UDP" and not n1.problems
    seven_oh = load_cluster(discover([tmp_path], "7.0").clusters[0]).nodes[1]
    cache = seven_oh.reference("ehcache.multi.vm.config.location")
    assert cache is not None and cache.kind == "builtin" and cache.ehcache is not None and not seven_oh.problems
    assert [p.kind for p in n2.problems] == [ProblemKind.UNRESOLVED_REFERENCE]  # 7.4 no longer ships that file


def test_a_file_both_channels_name_is_read_and_reported_once(tmp_path: Path) -> None:
    cluster = _cluster(
        tmp_path,
        {
            "n1/portal-ext.properties": (
                "cluster.link.channel.properties.control=/jgroups/tcp.xml\n"
                "cluster.link.channel.properties.transport.0=/jgroups/tcp.xml\n"
            ),
            "n1/WEB-INF/classes/jgroups/tcp.xml": "<stack><TCP/></stack>\n",  # not a JGroups <config>
            "n2/portal-ext.properties": "a=1\n",
        },
    )
    n1 = cluster.nodes[0]
    assert [p.kind for p in n1.problems] == [ProblemKind.MALFORMED]
    control = n1.reference("cluster.link.channel.properties.control")
    transport = n1.reference("cluster.link.channel.properties.transport.0")
    assert control is not None and transport is not None and control.jgroups is transport.jgroups
