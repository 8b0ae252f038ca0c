"""Nothing outside the audited trees is read, printed or waited on: compose env files and ``.env``,
manifest node paths and env files, links, FIFOs, and snippets of findings (never re-read from disk by
a display name). Every test runs the real CLI in a process of its own (a hang is a timeout)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests.conftest import FIXTURES

SECRET = "OUTSIDE_SECRET"
OUTSIDE_TEXT = (
    f"root:x:0:0:{SECRET} one:/root:/bin/bash\n"
    f"LIFERAY_WEB_PERIOD_SERVER_PERIOD_DISPLAY_PERIOD_NODE={SECRET}_value\n"
    f"cluster.link.enabled={SECRET}_property\n"
)
FORMATS = ("json", "sarif", "html", "junit", "gitlab", "github")


class Run(NamedTuple):
    code: int
    stdout: str
    stderr: str
    outputs: str  # every report written, all formats together
    findings: list[dict[str, Any]]


def _run(*args: str, cwd: Path, check: bool = True) -> Run:
    """``liferay-ha-lint`` as a process: text on stdout, every other format to a file."""
    out = cwd / ".reports"
    out.mkdir(exist_ok=True)
    extra: list[str] = []
    if check:
        for fmt in FORMATS:
            extra += ["--format", fmt]
        extra += ["--format", "text"]  # to stdout: the --output files pair with the formats in order
        for fmt in FORMATS:
            extra += ["--output", str(out / f"report.{fmt}")]
    done = subprocess.run(
        [sys.executable, "-m", "linter", *args[:1], *extra, *args[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
    )
    written = "".join(p.read_text(errors="replace") for p in sorted(out.iterdir()))
    findings = json.loads((out / "report.json").read_text())["findings"] if (out / "report.json").exists() else []
    shutil.rmtree(out)
    return Run(done.returncode, done.stdout, done.stderr, written, findings)


def _nowhere(run: Run) -> None:
    assert "Traceback" not in run.stderr, run.stderr
    for text in (run.stdout, run.stderr, run.outputs):
        assert SECRET not in text


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text(OUTSIDE_TEXT)
    return secret


def _compose(tmp_path: Path, env_file: str) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "clusters" / "compose-74-healthy", project)
    compose = project / "docker-compose.yml"
    compose.write_text(compose.read_text().replace("env_file: liferay.env", f"env_file: {env_file}"))
    return project


def _line_of(path: Path, text: str) -> list[int]:
    return [i for i, line in enumerate(path.read_text().splitlines(), start=1) if text in line]


@pytest.mark.parametrize("how", ["absolute", "dotdot", "link"])
def test_compose_env_file_outside_the_project_is_refused_unread(tmp_path: Path, outside: Path, how: str) -> None:
    if how == "link":
        project = _compose(tmp_path, "linked.env")
        (project / "linked.env").symlink_to(outside)
    else:
        project = _compose(tmp_path, str(outside) if how == "absolute" else "../outside/passwd")
    run = _run("check", "project", cwd=tmp_path)
    _nowhere(run)
    assert run.code == 1
    refused = [f for f in run.findings if f["rule"] == "HA005"]
    compose = project / "docker-compose.yml"
    assert sorted(f["location"]["line"] for f in refused) == _line_of(compose, "env_file:")
    assert all(f["location"]["file"] == "project/docker-compose.yml" for f in refused)
    assert all("outside the compose project" in f["message"] for f in refused)
    show = _run("show", "--all", "--format", "json", "project", cwd=tmp_path, check=False)
    _nowhere(show)


def test_dotenv_linked_out_of_the_project_is_refused_unread(tmp_path: Path, outside: Path) -> None:
    project = _compose(tmp_path, "liferay.env")
    (project / ".env").unlink()
    (project / ".env").symlink_to(outside)
    run = _run("check", "project", cwd=tmp_path)
    _nowhere(run)
    assert [(f["rule"], f["location"]["file"]) for f in run.findings if f["rule"] == "HA005"] == [
        ("HA005", "project/docker-compose.yml")
    ]


def test_bad_env_file_lines_are_not_quoted(tmp_path: Path) -> None:
    """The message says which line is no NAME=value line, without its content (the snippet of a
    file inside the audited tree is shown, as for every other file)."""
    project = _compose(tmp_path, "liferay.env")
    env = project / "liferay.env"
    env.write_text(env.read_text() + "this is JUNK_LINE text\n")
    run = _run("check", "project", cwd=tmp_path)
    bad = [f for f in run.findings if f["rule"] == "HA002" and f["location"]["file"] == "project/liferay.env"]
    (line,) = _line_of(env, "JUNK_LINE")
    assert {(f["location"]["line"], f"line {line} is not NAME=value" in f["message"]) for f in bad} == {(line, True)}
    assert not any("JUNK" in f["message"] for f in run.findings)


# ----------------------------------------------------------------------------- the manifest


def _manifest_cluster(tmp_path: Path, outside: Path) -> tuple[Path, Path]:
    """``cluster/liferay-ha.toml`` naming node1 inside, node2 in ``elsewhere/`` and an env file
    outside (with a line that is not NAME=value); node2's portal-ext.properties includes a file
    linked out of everything."""
    env = outside.parent / "node.env"
    env.write_text("this is JUNK_LINE text\nLIFERAY_SETUP_PERIOD_WIZARD_PERIOD_ENABLED=false\n")
    source = FIXTURES / "clusters" / "broken-74-cluster-link-drift"
    cluster = tmp_path / "cluster"
    shutil.copytree(source / "node1", cluster / "node1")
    elsewhere = tmp_path / "elsewhere" / "node2"
    shutil.copytree(source / "node2", elsewhere)
    (elsewhere / "inc.properties").symlink_to(outside)
    props = elsewhere / "portal-ext.properties"
    props.write_text(props.read_text() + "include-and-override=inc.properties\n")
    (cluster / "liferay-ha.toml").write_text(
        "[clusters.c.nodes.node1]\n"
        'path = "node1"\n'
        "[clusters.c.nodes.node2]\n"
        'path = "../elsewhere/node2"\n'
        f'env-files = ["{env}"]\n'
    )
    return cluster, elsewhere


def test_manifest_paths_outside_its_directory_are_refused(tmp_path: Path, outside: Path) -> None:
    _manifest_cluster(tmp_path, outside)
    run = _run("check", "cluster", cwd=tmp_path)
    _nowhere(run)
    assert run.code == 1
    refused = [f["message"] for f in run.findings if f["rule"] == "HA005"]
    assert len(refused) == 1 and "node node2: path '../elsewhere/node2'" in refused[0]
    assert "--allow-outside" in refused[0]
    assert {f.get("node") for f in run.findings} <= {None, "node1"}  # node2 was not read
    show = _run("show", "--all", "--format", "json", "cluster", cwd=tmp_path, check=False)
    _nowhere(show)
    assert [n["name"] for c in json.loads(show.stdout)["clusters"] for n in c["nodes"]] == ["node1"]


@pytest.mark.parametrize("how", ["on the command line", "--allow-outside"])
def test_manifest_paths_outside_are_read_when_the_user_says_so(tmp_path: Path, outside: Path, how: str) -> None:
    _cluster, elsewhere = _manifest_cluster(tmp_path, outside)
    args = ["cluster", str(elsewhere)] if how == "on the command line" else ["--allow-outside", "cluster"]
    run = _run("check", *args, cwd=tmp_path)
    _nowhere(run)
    assert any(f.get("node") == "node2" for f in run.findings)  # node2 was read
    env_refused = [f["message"] for f in run.findings if f["rule"] == "HA005"]
    # the env file beside no given path is refused on the command line; --allow-outside reads it
    # (its bad line said without its content); the link out of node2 is never followed either way
    assert ["env file" in m for m in env_refused] == ([True] if how == "on the command line" else [])
    links = [f for f in run.findings if f["rule"] == "HA001" and "outside the audited tree" in f["message"]]
    assert [f["node"] for f in links] == ["node2"]
    show = _run("show", "--all", "--format", "json", *args, cwd=tmp_path, check=False)
    _nowhere(show)
    assert "node2" in [n["name"] for c in json.loads(show.stdout)["clusters"] for n in c["nodes"]]


# ----------------------------------------------------------------------------- snippets and FIFOs


def _tar(path: Path, members: dict[str, str]) -> None:
    with tarfile.open(path, "w") as archive:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


MEMBERS = {
    "portal-ext.properties": "cluster.link.enabled=true\ninclude-and-override=inc.properties\n",
    "inc.properties": "cluster.link.autodetect.address=db:5432\n",
    "osgi/configs/com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConfiguration.config": (
        'operationMode="EMBEDDED"\nnot a config line (\n'
    ),
    "tomcat/bin/setenv.sh": 'CATALINA_OPTS="$CATALINA_OPTS -Xmx2g"\n',
}


@pytest.mark.parametrize("what", ["link", "fifo"])
def test_snippets_come_from_the_archive_never_from_a_directory_named_like_a_member(
    tmp_path: Path, outside: Path, what: str
) -> None:
    """``node1.tar!/<member>`` on disk (a link out of the tree, or a FIFO) is never read for a
    finding's snippet: the snippet comes from the archive, and the run does not hang."""
    for node in ("node1", "node2"):
        _tar(tmp_path / f"{node}.tar", MEMBERS)
        for member in MEMBERS:
            fake = tmp_path / f"{node}.tar!" / member
            fake.parent.mkdir(parents=True, exist_ok=True)
            if what == "link":
                fake.symlink_to(outside)
            else:
                os.mkfifo(fake)
    run = _run("check", "node1.tar", "node2.tar", cwd=tmp_path)
    _nowhere(run)
    assert run.code == 1
    config = next(m for m in MEMBERS if m.endswith(".config"))
    located = {f["location"]["file"] for f in run.findings if f["location"].get("line")}
    assert {f"node1.tar!/{config}", f"node2.tar!/{config}"} <= located
    assert run.stdout.count("| not a config line (") == 2  # the snippets, from the archives


def test_fifos_inside_a_node_are_findings_not_hangs(tmp_path: Path) -> None:
    cluster = tmp_path / "c"
    shutil.copytree(FIXTURES / "clusters" / "broken-74-cluster-link-drift", cluster)
    (cluster / "node1" / "portal-ext.properties").unlink()
    os.mkfifo(cluster / "node1" / "portal-ext.properties")
    (cluster / "node2" / "osgi" / "modules").mkdir()
    os.mkfifo(cluster / "node2" / "osgi" / "modules" / "x.jar")
    run = _run("check", "c", cwd=tmp_path)
    assert run.code == 1 and "Traceback" not in run.stderr
    fifo = [
        f for f in run.findings if f["rule"] == "HA001" and f["location"]["file"] == "c/node1/portal-ext.properties"
    ]
    assert len(fifo) == 1 and "not a regular file" in fifo[0]["message"]


@pytest.mark.parametrize("name", ["fifo", "fifo.properties", "fifo.tar", "fifo.yml"])
def test_a_fifo_on_the_command_line_is_a_usage_error(tmp_path: Path, name: str) -> None:
    os.mkfifo(tmp_path / name)
    for command in ("check", "show"):
        run = _run(command, name, cwd=tmp_path, check=False)
        assert run.code == 2 and run.stdout == ""
        (line,) = run.stderr.splitlines()
        assert line.startswith("liferay-ha-lint: error: ") and "not a regular file" in line


def test_a_directory_linked_out_of_the_tree_is_not_listed(tmp_path: Path, outside: Path) -> None:
    """A node's osgi/configs linked to a directory elsewhere: not listed, so not even the names
    of the files there reach the output; the link is a finding."""
    cluster = tmp_path / "c"
    shutil.copytree(FIXTURES / "clusters" / "broken-74-cluster-link-drift", cluster)
    elsewhere = outside.parent / "configs"
    elsewhere.mkdir()
    (elsewhere / f"com.liferay.{SECRET}.config").write_text('x="1"\n')
    configs = cluster / "node1" / "osgi" / "configs"
    shutil.rmtree(configs)
    configs.symlink_to(elsewhere)
    run = _run("check", "c", cwd=tmp_path)
    _nowhere(run)
    linked = [f for f in run.findings if f["rule"] == "HA001" and "outside the audited tree" in f["message"]]
    assert [f["node"] for f in linked] == ["node1"]


def test_a_link_out_of_the_tree_is_named_once_as_the_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # node n2's osgi folder is a link to a folder outside the audited tree: one HA001 at c/n2/osgi (the
    # link), not one per folder asked about under it, named after the target
    import json

    from linter.cli import main

    outside_dir = tmp_path / "secret"
    (outside_dir / "configs").mkdir(parents=True)
    (outside_dir / "configs" / "x.config").write_text("a=1\n")
    for name in ("n1", "n2"):
        (tmp_path / "c" / name).mkdir(parents=True)
        (tmp_path / "c" / name / "portal-ext.properties").write_text("cluster.link.enabled=true\n")
    (tmp_path / "c" / "n2" / "osgi").symlink_to(outside_dir)
    monkeypatch.chdir(tmp_path)
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", "--format", "json", "--select", "HA001", "c"])
    findings = json.loads(out.getvalue())["findings"]
    assert [(f["rule"], f["location"]["file"]) for f in findings] == [("HA001", "c/n2/osgi")]


@pytest.fixture(params=["kernel", "realpath"])
def opened_where(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Where an opened file or directory lies: as the kernel says (Linux's /proc), or, where it
    cannot say, from the path's real form looked at afresh."""
    if request.param == "realpath":
        from linter.sources import files

        monkeypatch.setattr(files, "_opened_path", lambda fd: None)
    return str(request.param)


def test_a_directory_swapped_for_a_link_out_during_a_run_is_not_followed(
    tmp_path: Path, outside: Path, opened_where: str
) -> None:
    """The run remembers each directory's real path (``linter.paths.path_cache``): a directory of a
    node replaced by a link out of the tree after it was looked at must not lead a later open out
    of the tree (the race is forced here between two reads of one run)."""
    from linter.paths import path_cache
    from linter.sources.files import Limits, audit_roots, read_bytes

    node = tmp_path / "c" / "node1"
    (node / "jgroups").mkdir(parents=True)
    (node / "jgroups" / "a.xml").write_text("<config/>\n")
    (node / "jgroups" / "passwd").write_text("<config/>\n")
    with path_cache():
        limits = Limits(roots=audit_roots([tmp_path / "c"]))
        assert read_bytes(node / "jgroups" / "a.xml", "a.xml", limits) == b"<config/>\n"
        shutil.rmtree(node / "jgroups")
        (node / "jgroups").symlink_to(outside.parent)
        swapped = read_bytes(node / "jgroups" / "passwd", "passwd", limits)
    assert not isinstance(swapped, bytes) and "outside the audited tree" in swapped.message


def test_a_directory_swapped_for_a_link_out_during_a_run_is_not_listed(
    tmp_path: Path, outside: Path, opened_where: str
) -> None:
    """Listing a directory, like opening a file, looks at its real path afresh: the run's memo may
    still hold it as the directory it was before it became a link out of the tree."""
    from linter.paths import path_cache, real_path
    from linter.sources.files import audit_roots
    from linter.sources.tree import DiskTree

    node = tmp_path / "c" / "node1"
    (node / "jgroups").mkdir(parents=True)
    (node / "jgroups" / "a.xml").write_text("<config/>\n")
    with path_cache():
        assert real_path(node / "jgroups") == str(node.resolve() / "jgroups")  # remembered as a directory
        shutil.rmtree(node / "jgroups")
        (node / "jgroups").symlink_to(outside.parent)
        tree = DiskTree(node, "node1")
        tree.roots = audit_roots([tmp_path / "c"])
        assert tree.listdir("jgroups") == []
    assert [p.message for p in tree.denials()] == ["symbolic link points outside the audited tree; not followed"]


def test_a_file_named_like_a_removed_one_is_read(tmp_path: Path, opened_where: str) -> None:
    """Linux names a removed file's descriptor "<path> (deleted)": a file whose own name ends so is
    still read (only a file really removed since it was opened is "disappeared")."""
    from linter.sources.files import Limits, audit_roots, read_bytes

    node = tmp_path / "c" / "node1"
    node.mkdir(parents=True)
    (node / "tcp.xml (deleted)").write_text("<config/>\n")
    limits = Limits(roots=audit_roots([tmp_path / "c"]))
    assert read_bytes(node / "tcp.xml (deleted)", "tcp.xml (deleted)", limits) == b"<config/>\n"
