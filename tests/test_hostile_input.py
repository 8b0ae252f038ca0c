"""Bad and hostile input is a finding, never a traceback, and nothing outside the tree is read."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from linter.cli import main


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["check", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def _cluster(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def test_symlink_out_of_the_tree_is_reported_not_followed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "stolen.properties").write_text("jdbc.default.url=jdbc:mysql://SECRET-HOST-OUTSIDE/lportal\n")
    cluster = _cluster(
        tmp_path / "cluster", {"n1/setenv.sh": "", "n2/portal-ext.properties": "cluster.link.enabled=true\n"}
    )
    (cluster / "n1" / "portal-ext.properties").symlink_to(outside / "stolen.properties")
    code, doc = _json(capsys, str(cluster))
    out = json.dumps(doc)
    assert code == 1 and "SECRET-HOST-OUTSIDE" not in out
    assert any(f["rule"] == "HA001" and "outside the audited tree" in f["message"] for f in doc["findings"])
    main(["show", "--format", "json", "--all", str(cluster)])
    assert "SECRET-HOST-OUTSIDE" not in capsys.readouterr().out


def test_symlink_inside_the_tree_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cluster = _cluster(
        tmp_path / "cluster",
        {"common/portal-common.properties": "cluster.link.enabled=true\n", "n1/setenv.sh": "", "n2/setenv.sh": ""},
    )
    for node in ("n1", "n2"):
        (cluster / node / "portal-ext.properties").symlink_to(cluster / "common" / "portal-common.properties")
    code, doc = _json(capsys, "--select", "HA0", str(cluster / "n1"), str(cluster / "n2"))
    assert code == 0, doc["findings"]


def test_symlink_loop_and_directory_in_place_of_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cluster = _cluster(tmp_path / "c", {"n1/setenv.sh": "", "n2/portal-setup-wizard.properties/oops": "x"})
    loop = cluster / "n1" / "portal-ext.properties"
    os.symlink(loop, loop)
    code, doc = _json(capsys, str(cluster))
    messages = {f["node"]: f["message"] for f in doc["findings"] if f["rule"] == "HA001"}
    assert code == 1 and set(messages) == {"n1", "n2"}
    assert "directory" in messages["n2"]


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"", None),  # an empty file is a valid, empty properties file
        (b"\x00\x01\x02\xff" * 100, "HA001"),
        (b"a=1\nb=\\u12G4\n", "HA002"),
        (b"a=1\nb=2\\", "HA002"),
    ],
)
def test_bad_properties_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, rule: str | None
) -> None:
    cluster = _cluster(tmp_path, {"n1/portal-ext.properties": content, "n2/portal-ext.properties": "a=1\n"})
    code, doc = _json(capsys, "--select", "HA0", str(cluster))
    rules = [f["rule"] for f in doc["findings"]]
    assert rules == ([rule] if rule else []) and code == (1 if rule else 0)


def test_huge_files_are_refused_by_size_without_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cluster = _cluster(tmp_path, {"n2/portal-ext.properties": "a=1\n"})
    big = cluster / "n1" / "portal-ext.properties"
    big.parent.mkdir(parents=True)
    with big.open("wb") as handle:  # a sparse 200 MB file: refused from its size alone
        handle.truncate(200 * 1024 * 1024)
    line = cluster / "n2" / "portal-setup-wizard.properties"
    line.write_bytes(b"k=" + b"x" * (50 * 1024 * 1024))  # one 50 MB line
    code, doc = _json(capsys, str(cluster))
    refused = sorted((f["node"], f["rule"]) for f in doc["findings"] if "limit" in f["message"])
    assert code == 1 and refused == [("n1", "HA001"), ("n2", "HA001")]
    code, doc = _json(capsys, "--max-file-size", "100", str(cluster / "n2"))
    assert any("100-byte limit" in f["message"] for f in doc["findings"])


def test_malformed_manifest_and_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cluster = _cluster(tmp_path, {"liferay-ha.toml": "[clusters.x\nnodes = 1\n", "n1/setenv.sh": ""})
    code, doc = _json(capsys, str(cluster))
    assert code == 1 and doc["findings"][0]["rule"] == "HA002" and doc["findings"][0]["location"]["line"] == 1


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("metadata: {name: liferay\n  bad: [\n", ["YAML syntax"]),
        ("spec: {template: {spec: {containers: [{name: liferay, image: 'liferay/dxp:2024.q1.1', env: 5}]}}}", ["env"]),
        (
            "spec: {template: {spec: {volumes: 4, containers: [{name: liferay, image: 'liferay/dxp:2024.q1.1', "
            "env: [{name: LIFERAY_X, value: '1'}, 5], volumeMounts: 3}]}}}",
            ["env", "volumeMounts", "volumes"],
        ),
        (
            "spec: {replicas: two, template: {spec: {containers: [{name: liferay, image: 'liferay/dxp:2024.q1'}]}}}",
            ["replicas"],
        ),
    ],
)
def test_malformed_kubernetes_manifest_is_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, said: list[str]
) -> None:
    (tmp_path / "liferay.yaml").write_text(f"apiVersion: apps/v1\nkind: StatefulSet\n{body}\n")
    code, doc = _json(capsys, str(tmp_path / "liferay.yaml"))
    malformed = [f["message"] for f in doc["findings"] if f["rule"] == "HA002"]
    assert code == 1 and len(malformed) == len(said)
    assert all(any(word in message for message in malformed) for word in said)
