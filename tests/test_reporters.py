"""Behaviour of the ``check`` reporters (text and JSON) on hand-built reports."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.diagnostics import ClusterSummary, Diagnostic, Label, Report, Severity
from linter.redact import MASK, mask_report
from linter.reporters import json_report, text
from linter.reporters.common import Context

# ----------------------------------------------------------------------------- builders

PROD = ClusterSummary(
    name="prod",
    path="prod",
    liferay_version="7.4",
    version_source="release-info (node1)",
    nodes=(
        ("node1", "node1", ("node1/portal-ext.properties",)),
        ("node2", "node2", ("node2/portal-ext.properties", "node2/setenv.sh")),
        ("node3", "node3", ("node3/portal-ext.properties",)),
    ),
)
STAGING = ClusterSummary(
    name="staging",
    path="staging",
    liferay_version=None,
    version_source="unknown",
    nodes=(
        ("s1", "staging/s1", ("staging/s1/portal-ext.properties",)),
        ("s2", "staging/s2", ("staging/s2/portal-ext.properties", "node1/portal-ext.properties")),
    ),
)


def mismatch(cluster: str | None = "prod") -> Diagnostic:
    """HA102 as in the STYLE.md target: node3 is the outlier, node1 the majority, node2 a default."""
    return Diagnostic(
        rule="HA102",
        name="cluster-link-mismatch",
        severity=Severity.ERROR,
        message="Cluster Link is enabled on some nodes but not on others",
        primary=Label(
            node="node3",
            file="node3/portal-ext.properties",
            line=16,
            column=1,
            end_line=16,
            end_column=24,
            text="node3: false (node3/portal-ext.properties:16)",
            snippet="cluster.link.enabled=yes",
        ),
        related=(
            Label(
                node="node1",
                file="node1/portal-ext.properties",
                line=16,
                column=1,
                end_line=16,
                end_column=25,
                text="node1: true",
                snippet="cluster.link.enabled=true",
            ),
            Label(
                node="node2",
                file="node2/portal-ext.properties",
                text="node2: true (Liferay 7.4 default)",
                origin="Liferay 7.4 default (portal.properties, line 6038)",
            ),
        ),
        help="set cluster.link.enabled=true on every node",
        cluster=cluster,
        subject="cluster.link.enabled",
    ).with_fingerprint()


def diag(
    rule: str = "HA701",
    severity: Severity = Severity.WARNING,
    *,
    primary: Label | None = None,
    related: tuple[Label, ...] = (),
    message: str = "something is off",
    cluster: str | None = "prod",
    help: str | None = None,
    name: str = "some-rule",
    fingerprint: str = "",
) -> Diagnostic:
    return Diagnostic(
        rule=rule,
        name=name,
        severity=severity,
        message=message,
        primary=primary or Label(node="node1", file="node1/portal-ext.properties", line=3, column=1),
        related=related,
        help=help,
        cluster=cluster,
        fingerprint=fingerprint,
    )


def render_text(
    report: Report, width: int = 120, *, quiet: bool = False, statistics: bool = False, verbose: bool = False
) -> str:
    # reports reach reporters masked
    ctx = Context("0.1.0", width=width, quiet=quiet, statistics=statistics, verbose=verbose)
    return text.render(mask_report(report), ctx)


def lines_of(output: str) -> list[str]:
    return [line.rstrip() for line in output.splitlines()]


def underline_span(output: str, snippet: str, mark: str = "^") -> tuple[int, int]:
    """1-based (first, last) column of the underline below the displayed ``snippet``."""
    lines = lines_of(output)
    for i, line in enumerate(lines):
        match = re.match(r"^\s*\d+ \| ", line)
        if match and line[match.end() :] == snippet:
            under = lines[i + 1]
            base = match.end()
            assert under[: base - 2].strip() == "" and under[base - 2 : base] == "| ", under
            marks = re.search(re.escape(mark) + "+", under[base:])
            assert marks is not None, under
            return marks.start() + 1, marks.end()
    raise AssertionError(f"snippet {snippet!r} not shown in:\n{output}")


# ----------------------------------------------------------------------------- JSON


def test_json_full_document() -> None:
    d = mismatch()
    report = Report(diagnostics=(d,), clusters=(PROD,), suppressed=1)
    doc = json.loads(json_report.render(report, Context("1.2.3")))
    assert doc == {
        "tool": {"name": "liferay-ha-lint", "version": "1.2.3"},
        "clusters": [
            {
                "name": "prod",
                "liferay_version": "7.4",
                "version_source": "release-info (node1)",
                "nodes": [
                    {"name": "node1", "path": "node1", "files": ["node1/portal-ext.properties"]},
                    {"name": "node2", "path": "node2", "files": ["node2/portal-ext.properties", "node2/setenv.sh"]},
                    {"name": "node3", "path": "node3", "files": ["node3/portal-ext.properties"]},
                ],
            }
        ],
        "findings": [
            {
                "rule": "HA102",
                "name": "cluster-link-mismatch",
                "severity": "error",
                "message": "Cluster Link is enabled on some nodes but not on others",
                "cluster": "prod",
                "node": "node3",
                "location": {
                    "file": "node3/portal-ext.properties",
                    "line": 16,
                    "column": 1,
                    "end_line": 16,
                    "end_column": 24,
                },
                "related": [
                    {
                        "node": "node1",
                        "file": "node1/portal-ext.properties",
                        "line": 16,
                        "column": 1,
                        "message": "node1: true",
                    },
                    {
                        "node": "node2",
                        "file": "node2/portal-ext.properties",
                        "line": None,
                        "message": "node2: true (Liferay 7.4 default)",
                        "origin": "Liferay 7.4 default (portal.properties, line 6038)",
                    },
                ],
                "help": "set cluster.link.enabled=true on every node",
                "confidence": "explicit",
                "fingerprint": d.fingerprint,
                "problem": d.fingerprint[:16],
            }
        ],
        "summary": {
            "error": 1,
            "warning": 0,
            "info": 0,
            "clusters": 1,
            "nodes": 3,
            "files": 4,
            "suppressed": 1,
            "problems": 1,
        },
    }


def test_json_key_order_and_formatting() -> None:
    report = Report(diagnostics=(mismatch(),), clusters=(PROD,))
    out = json_report.render(report, Context("0.1.0"))
    assert out.endswith("}\n") and not out.endswith("\n\n")
    assert out.startswith('{\n  "tool": {\n    "name": "liferay-ha-lint"')
    doc = json.loads(out)
    assert list(doc) == ["tool", "clusters", "findings", "summary"]
    assert list(doc["clusters"][0]) == ["name", "liferay_version", "version_source", "nodes"]
    assert list(doc["clusters"][0]["nodes"][0]) == ["name", "path", "files"]
    finding = doc["findings"][0]
    assert list(finding) == [
        "rule",
        "name",
        "severity",
        "message",
        "cluster",
        "node",
        "location",
        "related",
        "help",
        "confidence",
        "fingerprint",
        "problem",
    ]
    assert list(finding["location"]) == ["file", "line", "column", "end_line", "end_column"]
    assert list(finding["related"][0]) == ["node", "file", "line", "column", "message"]
    assert list(finding["related"][1]) == ["node", "file", "line", "message", "origin"]
    assert list(doc["summary"]) == ["error", "warning", "info", "clusters", "nodes", "files", "suppressed", "problems"]
    # deterministic
    assert json_report.render(report, Context("0.1.0")) == out


def _check_contract(doc: dict[str, Any]) -> None:
    """Types of every field of the §6 contract."""
    opt_str = (str, type(None))
    opt_int = (int, type(None))
    assert doc["tool"] == {"name": "liferay-ha-lint", "version": doc["tool"]["version"]}
    assert isinstance(doc["tool"]["version"], str)
    for cluster in doc["clusters"]:
        assert isinstance(cluster["name"], str)
        assert isinstance(cluster["liferay_version"], opt_str)
        assert isinstance(cluster["version_source"], str)
        for node in cluster["nodes"]:
            assert set(node) == {"name", "path", "files"}
            assert all(isinstance(f, str) for f in node["files"])
    for f in doc["findings"]:
        assert set(f) == {
            "rule",
            "name",
            "severity",
            "message",
            "cluster",
            "node",
            "location",
            "related",
            "help",
            "confidence",
            "fingerprint",
            "problem",
        }
        assert re.fullmatch(r"HA\d{3}", f["rule"])
        assert f["severity"] in {"error", "warning", "info"}
        for key in ("message", "confidence", "fingerprint", "name"):
            assert isinstance(f[key], str)
        for key in ("cluster", "node", "help"):
            assert isinstance(f[key], opt_str)
        loc = f["location"]
        assert {"file", "line", "column"} <= set(loc) <= {"file", "line", "column", "end_line", "end_column", "origin"}
        assert isinstance(loc["file"], opt_str)
        assert isinstance(loc["line"], opt_int) and isinstance(loc["column"], opt_int)
        if loc["line"] is None:
            assert loc["column"] is None and "origin" in loc
        else:
            assert "origin" not in loc
        for r in f["related"]:
            assert (
                {"node", "file", "line", "message"} <= set(r) <= {"node", "file", "line", "column", "message", "origin"}
            )
            assert isinstance(r["message"], str) and isinstance(r["line"], opt_int)
            assert ("origin" in r) == (r["line"] is None)
    summary = doc["summary"]
    assert set(summary) == {"error", "warning", "info", "clusters", "nodes", "files", "suppressed", "problems"}
    assert all(isinstance(v, int) for v in summary.values())


def test_json_primary_without_line_has_origin_and_null_position() -> None:
    primary = Label(
        node="node2",
        file="node2/portal-ext.properties",
        text="node2: 1 (Liferay 7.4 default)",
        origin="Liferay 7.4 default (portal.properties, line 123)",
    )
    report = Report(diagnostics=(diag(primary=primary),), clusters=(PROD,))
    doc = json.loads(json_report.render(report, Context("0.1.0")))
    _check_contract(doc)
    assert doc["findings"][0]["location"] == {
        "file": "node2/portal-ext.properties",
        "line": None,
        "column": None,
        "origin": "Liferay 7.4 default (portal.properties, line 123)",
    }
    assert doc["findings"][0]["node"] == "node2"


def test_json_column_defaults_to_1_for_a_line_label_and_no_end_when_unknown() -> None:
    primary = Label(node="node1", file="node1/portal-ext.properties", line=7)
    doc = json.loads(json_report.render(Report((diag(primary=primary),), (PROD,)), Context("0.1.0")))
    assert doc["findings"][0]["location"] == {"file": "node1/portal-ext.properties", "line": 7, "column": 1}


def test_json_summary_counts_and_findings_by_severity_cluster_rule_location() -> None:
    d1 = diag("HA801", Severity.INFO, fingerprint="f1")
    d2 = diag("HA102", Severity.ERROR, fingerprint="f2", cluster="staging")
    d3 = diag("HA501", Severity.WARNING, fingerprint="f3")
    d4 = diag("HA502", Severity.WARNING, fingerprint="f4", cluster=None)
    report = Report(diagnostics=(d1, d2, d3, d4), clusters=(PROD, STAGING), suppressed=3)
    doc = json.loads(json_report.render(report, Context("0.1.0")))
    _check_contract(doc)
    # the report's (location) order is not kept: errors first, then by cluster (none first), then rule
    assert [f["rule"] for f in doc["findings"]] == ["HA102", "HA502", "HA501", "HA801"]
    assert [f["fingerprint"] for f in doc["findings"]] == ["f2", "f4", "f3", "f1"]
    assert [f["cluster"] for f in doc["findings"]] == ["staging", None, "prod", "prod"]
    # files are distinct paths: node1/portal-ext.properties is listed twice
    assert doc["summary"] == {
        "error": 1,
        "warning": 2,
        "info": 1,
        "clusters": 2,
        "nodes": 5,
        "files": 6,
        "suppressed": 3,
        "problems": 3,  # two of the four findings share one file and line
    }
    assert doc["clusters"][1]["liferay_version"] is None


def test_json_empty_report() -> None:
    doc = json.loads(json_report.render(Report((), ()), Context("0.1.0")))
    _check_contract(doc)
    assert doc["findings"] == [] and doc["clusters"] == []
    assert doc["summary"] == {
        "error": 0,
        "warning": 0,
        "info": 0,
        "clusters": 0,
        "nodes": 0,
        "files": 0,
        "suppressed": 0,
        "problems": 0,
    }


def test_json_fingerprint_passes_through() -> None:
    d = mismatch()
    assert len(d.fingerprint) == 32
    doc = json.loads(json_report.render(Report((d,), (PROD,)), Context("0.1.0")))
    assert doc["findings"][0]["fingerprint"] == d.fingerprint


def test_json_masks_jdbc_password_in_every_text_field() -> None:
    url = "jdbc:mysql://db:3306/lportal?user=liferay&password=hunter2&useSSL=true"
    d = diag(
        message=f"jdbc.default.url differs: {url}",
        help=f"use {url} everywhere",
        related=(
            Label(node="node2", file="node2/portal-ext.properties", line=4, text=f"node2: {url}"),
            Label(node="node3", file=None, text="node3: default", origin=f"computed from {url}"),
        ),
    )
    out = json_report.render(mask_report(Report((d,), (PROD,))), Context("0.1.0"))
    assert "hunter2" not in out
    finding = json.loads(out)["findings"][0]
    assert finding["message"] == f"jdbc.default.url differs: {url.replace('hunter2', MASK)}"
    assert MASK in finding["help"]
    assert MASK in finding["related"][0]["message"]
    assert MASK in finding["related"][1]["origin"]


def test_json_keeps_non_ascii() -> None:
    d = diag(message="Ünïcode → kept")
    out = json_report.render(Report((d,), (PROD,)), Context("0.1.0"))
    assert "Ünïcode → kept" in out


# ----------------------------------------------------------------------------- text: diagnostics


def test_text_matches_the_style_target() -> None:
    out = render_text(Report((mismatch(),), (PROD,)))
    expected = """\
error[HA102]: Cluster Link is enabled on some nodes but not on others (cluster-link-mismatch)
  --> node3/portal-ext.properties:16:1
   |
16 | cluster.link.enabled=yes
   | ^^^^^^^^^^^^^^^^^^^^^^^^ node3: false (node3/portal-ext.properties:16)
  ::: node1/portal-ext.properties:16:1
   |
16 | cluster.link.enabled=true
   | ------------------------- node1: true
  ::: node2/portal-ext.properties (node node2)
   = node2: true (Liferay 7.4 default)
   = node2: value comes from Liferay 7.4 default (portal.properties, line 6038)
   = help: set cluster.link.enabled=true on every node
   = note: run `liferay-ha-lint explain HA102` for details
"""
    assert "\n".join(lines_of(out)).startswith(expected)


def test_text_single_cluster_does_not_name_the_cluster() -> None:
    out = render_text(Report((mismatch(),), (PROD,)))
    assert "in cluster" not in out


def test_text_names_the_cluster_when_there_are_several() -> None:
    out = render_text(Report((mismatch(), mismatch("staging")), (PROD, STAGING)))
    headers = [line for line in lines_of(out) if line.startswith("error[HA102]")]
    assert headers[0].endswith("(cluster-link-mismatch)  in cluster prod")
    assert headers[1].endswith("(cluster-link-mismatch)  in cluster staging")


@pytest.mark.parametrize(
    ("column", "end_column", "expected"),
    [
        (1, 24, (1, 24)),  # whole entry
        (22, 24, (22, 24)),  # the value only
        (5, 5, (5, 5)),  # one character
        (22, None, (22, 24)),  # end unknown: to the end of the line
        (3, 99, (3, 24)),  # end past the line: clipped
    ],
)
def test_text_underline_columns(column: int, end_column: int | None, expected: tuple[int, int]) -> None:
    snippet = "cluster.link.enabled=yes"
    primary = Label(
        node="node1",
        file="node1/portal-ext.properties",
        line=16,
        column=column,
        end_line=16 if end_column else None,
        end_column=end_column,
        text="here",
        snippet=snippet,
    )
    out = render_text(Report((diag(primary=primary),), (PROD,)))
    assert underline_span(out, snippet) == expected
    assert f"  --> node1/portal-ext.properties:16:{column}" in lines_of(out)


def test_text_underline_to_end_of_line_when_the_span_ends_on_another_line() -> None:
    snippet = '    <property name="x">'
    primary = Label(
        node="node1",
        file="node1/tcp.xml",
        line=40,
        column=5,
        end_line=43,
        end_column=3,
        text="starts here",
        snippet=snippet,
    )
    out = render_text(Report((diag(primary=primary),), (PROD,)))
    assert underline_span(out, snippet) == (5, len(snippet))


def test_text_related_labels_use_dashes_and_align_gutter() -> None:
    primary = Label(node="node3", file="node3/p", line=9, column=1, end_column=3, text="odd", snippet="a=1")
    related = (Label(node="node1", file="node1/p", line=120, column=1, end_column=3, text="even", snippet="a=2"),)
    out = lines_of(render_text(Report((diag(primary=primary, related=related),), (PROD,))))
    # a three-digit line number widens the gutter for every label of the diagnostic
    assert "   --> node3/p:9:1" in out
    assert "  9 | a=1" in out
    assert "    | ^^^ odd" in out
    assert "   ::: node1/p:120:1" in out
    assert "120 | a=2" in out
    assert "    | --- even" in out
    assert "    = note: run `liferay-ha-lint explain HA701` for details" in out


def test_text_label_with_line_but_no_snippet() -> None:
    primary = Label(node="node1", file="node1/setenv.sh", line=12, column=7, text="node1: -Xmx2g")
    out = lines_of(render_text(Report((diag(primary=primary),), (PROD,))))
    i = out.index("  --> node1/setenv.sh:12:7")
    assert out[i + 1] == "   = node1: -Xmx2g"
    assert not any(line.strip() == "|" for line in out)


def test_text_label_without_line_says_where_the_value_comes_from() -> None:
    primary = Label(
        node="node2",
        file=None,
        text="node2: tcp.xml (built-in)",
        origin="Liferay built-in resource jgroups/tcp.xml",
    )
    out = render_text(Report((diag(primary=primary),), (PROD,)))
    lines = lines_of(out)
    # no file: the node's directory from the cluster summary
    assert " --> node2 (node node2)" in lines
    assert "  = node2: tcp.xml (built-in)" in lines
    assert "  = node2: value comes from Liferay built-in resource jgroups/tcp.xml" in lines
    # never a line number, never a snippet
    assert not re.search(r"node2[^\s]*:\d", out)
    assert not any(re.match(r"^\s*\d+ \|", line) for line in lines)


def test_text_caps_related_snippets_at_five() -> None:
    related = tuple(
        Label(node=f"n{i}", file=f"n{i}/portal-ext.properties", line=2, column=1, text=f"n{i}: 1", snippet="k=1")
        for i in range(1, 9)
    )
    out = lines_of(render_text(Report((diag(related=related),), (PROD,))))
    assert sum(1 for line in out if line.lstrip().startswith(":::")) == 5
    assert "n5/portal-ext.properties:2:1" in " ".join(out)
    assert "n6/portal-ext.properties" not in " ".join(out)
    assert "  = note: and 3 more nodes: n6, n7, n8" in out


def test_text_one_more_node_is_singular() -> None:
    related = tuple(Label(node=f"n{i}", file=f"n{i}/p", line=2, text="x") for i in range(1, 7))
    out = lines_of(render_text(Report((diag(related=related),), (PROD,))))
    assert "  = note: and 1 more node: n6" in out


def test_text_tie_reports_each_group() -> None:
    a = Label(node="node1", file="node1/p", line=1, column=1, end_column=5, text="node1: udp", snippet="x=udp")
    b = Label(node="node2", file="node2/p", line=1, column=1, end_column=5, text="node2: tcp", snippet="x=tcp")
    d1 = diag("HA110", Severity.ERROR, primary=a, related=(b,), message="transport differs (tie)")
    d2 = diag("HA110", Severity.ERROR, primary=b, related=(a,), message="transport differs (tie)")
    out = lines_of(render_text(Report((d1, d2), (PROD,))))
    assert out.count("error[HA110]: transport differs (tie) (some-rule)") == 2
    assert " --> node1/p:1:1" in out and " ::: node2/p:1:1" in out
    assert " --> node2/p:1:1" in out and " ::: node1/p:1:1" in out
    assert "  | ^^^^^ node1: udp" in out and "  | ----- node2: tcp" in out


def test_text_help_is_optional() -> None:
    out = render_text(Report((diag(),), (PROD,)))
    assert "= help:" not in out
    assert "= note: run `liferay-ha-lint explain HA701` for details" in out


def test_text_tabs_keep_the_underline_aligned() -> None:
    primary = Label(node="node1", file="f", line=1, column=3, end_column=5, text="t", snippet="\tk=v")
    out = render_text(Report((diag(primary=primary),), (PROD,)))
    # "\tk=v": column 3 is "=", the span "=v" ends at column 4 (clipped); a tab shows as 4 spaces
    assert underline_span(out, "    k=v") == (6, 7)


def test_text_does_not_interpret_markup() -> None:
    primary = Label(node="node1", file="f", line=1, column=1, text="[bold]x[/bold] :smile:", snippet="[red]a=b")
    d = diag(primary=primary, message="[link=http://x]m[/link]", name="[b]n[/b]")
    out = render_text(Report((d,), (PROD,)))
    assert "[bold]x[/bold] :smile:" in out
    assert "[red]a=b" in out
    assert "[link=http://x]m[/link]" in out
    assert "│ [b]n[/b]" in out  # the rule table too


def test_text_long_snippet_fits_the_console_width_and_keeps_the_span_visible() -> None:
    snippet = "a" * 100 + "cluster.link.enabled=true" + "b" * 100
    primary = Label(
        node="node1", file="f", line=7, column=101, end_line=7, end_column=125, text="here", snippet=snippet
    )
    out = render_text(Report((diag(primary=primary),), (PROD,)), width=60)
    lines = out.splitlines()
    assert all(len(line) <= 60 for line in lines)
    shown = next(line for line in lines if line.startswith("7 | "))
    under = lines[lines.index(shown) + 1]
    start = under.index("^")
    assert shown[start : start + 25] == "cluster.link.enabled=true"
    assert under[start:].split(" ")[0] == "^" * 25


def test_text_wraps_long_notes_with_a_hanging_indent() -> None:
    d = diag(help="word " * 30)
    lines = lines_of(render_text(Report((d,), (PROD,)), width=50))
    i = next(i for i, line in enumerate(lines) if line.startswith("  = help: "))
    assert lines[i + 1].startswith(" " * len("  = help: ")) and lines[i + 1].strip().startswith("word")
    assert all(len(line) <= 50 for line in lines)


@settings(max_examples=150, deadline=None)
@given(
    snippet=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=60),
    data=st.data(),
)
def test_text_underline_property(snippet: str, data: st.DataObject) -> None:
    """Any span on an ASCII line (no spaces, no password parameter) is underlined exactly."""
    from linter.redact import mask_inline

    if mask_inline(snippet) != snippet:
        return
    column = data.draw(st.integers(1, len(snippet)))
    end = data.draw(st.integers(column, len(snippet)))
    primary = Label(node="n", file="f", line=5, column=column, end_line=5, end_column=end, text="x", snippet=snippet)
    out = render_text(Report((diag(primary=primary),), ()), width=120)
    assert underline_span(out, snippet) == (column, end)


# ----------------------------------------------------------------------------- text: summary and modes


def test_text_summary_tables_and_line() -> None:
    d2 = diag("HA501", Severity.WARNING, name="cache-mismatch")
    d3 = diag("HA501", Severity.WARNING, name="cache-mismatch", primary=Label(node="node2", file="node2/p", line=1))
    report = Report((mismatch(), d2, d3), (PROD,), suppressed=2)
    out = render_text(report)
    lines = lines_of(out)
    assert "Findings by rule" in out and "Findings by node" in out
    rule_rows = [line for line in lines if line.startswith("│ HA")]
    # most frequent first
    assert re.match(r"│ HA501 +│ cache-mismatch +│ warning +│ +2 │", rule_rows[0])
    assert re.match(r"│ HA102 +│ cluster-link-mismatch +│ error +│ +1 │", rule_rows[1])
    assert any(re.match(r"│ prod/node3 +│ +1 │ +0 │ +0 │", line) for line in lines)
    assert any(re.match(r"│ prod/node1 +│ +0 │ +1 │ +0 │", line) for line in lines)
    assert any(re.match(r"│ prod/node2 +│ +0 │ +1 │ +0 │", line) for line in lines)
    assert lines[-1] == "Found 1 error and 2 warnings in 1 cluster (3 nodes, 4 files); 2 suppressed."


def test_text_summary_line_plurals_and_clusters() -> None:
    report = Report((diag("HA801", Severity.INFO),), (PROD, STAGING))
    assert lines_of(render_text(report))[-1] == "Found 1 info finding in 2 clusters (5 nodes, 6 files)."


def test_text_no_problems() -> None:
    out = render_text(Report((), (PROD,)))
    assert lines_of(out) == ["No problems found in 1 cluster (3 nodes, 4 files)."]
    out = render_text(Report((), (PROD,), suppressed=1))
    assert lines_of(out) == ["No problems found in 1 cluster (3 nodes, 4 files); 1 suppressed."]


def test_text_quiet_prints_one_line_per_diagnostic_only() -> None:
    no_line = Label(node="node2", file="node2/portal-ext.properties", origin="Liferay 7.4 default")
    report = Report(
        (mismatch(), diag("HA801", Severity.INFO, primary=no_line)), (PROD,), notes=("HA999 skipped",), suppressed=4
    )
    out = render_text(report, quiet=True, verbose=True)
    assert lines_of(out) == [
        "node3/portal-ext.properties:16:1: error[HA102] Cluster Link is enabled on some nodes but not on others",
        "node2/portal-ext.properties: info[HA801] something is off",
    ]


def test_text_quiet_lines_are_never_wrapped() -> None:
    d = diag(message="m" * 200)
    out = render_text(Report((d,), (PROD,)), width=40, quiet=True)
    assert len(out.splitlines()) == 1


def test_text_statistics_prints_only_the_rule_table() -> None:
    report = Report((mismatch(), diag("HA501"), diag("HA501")), (PROD,))
    out = render_text(report, statistics=True)
    assert "-->" not in out and "Found" not in out and "Findings by node" not in out
    assert "Findings by rule" in out
    assert any(re.match(r"│ HA501 +│ some-rule +│ warning +│ +2 │", line) for line in lines_of(out))
    assert any(re.match(r"│ HA102 +│ cluster-link-mismatch +│ error +│ +1 │", line) for line in lines_of(out))


def test_text_verbose_prints_notes_at_the_end() -> None:
    report = Report((mismatch(),), (PROD,), notes=("HA303 skipped: needs Liferay >= 7.3", "version 7.4 from node1"))
    out = lines_of(render_text(report, verbose=True))
    assert out[-2:] == ["note: HA303 skipped: needs Liferay >= 7.3", "note: version 7.4 from node1"]
    assert "note: HA303" not in "\n".join(lines_of(render_text(report)))


# ----------------------------------------------------------------------------- text: secrets


def test_text_masks_jdbc_password_in_message_snippet_and_labels() -> None:
    url = "jdbc:postgresql://db/lportal?user=liferay&password=hunter2"
    snippet = f"jdbc.default.url={url}"
    primary = Label(
        node="node1",
        file="node1/portal-ext.properties",
        line=8,
        column=18,
        end_line=8,
        end_column=len(snippet),
        text=f"node1: {url}",
        snippet=snippet,
    )
    related = (Label(node="node2", file=None, text=f"node2: {url}", origin=f"env {url}"),)
    d = diag(primary=primary, related=related, message=f"url differs: {url}", help=f"use {url}")
    for options in ({}, {"quiet": True}, {"verbose": True}):
        out = render_text(Report((d,), (PROD,), notes=(f"saw {url}",)), **options)
        assert "hunter2" not in out
        assert f"password={MASK}" in out
    out = render_text(Report((d,), (PROD,)))
    masked = snippet.replace("hunter2", MASK)
    # the underline still starts under the value and runs to the end of the (masked) line
    assert underline_span(out, masked) == (18, len(masked))


def test_text_span_over_an_unmasked_secret_is_carried_to_the_mask() -> None:
    snippet = "jdbc.default.url=jdbc:h2://h/db?password=hunter2&ssl=1"
    column = snippet.index("hunter2") + 1
    primary = Label(
        node="node1", file="f", line=2, column=column, end_line=2, end_column=column + 6, text="x", snippet=snippet
    )
    out = render_text(Report((diag(primary=primary),), (PROD,)))
    assert "hunter2" not in out
    assert underline_span(out, snippet.replace("hunter2", MASK)) == (column, column + len(MASK) - 1)


@pytest.mark.parametrize("secret", ["zz", "a-much-longer-secret-value"])
def test_the_underline_of_a_masked_value_does_not_tell_its_length(secret: str) -> None:
    snippet = f'CATALINA_OPTS="-Dapi.token={secret}"'
    column = snippet.index("-D") + 1
    primary = Label(
        node="node1",
        file="node1/setenv.sh",
        line=1,
        column=column,
        end_line=1,
        end_column=column + len(f"-Dapi.token={secret}") - 1,
        text="x",
        snippet=snippet,
    )
    out = render_text(Report((diag(primary=primary),), (PROD,)))
    assert secret not in out
    shown = next(line.split("| ", 1)[1] for line in lines_of(out) if "-Dapi.token=" in line)
    assert underline_span(out, shown) == (column, column + len(f"-Dapi.token={MASK}") - 1)


def test_text_output_scales_with_findings_not_nodes(tmp_path: Path) -> None:
    # 60 nodes, one drifting: the node table lists the nodes with findings and a count of the rest;
    # a note about the other side names 20 nodes and says how many more
    from linter.cli import main as cli

    for i in range(1, 61):
        node = tmp_path / f"node{i:02d}"
        node.mkdir()
        value = "60" if i == 1 else "30"
        (node / "portal-ext.properties").write_text(f"session.timeout={value}\n")
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli(["check", "--liferay-version", "7.4", "--select", "HA607", "--fail-on", "never", str(tmp_path)])
    text = out.getvalue()
    table = text[text.index("Findings by node") :]
    assert "node01" in table and "node02" not in table and "(59 other nodes without findings)" in table
    header = table.splitlines()[2]
    assert header.split("┃")[2:5] == [" errors ", " warnings ", " info "], header  # the severities' names
    assert "and 54 more nodes:" in text and "and 34 others (the JSON report lists every one)" in text
    assert text.rstrip().endswith("Found 1 warning in 1 cluster (60 nodes, 60 files).")


def test_related_places_on_the_same_node_are_not_called_other_nodes() -> None:
    import dataclasses

    from linter.reporters.common import others

    across = mismatch()
    same = dataclasses.replace(across, related=(dataclasses.replace(across.primary, line=3, text="set again"),))
    assert others(across).startswith("Other nodes: ") and others(same).startswith("Also: ")
