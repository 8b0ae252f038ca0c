"""``check --format junit``: JUnit XML for CI test reports (GitLab, Jenkins, Azure, ...).

``<testsuites>`` holds one ``<testsuite>`` per cluster (named after it) and one testcase per
rule that ran on it, named ``HA102 cluster-link-mismatch`` with classname
``liferay-ha-lint.<cluster>``. A rule with findings on the cluster has one ``<failure>`` whose
``message`` is the first finding's message (and the count), ``type`` the worst severity, and
whose text lists every finding with every node's location. A rule whose Liferay versions exclude
the cluster's version is ``<skipped>``. Findings outside any cluster (a path that does not exist)
go to a suite named ``liferay-ha-lint``.

The document is UTF-8 with an XML declaration; text and attributes are escaped by ElementTree,
and characters XML 1.0 cannot hold (control characters, lone surrogates) are replaced, so any
config content yields well-formed XML. No timestamps: the output is deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from linter.diagnostics import Diagnostic, Report, Severity
from linter.reporters.common import TOOL_NAME, Context, describe, ordered

if TYPE_CHECKING:
    from linter.ruleapi import Rule

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NO_CLUSTER = TOOL_NAME


def clean(text: str) -> str:
    """Text XML 1.0 can hold: forbidden characters become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def finding_text(d: Diagnostic) -> str:
    """One finding as plain text, every node's location included."""
    lines = [f"{d.severity.value}[{d.rule}] {d.message}"]
    lines.append(f"  --> {describe(d.primary)}" + (f" [node {d.primary.node}]" if d.primary.node else ""))
    for r in d.related:
        lines.append(f"  ::: {describe(r)}" + (f" [node {r.node}]" if r.node else ""))
    if d.help:
        lines.append(f"  help: {d.help}")
    return "\n".join(lines)


def _worst(diagnostics: Sequence[Diagnostic]) -> Severity:
    return max((d.severity for d in diagnostics), key=lambda s: s.rank)


def _suite_rules(ctx: Context, names: set[str]) -> list[Rule]:
    """Rules that ran (or whose findings are present), in id order."""
    return [r for r in ctx.rules if r.id in ctx.selected or r.id in names]


def _suite(
    name: str, version: str | None, diagnostics: list[Diagnostic], ctx: Context, with_passes: bool
) -> ET.Element:
    suite = ET.Element("testsuite", {"name": clean(name)})
    by_rule: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_rule.setdefault(d.rule, []).append(d)
    rules = _suite_rules(ctx, set(by_rule)) if with_passes else [r for r in ctx.rules if r.id in by_rule]
    known = {r.id for r in rules}
    cases: list[tuple[str, str, list[Diagnostic], str | None]] = []
    for rule in rules:
        found = by_rule.get(rule.id, [])
        skipped = None
        if not found and rule.scope in ("node", "cluster") and (version or "7.4") not in rule.versions:
            skipped = f"applies to Liferay {rule.versions}, cluster is {version or 'unknown'}"
        cases.append((rule.id, rule.name, found, skipped))
    for rule_id, found in by_rule.items():  # findings of a rule the list does not know
        if rule_id not in known:
            cases.append((rule_id, found[0].name, found, None))
    failures = skipped_count = 0
    for rule_id, rule_name, found, skipped in cases:
        case = ET.SubElement(
            suite, "testcase", {"name": clean(f"{rule_id} {rule_name}"), "classname": clean(f"{TOOL_NAME}.{name}")}
        )
        if found:
            failures += 1
            count = f" ({len(found)} findings)" if len(found) > 1 else ""
            failure = ET.SubElement(
                case,
                "failure",
                {"message": clean(found[0].message + count), "type": _worst(found).value},
            )
            failure.text = clean("\n\n".join(finding_text(d) for d in found))
        elif skipped is not None:
            skipped_count += 1
            ET.SubElement(case, "skipped", {"message": clean(skipped)})
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped_count))
    return suite


def render(report: Report, ctx: Context) -> str:
    root = ET.Element("testsuites", {"name": TOOL_NAME})
    by_cluster: dict[str | None, list[Diagnostic]] = {}
    for d in ordered(report.diagnostics):  # in each case, the most severe finding first
        by_cluster.setdefault(d.cluster, []).append(d)
    if None in by_cluster:
        root.append(_suite(NO_CLUSTER, None, by_cluster[None], ctx, with_passes=False))
    for cluster in report.clusters:
        root.append(_suite(cluster.name, cluster.liferay_version, by_cluster.get(cluster.name, []), ctx, True))
    known = {c.name for c in report.clusters}
    for name, found in by_cluster.items():  # findings naming a cluster the report does not list
        if name is not None and name not in known:
            root.append(_suite(name, None, found, ctx, with_passes=False))
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in root:
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
