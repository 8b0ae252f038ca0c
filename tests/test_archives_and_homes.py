"""Live Liferay homes and archived nodes (support bundles) through the real CLI."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from linter.cli import main

ROOT = Path(__file__).resolve().parents[1]
CLUSTERS = ROOT / "fixtures" / "clusters"
HEALTHY = CLUSTERS / "healthy-74-unicast-tcpping"
LIVE = CLUSTERS / "broken-74-live-homes"


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    code = main(["check", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def _where(finding: dict[str, object]) -> tuple[str, str, str]:
    location = finding["location"]
    assert isinstance(location, dict)
    return str(finding["rule"]), str(finding["node"]), str(location["file"])


def _listing(root: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(root)), p.stat().st_size) for p in root.rglob("*"))


# ----------------------------------------------------------------------------- live homes


@pytest.mark.parametrize("as_args", [False, True], ids=["directory", "homes-as-arguments"])
def test_live_homes_plugin_drift(
    as_args: bool, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    rel = LIVE.relative_to(ROOT)
    paths = [str(rel / f"liferay-node{i}") for i in (1, 2, 3)] if as_args else [str(rel)]
    code, report = _check(capsys, *paths)
    assert code == 0  # warnings only
    findings = report["findings"]
    assert isinstance(findings, list)
    assert sorted(_where(f) for f in findings) == [
        ("HA608", "liferay-node2", f"{rel}/liferay-node2"),
        ("HA608", "liferay-node3", f"{rel}/liferay-node3/osgi/modules/com.acme.news.web-1.4.0.jar"),
    ]
    theme = next(f for f in findings if f["node"] == "liferay-node2")
    assert "acme-theme.war" in str(theme["message"])
    related = {r["file"] for r in theme["related"]}
    assert related == {f"{rel}/liferay-node{i}/osgi/war/acme-theme.war" for i in (1, 3)}
    clusters = report["clusters"]
    assert isinstance(clusters, list)
    files = {f for node in clusters[0]["nodes"] for f in node["files"]}
    # the bundle's own files are read; run-time folders are not configuration
    assert f"{rel}/liferay-node1/tomcat-9.0.83/bin/setenv.sh" in files
    assert not any("/logs/" in f or "/osgi/state/" in f or "/data/" in f for f in files)


# ----------------------------------------------------------------------------- archives


def _tar(node: Path, target: Path, top: str | None, compress: bool = True) -> Path:
    with tarfile.open(target, "w:gz" if compress else "w") as archive:
        archive.add(node, arcname=top or ".")
    return target


def _zip(node: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(node.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(node).as_posix())
    return target


def _archives(tmp_path: Path) -> Path:
    bundles = tmp_path / "bundles"
    bundles.mkdir()
    _tar(HEALTHY / "node1", bundles / "node1.tar.gz", "liferay-home")
    _tar(HEALTHY / "node2", bundles / "node2.tar", "node2", compress=False)
    _zip(HEALTHY / "node3", bundles / "node3.zip")
    return bundles


def test_archived_nodes_read_like_their_directories(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundles = _archives(tmp_path)
    before = _listing(tmp_path)
    code, report = _check(capsys, str(bundles))
    assert code == 0 and report["findings"] == []
    assert _listing(tmp_path) == before  # read in place: nothing extracted
    clusters = report["clusters"]
    assert isinstance(clusters, list)
    assert [n["name"] for n in clusters[0]["nodes"]] == ["node1", "node2", "node3"]

    main(["show", "--format", "json", str(bundles)])
    archived = json.loads(capsys.readouterr().out)
    main(["show", "--format", "json", str(HEALTHY)])
    direct = json.loads(capsys.readouterr().out)

    def values(shown: Any) -> dict[str, dict[str, object]]:
        (cluster,) = shown["clusters"]
        return {row["key"]: {node: cell["value"] for node, cell in row["nodes"].items()} for row in cluster["settings"]}

    assert values(archived) == values(direct)
    origins = json.dumps(archived)
    assert "node1.tar.gz!/liferay-home/portal-ext.properties" in origins
    assert "node3.zip!/portal-ext.properties" in origins


def _evil(path: Path) -> Path:
    members = {
        "../escape.properties": b"cluster.link.enabled=false\n",
        "/tmp/absolute.properties": b"cluster.link.enabled=false\n",
        "home/../../climb.properties": b"x=1\n",
    }
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        portal = (HEALTHY / "node1" / "portal-ext.properties").read_bytes()
        info = tarfile.TarInfo("home/portal-ext.properties")
        info.size = len(portal)
        archive.addfile(info, io.BytesIO(portal))
        link = tarfile.TarInfo("home/tomcat/webapps/ROOT/WEB-INF/classes/jgroups/tcp.xml")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        archive.addfile(link)
    return path


def test_path_traversal_members_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundles = _archives(tmp_path)
    (bundles / "node3.zip").unlink()
    _evil(bundles / "evil.tar.gz")
    before = _listing(tmp_path)
    code, report = _check(capsys, "--select", "HA0,HA1", str(bundles))
    assert code == 1
    assert _listing(tmp_path) == before
    assert not (tmp_path / "escape.properties").exists() and not Path("/tmp/absolute.properties").exists()
    findings = report["findings"]
    assert isinstance(findings, list)
    refused = sorted(str(f["message"]) for f in findings if f["rule"] == "HA001" and f["node"] == "evil")
    assert len(refused) == 3 and all("refused" in m for m in refused)
    assert any("'../escape.properties'" in m for m in refused)
    assert any("'/tmp/absolute.properties'" in m for m in refused)
    # the link is not followed: the stack it names is missing, reported against evil's portal-ext
    assert any(
        f["rule"] == "HA003" and f["node"] == "evil" and "/jgroups/tcp.xml" in str(f["message"]) for f in findings
    )
    assert "root:x:0:0" not in json.dumps(report)
    # the other nodes were read and checked
    clusters = report["clusters"]
    assert isinstance(clusters, list)
    assert {n["name"] for n in clusters[0]["nodes"]} == {"evil", "node1", "node2"}


def test_unreadable_archive_is_a_finding_not_a_node(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundles = _archives(tmp_path)
    (bundles / "node3.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (bundles / "node2.tar").write_bytes(b"\x1f\x8b truncated")
    code, report = _check(capsys, str(bundles / "node1.tar.gz"), str(bundles / "node2.tar"), str(bundles / "node3.zip"))
    assert code == 1
    findings = report["findings"]
    assert isinstance(findings, list)
    broken = sorted((f["rule"], f["location"]["file"]) for f in findings if f["rule"] == "HA002")
    assert [rule for rule, _ in broken] == ["HA002", "HA002"]
    assert {Path(file).name for _, file in broken} == {"node2.tar", "node3.zip"}
    clusters = report["clusters"]
    assert isinstance(clusters, list)
    assert [n["name"] for n in clusters[0]["nodes"]] == ["node1"]


def test_oversized_member_is_refused_with_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    node = tmp_path / "node"
    shutil.copytree(HEALTHY / "node1", node)
    with (node / "portal-ext.properties").open("a", encoding="utf-8") as handle:
        handle.write("# padding\n" * 2000)
    archive = _tar(node, tmp_path / "big.tar.gz", "home")
    code, report = _check(capsys, "--max-file-size", "10000", "--select", "HA001", str(archive))
    assert code == 1
    findings = report["findings"]
    assert isinstance(findings, list)
    assert any(
        "portal-ext.properties" in str(f["location"]["file"]) and "10000-byte limit" in str(f["message"])
        for f in findings
    )


def test_plugin_drift_between_archives(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, build in (("a", b"build 1"), ("b", b"build 1"), ("c", b"build 2")):
        home = tmp_path / name
        shutil.copytree(HEALTHY / "node1", home)
        (home / "osgi" / "modules").mkdir()
        (home / "osgi" / "modules" / "com.acme.web-1.0.0.jar").write_bytes(b"PK\x03\x04" + build)
        _zip(home, tmp_path / f"{name}.zip")
        shutil.rmtree(home)
    code, report = _check(capsys, "--select", "HA608", *(str(tmp_path / f"{n}.zip") for n in "abc"))
    assert code == 0  # a warning
    findings = report["findings"]
    assert isinstance(findings, list)
    assert [(f["rule"], f["node"]) for f in findings] == [("HA608", "c")]
    assert str(findings[0]["location"]["file"]).endswith("c.zip!/osgi/modules/com.acme.web-1.0.0.jar")


# ----------------------------------------------------------------------------- snippets of archived nodes


def test_archived_nodes_show_their_own_source_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finding in an archived node shows the line from the archive member (it used to show none),
    and a file on disk that happens to carry the member's display name is never read for it."""
    drift = CLUSTERS / "broken-74-cluster-link-drift"
    for node in ("node1", "node2", "node3"):
        with tarfile.open(tmp_path / f"{node}.tar.gz", "w:gz") as tar:
            tar.add(drift / node, arcname=".")
    # a decoy where the display name points: a directory named like the archive, holding a link out
    decoy = tmp_path / "node1.tar.gz!"
    decoy.mkdir()
    secret = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    secret.write_text("\n".join(f"OUTSIDE-THE-TREE-{i}" for i in range(1, 20)) + "\n")
    (decoy / "portal-setup-wizard.properties").symlink_to(secret)
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--color", "never", "--select", "HA202", "node1.tar.gz", "node2.tar.gz", "node3.tar.gz"])
    out = capsys.readouterr().out
    assert code == 0  # HA202 is a warning
    assert " --> node1.tar.gz!/portal-setup-wizard.properties:7:1" in out
    assert "7 | jdbc.default.url=jdbc:postgresql://localhost:5432/customer_portal" in out
    assert "9 | jdbc.default.url=jdbc:postgresql://db.internal:5432/customer_portal" in out
    assert "OUTSIDE-THE-TREE" not in out
