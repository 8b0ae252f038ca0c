"""Files that cannot be read, or vanish while the tool runs, are HA001 findings naming the file;
the rest of the cluster is still checked, nothing crashes (README "Safety").

Permission denied needs a process that file modes apply to. CI runs as root, for which mode 000
denies nothing, so there the command runs with privileges dropped by ``setpriv``: as the user
``nobody`` when that user can run this interpreter and import the package, otherwise as root
without the capabilities that bypass file modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import linter
from linter.cli import main
from linter.sources import files
from tests.conftest import FIXTURES

CLUSTER = FIXTURES / "clusters" / "broken-74-cluster-link-drift"
PACKAGE_ROOT = Path(linter.__file__).resolve().parent.parent  # what this test process imports
NOBODY = 65534

_PROBE = (
    "import sys\n"
    "import linter.cli\n"
    "try:\n"
    "    open(sys.argv[1], 'rb').close()\n"
    "except PermissionError:\n"
    "    print('denied')\n"
    "else:\n"
    "    print('readable')\n"
)


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "COLUMNS")}
    env.update(PYTHONPATH=str(PACKAGE_ROOT), PYTHONDONTWRITEBYTECODE="1", HOME=str(home), NO_COLOR="1")
    return env


def _prefixes() -> list[tuple[str, list[str]]]:
    if os.geteuid() != 0:
        return [("this unprivileged user", [])]
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return []
    return [
        ("user nobody", [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]),
        (
            "root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH",
            [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"],
        ),
    ]


def _unprivileged(work: Path, denied: Path) -> list[str]:
    """A command prefix under which this interpreter imports the package and ``denied`` (mode
    000) cannot be read; skips, saying why, when there is none."""
    reasons: list[str] = []
    for name, prefix in _prefixes():
        try:
            probe = subprocess.run(
                [*prefix, sys.executable, "-c", _PROBE, str(denied)],
                cwd=work,
                env=_env(work),
                capture_output=True,
                text=True,
                stdin=subprocess.DEVNULL,
                timeout=60,
                check=False,
            )
        except OSError as exc:
            reasons.append(f"{name}: {exc}")
            continue
        if probe.returncode == 0 and probe.stdout.strip() == "denied":
            return prefix
        last = (probe.stderr.strip().splitlines() or [probe.stdout.strip()])[-1]
        reasons.append(f"{name}: {last}")
    pytest.skip("no way to run without the right to read a mode-000 file: " + ("; ".join(reasons) or "no setpriv"))


class Run(NamedTuple):
    code: int
    findings: list[dict[str, Any]]
    stderr: str
    cluster: Path
    prefix: list[str]
    work: Path


@pytest.fixture(scope="module")
def denied_run() -> Iterator[Run]:
    """``check`` over a copy of a fixture where node2's portal-ext.properties and node3's
    osgi/configs directory are mode 000, run without the privilege to read them anyway."""
    work = Path(tempfile.mkdtemp(prefix="liferay-ha-lint-denied-"))
    work.chmod(0o755)  # the user nobody must reach the copy
    cluster = work / "c"
    shutil.copytree(CLUSTER, cluster)
    denied_file = cluster / "node2" / "portal-ext.properties"
    denied_dir = cluster / "node3" / "osgi" / "configs"
    denied_subtree = cluster / "node1" / "tomcat" / "bin"  # holds setenv.sh
    denied_file.chmod(0)
    denied_dir.chmod(0)
    denied_subtree.chmod(0)
    try:
        prefix = _unprivileged(work, denied_file)
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "linter", "check", "--format", "json", str(cluster)],
            cwd=work,
            env=_env(work),
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=300,
            check=False,
        )
        findings = json.loads(result.stdout)["findings"] if result.stdout.startswith("{") else []
        yield Run(result.returncode, findings, result.stderr, cluster, prefix, work)
    finally:
        denied_file.chmod(0o644)
        denied_dir.chmod(0o755)
        denied_subtree.chmod(0o755)
        shutil.rmtree(work)


def _at(finding: dict[str, Any]) -> str:
    return str((finding.get("location") or {}).get("file") or "")


def test_unreadable_file_is_a_finding_and_the_rest_is_checked(denied_run: Run) -> None:
    assert denied_run.stderr == ""  # no traceback, no message
    assert denied_run.code == 1
    denied = [f for f in denied_run.findings if f["rule"] == "HA001" and _at(f).endswith("node2/portal-ext.properties")]
    assert [(f["node"], f["message"], f["severity"]) for f in denied] == [("node2", "permission denied", "error")]
    # every other node was read and checked: findings located in their own files
    located = {_at(f) for f in denied_run.findings if f["rule"] != "HA001"}
    assert any(p.endswith("node1/portal-setup-wizard.properties") for p in located)
    assert any(p.endswith("node3/portal-ext.properties") for p in located)
    assert any(f["rule"] == "HA101" and f["node"] == "node3" for f in denied_run.findings)


def test_unreadable_osgi_configs_directory_is_a_finding(denied_run: Run) -> None:
    denied = [f for f in denied_run.findings if f["rule"] == "HA001" and "node3/osgi/configs" in _at(f)]
    assert denied and "permission denied" in denied[0]["message"]


def test_unreadable_subtree_is_a_finding_not_skipped(denied_run: Run) -> None:
    """node1/tomcat/bin (holding setenv.sh) is mode 000: said, not silently passed over."""
    denied = [f for f in denied_run.findings if f["rule"] == "HA001" and _at(f).endswith("node1/tomcat/bin")]
    assert [(f["node"], "permission denied" in f["message"]) for f in denied] == [("node1", True)]


def test_unreadable_path_argument_is_a_usage_error(denied_run: Run) -> None:
    target = denied_run.cluster / "node2" / "portal-ext.properties"  # mode 000
    result = subprocess.run(
        [*denied_run.prefix, sys.executable, "-m", "linter", "check", str(target)],
        cwd=denied_run.work,
        env=_env(denied_run.work),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
        check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("liferay-ha-lint: error: ") and str(target) in line
    assert "not readable" in line or "permission denied" in line


# ----------------------------------------------------------------------------- vanishing files


class _VanishingOs:
    """``os`` for linter.sources.files that deletes ``target`` just before it is opened, or just
    after (the read goes on from the open file, which is checked to be still there)."""

    def __init__(self, target: Path, moment: str) -> None:
        self.target = str(target)
        self.moment = moment
        self.vanished = False

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def vanish(self, path: Any) -> None:
        if os.path.abspath(path) == self.target and not self.vanished:
            os.unlink(self.target)
            self.vanished = True

    def open(self, path: Any, *args: Any, **kwargs: Any) -> int:
        if self.moment == "before open":
            self.vanish(path)
        return os.open(path, *args, **kwargs)

    def fstat(self, fd: int) -> os.stat_result:
        if self.moment == "after open" and os.readlink(f"/proc/self/fd/{fd}") == self.target:
            self.vanish(self.target)  # the file was opened: it vanishes now
        return os.fstat(fd)


@pytest.mark.parametrize(
    ("moment", "message"),
    [("before open", "file not found"), ("after open", "file disappeared while reading")],
)
def test_file_vanishing_during_the_run_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], moment: str, message: str
) -> None:
    cluster = tmp_path / "c"
    shutil.copytree(CLUSTER, cluster)
    target = cluster / "node2" / "portal-ext.properties"
    fake_os = _VanishingOs(target, moment)
    monkeypatch.setattr(files, "os", fake_os)
    code = main(["check", "--format", "json", str(cluster)])
    captured = capsys.readouterr()
    assert fake_os.vanished and not target.exists()
    assert captured.err == ""  # no traceback, no message
    assert code == 1
    findings = json.loads(captured.out)["findings"]
    gone = [f for f in findings if f["rule"] == "HA001"]
    assert [(f["node"], _at(f), f["message"]) for f in gone] == [("node2", _at(gone[0]), message)]
    assert _at(gone[0]).endswith("node2/portal-ext.properties")
    assert any(f["rule"] == "HA101" and f["node"] == "node3" for f in findings)  # the rest was checked
    assert any(_at(f).endswith("node1/portal-setup-wizard.properties") for f in findings)
