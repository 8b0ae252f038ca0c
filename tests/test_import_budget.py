"""The cheap part of the performance budgets (bench/run.py measures the rest; no test is timed).

The pre-commit path must not pay for what it does not use: importing the CLI loads neither rich
(rendering) nor lxml (XML parsing), and a quiet or clean ``check`` of a cluster without XML files
loads neither at all; with XML files only lxml comes in. The helpers that make large audits
linear (per-run memos, key indexes, glob sets, lazy patterns) give the same answers as the plain
code they replace.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from linter.ruleapi import memo
from linter.ruleapi.memo import keys_with_prefix
from linter.ruleapi.text import KeyGlobs, LazyPattern, key_glob
from tests.conftest import FIXTURES, REPO

HEAVY = ("rich", "lxml")
NO_XML = FIXTURES / "clusters" / "healthy-74-multicast"
WITH_XML = FIXTURES / "clusters" / "healthy-74-unicast-tcpping"


def _modules_after(code: str) -> set[str]:
    """Top-level package names in sys.modules after ``code`` ran in a fresh interpreter."""
    probe = f"{code}\nimport sys\nprint('MODULES', ' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=False)
    line = next(x for x in result.stdout.splitlines() if x.startswith("MODULES "))
    return set(line.split()[1:])


def _check(*args: str) -> str:
    return f"from linter.cli import main\ncode = main({['check', *args]!r})\nassert code in (0, 1), code\n"


def test_importing_the_cli_loads_neither_rich_nor_lxml() -> None:
    loaded = _modules_after("import linter.cli")
    assert "typer" in loaded  # the probe works
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize("args", [("-q",), ()], ids=["quiet", "clean-summary"])
def test_check_without_xml_loads_neither_rich_nor_lxml(args: tuple[str, ...]) -> None:
    assert not list(NO_XML.rglob("*.xml"))
    loaded = _modules_after(_check(*args, str(NO_XML)))
    assert "linter" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_quiet_check_with_xml_loads_lxml_but_not_rich() -> None:
    loaded = _modules_after(_check("-q", str(WITH_XML)))
    assert "lxml" in loaded
    assert "rich" not in loaded


def test_pre_commit_file_mode_on_a_clean_cluster_does_not_load_rich() -> None:
    changed = WITH_XML / "node1" / "portal-ext.properties"
    loaded = _modules_after(_check(str(changed)))
    assert "rich" not in loaded
    # nor the deployment readers' stacks: YAML, archives, digests
    assert not loaded & {"yaml", "tarfile", "zipfile", "hashlib"}, sorted(loaded & {"yaml", "tarfile", "zipfile"})


def test_deployment_readers_load_yaml_only_for_a_deployment() -> None:
    loaded = _modules_after(_check("-q", str(FIXTURES / "clusters" / "compose-74-healthy")))
    assert "yaml" in loaded and "rich" not in loaded


# ----------------------------------------------------------------------------- helpers behind the budgets


def test_key_globs_match_exactly_like_key_glob() -> None:
    patterns = ["cluster.link.*", "session.timeout*", "jdbc.*.url", "a?c", "lit", "x*y*", "multicast.group.address*"]
    keys = [
        "cluster.link.enabled",
        "cluster.link.",
        "cluster.link.x\ny",  # `*` is `.*`: it does not cross a newline
        "cluster.linkx",
        "session.timeout",
        "session.timeout.warning",
        "jdbc.default.url",
        "jdbc..url",
        "jdbc.default.url.x",
        "abc",
        "a\nc",
        "lit",
        "lit\n",
        "xay",
        "xy",
        'multicast.group.address["cluster-link-control"]',
        "",
    ]
    globs = KeyGlobs(patterns)
    for key in keys:
        expected = any(key_glob(p).fullmatch(key) for p in patterns)
        assert globs.matches(key) is expected, key
    assert not KeyGlobs(()).matches("anything")


def test_lazy_pattern_behaves_like_the_compiled_pattern() -> None:
    text = r"(?P<base>[a-z.]+)\.(\d+)"
    lazy, compiled = LazyPattern(text), re.compile(text)
    assert lazy.pattern == compiled.pattern
    for value in ("a.b.1", "x", "a.1 and b.22", ""):
        for method in ("match", "fullmatch", "search"):
            left, right = getattr(lazy, method)(value), getattr(compiled, method)(value)
            assert (left and left.groupdict()) == (right and right.groupdict())
        assert lazy.findall(value) == compiled.findall(value)
        assert lazy.sub("#", value) == compiled.sub("#", value)
        assert [m.span() for m in lazy.finditer(value)] == [m.span() for m in compiled.finditer(value)]
    assert LazyPattern("a", re.IGNORECASE).fullmatch("A")


def test_keys_with_prefix_is_the_plain_filter_in_order_inside_and_outside_a_run() -> None:
    settings = {k: None for k in ("b.x", "a.b.c", "a.b", "ab.c", "a.bc", "a.b.d", "a", "c.a.b")}
    for prefix in ("a.b", "a.b.", "a", "a.", "ab", "zz.", "c.a"):
        expected = [k for k in settings if k.startswith(prefix)]
        assert keys_with_prefix(settings, prefix) == expected, prefix
        with memo.run_scope():
            assert keys_with_prefix(settings, prefix) == expected, prefix
            assert keys_with_prefix(settings, prefix) == expected, prefix


def test_memo_lives_for_one_run_only() -> None:
    calls: list[int] = []

    @memo.per_object
    def view(obj: object, extra: int) -> int:
        calls.append(extra)
        return extra * 2

    thing = object()
    assert view(thing, 1) == 2 and view(thing, 1) == 2 and len(calls) == 2  # no run: no memo
    with memo.run_scope():
        assert view(thing, 1) == 2 and view(thing, 1) == 2 and view(thing, 2) == 4
        assert len(calls) == 4
    assert memo._memo is None
    view(thing, 1)
    assert len(calls) == 5


# ----------------------------------------------------------------------------- the benchmark's clusters


def _generate() -> ModuleType:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    return module


def test_generated_cluster_has_the_promised_shape_and_is_deterministic(tmp_path: Path) -> None:
    gen = _generate()
    first, second = tmp_path / "a", tmp_path / "b"
    nodes = gen.generate(first, 3)
    gen.generate(second, 3)
    assert [n.name for n in nodes] == ["node01", "node02", "node03"]
    files_a = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert files_a == files_b
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files_a)
    assert (first / "liferay-ha.toml").is_file()
    for node in nodes:

        def lines(rel: Path, node: Path = node) -> int:
            return len((node / rel).read_text(encoding="utf-8").splitlines())

        assert lines(gen.PORTAL_EXT) == 150
        assert 190 <= lines(gen.EHCACHE_XML) <= 220
        assert "<TCP " in (node / gen.TCP_XML).read_text(encoding="utf-8")
        assert len(list((node / "osgi" / "configs").glob("*.config"))) == 2
        setenv = (node / gen.SETENV).read_text(encoding="utf-8")
        assert "-Xmx" in setenv and "-Djgroups.bind_addr=" in setenv


def test_check_on_the_generated_cluster_fires_the_planted_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from linter.cli import main

    gen = _generate()
    gen.generate(tmp_path / "cluster", 3)
    code = main(["check", "--format", "json", str(tmp_path / "cluster")])
    report = json.loads(capsys.readouterr().out)
    fired = {f["rule"] for f in report["findings"]}
    assert code == 1
    assert fired == set(gen.PLANTED_RULES)
