"""Baselines through the real CLI: write, reuse, unrelated edits, node reorder, file renames within a
node, stale entries, new findings, reasons kept, scope of a partial run, bad files."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from linter import baseline
from linter.cli import main
from linter.diagnostics import Diagnostic, Label, Severity
from linter.pack import load_rules
from tests.conftest import FIXTURES

BROKEN = FIXTURES / "clusters" / "broken-74-cluster-link-drift"
NAME = BROKEN.name


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding a copy of the broken cluster as ``prod/``."""
    shutil.copytree(BROKEN, tmp_path / "prod")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", *args])
    return code, out.getvalue(), err.getvalue()


def check_json(*args: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = check("--format", "json", *args)
    return code, json.loads(out)


def entries(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["entries"])


def test_write_then_reuse_hides_everything(repo: Path) -> None:
    _, before = check_json("prod")
    assert before["findings"]
    code, out, err = check("--write-baseline", "base.json", "prod")
    assert code == 0 and f"wrote {len(before['findings'])} baseline entries" in err
    assert f"{len(before['findings'])} findings hidden by the baseline" in out
    written = entries(repo / "base.json")
    assert {e["fingerprint"] for e in written} == {f["fingerprint"] for f in before["findings"]}
    assert [e for e in written if e["rule"] == "HA102"] == [
        {
            "rule": "HA102",
            "name": "cluster-link-mismatch",
            "cluster": NAME,
            "subject": "cluster.link.enabled",
            "nodes": ["node1", "node2", "node3"],
            "fingerprint": next(f["fingerprint"] for f in before["findings"] if f["rule"] == "HA102"),
            "message": next(f["message"] for f in before["findings"] if f["rule"] == "HA102"),
            "reason": "",
        }
    ]
    # stable, sorted, reviewable: rewriting gives the same bytes
    text = (repo / "base.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and list(json.loads(text)) == ["tool", "format", "entries"]
    keys = [(e["cluster"] or "", e["rule"], e["subject"], e["nodes"]) for e in written]
    assert keys == sorted(keys)
    check("--write-baseline", "base.json", "prod")
    assert (repo / "base.json").read_text(encoding="utf-8") == text
    code, doc = check_json("--baseline", "base.json", "prod")
    assert code == 0 and doc["findings"] == []
    assert doc["summary"]["baselined"] == len(before["findings"]) and doc["summary"]["stale_baseline"] == []
    code, out, _ = check("--baseline", "base.json", "prod")
    assert code == 0 and f"{len(before['findings'])} findings hidden by the baseline" in out


def test_unrelated_edit_node_reorder_and_file_rename_keep_matching(repo: Path) -> None:
    check("--write-baseline", "base.json", "prod")
    # an unrelated edit moves every line of node3's file
    ext = repo / "prod" / "node3" / "portal-ext.properties"
    ext.write_text("# reviewed 2026-11\n# owner: ops\n\n" + ext.read_text(encoding="utf-8"), encoding="utf-8")
    # the manifest lists the nodes in another order
    manifest = repo / "prod" / "liferay-ha.toml"
    text = manifest.read_text(encoding="utf-8")
    blocks = re.split(r"(?=^\[clusters\.[^\]]+\.nodes\.)", text, flags=re.M)
    manifest.write_text(blocks[0] + "".join(reversed(blocks[1:])), encoding="utf-8")
    # a file within node1 is renamed (setenv.sh moves from tomcat/bin to the node directory)
    (repo / "prod" / "node1" / "tomcat" / "bin" / "setenv.sh").rename(repo / "prod" / "node1" / "setenv.sh")
    _, moved = check_json("prod")
    assert [c["nodes"][0]["name"] for c in moved["clusters"]] == ["node3"]
    assert any(f["location"]["line"] and f["location"]["line"] > 16 for f in moved["findings"])
    code, doc = check_json("--baseline", "base.json", "prod")
    assert code == 0 and doc["findings"] == [] and doc["summary"]["stale_baseline"] == []


def test_fixing_one_makes_its_entry_stale_and_a_new_finding_shows(repo: Path) -> None:
    check("--write-baseline", "base.json", "prod")
    for node in ("node1", "node2", "node3"):  # fix the Cluster Link drift on node3 ...
        ext = repo / "prod" / node / "portal-ext.properties"
        ext.write_text(ext.read_text(encoding="utf-8").replace("cluster.link.enabled=yes", "cluster.link.enabled=true"))
    _, fixed = check_json("prod")
    assert not {"HA101", "HA102"} & {f["rule"] for f in fixed["findings"]}
    # ... and break something new: node1 disables Cluster Link
    ext = repo / "prod" / "node1" / "portal-ext.properties"
    ext.write_text(ext.read_text(encoding="utf-8").replace("cluster.link.enabled=true", "cluster.link.enabled=false"))
    code, doc = check_json("--baseline", "base.json", "--select", "HA1", "prod")
    assert code == 1
    # HA101 on node1 is new. HA102 is keyed on the nodes involved (all three), not on which one is
    # the outlier, so the recorded HA102 entry still covers the new disagreement.
    found = {(f["rule"], f["node"]) for f in doc["findings"]}
    assert ("HA101", "node1") in found and not any(rule == "HA102" for rule, _ in found)
    stale = {(e["rule"], tuple(e["nodes"])) for e in doc["summary"]["stale_baseline"]}
    assert ("HA101", ("node3",)) in stale and not any(rule == "HA102" for rule, _ in stale)
    assert all(rule.startswith("HA1") for rule, _ in stale)  # only the selected rules are judged
    code, out, _ = check("--baseline", "base.json", "--select", "HA1", "--color", "never", "prod")
    assert f"baseline base.json: {len(stale)} entr" in out and "matched no finding (stale" in out
    assert f"HA101 cluster-link-disabled in {NAME}: cluster.link.enabled (node3)" in out
    assert "error[HA101]" in out


def test_reasons_survive_a_rewrite_and_rule_names_are_accepted(repo: Path) -> None:
    check("--write-baseline", "base.json", "prod")
    doc = json.loads((repo / "base.json").read_text(encoding="utf-8"))
    for e in doc["entries"]:
        e["reason"] = f"accepted: {e['rule']}"
        if e["rule"] == "HA102":
            e["rule"] = "cluster-link-mismatch"  # a name works as well as an id
            del e["fingerprint"], e["message"], e["name"]  # only the key is needed
    (repo / "base.json").write_text(json.dumps(doc), encoding="utf-8")
    code, result = check_json("--baseline", "base.json", "prod")
    assert code == 0 and result["findings"] == [] and result["summary"]["stale_baseline"] == []
    check("--write-baseline", "base.json", "prod")
    rewritten = entries(repo / "base.json")
    assert all(e["reason"] == f"accepted: {e['rule']}" for e in rewritten)
    assert any(e["rule"] == "HA102" and e["name"] == "cluster-link-mismatch" for e in rewritten)


def test_a_partial_run_judges_only_its_rules_and_clusters(repo: Path) -> None:
    shutil.copytree(BROKEN, repo / "staging")
    (repo / "staging" / "liferay-ha.toml").write_text(
        (repo / "staging" / "liferay-ha.toml").read_text(encoding="utf-8").replace(NAME, "staging")
    )
    check("--write-baseline", "base.json", "prod", "staging")
    everything = entries(repo / "base.json")
    assert {e["cluster"] for e in everything} == {NAME, "staging"}
    # a run over staging with HA1 rules only: nothing stale, and rewriting keeps the other entries
    code, doc = check_json("--baseline", "base.json", "--select", "HA1", "staging")
    assert code == 0 and doc["summary"]["stale_baseline"] == []
    _, alone = check_json("--select", "HA1", "staging")
    assert alone["findings"] and doc["summary"]["baselined"] == len(alone["findings"])
    # rules that compare clusters (tag "audit", e.g. HA118) find nothing without prod: not judged
    audit = {r.id for r in load_rules() if "audit" in r.tags}
    assert not any(f["rule"] in audit for f in alone["findings"])
    check("--write-baseline", "base.json", "--select", "HA1", "staging")
    assert entries(repo / "base.json") == everything


def test_bad_baseline_files_are_usage_errors(repo: Path) -> None:
    code, _, err = check("--baseline", "missing.json", "prod")
    assert code == 2 and "missing.json not found" in err
    (repo / "bad.json").write_text("{not json", encoding="utf-8")
    code, _, err = check("--baseline", "bad.json", "prod")
    assert code == 2 and "not valid JSON" in err
    (repo / "bad.json").write_text('{"entries": [{"rule": "HA101", "subject": "x"}]}', encoding="utf-8")
    code, _, err = check("--baseline", "bad.json", "prod")
    assert code == 2 and "missing 'nodes'" in err
    (repo / "bad.json").write_text('{"format": 9, "entries": []}', encoding="utf-8")
    assert check("--baseline", "bad.json", "prod")[0] == 2


def test_entry_fingerprint_is_the_diagnostic_fingerprint() -> None:
    d = Diagnostic(
        rule="HA110",
        name="x",
        severity=Severity.ERROR,
        message="m",
        primary=Label(node="b", file="b/f", line=3),
        related=(Label(node="c", file="c/f", line=9), Label(node="a", file=None)),
        cluster="prod",
        subject="cluster.link.channel.properties.control",
    ).with_fingerprint()
    entry = baseline.Entry.of(d)
    assert entry.nodes == ("a", "b", "c") and entry.fingerprint == d.fingerprint
    assert baseline.key_of(d) == entry.key
    unsubjected = Diagnostic("HA009", "internal-error", Severity.ERROR, "crash", Label(None, "x")).with_fingerprint()
    assert baseline.Entry.of(unsubjected).fingerprint == unsubjected.fingerprint


def test_json_contract_is_untouched_without_a_baseline(repo: Path) -> None:
    _, doc = check_json("prod")
    assert "baselined" not in doc["summary"] and "stale_baseline" not in doc["summary"]
    assert os.path.exists(repo / "prod")
