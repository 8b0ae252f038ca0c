"""Rule packs: loading by path, validation at load, extra packs, the wheel, and rule purity."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from linter.cli import main
from linter.pack import PackError, builtin_pack_dir, load_pack, load_rules
from tests.conftest import FIXTURES, REPO

RULE_TEMPLATE = '''
"""{doc}"""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Cluster, Context, Finding, label, rule


@rule(
    id="{id}",
    name="{name}",
    severity=WARNING,
    scope="cluster",
    versions="{versions}",
    summary="Every node sets web.server.display.node.",
    rationale="Test pack rule.",
    fix="Set it.",
    sources=("tests",),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    for node in cluster.nodes:
        setting = node.setting("web.server.display.node")
        if setting is None or setting.value != "true":
            yield Finding("display node is off", label(node, setting, key="web.server.display.node"), subject=node.name)
'''


def _pack(tmp_path: Path, **fields: str) -> Path:
    values = {"doc": "test rule", "id": "HA901", "name": "display-node-off", "versions": "all", **fields}
    pack = tmp_path / "pack"
    pack.mkdir(exist_ok=True)
    (pack / f"{values['id'].lower()}_test.py").write_text(RULE_TEMPLATE.format(**values))
    return pack


def test_builtin_pack_loads_under_a_private_name() -> None:
    rules = load_rules(use_entry_points=False)
    assert [r.id for r in rules] == sorted(r.id for r in rules)
    assert "rules" not in sys.modules or not hasattr(sys.modules.get("rules"), "check")
    assert all(m.startswith("linter._pack.") for m in sys.modules if "ha101_cluster_link_disabled" in m)


def test_rules_dir_adds_a_pack_and_version_ranges_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = _pack(tmp_path, versions="6.2")
    cluster = str(FIXTURES / "clusters" / "broken-74-cluster-link-drift")
    assert main(["check", "--rules-dir", str(pack), "--select", "HA901", "--verbose", "--color", "never", cluster]) == 0
    out = capsys.readouterr().out
    assert "HA901 (display-node-off) skipped for cluster broken-74-cluster-link-drift" in out
    pack = _pack(tmp_path, versions="all")
    code = main(["check", "--rules-dir", str(pack), "--select", "HA901", "--format", "json", cluster])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and {f["rule"] for f in doc["findings"]} == {"HA901"}  # a warning does not fail the run


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"id": "HA9"}, "HA followed by three digits"),
        ({"name": "Not Kebab"}, "kebab-case"),
        ({"id": "HA101"}, "duplicate rule id HA101"),
        ({"name": "cluster-link-disabled"}, "duplicate rule name"),
    ],
)
def test_bad_metadata_fails_at_load(tmp_path: Path, fields: dict[str, str], message: str) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    rule_id = fields.get("id", "HA901")
    stem = rule_id.lower() if len(rule_id) == 5 else "ha9"
    values = {"doc": "x", "id": "HA901", "name": "display-node-off", "versions": "all", **fields}
    (pack / f"{stem}_test.py").write_text(RULE_TEMPLATE.format(**values))
    with pytest.raises(PackError, match=message):
        load_rules([pack], use_entry_points=False)


def test_missing_rationale_is_refused(tmp_path: Path) -> None:
    pack = _pack(tmp_path)
    path = next(pack.glob("*.py"))
    path.write_text(path.read_text().replace('rationale="Test pack rule."', 'rationale=""'))
    with pytest.raises(PackError, match="missing rationale"):
        load_pack(pack)


def test_a_broken_pack_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "ha950_broken.py").write_text("import does_not_exist\n")
    assert main(["check", "--rules-dir", str(pack), str(FIXTURES / "clusters" / "healthy-62-multicast")]) == 2
    assert "import failed" in capsys.readouterr().err


ALLOWED_IMPORTS = {
    "__future__",
    "collections",
    "collections.abc",
    "dataclasses",
    "re",
    "typing",
    "linter.ruleapi",
    *(f"linter.ruleapi.{m.stem}" for m in (REPO / "linter" / "ruleapi").glob("*.py")),
    "ipaddress",
    "enum",
    "itertools",
}


@pytest.mark.parametrize("path", sorted(builtin_pack_dir().glob("ha*.py")), ids=lambda p: p.stem)
def test_rules_import_only_the_rule_api(path: Path) -> None:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name in ALLOWED_IMPORTS, f"{path.name} imports {name}: rules may only import linter.ruleapi"


@pytest.mark.skipif(os.environ.get("LIFERAY_HA_LINT_SKIP_WHEEL") == "1", reason="wheel test disabled")
def test_wheel_ships_the_pack_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("liferay_ha_lint-*.whl")
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "linter/_rules/ha101_cluster_link_disabled.py" in names
    assert not any("__pycache__" in n for n in names)
    assert any(n.startswith("linter/_examples/HA102/fail/") for n in names)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = subprocess.run(
        [sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # install the wheel with its dependencies taken from this interpreter's environment (no network needed)
    install = subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert install.returncode == 0, install.stderr
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    cluster = outside / "cluster"
    shutil.copytree(FIXTURES / "clusters" / "broken-74-cluster-link-drift", cluster)
    env = {**os.environ, "PYTHONPATH": site, "NO_COLOR": "1"}
    env.pop("PYTHONSAFEPATH", None)
    run = subprocess.run(
        [str(env_dir / "bin" / "liferay-ha-lint"), "check", "--format", "json", "--select", "HA101,HA102", "cluster"],
        cwd=outside,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 1, run.stderr
    doc = json.loads(run.stdout)
    assert {f["rule"] for f in doc["findings"]} == {"HA101", "HA102"}
    explain = subprocess.run(
        [str(env_dir / "bin" / "liferay-ha-lint"), "explain", "HA102", "--long"],
        cwd=outside,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert explain.returncode == 0 and "Failing example" in explain.stdout
    located = subprocess.run(
        [str(py), "-c", "import linter.pack as p; print(p.builtin_pack_dir())"],
        cwd=outside,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "site-packages" in located.stdout and "_rules" in located.stdout


def test_entry_point_packs_are_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    pack = _pack(tmp_path)
    (site / "mypack").mkdir(parents=True)
    (site / "mypack" / "__init__.py").write_text(f"def pack_dir():\n    return {str(pack)!r}\n")
    info = site / "mypack-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text("[liferay_ha_lint.packs]\nmypack = mypack:pack_dir\n")
    monkeypatch.syspath_prepend(str(site))
    ids = [r.id for r in load_rules()]
    assert "HA901" in ids
    assert "HA901" not in [r.id for r in load_rules(use_entry_points=False)]
