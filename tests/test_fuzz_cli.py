"""The whole CLI (``main``, as the console script runs it) on generated small clusters: whatever
the files hold, ``check`` exits 0 or 1 with a valid JSON report and no traceback (README
"Safety"). Readers are fuzzed one by one in ``test_fuzz_readers.py``; this drives discovery,
loading, resolution, every rule and the reporter.

Bounded for CI (about 30 s); run longer with ``LIFERAY_HA_LINT_FUZZ_CLI_EXAMPLES=2000``.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.cli import main

EXAMPLES = int(os.environ.get("LIFERAY_HA_LINT_FUZZ_CLI_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)

_PROPERTY_BITS = [
    "cluster.link.enabled=true\n",
    "jdbc.default.url=jdbc:mysql://db/lportal\n",
    "include-and-override=portal-x.properties\n",
    "ehcache.multi.vm.config.location=/ehcache.xml\n",
    "cluster.link.channel.properties.control=tcp.xml\n",
    "a=${b}\n",
    "b=${a}${a}\n",
    "configuration.override.com.x.Y_k=",
    "\\u",
    "\\uD800",
    "=",
    ":",
    "\\\n",
    "\n",
    "#",
    "\x00",
    "\xff",
    "${",
    "}",
    "x",
]
_CONFIG_BITS = ['k="v"\n', 'k=B"true"\n', "k=[", '"', "]", "(", ")", ",", "\\", "\n", "I", "=", "\\u00"]
_XML_BITS = [
    '<?xml version="1.0"?>',
    "<config>",
    "</config>",
    "<TCP bind_port='7800'/>",
    "<ehcache>",
    "</ehcache>",
    '<cacheManagerPeerProviderFactory class="x" properties="a=b"/>',
    "<!DOCTYPE x [<!ENTITY e 'x'>]>",
    "&e;",
    "<a",
    ">",
    " b='1'",
    "\x00",
]
_SHELL_BITS = [
    'CATALINA_OPTS="$CATALINA_OPTS -Xmx2g"\n',
    "JAVA_OPTS='-Dx=1'\n",
    "export ",
    "$(",
    "`",
    '"',
    "'",
    "\\",
    "\n",
]


def _text(bits: list[str], size: int = 12) -> st.SearchStrategy[bytes]:
    structured = st.lists(st.sampled_from(bits), max_size=size).map(lambda p: "".join(p).encode("utf-8", "replace"))
    return st.one_of(structured, st.binary(max_size=200))


def _archive(kind: str, members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    if kind == "zip":
        with zipfile.ZipFile(buf, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
    else:
        with tarfile.open(fileobj=buf, mode="w:gz" if kind == "tgz" else "w") as tar:
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


@st.composite
def _cluster(draw: st.DrawFn) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for node in ("n1", "n2"):
        files[f"{node}/portal-ext.properties"] = draw(_text(_PROPERTY_BITS))
        if draw(st.booleans()):
            files[f"{node}/osgi/configs/com.x.Y.config"] = draw(_text(_CONFIG_BITS))
        if draw(st.booleans()):
            files[f"{node}/tcp.xml"] = draw(_text(_XML_BITS))
        if draw(st.booleans()):
            files[f"{node}/tomcat/bin/setenv.sh"] = draw(_text(_SHELL_BITS))
    kind = draw(st.sampled_from(["none", "zip", "tar", "tgz", "garbage"]))
    if kind != "none":
        inner = {"liferay/portal-ext.properties": draw(_text(_PROPERTY_BITS)), "liferay/osgi/modules/m.jar": b"PK"}
        packed = draw(st.binary(max_size=300)) if kind == "garbage" else _archive(kind, inner)
        if draw(st.booleans()) and len(packed) > 40:  # damage it
            cut = draw(st.integers(20, len(packed) - 1))
            packed = packed[:cut] + draw(st.binary(max_size=20)) + packed[cut + 20 :]
        files["n3.zip" if kind in ("zip", "garbage") else "n3.tgz" if kind == "tgz" else "n3.tar"] = packed
    return files


@FUZZ
@given(files=_cluster())
def test_check_on_any_small_cluster_exits_0_or_1_with_a_json_report(
    capsys: pytest.CaptureFixture[str], files: dict[str, bytes]
) -> None:
    root = Path(tempfile.mkdtemp(prefix="fuzz-cli-"))
    try:
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        archives = [str(root / name) for name in sorted(files) if "/" not in name]
        code = main(["check", "--format", "json", *archives, str(root / "n1"), str(root / "n2")])
        out, err = capsys.readouterr()
        assert code in (0, 1), (code, err, files)
        assert "Traceback" not in err and "error:" not in err, err
        assert isinstance(json.loads(out)["findings"], list)
    finally:
        shutil.rmtree(root)
