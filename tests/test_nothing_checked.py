"""A run that did not read the configuration it was pointed at never says "No problems found".

Each case is a reproduction of a silent green run (a file that is no Liferay configuration, an
empty directory, a directory holding one node's files and node directories too, a manifest that
cannot be read), run through the real CLI with its exit code and message.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from linter.cli import main
from linter.sources.input_names import is_config_name
from tests.conftest import FIXTURES, REPO

DRIFT = FIXTURES / "clusters" / "broken-74-cluster-link-drift"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", ["pyproject.toml", "README.md"])
def test_a_file_that_is_no_liferay_configuration_is_a_usage_error(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    code, out, err = _run(capsys, name)
    assert code == 2 and out == ""
    assert err.startswith(f"liferay-ha-lint: error: {name}: not a Liferay configuration file (expected a .properties")


def test_a_file_outside_the_tree_is_not_taken_for_a_node_of_its_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (etc / "manpath.config").write_text("MANDATORY_MANPATH /usr/man\n")
    code, out, err = _run(capsys, str(etc / "passwd"))
    assert code == 2 and out == "" and "not a Liferay configuration file" in err
    assert "MANDATORY_MANPATH" not in err


@pytest.mark.parametrize("content", [None, "notes.txt"], ids=["empty", "flat"])
def test_a_directory_without_liferay_configuration_is_a_usage_error(
    content: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if content:
        (tmp_path / content).write_text("not a configuration\n")
    code, out, err = _run(capsys, str(tmp_path))
    assert code == 2 and out == ""
    assert f"{tmp_path}: no Liferay configuration found (expected node directories" in err
    assert "permission" not in err  # it is not an unreadable file


def test_node_files_beside_node_directories_are_refused_with_the_way_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stray portal-ext.properties at the top used to make the three nodes below vanish."""
    cluster = tmp_path / "cluster"
    for node in ("node1", "node2", "node3"):
        shutil.copytree(DRIFT / node, cluster / node)
    shutil.copy(DRIFT / "node1" / "portal-ext.properties", cluster / "portal-ext.properties")
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, "cluster")
    assert code == 2 and out == ""
    assert err == (
        "liferay-ha-lint: error: cluster holds the files of one node and node directories too (node1, node2, "
        "node3): check the node directories (cluster/node1 cluster/node2 cluster/node3), or say which "
        "directories are nodes in a liferay-ha.toml in cluster\n"
    )
    # the way out the message names works: the three nodes are checked, with their planted problems
    code, out, _ = _run(capsys, "--format", "json", "cluster/node1", "cluster/node2", "cluster/node3")
    doc = json.loads(out)
    assert code == 1 and [len(c["nodes"]) for c in doc["clusters"]] == [3]
    assert doc["summary"]["error"] > 0


def test_a_liferay_home_with_its_tomcat_folder_is_one_node(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The folders of one home (tomcat-*, osgi, data, deploy) are not node directories of their own."""
    home = tmp_path / "liferay-dxp"
    (home / "tomcat-9.0.97" / "webapps" / "ROOT" / "WEB-INF").mkdir(parents=True)
    (home / "osgi" / "configs").mkdir(parents=True)
    (home / "data").mkdir()
    (home / "portal-ext.properties").write_text("cluster.link.enabled=true\n")
    code, out, err = _run(capsys, "--format", "json", str(home))
    doc = json.loads(out)
    assert err == "" and [[n["name"] for n in c["nodes"]] for c in doc["clusters"]] == [["liferay-dxp"]]
    assert code in (0, 1)


def test_an_unreadable_kubernetes_manifest_is_a_finding_not_a_green_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "liferay.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: liferay\nspec: [\n"
    )
    monkeypatch.chdir(tmp_path)
    for target in ("k8s", "k8s/liferay.yaml"):
        code, out, err = _run(capsys, "-q", target)
        assert code == 1 and err == ""
        assert re.fullmatch(r"k8s/liferay\.yaml:4:\d+: error\[HA002\] YAML syntax: .*\n", out), out


def test_a_directory_whose_compose_file_runs_no_liferay_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  db:\n    image: postgres:16\n")
    code, out, err = _run(capsys, str(tmp_path))
    assert code == 2 and out == ""
    assert "nothing to check" in err and "no service runs Liferay" in err


def test_files_in_no_cluster_say_nothing_was_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As pre-commit passes them: a configuration-like file in no cluster passes, but the summary
    does not claim that anything was checked."""
    (tmp_path / "pom.xml").write_text("<project/>\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, "pom.xml")
    assert code == 0 and err == ""
    assert out == "Nothing checked: no Liferay cluster holds the paths given (1 note: --verbose).\n"
    assert "No problems found" not in out


def test_configuration_file_names_are_the_pre_commit_hooks() -> None:
    """The names ``check FILE`` accepts are the ones the pre-commit hook passes."""
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    pattern = re.compile(hook["files"])
    names = [
        "portal-ext.properties",
        "node1/osgi/configs/com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConfiguration.config",
        "a/b.cfg",
        "WEB-INF/classes/custom/tcp.xml",
        "liferay.env",
        ".env",
        ".env.prod",
        "tomcat/bin/setenv.sh",
        "bin/setenv.bat",
        "jvm.options",
        "docker-compose.yml",
        "compose.prod.yaml",
        "liferay-ha.toml",
        "pyproject.toml",
        "README.md",
        "passwd",
        "Dockerfile",
        "values.yaml",
        "setenv.sh.bak",
    ]
    for name in names:
        assert is_config_name(Path(name)) == bool(pattern.search(name)), name


def test_data_bound_from_outside_a_compose_project_is_a_note_configuration_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shared Documents and Media folder on the Docker host is normal: the tool cannot read it and
    need not (it is data). A configuration file bound from outside is what it cannot see: a finding."""
    project = tmp_path / "cmp"
    shutil.copytree(FIXTURES / "clusters" / "compose-74-healthy", project)
    compose = project / "docker-compose.yml"
    text = compose.read_text()
    named = "      - document-library:/opt/liferay/data/document_library\n"
    assert text.count(named) == 2
    compose.write_text(
        text.replace(named, "      - /srv/liferay/document_library:/opt/liferay/data/document_library\n")
    )
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, "--verbose", "cmp")
    assert code == 0 and err == ""
    assert "No problems found in 1 cluster (2 nodes" in out
    notes = [line for line in out.splitlines() if "is data bound from outside" in line]
    assert notes == [
        "note: cmp/docker-compose.yml:42: /srv/liferay/document_library (at /opt/liferay/data/document_library) is "
        "data bound from outside the compose project; not read",
        "note: cmp/docker-compose.yml:62: /srv/liferay/document_library (at /opt/liferay/data/document_library) is "
        "data bound from outside the compose project; not read",
    ]
    config = "      - ./tcp.xml:/opt/liferay/tcp.xml:ro\n"
    compose.write_text(compose.read_text().replace(config, "      - /etc/liferay/tcp.xml:/opt/liferay/tcp.xml:ro\n", 1))
    code, out, _ = _run(capsys, "-q", "--select", "HA001", "cmp")
    assert code == 1
    assert out.splitlines()[0].endswith(
        "error[HA001] /etc/liferay/tcp.xml is bound from outside the compose project; not read"
    )


def test_show_refuses_what_check_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["show", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert f"{tmp_path}: no Liferay configuration found" in captured.err
