"""Small hostile input inside a cluster is a finding (HA001-HA005) with file and line, never exit 2
and no report; a rule crash (HA009) is reported whatever --select says and fails the run; the
expansion and hashing budgets hold (README "Safety")."""

from __future__ import annotations

import io
import json
import lzma
import os
import random
import shutil
import tarfile
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from linter.cli import main
from linter.load.resolve import MAX_EXPANDED_TOTAL, MAX_PLACEHOLDER_DEPTH
from linter.sources.files import MAX_DIGEST_FILE
from tests.conftest import FIXTURES

FORMATS = ("json", "text", "sarif", "junit", "html", "github", "gitlab")


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:  # type: ignore[type-arg]
    code = main(["check", "--format", "json", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "internal error" not in captured.err, captured.err
    return code, json.loads(captured.out)["findings"]


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def _rules(findings: list[dict]) -> Counter[str]:  # type: ignore[type-arg]
    return Counter(f["rule"] for f in findings)


def test_a_plugin_jar_in_a_bind_mounted_deploy_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cluster = tmp_path / "compose"
    shutil.copytree(FIXTURES / "clusters" / "compose-74-healthy", cluster)
    (cluster / "deploy" / "liferay-1" / "tiny.jar").write_bytes(b"PK\x05\x06" + bytes(18))
    code, findings = _check(capsys, str(cluster))
    assert code == 0, findings


def test_plugins_are_hashed_within_the_tree_and_the_size_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = _write(tmp_path / "outside", {"secret.jar": b"PK-not-for-you"})
    cluster = _write(
        tmp_path / "c",
        {"n1/portal-ext.properties": "a=1\n", "n2/portal-ext.properties": "a=1\n", "n2/deploy/big.jar": b""},
    )
    (cluster / "n1" / "deploy").mkdir()
    (cluster / "n1" / "deploy" / "linked.jar").symlink_to(outside / "secret.jar")
    os.truncate(cluster / "n2" / "deploy" / "big.jar", MAX_DIGEST_FILE + 1)  # sparse: nothing is read
    code, findings = _check(capsys, "--select", "HA0", str(cluster))
    assert code == 1
    assert {(f["rule"], f["node"]) for f in findings} == {("HA001", "n1"), ("HA005", "n2")}, findings
    assert all(
        ("outside the audited tree" if f["node"] == "n1" else "limit for hashing") in f["message"] for f in findings
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_names_and_keys_that_are_not_unicode_text(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    cluster = _write(
        tmp_path / "c",
        {
            "n1/portal-ext.properties": "a\\uD800b=1\ncluster.link.enabled=true\n",
            "n2/portal-ext.properties": "cluster.link.enabled=false\n",
        },
    )
    bad_node = os.fsencode(cluster) + b"/n\xff"
    os.makedirs(bad_node)
    with open(bad_node + b"/portal-ext.properties", "wb") as handle:
        handle.write(b"cluster.link.enabled=true\n")
    os.makedirs(os.fsencode(cluster) + b"/n2/osgi/configs")
    with open(os.fsencode(cluster) + b"/n2/osgi/configs/com.x\xfe.config", "wb") as handle:
        handle.write(b'a="1"\n')
    code = main(["check", "--format", fmt, str(cluster)])
    captured = capsys.readouterr()
    assert code == 1 and "internal error" not in captured.err, captured.err
    assert captured.out


def test_a_file_on_some_nodes_only_does_not_crash_drift_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster = _write(
        tmp_path / "c",
        {
            "n1/osgi/configs/com.example.Thing.config": 'a="1"\n',
            "n2/osgi/configs/com.example.Thing.config": 'a="2"\n',
            "n3/portal-ext.properties": "cluster.link.enabled=true\n",
            "n1/setenv.sh": 'CATALINA_OPTS="-Xmx2g"\n',
            "n2/setenv.sh": 'CATALINA_OPTS="-Xmx4g"\n',
        },
    )
    code, findings = _check(capsys, "--select", "HA601,HA803", "--fail-on", "info", str(cluster))
    assert code == 1 and _rules(findings) == {"HA601": 3, "HA803": 2}, findings


CRASHING_RULE = """
from linter.ruleapi import INFO, rule


@rule(id="HA902", name="crashes-quietly", severity=INFO, scope="cluster", versions="all",
      summary="Crashes.", rationale="Test pack rule.", fix="None.", sources=("tests",))
def check(cluster, ctx):
    raise KeyError("n3")
"""


@pytest.mark.parametrize(
    "options", [["--select", "HA902"], ["--ignore", "HA009"], ["--select", "HA9", "--fail-on", "error"]]
)
def test_a_rule_crash_is_reported_and_fails_whatever_the_selection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str]
) -> None:
    pack = _write(tmp_path / "pack", {"ha902_crash.py": CRASHING_RULE})
    cluster = _write(tmp_path / "c", {"n1/portal-ext.properties": "a=1\n", "n2/portal-ext.properties": "a=1\n"})
    code, findings = _check(capsys, "--rules-dir", str(pack), *options, str(cluster))
    assert code == 1 and [f["rule"] for f in findings if f["rule"] == "HA009"] == ["HA009"], findings


def test_a_placeholder_chain_thousands_deep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chain = "".join(f"a{i}=${{a{i + 1}}}\n" for i in range(1, 5001)) + "a5001=end\n"
    cluster = _write(tmp_path / "c", {"n1/portal-ext.properties": chain, "n2/portal-ext.properties": "a1=end\n"})
    code, findings = _check(capsys, "--select", "HA0", str(cluster))
    refused = [f for f in findings if f["rule"] == "HA005"]
    assert code == 1 and refused
    assert f"nested more than {MAX_PLACEHOLDER_DEPTH} deep" in refused[0]["message"] and refused[0]["location"]["line"]


def test_placeholders_that_double_at_each_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 26 steps: 23 x 2**26 characters (1.5 GB) without a budget
    doubling = "".join(f"a{i}=${{a{i + 1}}}${{a{i + 1}}}\n" for i in range(1, 27)) + "a27=" + "x" * 23 + "\n"
    cluster = _write(tmp_path / "c", {"n1/portal-ext.properties": doubling, "n2/portal-ext.properties": "a1=x\n"})
    code, findings = _check(capsys, "--select", "HA005", str(cluster))
    assert code == 1 and findings and all("would exceed" in f["message"] and f["location"]["line"] for f in findings)


def test_the_expansion_budget_counts_liferay_defaults_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A node whose own values spend its expansion budget has the defaults holding ${...} refused
    after them, as if nothing were shared between nodes (they were taken as expanded once for all
    nodes, past the budget, and nothing was said)."""
    size = 1000  # k10 is size * 2**10 characters, under the 1 Mi limit of one value
    lines = [f"k0={'x' * size}", *(f"k{i}=${{k{i - 1}}}${{k{i - 1}}}" for i in range(1, 11))]
    # keys that come before liferay.home in Liferay's table, so they are expanded first
    early = ["access.control.sanitize.security.exception", "admin.analytics.types"]
    early += [f"admin.default.{what}.names" for what in ("group", "organization.group", "role", "user.group")]
    early += [f"admin.email.{what}" for what in ("from.address", "from.name", "password.changed.body")]
    early += [f"admin.email.password.{what}" for what in ("changed.subject", "lockout.body", "lockout.subject")]
    early += ["admin.email.password.lockout.until.body", "admin.email.password.reset.body"]
    lines += [f"{key}=${{k10}}" for key in early]
    spent = size * (2**11 - 2) + len(early) * size * 2**10  # k1..k10, then each early key
    left = 5  # characters of budget left: too few for ${liferay.home}
    lines.append("admin.email.password.reset.subject=${k0}" + "y" * (MAX_EXPANDED_TOTAL - spent - size - left))
    cluster = _write(
        tmp_path / "c",
        {
            "n1/portal-ext.properties": "\n".join(lines) + "\n",
            "n2/portal-ext.properties": "cluster.link.enabled=true\n",
        },
    )
    code, findings = _check(capsys, "--select", "HA005", "--liferay-version", "7.4", str(cluster))
    refused = {f["message"].split()[2] for f in findings if f["node"] == "n1"}
    assert code == 1 and {"liferay.home", "auto.deploy.deploy.dir", "module.framework.base.dir"} <= refused
    assert all("expansion budget" in f["message"] for f in findings)
    assert not [f for f in findings if f["node"] == "n2"]


def test_a_file_setting_every_key_twice_is_checked_in_linear_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # HA701 asked the file for each duplicated key's entries, a scan of the whole file each time:
    # 20,000 keys set twice took 41 s, 30,000 about 90 s (now 2-3 s)
    keys = [f"k{i}.x=a" for i in range(30_000)]
    cluster = _write(
        tmp_path / "c",
        {"n1/portal-ext.properties": "\n".join(keys * 2) + "\n", "n2/portal-ext.properties": "k0.x=a\n"},
    )
    import time

    started = time.monotonic()
    code, findings = _check(capsys, "--select", "HA701", "--liferay-version", "7.4", str(cluster))
    assert time.monotonic() - started < 30
    assert code == 0 and len(findings) == 30_000  # warnings
    assert findings[0]["message"].startswith("k0.x is set 2 times in portal-ext.properties (lines 1, 30001)")


def _tar(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _zip_flagged(method: int | None = None, encrypted: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("liferay/portal-ext.properties", "cluster.link.enabled=true\n")
    data = bytearray(buf.getvalue())
    central = data.find(b"PK\x01\x02")
    if encrypted:
        data[6] |= 1
        data[central + 8] |= 1
    if method is not None:
        data[8:10] = method.to_bytes(2, "little")
        data[central + 10 : central + 12] = method.to_bytes(2, "little")
    return bytes(data)


def _corrupt_xz() -> bytes:
    rnd = random.Random(0)  # the same damage every run (random content once left tarfile a garbage header)
    jars = {f"liferay/osgi/modules/m{i}.jar": rnd.randbytes(3000) for i in range(50)}
    packed = bytearray(lzma.compress(_tar({"liferay/portal-ext.properties": b"a=1\n", **jars})))
    middle = len(packed) // 2
    packed[middle : middle + 50] = bytes(50)
    return bytes(packed)


@pytest.mark.parametrize(
    ("name", "content", "rule", "message"),
    [
        ("n1.tar", _corrupt_xz, "HA002", "archive cannot be read"),
        ("n1.zip", lambda: _zip_flagged(encrypted=True), "HA001", "encrypted"),
        ("n1.zip", lambda: _zip_flagged(method=97), "HA001", "compression method is not supported"),
    ],
    ids=["corrupt-xz", "encrypted-zip", "unknown-zip-method"],
)
def test_broken_archives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: object, rule: str, message: str
) -> None:
    assert callable(content)
    archive = tmp_path / name
    archive.write_bytes(content())
    other = _write(tmp_path / "n2", {"portal-ext.properties": "cluster.link.enabled=true\n"})
    code, findings = _check(capsys, "--select", "HA0", str(archive), str(other))
    assert code == 1
    assert [f["rule"] for f in findings if message in f["message"]] == [rule], findings


def test_kubernetes_references_that_double_at_each_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 22 steps: 32 x 2**22 characters (128 MB) in the last value without a budget
    cluster = tmp_path / "k8s"
    shutil.copytree(FIXTURES / "clusters" / "k8s-74-healthy", cluster)
    manifest = cluster / "statefulset.yaml"
    doubling = [f"            - name: V0\n              value: {'x' * 32}\n"]
    doubling += [f'            - name: V{i}\n              value: "$(V{i - 1})$(V{i - 1})"\n' for i in range(1, 23)]
    text = manifest.read_text()
    assert text.count("          env:\n") == 1
    manifest.write_text(text.replace("          env:\n", "          env:\n" + "".join(doubling)))
    code, findings = _check(capsys, "--select", "HA005", str(cluster))
    refused = [f for f in findings if "not expanded" in f["message"]]
    assert code == 1 and refused and all(f["location"]["line"] for f in refused), findings


def _pax_tar(payload: bytes) -> bytes:
    """A tar whose first header is a pax extended header holding ``payload``, then a member."""

    def header(name: str, size: int, kind: bytes) -> bytes:
        info = tarfile.TarInfo(name)
        info.size, info.type = size, kind
        return info.tobuf(format=tarfile.USTAR_FORMAT)

    data = b"cluster.link.enabled=true\n"
    out = header("pax", len(payload), tarfile.XHDTYPE) + payload + bytes(-len(payload) % 512)
    out += header("liferay/portal-ext.properties", len(data), tarfile.REGTYPE) + data + bytes(-len(data) % 512)
    return out + bytes(1024)


@pytest.mark.parametrize(
    ("payload", "rule", "message"),
    [
        # CPython 3.11.7's own parsing: 2 s at 30 KB, 54 s at 150 KB (CVE-2024-6232)
        (b"0" * 150_000, "HA002", "invalid header"),
        (b"9 path=x\n" + b"99999 " + b"a" * 150_000, "HA002", "invalid header"),
        (b"9 path=x\n" + b"1 hdrcharset=" * 12_000, "HA002", "invalid header"),
        (b"x" * ((1 << 20) + 1), "HA005", "over the 1048576-byte limit"),
    ],
    ids=["digits", "record-longer-than-header", "records-without-lengths", "oversized"],
)
def test_tar_pax_headers_are_read_in_linear_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], payload: bytes, rule: str, message: str
) -> None:
    import time

    archive = tmp_path / "n1.tar"
    archive.write_bytes(_pax_tar(payload))
    other = _write(tmp_path / "n2", {"portal-ext.properties": "cluster.link.enabled=true\n"})
    started = time.monotonic()
    code, findings = _check(capsys, "--select", "HA0", str(archive), str(other))
    assert time.monotonic() - started < 10
    assert code == 1 and [f["rule"] for f in findings if message in f["message"]] == [rule], findings


def test_a_tar_with_posix_pax_headers_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "n1.tar"
    folder = "liferay-" + "d" * 120 + "é"  # a long non-ASCII path and a fractional time: pax records
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        data = b"cluster.link.enabled=true\nbad=\\u12G4\n"  # HA002 at line 2: the member was read
        info = tarfile.TarInfo(f"{folder}/portal-ext.properties")
        info.size, info.mtime = len(data), 1.5
        tar.addfile(info, io.BytesIO(data))
    other = _write(tmp_path / "n2", {"portal-ext.properties": "cluster.link.enabled=true\n"})
    code, findings = _check(capsys, "--select", "HA0", str(archive), str(other))
    assert code == 1 and [(f["rule"], f["location"]["line"]) for f in findings] == [("HA002", 2)], findings
    assert findings[0]["location"]["file"].endswith(f"n1.tar!/{folder}/portal-ext.properties")


@pytest.mark.parametrize("kind", ["zip", "tar"])
def test_archive_members_past_the_limit_are_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    from linter.sources import archive as archives

    monkeypatch.setattr(archives, "MAX_MEMBERS", 3)  # 200,000 by default: the same code path, smaller
    members = {f"liferay/osgi/configs/c{i}.config": b'a="1"\n' for i in range(5)}
    path = tmp_path / f"n1.{kind}"
    if kind == "zip":
        with zipfile.ZipFile(path, "w") as packed:
            for name, data in members.items():
                packed.writestr(name, data)
    else:
        path.write_bytes(_tar(members))
    other = _write(tmp_path / "n2", {"portal-ext.properties": "a=1\n"})
    code, findings = _check(capsys, "--select", "HA0", str(path), str(other))
    assert code == 1 and [f["rule"] for f in findings if "more than 3 members" in f["message"]] == ["HA005"]


def test_an_xml_element_with_too_many_attributes_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # lxml reads attribute values in quadratic time: 100,000 on one element took 132 s
    attributes = " ".join(f'a{i}="{i}"' for i in range(20_000))
    settings = "cluster.link.enabled=true\ncluster.link.channel.properties.control=tcp.xml\n"
    cluster = _write(
        tmp_path / "c",
        {
            "n1/portal-ext.properties": settings,
            "n1/tcp.xml": f"<config>\n<TCP {attributes}/>\n</config>\n",
            "n2/portal-ext.properties": settings,
            "n2/tcp.xml": '<config>\n<TCP bind_port="7800"/>\n</config>\n',
        },
    )
    code, findings = _check(capsys, "--select", "HA005", str(cluster))
    assert code == 1 and [(f["node"], f["location"]["line"]) for f in findings] == [("n1", 2)], findings
    assert "more than 1000 attributes" in findings[0]["message"]


def test_near_miss_look_ups_are_bounded_and_say_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # each LIFERAY_* name that is no key was compared with every known key in full: 20,000 took minutes
    import re
    import time

    from linter.ruleapi.keys import known_keys
    from rules.ha605_env_var_undecodable import encode

    keys = sorted(k for k in known_keys("7.4") if re.fullmatch(r"[a-z.]{12,}", k))
    misses = [k[:-1] + c for c in "qxzw" for k in keys if k[:-1] + c not in keys][:3000]
    assert len(misses) == 3000
    cluster = tmp_path / "compose"
    shutil.copytree(FIXTURES / "clusters" / "compose-74-healthy", cluster)
    compose = cluster / "docker-compose.yml"
    anchor = "      - LIFERAY_JDBC_PERIOD_DEFAULT_PERIOD_PASSWORD=${DB_PASSWORD}\n"
    many = "".join(f"      - {encode(k)}=v\n" for k in misses)
    compose.write_text(compose.read_text().replace(anchor, anchor + many, 1))
    started = time.monotonic()
    code = main(["check", "--format", "json", "--select", "HA605", str(cluster)])
    elapsed = time.monotonic() - started
    findings = json.loads(capsys.readouterr().out)["findings"]
    counts = _rules(findings)  # 2 nodes x 3,000 near misses without the budget
    assert code == 1 and counts["HA005"] == 1 and 2000 <= counts["HA605"] < 2100, counts
    assert "stopped after 2000" in next(f["message"] for f in findings if f["rule"] == "HA005")
    assert elapsed < 60, elapsed


def test_show_all_json_memory_follows_its_output(tmp_path: Path) -> None:
    # show --all --format json built the whole document, then json.dumps' indented encoder held it in
    # millions of small strings: 11 times the output at its peak (4.8 GB for a 9.9 MB file)
    import subprocess
    import sys

    lines = "".join(f"custom.key.{i}=value-{i}-{'x' * 30}\n" for i in range(50_000))
    cluster = _write(tmp_path / "c", {"n1/portal-ext.properties": lines, "n2/portal-ext.properties": "a=1\n"})
    probe = (
        "import resource, subprocess, sys\n"
        "out = subprocess.run([sys.executable, '-m', 'linter', 'show', '--all', '--format', 'json', sys.argv[1]],"
        " capture_output=True).stdout\n"
        "print(len(out), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(cluster)], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    printed, peak = (int(v) for v in result.stdout.split())
    assert printed > 20 << 20
    assert peak < 6 * printed, (printed, peak)  # about 3.4 times now (the loaded settings), 11 before


def test_the_hashing_budget_is_per_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from linter.sources import files

    monkeypatch.setattr(files, "MAX_DIGEST_RUN", 250_000)  # 4 GiB by default: the same code path, smaller
    jar = os.urandom(100_000)
    for name in ("n1", "n2"):
        (tmp_path / f"{name}.tar").write_bytes(
            _tar({"liferay/portal-ext.properties": b"a=1\n", "liferay/deploy/x.jar": jar})
        )
    _write(tmp_path / "n3", {"portal-ext.properties": "a=1\n", "deploy/x.jar": jar})
    paths = [str(tmp_path / "n1.tar"), str(tmp_path / "n2.tar"), str(tmp_path / "n3")]
    code, findings = _check(capsys, "--select", "HA0", *paths)
    refused = [f for f in findings if "hashing budget" in f["message"]]
    assert code == 1 and [f["rule"] for f in refused] == ["HA005"], findings  # the third jar of 100 kB


def test_a_damaged_member_header_is_not_the_end_of_the_archive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # tarfile stops quietly at a header it cannot read after the first member; the members after it
    # would be missing without a word (and a corrupt compressed stream, whose damage decodes to such
    # a header, would pass unnoticed)
    data = bytearray(
        _tar({"liferay/portal-ext.properties": b"a=1\n", "liferay/osgi/configs/x.config": b"b=1\n", "liferay/z": b"z"})
    )
    second = data.find(b"liferay/osgi/configs/x.config")
    data[second : second + 512] = b"\x7f" * 512
    archive = tmp_path / "n1.tar"
    archive.write_bytes(bytes(data))
    other = _write(tmp_path / "n2", {"portal-ext.properties": "cluster.link.enabled=true\n"})
    code, findings = _check(capsys, "--select", "HA0", str(archive), str(other))
    assert code == 1
    assert [f["rule"] for f in findings if "cannot be read" in f["message"]] == ["HA002"], findings
