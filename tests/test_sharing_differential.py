"""What a run shares between nodes changes no output (issue 19: "outputs stay identical").

A run remembers real paths per directory (``linter.paths.path_cache``), keeps each distinct XML
content parsed once for every node that holds a copy (``linter.sources.xml_safe``) and builds the
Ehcache or JGroups model of such a copy once (``linter.load.references``). The same
inputs are checked through the command line with both switched off and with both on, and every
byte of the JSON and text outputs must agree: every example cluster, every real corpus source and
a generated 40-node cluster whose nodes hold byte-identical XML files under different names.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import linter.cli
from linter.cli import main
from linter.load import references
from linter.sources import xml_safe
from tests.conftest import REPO, SHARED

sys.path.insert(0, str(REPO / "bench"))
import generate  # type: ignore[import-not-found,unused-ignore]


class _NeverKept(dict[Any, Any]):
    def __setitem__(self, key: object, value: object) -> None:
        return None


def _inputs(generated: Path, suppressed: Path) -> Iterator[list[str]]:
    for cluster in sorted((REPO / "fixtures" / "clusters").iterdir()):
        if cluster.is_dir():
            yield [str(cluster)]
    real = SHARED / "corpus" / "real"
    for source in sorted(p for p in real.iterdir() if p.is_dir()) if real.is_dir() else []:
        yield [str(source)]
    yield [str(generated)]
    yield [str(suppressed)]


def _outputs(args: list[str]) -> tuple[str, str, int]:
    found = []
    for fmt in ("json", "text"):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = main(["check", "--format", fmt, "--color", "never", *args])
        found.append((out.getvalue(), code))
    return found[0][0], found[1][0], found[0][1]


TCP = "tomcat-9.0.17/webapps/ROOT/WEB-INF/classes/jgroups/tcp.xml"


@pytest.fixture(scope="module")
def suppressed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """broken-72-embedded with the same suppression comment in both nodes' identical tcp.xml."""
    target = tmp_path_factory.mktemp("sharing") / "suppressed"
    shutil.copytree(REPO / "fixtures" / "clusters" / "broken-72-embedded", target)
    for node in ("liferay1", "liferay2"):
        xml = target / node / TCP
        text = xml.read_text(encoding="utf-8")
        xml.write_text(
            text.replace("    <TCP ", "    <!-- liferay-ha-lint: disable=HA117 -->\n    <TCP ", 1), encoding="utf-8"
        )
    return target


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("sharing") / "cluster"
    generate.generate(target, 40)
    return target


def test_sharing_changes_no_output(generated: Path, suppressed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    inputs = list(_inputs(generated, suppressed))
    assert len(inputs) > 20
    shared = [_outputs(args) for args in inputs]
    assert not xml_safe._MADE and not references._MODELS  # kept for one run only, not past it
    with monkeypatch.context() as off:
        off.setattr(linter.cli, "path_cache", contextlib.nullcontext)
        off.setattr(xml_safe, "_MADE", _NeverKept())
        off.setattr(references, "_MODELS", _NeverKept())
        plain = [_outputs(args) for args in inputs]
    for args, with_sharing, without in zip(inputs, shared, plain, strict=True):
        assert with_sharing == without, args
    # broken-72-embedded: both nodes hold a byte-identical tcp.xml (parsed once); each node's
    # finding names its own copy, line and column
    embedded = shared[inputs.index([str(REPO / "fixtures" / "clusters" / "broken-72-embedded")])][0]
    places = {
        (f["node"], f["location"]["file"].split("broken-72-embedded/")[1], f["location"]["line"])
        for f in json.loads(embedded)["findings"]
        if f["rule"] == "HA117"
    }
    assert places == {("liferay1", f"liferay1/{TCP}", 11), ("liferay2", f"liferay2/{TCP}", 11)}
    # the suppression comment in each node's copy silences that node's finding, not only the first
    report = json.loads(shared[inputs.index([str(suppressed)])][0])
    assert not [f for f in report["findings"] if f["rule"] == "HA117"]
    assert report["summary"]["suppressed"] == 2


def test_what_a_run_shares_is_let_go_when_it_ends(tmp_path: Path) -> None:
    """The XML trees and models shared between nodes are kept for one run of the command line:
    a process running several (tests, a caller of ``main``) held the last run's trees, 360 MB
    after a run over two 7.5 MB Ehcache files."""
    import gc
    import tracemalloc

    caches = "\n".join(f'<cache name="c{i}" maxElementsInMemory="10" eternal="false"/>' for i in range(20000))
    for node in ("n1", "n2"):
        classes = tmp_path / "c" / node / "tomcat" / "webapps" / "ROOT" / "WEB-INF" / "classes"
        classes.mkdir(parents=True)
        (classes / "big.xml").write_text(f'<ehcache name="{node}">\n{caches}\n</ehcache>\n')  # one per node
        (tmp_path / "c" / node / "portal-ext.properties").write_text(
            "cluster.link.enabled=true\nehcache.multi.vm.config.location=/big.xml\n"
        )
    args = ["check", "-q", "--select", "HA0", "--liferay-version", "7.4", str(tmp_path / "c")]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(
            [
                "check",
                "-q",
                "--liferay-version",
                "7.4",
                str(REPO / "fixtures" / "clusters" / "healthy-74-unicast-tcpping"),
            ]
        )
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            main(args)
            gc.collect()
            kept = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
    assert kept < 5 << 20, f"{kept / (1 << 20):.0f} MB kept after the run"
