"""Several outputs in one run, format choice, and the README's CI snippets run as written."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from linter.cli import CheckFormat, main, plan_outputs
from tests.conftest import FIXTURES, REPO

BROKEN = FIXTURES / "clusters" / "broken-74-cluster-link-drift"
HEALTHY = FIXTURES / "clusters" / "healthy-74-unicast-tcpping"
BIN = Path(sys.executable).parent


def readme_block(marker: str) -> str:
    """The fenced block that follows ``<!-- marker -->`` in the README."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^<!-- {re.escape(marker)} -->\n```[a-z]*\n(.*?)^```$", text, re.S | re.M)
    assert match, f"README has no block marked {marker}"
    return match.group(1)


def workspace(tmp_path: Path, *clusters: Path) -> Path:
    """A repository-like directory with ``envs/<cluster>`` copies, as the README snippets expect."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)  # marks the repository root for relative paths
    for cluster in clusters:
        shutil.copytree(cluster, root / "envs" / cluster.name)
    return root


def run_shell(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a snippet line with this environment's ``liferay-ha-lint`` first on PATH."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    full_env.update({"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "200", **env})
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=300, check=False
    )


# ----------------------------------------------------------------------------- pairing


def test_plan_pairs_formats_and_outputs_in_order() -> None:
    a, b = Path("a.sarif"), Path("b.xml")
    plan = plan_outputs([CheckFormat.sarif, CheckFormat.text], [a])
    assert plan == [(CheckFormat.sarif, a), (CheckFormat.text, None)]
    plan = plan_outputs([CheckFormat.sarif, CheckFormat.junit, CheckFormat.github], [a, b])
    assert plan == [(CheckFormat.sarif, a), (CheckFormat.junit, b), (CheckFormat.github, None)]
    assert plan_outputs([], []) == [(CheckFormat.text, None)]
    assert plan_outputs([], [], github_actions=True) == [(CheckFormat.github, None)]
    assert plan_outputs([], [a], github_actions=True) == [(CheckFormat.text, a)]
    assert plan_outputs([CheckFormat.json], [], github_actions=True) == [(CheckFormat.json, None)]


@pytest.mark.parametrize(
    ("formats", "outputs", "complaint"),
    [
        (["text", "json"], [], "standard output"),
        (["sarif"], ["a", "b"], "has no --format"),
        ([], ["a", "b"], "one --format each"),
        (["sarif", "json"], ["a", "./a"], "given twice"),
    ],
)
def test_plan_rejects_what_it_cannot_honour(
    formats: list[str], outputs: list[str], complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ValueError, match=complaint):
        plan_outputs([CheckFormat(f) for f in formats], [Path(o) for o in outputs])
    args = [x for f in formats for x in ("--format", f)] + [x for o in outputs for x in ("--output", o)]
    assert main(["check", *args, str(BROKEN)]) == 2
    assert complaint in capsys.readouterr().err


def test_sarif_junit_gitlab_files_and_text_on_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sarif, junit, gitlab, report = (tmp_path / n for n in ("a.sarif", "a.xml", "gl.json", "r.json"))
    code = main(
        [
            "check",
            *("--format", "sarif", "--output", str(sarif)),
            *("-f", "junit", "-o", str(junit)),
            *("-f", "gitlab", "-o", str(gitlab)),
            *("-f", "json", "-o", str(report)),
            *("--format", "text", "--color", "never", str(BROKEN)),
        ]
    )
    assert code == 1
    out = capsys.readouterr().out
    assert "error[HA102]" in out and "Found " in out
    doc = json.loads(report.read_text(encoding="utf-8"))
    fingerprints = {f["fingerprint"] for f in doc["findings"]}
    assert doc["findings"]
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert {r["partialFingerprints"]["liferayHaLint/v1"] for r in results} == fingerprints
    assert {i["fingerprint"] for i in json.loads(gitlab.read_text(encoding="utf-8"))} == fingerprints
    assert junit.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_machine_outputs_order_findings_by_severity_cluster_rule_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON, SARIF, GitLab, GitHub and JUnit list the findings as the text output lists its
    problems: errors first, then by cluster, rule and location (not by location alone)."""
    sarif, gitlab, junit, report = (tmp_path / n for n in ("a.sarif", "gl.json", "a.xml", "r.json"))
    mixed = FIXTURES / "clusters" / "broken-62-mixed-transport"
    code = main(
        [
            "check",
            *("-f", "sarif", "-o", str(sarif)),
            *("-f", "gitlab", "-o", str(gitlab)),
            *("-f", "junit", "-o", str(junit)),
            *("-f", "json", "-o", str(report)),
            *("-f", "github", str(BROKEN), str(mixed)),
        ]
    )
    assert code == 1
    github = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::")]
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    rank = {"error": 0, "warning": 1, "info": 2}

    def location(f: dict[str, Any]) -> tuple[str, str, int, int]:
        loc = f["location"]
        return (loc["file"] or loc.get("origin") or "", f["node"] or "", loc["line"] or 0, loc["column"] or 0)

    keys = [(rank[f["severity"]], f["cluster"] or "", f["rule"], location(f)) for f in findings]
    assert keys == sorted(keys)
    clusters = [k[1] for k in keys]
    assert clusters.index(BROKEN.name) < [k[:2] for k in keys].index((1, mixed.name))  # errors of both first
    assert keys != sorted(keys, key=lambda k: (k[1], k[3]))  # the fixtures do tell it from location order
    fingerprints = [f["fingerprint"] for f in findings]
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert [r["partialFingerprints"]["liferayHaLint/v1"] for r in results] == fingerprints
    issues = json.loads(gitlab.read_text(encoding="utf-8"))
    assert [i["check_name"] for i in issues] == [f["rule"] for f in findings]
    assert [i["fingerprint"] for i in issues] == fingerprints
    titles = [re.search(r"title=(HA\d+)", line) for line in github]
    assert [m.group(1) if m else None for m in titles] == [f["rule"] for f in findings]
    # JUnit: one case per rule; a case with findings of several severities names the worst first
    assert junit.read_text(encoding="utf-8").count("<failure") == len({(f["cluster"], f["rule"]) for f in findings})


def test_github_format_is_chosen_on_github_actions(tmp_path: Path) -> None:
    result = run_shell(f"liferay-ha-lint check {BROKEN}", REPO, GITHUB_ACTIONS="true")
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=") or result.stdout.startswith("::warning file=")
    assert "::error file=" in result.stdout and "title=HA102 cluster-link-mismatch::" in result.stdout
    # an explicit format wins, and an --output alone gets text
    result = run_shell(f"liferay-ha-lint check --format json {BROKEN}", REPO, GITHUB_ACTIONS="true")
    assert json.loads(result.stdout)["findings"]
    out = tmp_path / "report.txt"
    result = run_shell(f"liferay-ha-lint check --output {out} {BROKEN}", REPO, GITHUB_ACTIONS="true")
    assert result.stdout == "" and "error[HA102]" in out.read_text(encoding="utf-8")


def test_only_the_chosen_reporter_is_imported(tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom linter.cli import main\n"
        f"code = main(['check', '--format', 'gitlab', '--output', {str(tmp_path / 'gl.json')!r}, {str(HEALTHY)!r}])\n"
        "print(sorted(m for m in sys.modules if m.startswith('linter.reporters') or m == 'rich'))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    loaded = result.stdout.strip().splitlines()[-1]
    assert "linter.reporters.gitlab" in loaded
    for other in ("sarif", "junit", "json_report", "text'", "'rich'"):
        assert other not in loaded


# ----------------------------------------------------------------------------- README snippets


def _github_workflow() -> dict[str, Any]:
    import yaml

    workflow: dict[str, Any] = yaml.safe_load(readme_block("ci-github-actions"))
    return workflow


def test_readme_github_actions_snippet(tmp_path: Path) -> None:
    """The workflow's check step, run as written on a repository with a broken and a healthy
    cluster: it fails, annotates, and leaves the SARIF file the upload step names."""
    workflow = _github_workflow()
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    (check,) = [s for s in steps if "liferay-ha-lint check" in s.get("run", "")]
    (upload,) = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")]
    assert upload["if"] == "always()" and workflow["permissions"]["security-events"] == "write"
    root = workspace(tmp_path, BROKEN, HEALTHY)
    result = run_shell(check["run"], root, GITHUB_ACTIONS="true")
    assert result.returncode == 1, result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert any(a.startswith("::error file=envs/broken-74-cluster-link-drift/node3/") for a in annotations)
    sarif_path = root / upload["with"]["sarif_file"]
    doc = json.loads(sarif_path.read_text(encoding="utf-8"))
    run = doc["runs"][0]
    assert len(run["results"]) == len(annotations)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.resolve().as_uri() + "/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert all(u.startswith("envs/broken-74-cluster-link-drift/") for u in uris)
    from tests.test_outputs_sarif import validate_sarif

    validate_sarif(sarif_path, tmp_path)


def test_readme_gitlab_snippet(tmp_path: Path) -> None:
    import yaml
    from junitparser import JUnitXml

    job = yaml.safe_load(readme_block("ci-gitlab"))["liferay-ha-lint"]
    (command,) = [line for line in job["script"] if line.startswith("liferay-ha-lint check")]
    assert job["artifacts"]["when"] == "always"
    reports = job["artifacts"]["reports"]
    root = workspace(tmp_path, BROKEN)
    result = run_shell(command, root)
    assert result.returncode == 1 and "error[HA102]" in result.stdout
    issues = json.loads((root / reports["codequality"]).read_text(encoding="utf-8"))
    assert issues and all(i["location"]["path"].startswith("envs/broken-74-cluster-link-drift/") for i in issues)
    xml = JUnitXml.fromfile(str(root / reports["junit"]))
    assert xml.failures == len({i["check_name"] for i in issues})


def test_readme_shell_gate(tmp_path: Path) -> None:
    command = readme_block("ci-shell-gate")
    assert run_shell(command, workspace(tmp_path / "ok", HEALTHY)).returncode == 0
    broken = run_shell(command, workspace(tmp_path / "bad", BROKEN))
    assert broken.returncode == 1
    assert "error[HA102]" in broken.stdout and "Found" not in broken.stdout  # --quiet: one line each
    usage = run_shell(command.replace("--fail-on warning", "--fail-on sometimes"), workspace(tmp_path / "x", BROKEN))
    assert usage.returncode == 2
