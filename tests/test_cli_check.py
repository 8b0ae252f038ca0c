"""``liferay-ha-lint check``, ``rules`` and ``explain`` through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from linter.cli import main
from tests.conftest import FIXTURES, REPO

BROKEN = FIXTURES / "clusters" / "broken-74-cluster-link-drift"
HEALTHY = sorted(p for p in (FIXTURES / "clusters").iterdir() if p.name.startswith("healthy-"))


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["check", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("cluster", HEALTHY, ids=[p.name for p in HEALTHY])
def test_healthy_clusters_exit_0(cluster: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = _json(capsys, str(cluster))
    assert code == 0
    assert doc["findings"] == []


def test_broken_cluster_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = _json(capsys, "--select", "HA101,HA102", str(BROKEN))
    assert code == 1
    assert list(doc) == ["tool", "clusters", "findings", "summary"]
    assert doc["tool"]["name"] == "liferay-ha-lint"
    (cluster,) = doc["clusters"]
    assert set(cluster) >= {"name", "liferay_version", "version_source", "nodes"}
    assert cluster["liferay_version"] == "7.4" and [n["name"] for n in cluster["nodes"]] == ["node1", "node2", "node3"]
    by_rule = {f["rule"]: f for f in doc["findings"]}
    mismatch = by_rule["HA102"]
    assert set(mismatch) >= {
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
    assert mismatch["node"] == "node3" and mismatch["severity"] == "error"
    assert mismatch["location"]["file"].endswith("node3/portal-ext.properties") and mismatch["location"]["line"] == 16
    assert [(r["node"], r["line"]) for r in mismatch["related"]] == [("node1", 16), ("node2", 16)]
    assert doc["summary"]["error"] == len(doc["findings"]) and doc["summary"]["nodes"] == 3


def test_fingerprint_survives_line_moves_and_node_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    moved = tmp_path / "moved"
    shutil.copytree(BROKEN, moved)
    (moved / "liferay-ha.toml").write_text(
        (moved / "liferay-ha.toml")
        .read_text()
        .replace("[clusters.broken-74-cluster-link-drift", "[clusters.broken-74-cluster-link-drift")
    )
    ext = moved / "node3" / "portal-ext.properties"
    ext.write_text("# a new comment line moves everything down\n\n" + ext.read_text())
    _, before = _json(capsys, "--select", "HA101,HA102", str(BROKEN))
    _, after = _json(capsys, "--select", "HA101,HA102", str(moved))
    assert {f["fingerprint"] for f in before["findings"]} == {f["fingerprint"] for f in after["findings"]}
    assert {f["location"]["line"] for f in after["findings"]} == {18}


def test_fail_on_select_and_ignore(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-q", "--fail-on", "never", str(BROKEN)]) == 0
    assert main(["check", "-q", "--select", "HA1", "--ignore", "HA1", str(BROKEN)]) == 0  # equal specificity: ignored
    capsys.readouterr()
    code, doc = _json(capsys, "--select", "cluster-link-mismatch", str(BROKEN))
    assert code == 1 and {f["rule"] for f in doc["findings"]} == {"HA102"}
    assert main(["check", "--select", "HA999x", str(BROKEN)]) == 2


def test_config_file_severity_override_and_bad_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".liferay-ha-lint.toml").write_text(
        'select = ["HA101", "HA102"]\nseverity = { HA101 = "warning", HA102 = "warning" }\nfail-on = "error"\n'
    )
    code, doc = _json(capsys, str(BROKEN))
    assert code == 0 and {f["severity"] for f in doc["findings"]} == {"warning"}
    (tmp_path / ".liferay-ha-lint.toml").write_text('selct = ["HA1"]\n')
    assert main(["check", str(BROKEN)]) == 2
    assert "selct" in capsys.readouterr().err


def test_inline_suppression_and_no_inline_suppressions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    cluster = tmp_path / "c"
    shutil.copytree(BROKEN, cluster)
    ext = cluster / "node3" / "portal-ext.properties"
    text = ext.read_text().replace(
        "cluster.link.enabled=yes",
        "# liferay-ha-lint: disable=HA101,HA102 -- node3 is being retired\ncluster.link.enabled=yes",
    )
    ext.write_text(text)
    code, doc = _json(capsys, "--select", "HA101,HA102", str(cluster))
    assert code == 0 and doc["findings"] == [] and doc["summary"]["suppressed"] == 2
    code, doc = _json(capsys, "--select", "HA101,HA102", "--no-inline-suppressions", str(cluster))
    assert code == 1 and {f["rule"] for f in doc["findings"]} == {"HA101", "HA102"}


def test_text_output_is_rustc_like_and_honours_no_color(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    proc = subprocess.run(
        [sys.executable, "-m", "linter", "check", str(BROKEN)],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert proc.returncode == 1
    out = proc.stdout
    assert "error[HA102]" in out and "-->" in out and ":::" in out and "^^^^" in out
    assert "\x1b[" not in out
    assert "explain HA102" in out


def test_unreadable_input_is_a_finding_not_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "n1").mkdir()
    (tmp_path / "n2").mkdir()
    (tmp_path / "n1" / "portal-ext.properties").write_bytes(b"\x00\x01binary")
    (tmp_path / "n2" / "portal-ext.properties").write_text("cluster.link.enabled=true\n")
    code, doc = _json(capsys, str(tmp_path))
    assert code == 1 and any(f["rule"] == "HA001" for f in doc["findings"])
    # a path to check that does not exist is a usage error, not a finding
    assert main(["check", "--format", "json", str(tmp_path / "missing")]) == 2
    assert capsys.readouterr().err.endswith("missing: no such file or directory\n")


def test_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    table = capsys.readouterr().out
    assert "HA101" in table and "cluster-link-disabled" in table
    assert main(["rules", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)["rules"]
    ha101 = next(r for r in rules if r["id"] == "HA101")
    assert ha101["rationale"] and ha101["sources"] and ha101["scope"] == "node"
    assert main(["explain", "cluster-link-mismatch", "--long"]) == 0
    text = capsys.readouterr().out
    assert "HA102" in text and "Failing example" in text and "Passing example" in text and "node3" in text
    assert "Sources:" in text
    assert main(["explain", "HA999"]) == 2


def test_explain_is_short_by_default_and_shows_what_differs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    ids = [r["id"] for r in json.loads(capsys.readouterr().out)["rules"]]
    for rule_id in ids:
        assert main(["explain", rule_id]) == 0
        text = capsys.readouterr().out
        assert len(text.splitlines()) <= 60, rule_id
        assert all(len(line) <= 100 for line in text.splitlines()), rule_id
    assert main(["explain", "HA102"]) == 0
    text = capsys.readouterr().out
    # the failing example's lines against the passing one's, and what the linter says about them
    assert "\n  - " in text and "\n  + " in text and "=> error[HA102]" in text and "--long" in text


def test_explain_a_tag_and_rules_filter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "cluster-link"]) == 0
    listed = capsys.readouterr().out
    assert "HA101" in listed and "HA102" in listed and "HA201" not in listed
    assert main(["rules", "HA2"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:7] == ["id", "name", "severity", "scope", "versions", "tags", "summary"]
    assert {line.split()[0] for line in table[1:]} == {i for i in ("HA201", "HA202", "HA203", "HA204", "HA205")}
    assert main(["rules", "no-such-tag"]) == 2


def test_docs_rules_md_is_current() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_rules_doc.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def _cluster(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_secrets_never_reach_snippets_or_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = "s3cr3t-Passw0rd-value"
    cluster = _cluster(
        tmp_path,
        {
            "n1/portal-ext.properties": f"jdbc.default.password={secret}${{undefined.suffix}}\n"
            f"jdbc.default.url=jdbc:mysql://db/lportal?user=lr&password={secret}&x=${{nothing.here}}\n",
            "n2/portal-ext.properties": "cluster.link.enabled=true\n",
        },
    )
    for args in (["--format", "json"], ["--color", "never"], ["-q"]):
        code = main(["check", *args, str(cluster)])
        out = capsys.readouterr().out
        assert code == 1 and "HA004" in out
        assert secret not in out, args


XML_RULE = '''
"""Test rule: report a TCPPING protocol element."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Context, Finding, Label, Node, rule


@rule(
    id="HA902",
    name="tcpping-seen",
    severity=WARNING,
    scope="node",
    summary="Reports TCPPING elements.",
    rationale="Test pack rule.",
    fix="None.",
    sources=("tests",),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    ref = node.reference("cluster.link.channel.properties.control")
    protocol = ref.jgroups.protocol("TCPPING") if ref is not None and ref.jgroups is not None else None
    if protocol is not None:
        at = Label(node.name, ref.origin.file, protocol.line, protocol.column)
        yield Finding("TCPPING here", at, subject="tcpping")
'''


def test_xml_and_osgi_config_suppressions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "ha902_tcpping_seen.py").write_text(XML_RULE)
    tcp = (
        '<config xmlns="urn:org:jgroups">\n'
        '    <TCP bind_port="7800"/>\n'
        "    {comment}"
        '    <TCPPING initial_hosts="a[7800],b[7800]"/>\n'
        "</config>\n"
    )
    ext = "cluster.link.enabled=true\ncluster.link.channel.properties.control=/jgroups/tcp.xml\n"
    es7 = "com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConfiguration.config"
    cluster = _cluster(
        tmp_path / "c",
        {
            "n1/portal-ext.properties": ext,
            "n1/WEB-INF/classes/jgroups/tcp.xml": tcp.format(
                comment="<!-- liferay-ha-lint: disable=tcpping-seen - static member list -->\n"
            ),
            "n2/portal-ext.properties": ext,
            "n2/WEB-INF/classes/jgroups/tcp.xml": tcp.format(comment=""),
            f"n2/osgi/configs/{es7}": (
                "# liferay-ha-lint: disable=parse-error -- being rewritten\nproductionModeEnabled=true\n"
            ),
        },
    )
    _, doc = _json(capsys, "--rules-dir", str(pack), "--select", "HA0,HA902", str(cluster))
    found = sorted((f["rule"], f["node"]) for f in doc["findings"])
    assert found == [("HA902", "n2")], doc["findings"]
    assert doc["summary"]["suppressed"] == 2


def test_per_path_ignores_in_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    shutil.copytree(BROKEN, tmp_path / "c")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.liferay-ha-lint]\nselect = ["HA101", "HA102"]\nper-path-ignores = { "**/node3/**" = ["HA101"] }\n'
    )
    monkeypatch.chdir(tmp_path)
    code, doc = _json(capsys, "c")
    assert code == 1 and {f["rule"] for f in doc["findings"]} == {"HA102"}
    assert doc["summary"]["suppressed"] == 1


def test_color_always_and_force_color(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    for extra_args, extra_env in ((["--color", "always"], {}), ([], {"FORCE_COLOR": "1"})):
        proc = subprocess.run(
            [sys.executable, "-m", "linter", "check", *extra_args, str(BROKEN)],
            capture_output=True,
            text=True,
            env={**env, **extra_env},
            stdin=subprocess.DEVNULL,
            check=False,
        )
        assert proc.returncode == 1 and "\x1b[" in proc.stdout, (extra_args, extra_env)


def test_findings_escalated_by_a_rule_and_the_config_still_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, doc = _json(capsys, "--select", "HA704", str(BROKEN))
    assert code == 1 and [f["severity"] for f in doc["findings"]] == ["error"]  # cluster.link.enabled=yes
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".liferay-ha-lint.toml").write_text('severity = { HA704 = "warning" }\n')
    code, doc = _json(capsys, "--select", "HA704", str(BROKEN))
    assert code == 0 and [f["severity"] for f in doc["findings"]] == ["warning"]
