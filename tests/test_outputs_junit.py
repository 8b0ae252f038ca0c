"""JUnit XML, read with junitparser as CI servers read it, against the JSON findings of the same run."""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from junitparser import Failure, JUnitXml, Skipped

from linter import __version__
from linter.cli import main
from linter.diagnostics import ClusterSummary, Diagnostic, Label, Report, Severity
from linter.pack import load_rules
from linter.redact import MASK, mask_report
from linter.reporters import junit
from linter.reporters.common import Context
from tests.conftest import FIXTURES, REPO

CLUSTERS = sorted(p for p in (FIXTURES / "clusters").iterdir() if p.is_dir())


def _run(args: list[str], cwd: Path) -> tuple[int, dict[str, Any]]:
    buffer = io.StringIO()
    here = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(buffer):
            code = main(args)
    finally:
        os.chdir(here)
    return code, json.loads(buffer.getvalue())


def _where(location: dict[str, Any]) -> str:
    return f"{location['file']}:{location['line']}" if location.get("line") else ""


@pytest.mark.parametrize("cluster", CLUSTERS, ids=[p.name for p in CLUSTERS])
def test_suites_cases_and_failures_match_the_findings(cluster: Path, tmp_path: Path) -> None:
    out = tmp_path / "junit.xml"
    code, report = _run(["check", "-f", "junit", "-o", str(out), "-f", "json", str(cluster)], REPO)
    raw = out.read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    raw.decode("utf-8")  # well-formed UTF-8
    ET.fromstring(raw)  # well-formed XML
    xml = JUnitXml.fromfile(str(out))
    by_cluster: dict[str | None, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for finding in report["findings"]:
        by_cluster[finding["cluster"]][finding["rule"]].append(finding)
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == {c["name"] for c in report["clusters"]} | (
        {"liferay-ha-lint"} if None in by_cluster else set()
    )
    rule_ids = [r.id for r in load_rules()]
    total_failures = 0
    for cluster_doc in report["clusters"]:
        suite = suites[cluster_doc["name"]]
        cases = list(suite)
        assert [c.name.split(" ")[0] for c in cases] == rule_ids  # every rule that ran, in id order
        assert all(c.classname == f"liferay-ha-lint.{cluster_doc['name']}" for c in cases)
        expected = by_cluster.get(cluster_doc["name"], {})
        failed = {c.name.split(" ")[0]: c for c in cases if any(isinstance(r, Failure) for r in c.result)}
        assert set(failed) == set(expected)
        for rule, case in failed.items():
            (failure,) = [r for r in case.result if isinstance(r, Failure)]
            findings = expected[rule]
            assert failure.message.startswith(findings[0]["message"])
            worst = max(findings, key=lambda f: {"error": 3, "warning": 2, "info": 1}[f["severity"]])
            assert failure.type == worst["severity"]
            text = failure.text or ""
            assert text.count(f"[{rule}] ") == len(findings)
            for finding in findings:
                assert finding["message"] in text
                assert _where(finding["location"]) in text
                for related in finding["related"]:
                    assert f"[node {related['node']}]" in text
                    if related["line"]:
                        assert f"{related['file']}:{related['line']}" in text
        assert suite.failures == len(failed)
        total_failures += len(failed)
    assert xml.failures == total_failures + sum(1 for _ in by_cluster.get(None, {}))
    assert (code == 1) == any(f["severity"] == "error" for f in report["findings"])


def test_escaping_control_characters_and_secrets(tmp_path: Path) -> None:
    nasty = 'a <b> & "c" \x01\x1b ]]> \ud800 é 中 jdbc:mysql://h/db?password=hunter2'
    d = Diagnostic(
        rule="HA102",
        name="cluster-link-mismatch",
        severity=Severity.WARNING,
        message=nasty,
        primary=Label(node="n<1>", file="p&q/portal-ext.properties", line=2, column=1, text=nasty),
        related=(Label(node="n2", file="n2", text="n2: x", origin="Liferay 7.4 default"),),
        help=nasty,
        cluster='c"&<>',
        subject="k",
    ).with_fingerprint()
    cluster = ClusterSummary('c"&<>', "c", "6.2", "manifest", (("n<1>", "p&q", ()), ("n2", "n2", ())))
    rules = load_rules()
    ctx = Context(__version__, rules, frozenset(r.id for r in rules))
    out = tmp_path / "x.xml"
    out.write_text(junit.render(mask_report(Report((d,), (cluster,))), ctx), encoding="utf-8", errors="strict")
    ET.fromstring(out.read_bytes())
    xml = JUnitXml.fromfile(str(out))
    (suite,) = list(xml)
    assert suite.name == 'c"&<>'
    (case,) = [c for c in suite if c.name.startswith("HA102 ")]
    (failure,) = case.result
    assert isinstance(failure, Failure) and failure.type == "warning"
    text = failure.text or ""
    assert '<b> & "c"' in text and "]]>" in text and "é 中" in text and "\x01" not in text
    assert "hunter2" not in out.read_text(encoding="utf-8") and MASK in text
    assert "n2: x (Liferay 7.4 default)" in text
    # rules outside the cluster's version are skipped, not passed
    skipped = [c for c in suite if any(isinstance(r, Skipped) for r in c.result)]
    skipped_ids = {c.name.split(" ")[0] for c in skipped}
    assert all("6.2" not in r.versions for r in rules if r.id in skipped_ids)
