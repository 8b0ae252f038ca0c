"""Property tests: no reader raises on any input, and every problem has a usable location.

The example counts are bounded for CI; run longer with
``LIFERAY_HA_LINT_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz_readers.py``.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.load.discovery import load_manifest
from linter.origin import Problem, ProblemKind
from linter.sources.ehcache import read_ehcache
from linter.sources.env_file import parse_compose_env_text, parse_env_text
from linter.sources.jgroups import parse_initial_hosts, parse_inline_stack, read_jgroups_xml
from linter.sources.jvm_flags import parse_options_file, parse_script
from linter.sources.osgi_config import parse_cfg_text, parse_config_text
from linter.sources.properties import Dialect, parse_properties
from linter.sources.xml_safe import parse_xml

EXAMPLES = int(os.environ.get("LIFERAY_HA_LINT_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)

# text biased towards the syntax of each format
PROPERTY_BITS = st.sampled_from(
    ["=", ":", "\\", "\\u", "#", "!", "\n", "\r\n", " ", "\t", "a", "key", ",", "${x}", "é", "\x00"]
)
CONFIG_BITS = st.sampled_from(
    ['key="v"', "=", '"', "[", "]", "(", ")", ",", "\\\n", "B", "I", "#", "\n", " ", "x", "\\u00"]
)
XML_BITS = st.sampled_from(
    [
        "<config>",
        "</config>",
        "<TCP ",
        "bind_port=",
        '"7800"',
        "/>",
        "<!--",
        "-->",
        "<!DOCTYPE",
        "&",
        "<",
        ">",
        "\n",
        "x",
    ]
)
INLINE_BITS = st.sampled_from(["UDP", "(", ")", ";", ":", "=", "${a:b}", "mcast_addr", "PING", "TCP", "[", "]", "x"])
SHELL_BITS = st.sampled_from(
    [
        "CATALINA_OPTS=",
        '"',
        "'",
        "$CATALINA_OPTS",
        " ",
        "-Dx=y",
        "-Xmx1g",
        "\n",
        "export ",
        "#",
        "set ",
        "%X%",
        "$(",
        "${",
        ")",
        "}",
        "`",
        "\\\n",
        "\\",
        "<<EOF\n",
        "EOF\n",
        "<<<",
        ";",
        "&&",
        "case x in x) ",
        "then ",
    ]
)


def _positioned(problems: tuple[Problem, ...] | list[Problem]) -> None:
    for p in problems:
        assert isinstance(p.kind, ProblemKind) and p.message
        assert p.origin.line is None or p.origin.line >= 1
        assert p.origin.column is None or p.origin.column >= 1


@FUZZ
@given(text=st.lists(PROPERTY_BITS, max_size=60).map("".join), raw=st.binary(max_size=200))
def test_properties_reader(text: str, raw: bytes) -> None:
    for dialect in Dialect:
        for data in (text.encode("utf-8", "surrogatepass"), raw):
            for encoding in ("utf-8", "iso-8859-1"):
                parsed = parse_properties(data, "f.properties", encoding=encoding, dialect=dialect)
                _positioned(parsed.problems)
                parsed.values()
                for entry in parsed.entries:
                    assert entry.origin.line and entry.origin.line >= 1


@FUZZ
@given(text=st.lists(CONFIG_BITS, max_size=40).map("".join))
def test_osgi_config_readers(text: str) -> None:
    config = parse_config_text(text, "com.liferay.x.Configuration.config")
    _positioned(config.problems)
    cfg = parse_cfg_text(text, "com.liferay.x.Configuration.cfg")
    _positioned(cfg.problems)


@FUZZ
@given(text=st.lists(XML_BITS, max_size=40).map("".join), raw=st.binary(max_size=300))
def test_xml_readers(text: str, raw: bytes) -> None:
    for data in (text.encode(), raw):
        doc = parse_xml(data, "f.xml")
        if isinstance(doc, Problem):
            _positioned([doc])
            continue
        _positioned(read_jgroups_xml(doc).problems)
        _positioned(read_ehcache(doc).problems)


@FUZZ
@given(text=st.lists(INLINE_BITS, max_size=40).map("".join))
def test_inline_jgroups_and_initial_hosts(text: str) -> None:
    _positioned(parse_inline_stack(text, "p", 3, 5).problems)
    parse_initial_hosts(text)


@FUZZ
@given(text=st.lists(SHELL_BITS, max_size=40).map("".join))
def test_jvm_flag_and_env_readers(text: str) -> None:
    sh = parse_script(text, "setenv.sh")
    _positioned(sh.problems)
    assert all(f.origin.line and f.origin.line >= 1 and (f.origin.column or 0) >= 1 for f in sh.flags)
    parse_script(text, "setenv.bat", windows=True)
    parse_options_file(text, "jvm.options")
    _positioned(parse_env_text(text, "node.env").problems)
    compose_env = parse_compose_env_text(text, ".env")
    _positioned(compose_env.problems)
    assert all(v.origin.line and v.origin.line >= 1 and (v.origin.column or 0) >= 1 for v in compose_env.variables)


@FUZZ
@given(text=st.text(max_size=300))
def test_manifest_reader(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("m") / "liferay-ha.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = load_manifest(path)
    if isinstance(result, Problem):
        _positioned([result])


def test_hostile_xml_opens_no_socket(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """External DTDs and entities over http must not even be attempted."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    documents = [
        b'<?xml version="1.0"?><!DOCTYPE config SYSTEM "http://127.0.0.1:9/evil.dtd"><config/>',
        b'<!DOCTYPE c [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]><c>&x;</c>',
        b'<c xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="http://127.0.0.1:9/x"/></c>',
        b'<!DOCTYPE c [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p"> %p;]><c/>',
    ]
    for data in documents:
        result = parse_xml(data, "evil.xml")
        assert isinstance(result, Problem) and result.kind is ProblemKind.REFUSED
    assert attempts == []
