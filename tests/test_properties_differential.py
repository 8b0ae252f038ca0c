"""Differential tests: our properties reader against the real Java loaders.

* ``Dialect.JAVA`` against ``java.util.Properties.load(Reader)``;
* ``Dialect.COMMONS`` against Apache Commons Configuration 1.10 ``PropertiesConfiguration``
  (Liferay 6.x's loader), and ``Dialect.LIFERAY`` against the same jar with Liferay's patched
  ``doParseProperty`` (7.2+), on files with duplicate keys and comments inside continuations.

Each test runs at least 2,000 generated files (``LIFERAY_HA_LINT_ORACLE_EXAMPLES`` raises it).
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.origin import ProblemKind
from linter.sources.properties import Dialect, parse_properties
from tests.oracle import Oracle

EXAMPLES = int(os.environ.get("LIFERAY_HA_LINT_ORACLE_EXAMPLES", "2000"))
_counter = itertools.count()

KEY_ATOMS = [
    "cluster.link.enabled",
    "jdbc.default.url",
    "a",
    "b",
    "include",
    "key",
    'multicast.group.address["cluster-link-control"]',
    "dl.store.impl",
    "x.y",
    "k\\=eq",
    "k\\:col",
    "k\\ sp",
    "k\\\\",
    "\\u0041bc",
    "t\\tab",
    "é",
    "中文",
    "#",
    "!x",
]
VALUE_ATOMS = [
    "true",
    "false",
    "yes",
    " ",
    "  ",
    "a,b",
    "a, b ,c",
    "\\,",
    "a\\,b",
    ",lead",
    "trail,",
    "\\\\",
    "\\\\,x",
    "#hash",
    "!bang",
    "=",
    ":",
    "x=y",
    "\\u00e9",
    "\\u4e2d",
    "\\n",
    "\\t",
    "\\r",
    "\\f",
    "\\b",
    "\\ud83d\\ude00",
    "😀",
    "\\ud800",
    "\\'",
    '\\"',
    "\\q",
    "é",
    "ü",
    "中",
    "\t",
    "\f",
    "\x0b",
    "${liferay.home}/data",
    "jdbc:mysql://db/lportal?useUnicode=true&characterEncoding=UTF-8",
]
SEPARATORS = ["=", ":", " ", " = ", "\t:", "  ", "=", " :", "\f=", "= ", "==", ":=", " =: "]
EOLS = ["\n", "\n", "\n", "\r\n", "\r"]
LEADS = ["", "", "", " ", "\t", "  ", "\f"]


@st.composite
def properties_text(draw: st.DrawFn, latin1: bool = False) -> str:
    pool = draw(st.lists(st.sampled_from(KEY_ATOMS), min_size=1, max_size=4))
    out: list[str] = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["entry", "entry", "entry", "comment", "blank", "cont", "odd"]))
        lead = draw(st.sampled_from(LEADS))
        eol = draw(st.sampled_from(EOLS))
        if kind == "comment":
            out.append(
                lead
                + draw(st.sampled_from(["#", "!"]))
                + draw(st.sampled_from(VALUE_ATOMS))
                + draw(st.sampled_from(["", "\\"]))
                + eol
            )
        elif kind == "blank":
            out.append(draw(st.sampled_from(["", " ", "\t", "\f"])) + eol)
        elif kind == "odd":
            out.append(
                draw(st.sampled_from(["\\", "\\\\", "=", ":v", " \\", "k\\", "\\u00", "\\uzzzz=1", "k=\\u12"])) + eol
            )
        else:
            key = draw(st.sampled_from(pool))
            sep = draw(st.sampled_from(SEPARATORS))
            value = "".join(draw(st.lists(st.sampled_from(VALUE_ATOMS), max_size=3)))
            line = lead + key + sep + value
            if kind == "cont":
                for _ in range(draw(st.integers(1, 3))):
                    line += draw(st.sampled_from(["\\", "\\\\\\", " \\", "\\  "])) + eol
                    inner = draw(st.sampled_from(["value", "#comment,", "!c", "", "  more,", "\tx", "a\\,b"]))
                    line += draw(st.sampled_from(LEADS)) + inner
            out.append(line + eol)
    text = "".join(out)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no final newline
    if latin1:
        text = text.encode("latin-1", errors="replace").decode("latin-1")
    return text


def _write(tmp: Path, data: bytes) -> Path:
    path = tmp / f"f{next(_counter)}.properties"
    path.write_bytes(data)
    return path


def _check(oracle: Oracle, data: bytes, tmp: Path, dialect: Dialect, encoding: str) -> None:
    path = _write(tmp, data)
    expected = oracle.load(path)
    ours = parse_properties(data, str(path), encoding=encoding, dialect=dialect)
    if isinstance(expected, str):
        assert any(p.kind is ProblemKind.MALFORMED and "escape" in p.message for p in ours.problems), (
            f"oracle threw {expected}; we reported {ours.problems}\n{data!r}"
        )
        return
    assert ours.values() == expected, f"file: {data!r}"


_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


@_SETTINGS
@given(text=properties_text())
def test_java_dialect_matches_java_util_properties(java_oracle_utf8: Oracle, tmp_path: Path, text: str) -> None:
    _check(java_oracle_utf8, text.encode("utf-8", "surrogatepass"), tmp_path, Dialect.JAVA, "utf-8")


@_SETTINGS
@given(text=properties_text())
def test_commons_dialect_matches_commons_configuration(commons_oracle_utf8: Oracle, tmp_path: Path, text: str) -> None:
    _check(commons_oracle_utf8, text.encode("utf-8", "surrogatepass"), tmp_path, Dialect.COMMONS, "utf-8")


@_SETTINGS
@given(text=properties_text())
def test_liferay_dialect_matches_patched_commons(liferay_oracle_utf8: Oracle, tmp_path: Path, text: str) -> None:
    _check(liferay_oracle_utf8, text.encode("utf-8", "surrogatepass"), tmp_path, Dialect.LIFERAY, "utf-8")


@settings(_SETTINGS, max_examples=max(200, EXAMPLES // 10))
@given(text=properties_text(latin1=True))
def test_commons_dialect_latin1_matches_commons(commons_oracle_latin1: Oracle, tmp_path: Path, text: str) -> None:
    """6.x reads portal properties as ISO-8859-1 through stock Commons Configuration."""
    _check(commons_oracle_latin1, text.encode("latin-1"), tmp_path, Dialect.COMMONS, "iso-8859-1")


@settings(_SETTINGS, max_examples=max(200, EXAMPLES // 10))
@given(
    prefix=st.binary(max_size=20), bad=st.sampled_from([b"\xff", b"\xc3", b"\xe4\xb8", b"\xed\xa0\x80", b"\xf0\x9f"])
)
def test_invalid_utf8_decodes_like_java(liferay_oracle_utf8: Oracle, tmp_path: Path, prefix: bytes, bad: bytes) -> None:
    """7.x reads UTF-8; malformed bytes become U+FFFD exactly as the JDK decoder replaces them."""
    data = b"k=" + prefix.replace(b"\x00", b"") + bad + b"\nother=1\n"
    _check(liferay_oracle_utf8, data, tmp_path, Dialect.LIFERAY, "utf-8")
