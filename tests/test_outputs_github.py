"""GitHub Actions workflow commands, field by field on a multi-node finding."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from pathlib import Path
from typing import Any

from linter import __version__
from linter.cli import main
from linter.diagnostics import ClusterSummary, Diagnostic, Label, Report, Severity
from linter.pack import load_rules
from linter.redact import MASK, mask_report
from linter.reporters import github
from linter.reporters.common import Context
from tests.conftest import FIXTURES, REPO

BROKEN = FIXTURES / "clusters" / "broken-74-cluster-link-drift"
COMMAND = re.compile(r"^::(?P<level>error|warning|notice) (?P<props>[^:]*)::(?P<data>.*)$")


def unescape(text: str) -> str:
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    props = dict(part.split("=", 1) for part in match["props"].split(","))
    return match["level"], {k: unescape(v) for k, v in props.items()}, unescape(match["data"])


def _cli(*args: str) -> str:
    buffer = io.StringIO()
    here = Path.cwd()
    os.chdir(REPO)
    try:
        with contextlib.redirect_stdout(buffer):
            main(["check", *args])
    finally:
        os.chdir(here)
    return buffer.getvalue()


def test_multi_node_finding_field_by_field() -> None:
    report = json.loads(_cli("--format", "json", str(BROKEN)))
    lines = _cli("--format", "github", str(BROKEN)).splitlines()
    annotations = [parse(line) for line in lines if line.startswith("::")]
    assert len(annotations) == len(report["findings"])
    assert lines[-1].startswith("Found ")  # the summary line follows the annotations
    finding: dict[str, Any] = next(f for f in report["findings"] if f["rule"] == "HA102")
    level, props, data = next(a for a in annotations if a[1]["title"].startswith("HA102 "))
    location = finding["location"]
    assert level == "error"
    assert props == {
        "file": location["file"],  # relative to the repository root, which is the working directory here
        "line": str(location["line"]),
        "endLine": str(location["end_line"]),
        "col": str(location["column"]),
        "endColumn": str(location["end_column"]),
        "title": "HA102 cluster-link-mismatch",
    }
    assert list(props) == ["file", "line", "endLine", "col", "endColumn", "title"]
    message, *rest = data.split("\n")
    assert message == finding["message"]
    (others,) = [line for line in rest if line.startswith("Other nodes: ")]
    assert len(finding["related"]) == 2
    for related in finding["related"]:
        assert f"({related['file']}:{related['line']})" in others and related["node"] in others
    assert f"help: {finding['help']}" in rest
    for level, props, _data in annotations:  # every annotation on a file of the cluster
        assert props.get("file", "fixtures/clusters/broken-74-cluster-link-drift/").startswith(
            "fixtures/clusters/broken-74-cluster-link-drift/"
        )
        assert level in ("error", "warning", "notice")


def test_escaping_levels_and_lines_without_a_line(tmp_path: Path) -> None:
    d = Diagnostic(
        rule="HA104",
        name="multicast-group-mismatch",
        severity=Severity.INFO,
        message="100% off:\nsecond line, password=hunter2",
        primary=Label(node="n1", file="a,b:c/portal-ext.properties", text="n1: 1", origin="Liferay 7.4 default"),
        related=(Label(node="n2", file="n2/portal-ext.properties", line=4, column=3, end_column=9, text="n2: 2"),),
        cluster="c",
        subject="k",
    ).with_fingerprint()
    cluster = ClusterSummary("c", "c", "7.4", "manifest", (("n1", "a,b:c", ()), ("n2", "n2", ())))
    rules = load_rules()
    ctx = Context(__version__, rules, frozenset(r.id for r in rules), root=tmp_path, cwd=tmp_path)
    first = github.render(mask_report(Report((d,), (cluster,))), ctx).splitlines()[0]
    assert first.startswith("::notice file=a%2Cb%3Ac/portal-ext.properties,title=HA104 multicast-group-mismatch::")
    # a line break inside a message is shown as \n (text from input never starts a line, not even in
    # the annotation's data); the lines the reporter joins are %0A
    assert "\n" not in first and "100%25 off:\\nsecond line" in first and "hunter2" not in first and MASK in first
    assert "%0An1: 1" in first
    level, props, data = parse(first)
    assert level == "notice" and "line" not in props  # no line is invented for a default
    assert "n1: 1 (Liferay 7.4 default)" in data and "Other nodes: n2: 2 (n2/portal-ext.properties:4)." in data
