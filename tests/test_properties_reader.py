"""Behaviour of the properties reader on Liferay-style files (positions, semantics, refusals)."""

from __future__ import annotations

from pathlib import Path

from linter.origin import ProblemKind
from linter.sources.files import Limits
from linter.sources.properties import Dialect, dialect_for, encoding_for, parse_properties, read_properties


def test_positions_of_key_and_value() -> None:
    text = "# header\n\n  cluster.link.enabled = true\njdbc.default.url=\\\n    jdbc:mysql://db/lportal\n"
    f = parse_properties(text, "p.properties")
    first, second = f.entries
    assert (first.key, first.value) == ("cluster.link.enabled", "true")
    assert (first.origin.line, first.origin.column) == (3, 3)
    assert (first.origin.value_line, first.origin.value_column) == (3, 26)
    assert (second.origin.line, second.origin.value_line, second.origin.value_column) == (4, 5, 5)
    assert second.origin.end_line == 5
    assert second.value == "jdbc:mysql://db/lportal"


def test_comment_lines_inside_a_continuation_are_skipped_like_liferay() -> None:
    text = (
        "spring.configs=\\\n"
        "    META-INF/base-spring.xml,\\\n"
        "    #META-INF/shard-data-source-spring.xml,\\\n"
        "\n"
        "    META-INF/util-spring.xml\n"
    )
    f = parse_properties(text, "p")
    assert f.values() == {"spring.configs": "META-INF/base-spring.xml,META-INF/util-spring.xml"}
    java = parse_properties(text, "p", dialect=Dialect.JAVA)
    assert java.values()["spring.configs"] == "META-INF/base-spring.xml,#META-INF/shard-data-source-spring.xml,"


def test_duplicate_keys_are_joined_with_commas() -> None:
    f = parse_properties("jdbc.default.url=a\nother=1\njdbc.default.url=b\n", "p")
    assert f.values()["jdbc.default.url"] == "a,b"
    assert [e.line for e in f.occurrences("jdbc.default.url")] == [1, 3]
    assert parse_properties("k=a\nk=b\n", "p", dialect=Dialect.JAVA).values() == {"k": "b"}


def test_liferay_7_needs_an_equals_sign_but_6x_accepts_colon_and_space() -> None:
    text = "cluster.link.enabled: true\nweb.server.display.node true\na=b\n"
    # each line without '=' adds an empty value under the empty key; two of them join to ","
    assert parse_properties(text, "p", dialect=Dialect.LIFERAY).values() == {"": ",", "a": "b"}
    assert parse_properties(text, "p", dialect=Dialect.COMMONS).values() == {
        "cluster.link.enabled": "true",
        "web.server.display.node": "true",
        "a": "b",
    }
    assert dialect_for("7.4") is Dialect.LIFERAY and dialect_for("6.2") is Dialect.COMMONS


def test_trailing_whitespace_kept_by_java_trimmed_by_liferay() -> None:
    assert parse_properties("k=v  \n", "p", dialect=Dialect.JAVA).values() == {"k": "v  "}
    assert parse_properties("k=v  \n", "p").values() == {"k": "v"}


def test_unicode_escapes_and_bracketed_keys() -> None:
    f = parse_properties('multicast.group.address["cluster-link-control"]=239.255.0.1\nname=caf\\u00e9\n', "p")
    assert f.values() == {'multicast.group.address["cluster-link-control"]': "239.255.0.1", "name": "café"}


def test_bad_unicode_escape_is_a_parse_error_with_line() -> None:
    f = parse_properties("a=1\nb=\\uzzzz\n", "p")
    assert [(p.kind, p.origin.line) for p in f.problems] == [(ProblemKind.MALFORMED, 2)]


def test_continuation_at_end_of_file_is_reported_because_liferay_drops_it() -> None:
    f = parse_properties("a=1\nb=2\\", "p")
    assert f.values() == {"a": "1"}
    assert [(p.kind, p.origin.line) for p in f.problems] == [(ProblemKind.MALFORMED, 2)]


def test_encoding_follows_the_version(tmp_path: Path) -> None:
    data = "company.default.name=Caf\u00e9\n".encode("latin-1")
    assert encoding_for("6.2") == "iso-8859-1" and encoding_for("7.4") == "utf-8"
    assert parse_properties(data, "p", encoding="iso-8859-1").values()["company.default.name"] == "Café"
    seven = parse_properties(data, "p", encoding="utf-8")
    assert seven.values()["company.default.name"] == "Caf\ufffd"
    assert seven.decode_error_lines == (1,)


def test_include_key_is_recorded_not_defined() -> None:
    f = parse_properties("include=extra.properties\na=1\n", "p")
    assert f.values() == {"a": "1"}
    assert [e.value for e in f.includes] == ["extra.properties"]


def test_binary_and_oversized_files_are_refused(tmp_path: Path) -> None:
    binary = tmp_path / "portal-ext.properties"
    binary.write_bytes(b"a=1\x00\x01\x02")
    f = read_properties(binary, "portal-ext.properties")
    assert f.entries == () and [p.kind for p in f.problems] == [ProblemKind.UNREADABLE]
    assert "binary" in f.problems[0].message
    big = tmp_path / "big.properties"
    big.write_bytes(b"a=" + b"x" * 2000 + b"\n")
    f = read_properties(big, "big.properties", limits=Limits(max_file_size=1000))
    assert f.entries == () and "limit" in f.problems[0].message


def test_directory_and_missing_file_are_problems_not_exceptions(tmp_path: Path) -> None:
    assert "directory" in read_properties(tmp_path, "d").problems[0].message
    assert "not found" in read_properties(tmp_path / "nope", "nope").problems[0].message


def test_crlf_and_cr_line_ends() -> None:
    f = parse_properties("a=1\r\nb=2\rc=3", "p")
    assert f.values() == {"a": "1", "b": "2", "c": "3"}
    assert [e.line for e in f.entries] == [1, 2, 3]
