"""SARIF output, checked by the real consumers on every fixture cluster.

(a) Structure: ``jsonschema`` against the SARIF 2.1.0 schema that ships inside Microsoft's SARIF
Multitool npm package (not a copy in this repository). (b) Semantics: the Multitool's own
``validate`` with the SARIF rules and GitHub code scanning's ingestion rules (``Gh``); no result
may be an error or a warning (a result without ``level`` is a warning). The validator silently
skips a file it cannot deserialize, which is why (a) runs too.

The Multitool comes from ``LIFERAY_HA_LINT_SARIF_MULTITOOL_DIR`` (``.ci/run`` installs version
5.7.0 with npm into a cache outside the checkout and exports it) or that cache's default place.
Without it the tests skip with the reason, except in CI (``LIFERAY_HA_LINT_REQUIRE_ORACLES=1``),
where they fail.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from linter import __version__
from linter.cli import main
from linter.diagnostics import ClusterSummary, Diagnostic, Label, Report, Severity
from linter.pack import load_rules
from linter.redact import MASK, mask_report
from linter.reporters import sarif
from linter.reporters.common import Context
from tests import oracle
from tests.conftest import FIXTURES, REPO

MULTITOOL_VERSION = "5.7.0"
CLUSTERS = sorted(p for p in (FIXTURES / "clusters").iterdir() if p.is_dir())
BROKEN = FIXTURES / "clusters" / "broken-74-cluster-link-drift"
HAND_BUILT = "hand-built-report"


def multitool_dir() -> Path:
    configured = os.environ.get("LIFERAY_HA_LINT_SARIF_MULTITOOL_DIR")
    if configured:
        return Path(configured)
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache_home / "liferay-ha-lint" / "npm" / "node_modules" / "@microsoft" / "sarif-multitool-linux"


def _missing_reason() -> str | None:
    folder = multitool_dir()
    if not (folder / "Sarif.Multitool").is_file() or not (folder / "sarif-2.1.0.json").is_file():
        npm = "npm is not installed" if shutil.which("npm") is None else "npm is installed"
        return (
            f"SARIF Multitool not found in {folder} ({npm}; .ci/run installs "
            f"@microsoft/sarif-multitool@{MULTITOOL_VERSION} and sets LIFERAY_HA_LINT_SARIF_MULTITOOL_DIR)"
        )
    version = json.loads((folder / "package.json").read_text(encoding="utf-8")).get("version")
    if version != MULTITOOL_VERSION:
        return f"SARIF Multitool in {folder} is {version}, tests expect {MULTITOOL_VERSION}"
    return None


def require_multitool() -> Path:
    reason = _missing_reason()
    if reason:
        if oracle.required():
            pytest.fail(f"SARIF Multitool required in CI but unavailable: {reason}")
        pytest.skip(reason)
    return multitool_dir()


@cache
def _schema_validator() -> Any:
    import jsonschema

    schema = json.loads((multitool_dir() / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def check_schema(path: Path) -> None:
    """(a) The log against the schema shipped in the Multitool package."""
    require_multitool()
    doc = json.loads(path.read_text(encoding="utf-8"))
    errors = sorted(_schema_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{path.name}: {list(e.absolute_path)}: {e.message}" for e in errors[:10])


def run_validator(paths: list[Path], workdir: Path) -> dict[Path, list[dict[str, Any]]]:
    """(b) The Multitool's ``validate --rule-kind "Gh;Sarif"`` on several logs in one process (it
    checks URIs over the network, which takes seconds where there is none, in parallel); its
    results grouped by the log they are about."""
    folder = require_multitool()
    out = workdir / "validation.sarif"
    out.unlink(missing_ok=True)
    env = {**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1", "DOTNET_CLI_TELEMETRY_OPTOUT": "1"}
    command = [str(folder / "Sarif.Multitool"), "validate", *map(str, paths), "--rule-kind", "Gh;Sarif"]
    command += ["--level", "Error;Warning;Note", "-o", str(out)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env, check=False)
    assert out.is_file(), f"validator wrote nothing (exit {proc.returncode}): {proc.stdout[-2000:]} {proc.stderr}"
    grouped: dict[Path, list[dict[str, Any]]] = {p: [] for p in paths}
    by_name = {p.name: p for p in paths}
    for result in json.loads(out.read_text(encoding="utf-8"))["runs"][0].get("results", []):
        for loc in result.get("locations", []):
            uri = str(loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri", ""))
            name = uri.rsplit("/", 1)[-1]
            if name in by_name:
                grouped[by_name[name]].append(result)
                break
        else:
            raise AssertionError(f"validator result about no input log: {result}")
    return grouped


def assert_clean(path: Path, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """No error or warning (a result without ``level`` is a warning); returns the notes."""
    bad = [r for r in results if r.get("level", "warning") in ("error", "warning")]
    assert not bad, "\n".join(f"{path.name}: {r['ruleId']} {r.get('level', 'warning')}: {r['message']}" for r in bad)
    # the validator really read the file: it always has notes on it (rule names are kebab-case,
    # SARIF2012; URIs cannot be fetched here, SARIF2006), while a file it cannot deserialize gets none
    assert results, f"the validator reported nothing on {path}: it could not read it"
    return [r for r in results if r.get("level") == "note"]


def validate_sarif(path: Path, workdir: Path) -> list[dict[str, Any]]:
    """Both checks on one log; returns the validator's notes."""
    check_schema(path)
    return assert_clean(path, run_validator([path], workdir)[path])


class Batch(NamedTuple):
    logs: dict[str, Path]  # cluster name -> SARIF log
    reports: dict[str, dict[str, Any]]  # cluster name -> JSON report of the same run
    results: dict[Path, list[dict[str, Any]]]  # validator results per log


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """Every fixture cluster checked once (SARIF to a file, JSON to stdout, from the repository
    root), all logs validated in one Multitool run."""
    require_multitool()
    workdir = tmp_path_factory.mktemp("sarif")
    logs: dict[str, Path] = {}
    reports: dict[str, dict[str, Any]] = {}
    here = Path.cwd()
    os.chdir(REPO)
    try:
        for cluster in CLUSTERS:
            log = workdir / f"{cluster.name}.sarif"
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                code = main(["check", "--format", "sarif", "--output", str(log), "--format", "json", str(cluster)])
            assert code in (0, 1), cluster
            logs[cluster.name] = log
            reports[cluster.name] = json.loads(buffer.getvalue())
    finally:
        os.chdir(here)
    hand = workdir / f"{HAND_BUILT}.sarif"
    hand.write_text(sarif.render(_report(), _ctx(workdir)), encoding="utf-8")
    logs[HAND_BUILT] = hand
    return Batch(logs, reports, run_validator(list(logs.values()), workdir))


def test_validator_catches_a_bad_level(tmp_path: Path) -> None:
    """Our harness must fail a log the validator cannot deserialize (it reports nothing for it)."""
    require_multitool()
    log = tmp_path / "bad.sarif"
    main(["check", "--format", "sarif", "--output", str(log), str(BROKEN)])
    doc = json.loads(log.read_text(encoding="utf-8"))
    doc["runs"][0]["results"][0]["level"] = "fatal"
    log.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(AssertionError, match="level"):
        check_schema(log)
    # and the validator alone says nothing about it, which the harness also refuses
    with pytest.raises(AssertionError, match="reported nothing"):
        assert_clean(log, run_validator([log], tmp_path)[log])


@pytest.mark.parametrize("cluster", CLUSTERS, ids=[p.name for p in CLUSTERS])
def test_every_fixture_cluster_validates(cluster: Path, batch: Batch) -> None:
    log = batch.logs[cluster.name]
    check_schema(log)
    assert_clean(log, batch.results[log])
    report = batch.reports[cluster.name]
    run = json.loads(log.read_text(encoding="utf-8"))["runs"][0]
    assert [r["partialFingerprints"]["liferayHaLint/v1"] for r in run["results"]] == [
        f["fingerprint"] for f in report["findings"]
    ]
    for result, finding in zip(run["results"], report["findings"], strict=True):
        assert result["ruleId"] == finding["rule"]
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == finding["rule"]
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding["severity"]]
        assert len(result["locations"]) == 1
        assert len(result.get("relatedLocations", [])) == len(finding["related"])
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        if finding["location"]["line"] is not None:
            assert location["artifactLocation"]["uri"] == finding["location"]["file"]
            assert location["region"]["startLine"] == finding["location"]["line"]


def test_driver_describes_every_rule(tmp_path: Path) -> None:
    log = tmp_path / "a.sarif"
    main(["check", "--format", "sarif", "--output", str(log), str(BROKEN)])
    doc = json.loads(log.read_text(encoding="utf-8"))
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["name"] == "liferay-ha-lint" and driver["version"] == __version__
    fired = {r["ruleId"] for r in doc["runs"][0]["results"]}
    rules = [r for r in load_rules() if r.id in fired]  # the rules that fired, not the whole pack
    assert fired and [d["id"] for d in driver["rules"]] == [r.id for r in rules]
    for descriptor, rule in zip(driver["rules"], rules, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"].startswith(rule.summary.rstrip("."))
        assert descriptor["fullDescription"]["text"].startswith(rule.rationale.rstrip("."))
        assert rule.fix in descriptor["help"]["text"] and rule.fix in descriptor["help"]["markdown"]
        assert descriptor["helpUri"].endswith(f"docs/rules.md#{rule.id.lower()}")
        level = {"error": "error", "warning": "warning", "info": "note"}[rule.severity.value]
        assert descriptor["defaultConfiguration"]["level"] == level


def test_all_rules_on_request(tmp_path: Path) -> None:
    """``--sarif-all-rules`` describes every rule that ran (in id order, findings or not), still a
    valid log for the schema and for the Multitool with GitHub's rules; without it only the rules
    that fired (above)."""
    every, some, healthy = (tmp_path / n for n in ("every.sarif", "some.sarif", "healthy.sarif"))
    assert main(["check", "--sarif-all-rules", "-f", "sarif", "-o", str(every), str(BROKEN)]) == 1
    selection = ["--select", "HA1", "--ignore", "HA104"]
    assert main(["check", "--sarif-all-rules", *selection, "-f", "sarif", "-o", str(some), str(BROKEN)]) == 1
    clean = FIXTURES / "clusters" / "healthy-74-unicast-tcpping"
    assert main(["check", "--sarif-all-rules", "-f", "sarif", "-o", str(healthy), str(clean)]) == 0
    rules = load_rules()
    selected = [r.id for r in rules if r.id.startswith("HA1") and r.id != "HA104"]
    for log, expected in ((every, [r.id for r in rules]), (some, selected), (healthy, [r.id for r in rules])):
        run = json.loads(log.read_text(encoding="utf-8"))["runs"][0]
        descriptors = run["tool"]["driver"]["rules"]
        assert [d["id"] for d in descriptors] == expected, log.name
        for result in run["results"]:
            assert descriptors[result["ruleIndex"]]["id"] == result["ruleId"]
    assert json.loads(healthy.read_text(encoding="utf-8"))["runs"][0]["results"] == []
    some_results = json.loads(some.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert some_results and all(r["ruleId"] in selected for r in some_results)
    results = run_validator([every, some, healthy], tmp_path)
    for log in (every, some, healthy):
        check_schema(log)
        assert_clean(log, results[log])


# ----------------------------------------------------------------------------- hand-built report

CLUSTER = ClusterSummary(
    name="prod",
    path="envs/prod",
    liferay_version="7.4",
    version_source="manifest",
    nodes=(
        ("node1", "envs/prod/node1", ("envs/prod/node1/portal-ext.properties",)),
        ("node2", "envs/prod/node2", ("envs/prod/node2/portal-ext.properties",)),
        ("node3", "envs/prod/node3", ()),
    ),
)


def _report() -> Report:
    mismatch = Diagnostic(
        rule="HA102",
        name="cluster-link-mismatch",
        severity=Severity.ERROR,
        message='Cluster Link differs [see multicast.group.address["x"]] on jdbc:mysql://db/x?password=hunter2',
        primary=Label(
            node="node2",
            file="envs/prod/node2/portal-ext.properties",
            line=16,
            column=1,
            end_line=16,
            end_column=24,
            text="node2: false",
            snippet="cluster.link.enabled=no",
        ),
        related=(
            Label(node="node1", file="envs/prod/node1/portal-ext.properties", line=3, column=5, text="node1: true"),
            Label(node="node3", file="envs/prod/node3", text="node3: false", origin="Liferay 7.4 default"),
        ),
        help="set cluster.link.enabled=true on every node",
        cluster="prod",
        subject="cluster.link.enabled",
    ).with_fingerprint()
    default = Diagnostic(
        rule="HA101",
        name="cluster-link-disabled",
        severity=Severity.INFO,
        message="Cluster Link is off on node1",
        primary=Label(node="node1", file="envs/prod/node1", text="not set", origin="Liferay 7.4 default"),
        cluster="prod",
        subject="cluster.link.enabled",
    ).with_fingerprint()
    return mask_report(Report((mismatch, default), (CLUSTER,)))  # as the engine hands it over


def _ctx(root: Path) -> Context:
    rules = load_rules()
    return Context(__version__, rules, frozenset(r.id for r in rules), root=root, cwd=root)


def test_locations_regions_and_links(tmp_path: Path) -> None:
    doc = sarif.sarif(_report(), _ctx(tmp_path))
    run = doc["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.as_uri() + "/"}}
    mismatch, default = run["results"]
    (location,) = mismatch["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "envs/prod/node2/portal-ext.properties", "uriBaseId": "%SRCROOT%"},
        "region": {
            "startLine": 16,
            "startColumn": 1,
            "endLine": 16,
            "endColumn": 25,  # SARIF's end column is exclusive, the label's inclusive
            "snippet": {"text": "cluster.link.enabled=no"},
        },
    }
    first, second = mismatch["relatedLocations"]
    assert first["id"] == 1 and first["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 5, "endLine": 3}
    # a node directory is no file: the node's own file would be used, and node3 has none listed
    assert second["id"] == 2 and second["physicalLocation"]["artifactLocation"]["uri"] == "envs/prod/node3"
    assert "Liferay 7.4 default" in second["message"]["text"]
    text = mismatch["message"]["text"]
    assert "](1)" in text and "](2)" in text  # related locations are linked from the message
    assert '\\[see multicast.group.address\\["x"\\]\\]' in text  # literal brackets escaped
    assert "hunter2" not in json.dumps(doc) and MASK in text
    # a value without a line is shown on line 1 of the node's main file, saying where it comes from
    where = default["locations"][0]["physicalLocation"]
    assert where == {
        "artifactLocation": {"uri": "envs/prod/node1/portal-ext.properties", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1},
    }
    assert default["level"] == "note" and "Liferay 7.4 default" in default["message"]["text"]
    assert mismatch["partialFingerprints"] == {"liferayHaLint/v1": _report().diagnostics[0].fingerprint}


def test_paths_outside_the_repository_are_absolute_file_uris(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    report = _report()
    first = report.diagnostics[0]
    moved = dataclasses.replace(first, primary=dataclasses.replace(first.primary, file=str(tmp_path / "x.properties")))
    run = sarif.sarif(Report((moved,), report.clusters), _ctx(root))["runs"][0]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (tmp_path / "x.properties").as_uri()}


def test_hand_built_report_validates(batch: Batch) -> None:
    """Lines missing, a node directory, brackets and a secret in the message: still valid."""
    log = batch.logs[HAND_BUILT]
    check_schema(log)
    assert_clean(log, batch.results[log])
