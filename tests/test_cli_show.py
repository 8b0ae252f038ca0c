"""``liferay-ha-lint show`` through the real CLI on the bundled fixtures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from linter.cli import main
from tests.conftest import FIXTURES

CLUSTERS = sorted(p for p in (FIXTURES / "clusters").iterdir() if p.is_dir())


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["show", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("cluster", CLUSTERS, ids=[p.name for p in CLUSTERS])
def test_every_fixture_cluster_shows_without_input_problems(cluster: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = _json(capsys, str(cluster))
    assert code == 0
    (c,) = doc["clusters"]
    assert c["name"] == cluster.name and c["liferay_version"] and c["problems"] == []
    assert len(c["nodes"]) >= 2
    keys = {row["key"] for row in c["settings"]}
    assert {"cluster.link.enabled", "jdbc.default.url"} <= keys
    assert keys & {"dl.store.impl", "dl.hook.impl"}  # dl.hook.impl on 6.0


def test_json_origins_and_differences(capsys: pytest.CaptureFixture[str]) -> None:
    _, doc = _json(capsys, str(FIXTURES / "clusters" / "broken-74-cluster-link-drift"))
    rows = {row["key"]: row for row in doc["clusters"][0]["settings"]}
    enabled = rows["cluster.link.enabled"]
    assert enabled["differs"] is True
    node3 = enabled["nodes"]["node3"]
    assert node3["value"] == "yes" and node3["origin"]["file"].endswith("node3/portal-ext.properties")
    assert node3["origin"]["line"] == 16
    control = rows['multicast.group.address["cluster-link-control"]']
    assert control["differs"] is True


def test_secrets_are_masked_in_every_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cluster = FIXTURES / "clusters" / "healthy-74-unicast-tcpping"
    secrets = set()
    for node in cluster.iterdir():
        ext = node / "portal-ext.properties"
        if ext.is_file():
            for line in ext.read_text().splitlines():
                if line.startswith("jdbc.default.password="):
                    secrets.add(line.split("=", 1)[1])
    assert secrets
    main(["show", "--format", "json", "--all", str(cluster)])
    main(["show", "--color", "never", "--all", str(cluster)])
    out = capsys.readouterr().out
    assert "********" in out
    for secret in secrets:
        assert secret not in out


def test_text_output_marks_differences_and_names_nodes(tmp_path: Path) -> None:
    out_file = tmp_path / "show.txt"
    code = main(["show", str(FIXTURES / "clusters" / "broken-74-cluster-link-drift"), "-o", str(out_file)])
    text = out_file.read_text()
    assert code == 0
    assert "node1" in text and "node3" in text and "≠ cluster.link.enabled" in text
    assert "portal-ext.properties:16" in text


def test_missing_path_and_bad_version_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "does-not-exist"]) == 2  # a path to check that does not exist is a usage error
    assert capsys.readouterr().err == "liferay-ha-lint: error: does-not-exist: no such file or directory\n"
    assert main(["show", "--liferay-version", "9.9", str(FIXTURES)]) == 2


def test_directory_of_clusters_and_python_m(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "linter", "show", "--format", "json", str(FIXTURES / "clusters")],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    names = [c["name"] for c in json.loads(proc.stdout)["clusters"]]
    assert names == [p.name for p in CLUSTERS]


def test_files_map_back_to_their_whole_cluster(capsys: pytest.CaptureFixture[str]) -> None:
    one_file = FIXTURES / "clusters" / "healthy-62-multicast" / "web02" / "portal-ext.properties"
    code, doc = _json(capsys, str(one_file))
    assert code == 0
    (c,) = doc["clusters"]
    assert c["name"] == "healthy-62-multicast" and len(c["nodes"]) == 3
