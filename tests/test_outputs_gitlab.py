"""GitLab Code Quality report, field by field on a multi-node finding."""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path
from typing import Any

from linter import __version__
from linter.cli import main
from linter.diagnostics import ClusterSummary, Diagnostic, Label, Report, Severity
from linter.pack import load_rules
from linter.reporters import gitlab
from linter.reporters.common import Context
from tests.conftest import FIXTURES, REPO

BROKEN = FIXTURES / "clusters" / "broken-74-cluster-link-drift"
LEVELS = {"info", "minor", "major", "critical", "blocker"}


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
    issues = json.loads(_cli("--format", "gitlab", str(BROKEN)))
    assert isinstance(issues, list) and len(issues) == len(report["findings"])
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue, finding in zip(issues, report["findings"], strict=True):
        assert issue["check_name"] == finding["rule"] and issue["fingerprint"] == finding["fingerprint"]
        assert issue["severity"] == {"error": "critical", "warning": "major", "info": "info"}[finding["severity"]]
        assert issue["severity"] in LEVELS
        assert issue["location"]["lines"]["begin"] == (finding["location"]["line"] or 1)
        if finding["location"]["line"] is not None:
            assert issue["location"]["path"] == finding["location"]["file"]
        assert isinstance(issue["description"], str) and finding["message"] in issue["description"]
    ha102: dict[str, Any] = next(f for f in report["findings"] if f["rule"] == "HA102")
    issue = next(i for i in issues if i["check_name"] == "HA102")
    assert issue["location"] == {
        "path": ha102["location"]["file"],
        "lines": {"begin": ha102["location"]["line"], "end": ha102["location"]["end_line"]},
    }
    assert issue["description"].startswith(f"HA102 cluster-link-mismatch: {ha102['message']}")
    assert len(ha102["related"]) == 2
    for related in ha102["related"]:
        assert f"({related['file']}:{related['line']})" in issue["description"]
    assert "\n" not in issue["description"]


def test_lines_paths_and_unique_fingerprints(tmp_path: Path) -> None:
    base = Diagnostic(
        rule="HA101",
        name="cluster-link-disabled",
        severity=Severity.WARNING,
        message="off",
        primary=Label(node="n1", file="envs/c/n1", text="n1: off", origin="Liferay 7.4 default"),
        cluster="c",
        subject="cluster.link.enabled",
    ).with_fingerprint()
    node = ("n1", "envs/c/n1", ("envs/c/n1/portal-ext.properties",))
    cluster = ClusterSummary("c", "envs/c", "7.4", "manifest", (node,))
    rules = load_rules()
    ctx = Context(__version__, rules, frozenset(r.id for r in rules), root=tmp_path, cwd=tmp_path / "envs")
    one, two = gitlab.issues(Report((base, base), (cluster,)), ctx)
    # a default has no line: line 1 of the node's main file, paths relative to the repository root
    assert one["location"] == {"path": "envs/envs/c/n1/portal-ext.properties", "lines": {"begin": 1, "end": 1}}
    assert one["severity"] == "major" and "Liferay 7.4 default" in one["description"]
    assert one["fingerprint"] == base.fingerprint and two["fingerprint"] != one["fingerprint"]
