"""The pre-commit hook, run by the real ``pre-commit`` against a temporary git repository.

The hook repository is a snapshot of this checkout (tracked and untracked-but-not-ignored files,
so uncommitted work is tested too) committed in a temporary git repository; the user repository
holds a cluster broken from a healthy fixture, unrelated files, and the README's
``.pre-commit-config.yaml`` pointing at the snapshot. pre-commit installs the hook the way users
get it (``pip install`` of the repository into its own environment, which needs PyPI), so this
test takes a minute; ``.ci/run`` runs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO
from tests.test_outputs_cli import readme_block

HEALTHY = FIXTURES / "clusters" / "healthy-74-unicast-tcpping"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "liferay-ha-lint tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "liferay-ha-lint tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PRE_COMMIT", "GIT_"))}
    env.update(GIT_ENV)
    env["HOME"] = str(tmp_path / "home")  # no user git config or hooks leak in
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-cache")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("NO_COLOR", None)
    (tmp_path / "home").mkdir(exist_ok=True)
    return env


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return result.stdout


def snapshot_of_checkout(dest: Path, env: dict[str, str]) -> str:
    """This checkout's files (as git sees them, ignored files left out) committed in ``dest``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    dest.mkdir()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(dest, env, "init", "-q")
    git(dest, env, "add", "-A")
    git(dest, env, "commit", "-q", "-m", "snapshot")
    return git(dest, env, "rev-parse", "HEAD").strip()


def pre_commit(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args, "--color", "never"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_hook_fails_on_a_broken_cluster_and_passes_once_fixed(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout of this repository")
    env = _env(tmp_path)
    rev = snapshot_of_checkout(tmp_path / "hook", env)

    user = tmp_path / "user"
    shutil.copytree(HEALTHY, user / "envs" / "prod")
    node2 = user / "envs" / "prod" / "node2" / "portal-ext.properties"
    healthy_text = node2.read_text(encoding="utf-8")
    node2.write_text(healthy_text.replace("cluster.link.enabled=true", "cluster.link.enabled=false"), encoding="utf-8")
    (user / "pom.xml").write_text("<project/>\n", encoding="utf-8")  # matched by the hook, in no cluster
    (user / "notes.txt").write_text("not a config\n", encoding="utf-8")
    config = readme_block("pre-commit-config")
    config = re.sub(r"(?m)^(\s*- repo: ).*$", lambda m: m.group(1) + str(tmp_path / "hook"), config)
    config = re.sub(r"(?m)^(\s*rev: ).*$", lambda m: m.group(1) + rev, config)
    (user / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    git(user, env, "init", "-q")
    git(user, env, "add", "-A")

    failed = pre_commit(user, env, "run", "--all-files")
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert re.search(r"liferay-ha-lint\.+Failed", output), output
    assert "- hook id: liferay-ha-lint" in output and "- exit code: 1" in output
    assert "error[HA101]" in output and "error[HA102]" in output
    assert "envs/prod/node2/portal-ext.properties:19" in output
    assert "pom.xml" not in output.split("- exit code: 1", 1)[1]  # not linted, not complained about

    # only the changed file is passed: its whole cluster is still checked (HA102 needs node1 and node3)
    one = pre_commit(user, env, "run", "--files", "envs/prod/node2/portal-ext.properties")
    assert one.returncode == 1 and "error[HA102]" in one.stdout
    assert "envs/prod/node1/portal-ext.properties" in one.stdout

    node2.write_text(healthy_text, encoding="utf-8")
    git(user, env, "add", "-A")
    fixed = pre_commit(user, env, "run", "--all-files")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert re.search(r"liferay-ha-lint\.+Passed", fixed.stdout), fixed.stdout
