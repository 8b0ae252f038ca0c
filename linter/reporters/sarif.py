"""``check --format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run. ``tool.driver`` names the tool and its version and carries the rules that fired (with
``Context.sarif_all_rules``, ``--sarif-all-rules``: every rule that ran, in id order) as
one ``reportingDescriptor`` each (id, name, short and full description, help text and markdown,
``helpUri`` to the rule's section of the rules reference, default level, tags). Each finding is a
``result`` with its effective level, its primary label as the one ``location`` and the other
nodes' labels as ``relatedLocations`` (STYLE lesson 6: the fix is made at the primary span; the
other nodes are context), linked from the message text so that viewers show them; regions carry
start and end line and column (SARIF's ``endColumn`` is exclusive, ours inclusive); the
finding's fingerprint goes to ``partialFingerprints``.

Paths are relative to the repository root under the ``%SRCROOT%`` base id, which
``originalUriBaseIds`` maps to the root's ``file:`` URI, as code scanning wants. A file outside
the root gets an absolute ``file:`` URI. A label without a line (a Liferay default, a whole
file) points at line 1 of its file, because code scanning shows only results with a region; its
message says where the value really comes from.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from linter.diagnostics import Diagnostic, Label, Report, Severity
from linter.reporters.common import (
    TOOL_NAME,
    Context,
    absolute,
    describe,
    ordered,
    place,
    related_caption,
    repo_path,
    sentence,
)

if TYPE_CHECKING:
    from linter.ruleapi import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
ROOT_ID = "%SRCROOT%"
FINGERPRINT_KEY = "liferayHaLint/v1"
# Where the project publishes its documentation; rules link to their section of docs/rules.md.
INFORMATION_URI = "https://github.com/liferay-ha-lint/liferay-ha-lint"
RULES_DOC_URI = INFORMATION_URI + "/blob/main/docs/rules.md"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _escape(text: str) -> str:
    """Plain message text with SARIF's embedded-link characters escaped (SARIF 3.11.6)."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _uri(display: str, ctx: Context) -> dict[str, str]:
    rel = repo_path(display, ctx)
    if rel is not None:
        # a file name that is not UTF-8 is percent-encoded byte for byte, as as_uri() does below
        return {"uri": quote(os.fsencode(rel), safe="/"), "uriBaseId": ROOT_ID}
    return {"uri": absolute(display, ctx).as_uri()}


def _physical(d: Diagnostic, label: Label, report: Report, ctx: Context) -> dict[str, Any] | None:
    spot = place(d, label, report)
    if spot.file is None:
        return None
    location: dict[str, Any] = {"artifactLocation": _uri(spot.file, ctx)}
    if spot.line is None:
        location["region"] = {"startLine": 1}
        return location
    region: dict[str, Any] = {"startLine": spot.line}
    if spot.column is not None:
        region["startColumn"] = spot.column
    end_line = spot.end_line or spot.line
    region["endLine"] = end_line
    if spot.end_column is not None and (end_line > spot.line or spot.column is None or spot.end_column >= spot.column):
        region["endColumn"] = spot.end_column + 1
    if label.snippet is not None and label.file == spot.file:
        region["snippet"] = {"text": label.snippet}
    location["region"] = region
    return location


def _label_message(label: Label) -> str:
    return sentence(describe(label))


def _location(d: Diagnostic, label: Label, report: Report, ctx: Context, index: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if index is not None:
        out["id"] = index
    physical = _physical(d, label, report, ctx)
    if physical is not None:
        out["physicalLocation"] = physical
    if label.node:
        out["logicalLocations"] = [{"name": label.node, "kind": "module"}]
    out["message"] = {"text": _escape(_label_message(label))}
    return out


def _result_message(d: Diagnostic) -> str:
    text = _escape(sentence(d.message))
    primary = describe(d.primary)
    if primary:
        text += f" {_escape(sentence(primary))}"
    if d.related:
        links = [f"[{_escape(describe(r))}]({i})" for i, r in enumerate(d.related, start=1)]
        text += f" {related_caption(d)}: " + "; ".join(links) + "."
    if d.help:
        text += f" Help: {_escape(sentence(d.help))}"
    return text


def _result(d: Diagnostic, report: Report, ctx: Context, rule_index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": d.rule}
    if d.rule in rule_index:
        result["ruleIndex"] = rule_index[d.rule]
    result["level"] = LEVELS[d.severity]
    result["message"] = {"text": _result_message(d)}
    primary = _location(d, d.primary, report, ctx, None)
    result["locations"] = [primary]
    if d.related:
        result["relatedLocations"] = [_location(d, r, report, ctx, i) for i, r in enumerate(d.related, start=1)]
    if d.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: d.fingerprint}
    properties: dict[str, Any] = {"name": d.name, "confidence": str(getattr(d.confidence, "value", d.confidence))}
    if d.cluster:
        properties["cluster"] = d.cluster
    if d.primary.node:
        properties["node"] = d.primary.node
    result["properties"] = properties
    return result


def _help_markdown(rule: Rule) -> str:
    lines = [f"**{rule.id} {rule.name}**", "", rule.summary, "", f"**Why.** {rule.rationale}"]
    lines += ["", f"**Fix.** {rule.fix}"]
    if rule.sources:
        lines += ["", "**Sources.**", "", *[f"- {s}" for s in rule.sources]]
    lines += ["", f"Run `{TOOL_NAME} explain {rule.id}` for examples."]
    return "\n".join(lines)


def _help_text(rule: Rule) -> str:
    lines = [rule.summary, "", f"Why: {rule.rationale}", "", f"Fix: {rule.fix}"]
    if rule.sources:
        lines += ["", "Sources:", *[f"- {s}" for s in rule.sources]]
    lines += ["", f"Run `{TOOL_NAME} explain {rule.id}` for examples."]
    return "\n".join(lines)


def descriptor(rule: Rule) -> dict[str, Any]:
    """A rule's ``reportingDescriptor`` from its metadata (the same that ``explain`` shows)."""
    tags = list(dict.fromkeys([*rule.tags, rule.scope]))
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": sentence(rule.summary)},
        "fullDescription": {"text": sentence(rule.rationale)},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "helpUri": f"{RULES_DOC_URI}#{rule.id.lower()}",
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": tags,
            "scope": rule.scope,
            "liferayVersions": str(rule.versions),
            **({"aliases": list(rule.aliases)} if rule.aliases else {}),
        },
    }


def _root_uri(root: Path) -> str:
    uri = Path(os.path.abspath(root)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def sarif(report: Report, ctx: Context) -> dict[str, Any]:
    """The SARIF log as JSON-ready data."""
    fired = {d.rule for d in report.diagnostics}
    described = fired | ctx.selected if ctx.sarif_all_rules else fired  # by default not the whole pack
    rules = [r for r in ctx.rules if r.id in described]
    rule_index = {r.id: i for i, r in enumerate(rules)}
    driver: dict[str, Any] = {
        "name": TOOL_NAME,
        "version": ctx.tool_version,
        "semanticVersion": ctx.tool_version,
        "informationUri": INFORMATION_URI,
        "rules": [descriptor(r) for r in rules],
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [{"executionSuccessful": True}],
        "originalUriBaseIds": {ROOT_ID: {"uri": _root_uri(ctx.root)}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, report, ctx, rule_index) for d in ordered(report.diagnostics)],
    }
    return {"$schema": SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render(report: Report, ctx: Context) -> str:
    return json.dumps(sarif(report, ctx), indent=2, ensure_ascii=False) + "\n"
