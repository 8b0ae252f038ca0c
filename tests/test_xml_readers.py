"""Behaviour tests for the hardened XML reader and the Ehcache / JGroups models, on real files."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.origin import Problem, ProblemKind
from linter.sources.ehcache import (
    EhcacheConfig,
    load_ehcache,
    parse_factory_properties,
    portal_property_key,
    read_ehcache,
)
from linter.sources.files import Limits
from linter.sources.jgroups import (
    HostPort,
    JGroupsStack,
    Unresolved,
    is_stack_inline,
    load_jgroups_xml,
    parse_initial_hosts,
    parse_inline_stack,
    read_jgroups_xml,
    split_placeholder,
)
from linter.sources.properties import read_properties
from linter.sources.xml_safe import XmlDocument, parse_xml

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
if not CORPUS.is_dir():
    pytest.skip(f"shared corpus not present at {CORPUS}", allow_module_level=True)

LIFERAY = CORPUS / "liferay"
REAL = CORPUS / "real"
ALL_XML = sorted(p for p in CORPUS.rglob("*.xml*") if p.is_file())

LIFERAY_EVENT_LISTENER = "com.liferay.portal.cache.ehcache.LiferayCacheEventListenerFactory"
LIFERAY_PEER_PROVIDER = "com.liferay.portal.cache.ehcache.LiferayCacheManagerPeerProviderFactory"
RMI_PEER_LISTENER = "net.sf.ehcache.distribution.RMICacheManagerPeerListenerFactory"


def _doc(path: Path) -> XmlDocument:
    result = parse_xml(path.read_bytes(), str(path))
    assert isinstance(result, XmlDocument), result
    return result


def _normalised_lines(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _strings(obj: object) -> str:
    """Every string reachable from a result, for "this text never leaks" assertions."""
    return repr(obj)


# ----------------------------------------------------------------------------- whole corpus


@pytest.mark.parametrize("path", ALL_XML, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_xml_parses_or_gives_a_positioned_problem(path: Path) -> None:
    result = parse_xml(path.read_bytes(), str(path))
    if isinstance(result, Problem):
        assert result.kind is ProblemKind.MALFORMED
        assert result.origin.line is not None and result.origin.line >= 1
        return
    # the models never raise on any document, whatever its root
    assert isinstance(read_ehcache(result), EhcacheConfig)
    assert isinstance(read_jgroups_xml(result), JGroupsStack)


WELL_FORMED = [p for p in ALL_XML if not isinstance(parse_xml(p.read_bytes(), str(p)), Problem)]


@pytest.mark.parametrize("path", WELL_FORMED, ids=lambda p: str(p.relative_to(CORPUS)))
def test_positions_point_at_the_source_text(path: Path) -> None:
    result = parse_xml(path.read_bytes(), str(path))
    assert not isinstance(result, Problem)
    lines = _normalised_lines(path)
    for element in result.root.iter():
        assert element.start_line <= element.line
        at = lines[element.start_line - 1][element.column - 1 :]
        assert at.startswith("<"), (element.tag, element.start_line, element.column)
        assert element.tag in at.split()[0] if at.split() else False
        for attribute in element.attributes:
            text = lines[attribute.line - 1][attribute.column - 1 :]
            assert text.startswith(attribute.name), (attribute, text)
            value_text = lines[attribute.value_line - 1][attribute.value_column - 1 :]
            first = attribute.value[:10]
            if first and "&" not in value_text[:20] and "\n" not in first and "\t" not in first:
                assert value_text.startswith(first.split(" ")[0]), (attribute, value_text)
    for comment in result.comments:
        assert "<!--" in lines[comment.line - 1]


def test_non_xml_and_template_files_give_a_problem_with_a_line() -> None:
    tmpl = REAL / "sgonzalezlopez__liferay-clustered-docker/confd/cluster-config.xml.tmpl"
    toml = REAL / "sgonzalezlopez__liferay-clustered-docker/confd/cluster-config.xml.toml"
    for path in (tmpl, toml):
        result = parse_xml(path.read_bytes(), path.name)
        assert isinstance(result, Problem)
        assert result.kind is ProblemKind.MALFORMED
        assert result.origin.file == path.name
        assert result.origin.line is not None and result.origin.column is not None
    tmpl_problem = parse_xml(tmpl.read_bytes(), "t")
    assert isinstance(tmpl_problem, Problem)
    assert tmpl_problem.origin.line == 30  # connection_url="...{{getenv "LIFERAY_MYSQL_SERVICE_HOST"}}..."


def test_unescaped_ampersand_in_a_real_jdbc_url_is_a_parse_error() -> None:
    # ibairuiz's tcp.xml writes ?useUnicode=true&characterEncoding=UTF-8 inside an attribute
    result = parse_xml((REAL / "ibairuiz__liferay-helm/docker-image/tcp.xml").read_bytes(), "tcp.xml")
    assert isinstance(result, Problem)
    assert (result.kind, result.origin.line) == (ProblemKind.MALFORMED, 43)
    assert "EntityRef" in result.message


# ----------------------------------------------------------------------------- Ehcache


@pytest.mark.parametrize(
    "path",
    [
        LIFERAY / "ehcache/6.2.5/liferay-multi-vm-clustered.xml",
        REAL / "dinolupo__Liferay6.2-fixed/portal-impl/src/ehcache/liferay-multi-vm-clustered.xml",
    ],
)
def test_liferay_62_clustered_ehcache(path: Path) -> None:
    config = load_ehcache(path, "liferay-multi-vm-clustered.xml")
    assert config.problems == ()
    assert config.name == "liferay-multi-vm-clustered"
    assert not config.is_ehcache3

    (provider,) = config.peer_providers
    assert provider.class_name == LIFERAY_PEER_PROVIDER
    assert portal_property_key(provider) == "ehcache.multi.vm.config.location.peerProviderProperties"
    assert provider.property_separator == ","
    assert (provider.line, provider.properties_line) == (14, 16)

    (listener,) = config.peer_listeners
    assert listener.class_name == RMI_PEER_LISTENER
    assert listener.properties == ()

    assert len(config.caches) == 44
    assert config.default_cache is not None and config.default_cache.is_default
    for cache in config.all_caches():
        (replicator,) = cache.event_listeners
        assert replicator.class_name == LIFERAY_EVENT_LISTENER
        assert replicator.as_dict() == {"replicatePuts": "false", "replicateUpdatesViaCopy": "false"}
        assert replicator.get("replicatePuts") == "false"
    assert all(c.name for c in config.caches)
    entity_cache = config.cache("com.liferay.portal.kernel.dao.orm.EntityCache")
    assert entity_cache is not None and entity_cache.bootstrap is not None
    assert entity_cache.attributes["maxElementsInMemory"] == "10000"


def test_preceding_comments_are_attached_to_the_next_element() -> None:
    doc = _doc(LIFERAY / "ehcache/6.2.5/liferay-multi-vm-clustered.xml")
    provider = doc.root.children[0]
    assert provider.tag == "cacheManagerPeerProviderFactory"
    (comment,) = provider.preceding_comments
    assert comment.line == 10
    assert "configured to be clustered" in comment.text
    assert comment in doc.comments


def test_liferay_74_multi_vm_has_no_replication_elements() -> None:
    config = load_ehcache(LIFERAY / "ehcache/master-2024-12/liferay-multi-vm.xml", "liferay-multi-vm.xml")
    assert config.problems == ()
    assert config.peer_providers == ()
    assert config.peer_listeners == ()
    assert config.caches
    assert all(cache.event_listeners == () and cache.bootstrap is None for cache in config.all_caches())


def test_hibernate_clustered_portal_property_key() -> None:
    config = load_ehcache(LIFERAY / "ehcache/6.2.5/hibernate-clustered.xml", "hibernate-clustered.xml")
    (provider,) = config.peer_providers
    assert portal_property_key(provider) == "net.sf.ehcache.configurationResourceName.peerProviderProperties"


def test_ehcache3_and_foreign_roots() -> None:
    v3 = parse_xml(b'<config xmlns="http://www.ehcache.org/v3"><cache alias="a"/></config>', "e3.xml")
    assert isinstance(v3, XmlDocument)
    config = read_ehcache(v3)
    assert config.is_ehcache3 and config.problems == ()
    # an Ehcache 3 file is not a JGroups stack either
    assert read_jgroups_xml(v3).problems[0].kind is ProblemKind.MALFORMED

    server = read_ehcache(_doc(REAL / "borxa__docker-liferay7-cluster/liferay/config/tomcat/server.xml"))
    assert not server.is_ehcache3
    assert [p.kind for p in server.problems] == [ProblemKind.MALFORMED]


def test_missing_file_is_a_problem() -> None:
    config = load_ehcache(SHARED / "does-not-exist.xml", "nope.xml")
    assert [p.kind for p in config.problems] == [ProblemKind.UNREADABLE]


@pytest.mark.parametrize(
    ("text", "separator", "expected"),
    [
        (
            "replicatePuts=false,replicateUpdatesViaCopy=false",
            None,
            {"replicatePuts": "false", "replicateUpdatesViaCopy": "false"},
        ),
        ("a=1, b = 2 ,c=x=y", ",", {"a": "1", "b": "2 ", "c": "x=y"}),
        ("a=1;b=2", ";", {"a": "1", "b": "2"}),
        ("a=1;b=2", None, {"a": "1;b=2"}),
        # "^" is a regex anchor: replaceAll("^", "\n") only prepends a newline, nothing splits
        ("a=1^b=2", "^", {"a": "1^b=2"}),
        ("a=1|b=2", "\\|", {"a": "1", "b": "2"}),
        ("a=1^b=2", "\\Q^\\E", {"a": "1", "b": "2"}),
        ("a=1;b=2,c=3", "[;,]", {"a": "1", "b": "2", "c": "3"}),
        (
            "  peerDiscovery=manual,rmiUrls=//h:4/c|//g:4/c  ",
            None,
            {"peerDiscovery": "manual", "rmiUrls": "//h:4/c|//g:4/c"},
        ),
    ],
)
def test_property_separator_is_a_java_regex(text: str, separator: str | None, expected: dict[str, str]) -> None:
    parsed = parse_factory_properties(text, separator)
    assert parsed.problems == ()
    assert {p.key: p.value for p in parsed.properties} == expected


def test_property_separator_pipe_matches_the_empty_string_everywhere() -> None:
    # Java: "a=1".replaceAll("|", "\n") == "\na\n=\n1\n": every character is its own line
    parsed = parse_factory_properties("a=1", "|")
    assert {p.key: p.value for p in parsed.properties} == {"a": "", "": "", "1": ""}


@pytest.mark.parametrize("separator", ["*", "+", "(", "[a", "\\"])
def test_invalid_separator_regex_is_reported_and_not_split(separator: str) -> None:
    parsed = parse_factory_properties("a=1,b=2", separator)
    assert parsed.problems
    assert {p.key: p.value for p in parsed.properties} == {"a": "1,b=2"}


def test_invalid_separator_in_a_file_is_a_positioned_problem() -> None:
    xml = b"""<ehcache name="x">
  <cacheManagerPeerProviderFactory class="c"
      properties="a=1*b=2" propertySeparator="*"/>
</ehcache>"""
    doc = parse_xml(xml, "bad.xml")
    assert isinstance(doc, XmlDocument)
    config = read_ehcache(doc)
    (problem,) = config.problems
    assert problem.kind is ProblemKind.MALFORMED
    assert (problem.origin.line, problem.origin.column) == (3, 28)
    (provider,) = config.peer_providers
    assert provider.as_dict() == {"a": "1*b=2"}


# ----------------------------------------------------------------------------- JGroups XML


LIFERAY_UDP_CONTROL = sorted((LIFERAY / "jgroups").rglob("udp_control.xml"))


@pytest.mark.parametrize("path", LIFERAY_UDP_CONTROL, ids=lambda p: str(p.relative_to(LIFERAY)))
def test_liferay_74_udp_control_stacks(path: Path) -> None:
    stack = load_jgroups_xml(path, path.name)
    assert stack.problems == ()
    assert stack.source == "xml"
    assert stack.transport_kind == "UDP"
    assert stack.discovery is not None and stack.discovery.name == "PING"
    mcast = stack.attr("UDP", "mcast_addr")
    assert mcast is not None
    assert mcast.value == '${multicast.group.address["cluster-link-control"]}'
    assert (mcast.line, mcast.column) == (8, 3)
    assert "pbcast.NAKACK2" in stack.names
    assert stack.protocol("NAKACK2") is stack.protocol("pbcast.NAKACK2")
    transport = stack.transport
    assert transport is not None and (transport.line, transport.column) == (6, 2)


def _tcpping_hosts(path: Path) -> tuple[JGroupsStack, list[HostPort] | Unresolved]:
    stack = load_jgroups_xml(path, path.name)
    assert stack.problems == ()
    assert stack.transport_kind == "TCP"
    assert stack.discovery is not None and stack.discovery.name == "TCPPING"
    initial_hosts = stack.attr("TCPPING", "initial_hosts")
    assert initial_hosts is not None
    return stack, parse_initial_hosts(initial_hosts.value)


def test_real_tcp_stack_with_literal_initial_hosts() -> None:
    stack, hosts = _tcpping_hosts(REAL / "roclas__dxpCluster/unicast.xml")
    assert hosts == [
        HostPort("node1liferaydxp", 7800, "node1liferaydxp[7800]"),
        HostPort("node2liferaydxp", 7800, "node2liferaydxp[7800]"),
    ]
    attribute = stack.attr("TCPPING", "initial_hosts")
    assert attribute is not None
    # the name is on one line and the quoted value on the next
    assert (attribute.line, attribute.value_line) == (42, 43)
    assert stack.attr("TCP", "singleton_name") is not None  # a 3.x-only attribute, kept as written


@pytest.mark.parametrize(
    ("relative", "default_hosts"),
    [
        ("joolz__docker-liferay-cluster/liferay-sp14-gso-cluster/tcp.xml", [("MY_IP", None), ("OTHER_IP", None)]),
        ("joolz__docker-liferay-cluster/liferay-sp8-gso-cluster/tcp.xml", [("MY_IP", None), ("OTHER_IP", None)]),
        ("laszlocsontos__liferay-cluster/tcp-jgroups-2.xml", [("localhost", 7800), ("localhost", 7801)]),
        ("laszlocsontos__liferay-cluster/tcp-jgroups-3.xml", [("localhost", 7800), ("localhost", 7801)]),
        ("borxa__docker-liferay7-cluster/liferay/config/tcp_ping.xml", [("localhost", 7800), ("localhost", 7801)]),
    ],
)
def test_real_tcp_stacks_with_placeholder_initial_hosts(
    relative: str, default_hosts: list[tuple[str, int | None]]
) -> None:
    _stack, hosts = _tcpping_hosts(REAL / relative)
    assert isinstance(hosts, Unresolved)
    assert hosts.prop == "jgroups.tcpping.initial_hosts"
    assert hosts.default is not None
    parsed = parse_initial_hosts(hosts.default)
    assert isinstance(parsed, list)
    assert [(h.host, h.port) for h in parsed] == default_hosts


def test_other_discovery_protocols_in_the_corpus() -> None:
    dns = load_jgroups_xml(REAL / "s0beran0__liferay-ga112-kubernetes/jgroupsliferay-control.xml", "c.xml")
    assert dns.discovery is not None and dns.discovery.name == "dns.DNS_PING"
    assert dns.attr("dns.DNS_PING", "dns_record_type") is not None
    jdbc = load_jgroups_xml(REAL / "borxa__docker-liferay7-cluster/liferay/config/jdbc_ping.xml", "j.xml")
    assert jdbc.discovery is not None and jdbc.discovery.name == "JDBC_PING"
    init_sql = jdbc.attr("JDBC_PING", "initialize_sql")
    assert init_sql is not None and "\n" not in init_sql.value  # XML attribute normalisation
    s3 = load_jgroups_xml(REAL / "borxa__docker-liferay7-cluster/liferay/config/s3_ping.xml", "s.xml")
    assert s3.discovery is not None and s3.discovery.name == "S3_PING"


# ----------------------------------------------------------------------------- inline stacks


def test_liferay_62_inline_control_stack() -> None:
    props = read_properties(LIFERAY / "portal-6.2.5-ga6.properties", "portal.properties", encoding="iso-8859-1")
    (entry,) = props.occurrences("cluster.link.channel.properties.control")
    assert is_stack_inline(entry.value)
    line, column = entry.origin.value_line, entry.origin.value_column
    assert line is not None and column is not None
    stack = parse_inline_stack(entry.value, "portal.properties", line, column)
    assert stack.problems == ()
    assert stack.source == "inline"
    assert stack.names[:4] == ("UDP", "PING", "MERGE3", "FD_SOCK")
    assert stack.names[-1] == "RSVP"
    assert len(stack.names) == 14
    assert stack.transport_kind == "UDP"
    assert stack.discovery is not None and stack.discovery.name == "PING"
    group = stack.attr("UDP", "mcast_addr", "mcast_group_addr")
    assert group is not None
    assert group.name == "mcast_group_addr"
    assert group.value == '${multicast.group.address["cluster-link-control"]}'
    assert group.line == line
    assert entry.origin.column is not None
    assert entry.raw[group.column - entry.origin.column :].startswith("mcast_group_addr=")
    ping = stack.protocol("PING")
    assert ping is not None and ping.get("num_initial_members") == "20"


def test_liferay_60_inline_stack_keeps_commas_in_values() -> None:
    props = read_properties(LIFERAY / "portal-6.0.11-ee-sp1.properties", "p", encoding="iso-8859-1")
    value = props.value_of("cluster.link.channel.properties.transport.0")
    assert value is not None
    stack = parse_inline_stack(value, "p", 1, 1)
    assert stack.problems == ()
    assert stack.attr("pbcast.NAKACK", "retransmit_timeout") is not None
    assert stack.protocol("NAKACK") is not None
    nakack = stack.attr("NAKACK", "retransmit_timeout")
    assert nakack is not None and nakack.value == "300,600,1200,2400,4800"


def test_inline_stack_placeholders_and_ipv6() -> None:
    stack = parse_inline_stack('UDP(bind_addr=::1;mcast_addr=${m["a:b(c"]}):PING:', "x", 7, 10)
    assert stack.problems == ()
    assert stack.names == ("UDP", "PING")
    bind = stack.attr("UDP", "bind_addr")
    assert bind is not None and bind.value == "::1"
    assert (bind.line, bind.column, bind.value_column) == (7, 14, 24)
    mcast = stack.attr("UDP", "mcast_addr")
    assert mcast is not None and mcast.value == '${m["a:b(c"]}'


@pytest.mark.parametrize("text", ["UDP(a=1", "UDP(a=1)):PING", "UDP(a=1):PING(b=2"])
def test_unbalanced_inline_stack_is_a_problem(text: str) -> None:
    stack = parse_inline_stack(text, "x", 3, 5)
    assert stack.protocols == ()
    (problem,) = stack.problems
    assert problem.kind is ProblemKind.MALFORMED and problem.origin.line == 3


def test_is_stack_inline() -> None:
    assert not is_stack_inline("jgroups/secure/md5/udp_control.xml")
    assert not is_stack_inline("/opt/liferay/tcp(1).xml")
    assert not is_stack_inline("udp.xml")
    assert not is_stack_inline("tcp-control")
    assert is_stack_inline("UDP(mcast_port=1):PING")


def test_initial_hosts_and_placeholders() -> None:
    expected = [HostPort("a", 7800, "a [ 7800 ]"), HostPort("b", None, "b[x]")]
    assert parse_initial_hosts(" a [ 7800 ] , ,b[x]") == expected
    assert parse_initial_hosts("") == []
    assert parse_initial_hosts("${h}") == Unresolved("${h}", "h", None)
    assert parse_initial_hosts("a[1],${h}") == Unresolved("a[1],${h}")
    assert split_placeholder("${jgroups.tcpping.initial_hosts:a[7800]}") == ("jgroups.tcpping.initial_hosts", "a[7800]")
    assert split_placeholder("${jgroups.bind_addr:::1}") == ("jgroups.bind_addr", "::1")
    assert split_placeholder("x${a}") is None
    assert split_placeholder("${a") is None


# ----------------------------------------------------------------------------- hostile XML

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>"""

PASSWD = Path("/etc/passwd")


def _refused(data: bytes, limits: Limits | None = None) -> Problem:
    start = time.monotonic()
    result = parse_xml(data, "hostile.xml") if limits is None else parse_xml(data, "hostile.xml", limits)
    assert time.monotonic() - start < 5
    assert isinstance(result, Problem), result
    return result


def test_billion_laughs_is_refused() -> None:
    problem = _refused(BILLION_LAUGHS)
    assert problem.kind is ProblemKind.REFUSED
    assert problem.origin.line == 3
    assert "lollollol" not in _strings(problem)


def test_billion_laughs_in_utf16_is_refused() -> None:
    problem = _refused(BILLION_LAUGHS.replace(b'<?xml version="1.0"?>', b"").decode().encode("utf-16"))
    assert problem.kind is ProblemKind.REFUSED


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>',
        b'<!DOCTYPE foo [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><foo/>',
        b'<!DOCTYPE foo SYSTEM "file:///etc/passwd"><foo>&xxe;</foo>',
        b'<foo attr="&xxe;"/>',
    ],
)
def test_external_entities_never_leak(data: bytes) -> None:
    result = parse_xml(data, "hostile.xml")
    assert isinstance(result, Problem)
    assert result.kind in (ProblemKind.MALFORMED, ProblemKind.REFUSED)
    if PASSWD.is_file():
        secret_lines = [line for line in PASSWD.read_text(errors="replace").splitlines() if line.strip()]
        shown = _strings(result)
        assert not any(line in shown for line in secret_lines[:5])
        assert "root:" not in shown


def test_external_dtd_is_refused() -> None:
    problem = _refused(b'<!DOCTYPE config SYSTEM "http://example.invalid/x.dtd">\n<config/>')
    assert problem.kind is ProblemKind.REFUSED
    assert "external DTD" in problem.message
    public = _refused(b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "http://example.invalid/x.dtd"><html/>')
    assert public.kind is ProblemKind.REFUSED


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_external_dtd_path_is_never_opened(tmp_path: Path) -> None:
    # opening a FIFO blocks until a writer appears: a parser that touched it would hang
    fifo = tmp_path / "probe.dtd"
    os.mkfifo(fifo)
    results: list[object] = []
    data = f'<!DOCTYPE config SYSTEM "{fifo}"><config>&x;</config>'.encode()
    worker = threading.Thread(target=lambda: results.append(parse_xml(data, "fifo.xml")), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "the parser opened the external DTD"
    (result,) = results
    assert isinstance(result, Problem) and result.kind is ProblemKind.REFUSED


def test_internal_subset_without_entities_is_refused() -> None:
    assert _refused(b"<!DOCTYPE a [<!ELEMENT a ANY>]><a/>").kind is ProblemKind.REFUSED
    assert _refused(b"<!DOCTYPE a [ ]><a/>").kind is ProblemKind.REFUSED


def test_bare_doctype_is_accepted() -> None:
    assert isinstance(parse_xml(b"<!DOCTYPE a>\n<a/>", "ok.xml"), XmlDocument)


def test_xinclude_is_refused_and_never_processed() -> None:
    data = b"""<config xmlns:xi="http://www.w3.org/2001/XInclude">
  <xi:include href="file:///etc/passwd" parse="text"/>
</config>"""
    problem = _refused(data)
    assert (problem.kind, problem.origin.line) == (ProblemKind.REFUSED, 2)
    assert "root:" not in _strings(problem)


def test_deep_nesting_is_refused() -> None:
    deep = b"<a>" * 10_000 + b"</a>" * 10_000
    assert _refused(deep).kind is ProblemKind.REFUSED
    shallow_limit = _refused(b"<a>" * 10 + b"</a>" * 10, Limits(max_xml_depth=5))
    assert shallow_limit.kind is ProblemKind.REFUSED
    assert isinstance(parse_xml(b"<a>" * 5 + b"</a>" * 5, "ok.xml", Limits(max_xml_depth=5)), XmlDocument)


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b'<config>\n  <UDP a="1">\n</config>', 3, 10),
        (b'<config>\n  <UDP a="1 b="2"/>\n</config>', 2, 16),
        (b"", None, None),
        (b"not xml at all", 1, 1),
    ],
)
def test_malformed_xml_reports_line_and_column(data: bytes, line: int | None, column: int | None) -> None:
    problem = _refused(data)
    assert problem.kind is ProblemKind.MALFORMED
    if line is not None:
        assert (problem.origin.line, problem.origin.column) == (line, column)


def test_oversized_input_is_refused_before_parsing() -> None:
    result = parse_xml(b"<a>" + b" " * 100 + b"</a>", "big.xml", Limits(max_file_size=50))
    assert isinstance(result, Problem) and result.kind is ProblemKind.UNREADABLE


def test_comments_and_pis_are_not_children() -> None:
    doc = parse_xml(b"<?xml version='1.0'?>\n<!-- top -->\n<a><?pi x?><!-- c\n d --><b/></a>", "x.xml")
    assert isinstance(doc, XmlDocument)
    assert [c.tag for c in doc.root.children] == ["b"]
    assert [(c.line, c.text) for c in doc.comments] == [(2, " top "), (3, " c\n d ")]
    assert doc.root.preceding_comments == (doc.comments[0],)
    assert doc.root.children[0].preceding_comments == (doc.comments[1],)


def test_multi_line_start_tag_lines() -> None:
    doc = parse_xml(b"<a>\n  <b\n    x='1'\n    y=\"2\"/><b z='3'/>\n</a>", "x.xml")
    assert isinstance(doc, XmlDocument)
    first, second = doc.root.children
    assert (first.start_line, first.column, first.line) == (2, 3, 4)
    x = first.attr("x")
    assert x is not None and (x.line, x.column, x.value_line, x.value_column) == (3, 5, 3, 8)
    assert (second.start_line, second.column) == (4, 12)
    assert second.get("z") == "3" and second.attr("x") is None


# ----------------------------------------------------------------------------- never raise

_XMLISH = st.text(alphabet="<>/=\"' abcx!-?[]&;:#%\n\tDOCTYPEENTITY", max_size=200)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), _XMLISH.map(lambda s: s.encode("utf-8"))))
def test_parse_xml_never_raises(data: bytes) -> None:
    result = parse_xml(data, "fuzz.xml")
    assert isinstance(result, XmlDocument | Problem)
    if isinstance(result, XmlDocument):
        read_ehcache(result)
        read_jgroups_xml(result)


_STACKISH = st.text(alphabet='UDPING():;=${}[]"., \n\\ab1', max_size=120)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=120), _STACKISH))
def test_inline_and_host_parsers_never_raise(text: str) -> None:
    stack = parse_inline_stack(text, "fuzz", 1, 1)
    assert isinstance(stack, JGroupsStack)
    for protocol in stack.protocols:
        assert protocol.name
    hosts = parse_initial_hosts(text)
    assert isinstance(hosts, list | Unresolved)
    split_placeholder(text)
    is_stack_inline(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.one_of(st.none(), st.text(alphabet=",;^|\\[]().*+?{}$QEpzZ0x", max_size=6)))
def test_factory_properties_never_raise(text: str, separator: str | None) -> None:
    parsed = parse_factory_properties(text, separator)
    assert all(isinstance(p.key, str) for p in parsed.properties)
