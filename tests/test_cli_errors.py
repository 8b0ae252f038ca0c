"""Exit code 2 with one line on stderr and no traceback for every usage and configuration error,
and for an internal error; ``--debug`` adds the traceback (ARCHITECTURE §7, README "Safety")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from linter.cli import main
from tests.conftest import FIXTURES, REPO

CLUSTER = FIXTURES / "clusters" / "broken-74-cluster-link-drift"
PREFIX = "liferay-ha-lint: error: "


def _run(args: list[str], cwd: Path, code: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real program (``python -m linter``), or ``code`` run before ``main`` in a fresh
    interpreter (to plant a crash)."""
    command = [sys.executable, "-m", "linter", *args]
    if code is not None:
        command = [
            sys.executable,
            "-c",
            f"import sys\n{code}\nfrom linter.cli import main\nsys.exit(main(sys.argv[1:]))",
        ]
        command += args
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False
    )


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback (most recent call last)" not in result.stderr
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(PREFIX), result.stderr
    return lines[0][len(PREFIX) :]


USAGE_ERRORS = {
    "unknown option": (["check", "--bogus", "{cluster}"], "No such option: --bogus"),
    "bad option value": (["check", "--fail-on", "sometimes", "{cluster}"], "Invalid value for '--fail-on'"),
    "option out of range": (["check", "--max-file-size", "0", "{cluster}"], "Invalid value for '--max-file-size'"),
    "unknown command": (["lint", "{cluster}"], "No such command 'lint'"),
    "missing command": (["--debug"], "Missing command"),
    "missing argument": (["explain"], "Missing argument 'RULE'"),
    "unknown rule in --select": (["check", "--select", "HA999", "{cluster}"], 'unknown rule selector "HA999"'),
    "unknown rule in --ignore": (["check", "--ignore", "nonsense-rule", "{cluster}"], "nonsense-rule"),
    "unknown rule to explain": (["explain", "HA999"], "unknown rule 'HA999'"),
    "unknown Liferay version": (["check", "--liferay-version", "9.9", "{cluster}"], "unknown Liferay version"),
    "show: unknown Liferay version": (["show", "--liferay-version", "9.9", "{cluster}"], "unknown Liferay version"),
    "nonexistent path": (["check", "{tmp}/no-such-cluster"], "no-such-cluster: no such file or directory"),
    "show: nonexistent path": (["show", "{tmp}/no-such-cluster"], "no-such-cluster: no such file or directory"),
    "dangling symlink path": (["check", "{tmp}/dangling"], "dangling: dangling symbolic link"),
    "one of several paths missing": (["check", "{cluster}", "{tmp}/gone"], "gone: no such file or directory"),
    # no path and no configured clusters: the current directory is checked, as ruff checks "."
    "no path, no clusters, nothing here": (["check"], ".: no Liferay configuration found"),
    "an empty path (an unset variable)": (["check", ""], "an empty path was given"),
    "config clusters missing": (["check", "--config", "{tmp}/clusters.toml"], "clusters.toml: clusters: {tmp}/gone"),
    "--config missing": (["check", "--config", "{tmp}/none.toml", "{cluster}"], "none.toml: cannot read"),
    "--config unknown key": (["check", "--config", "{tmp}/unknown.toml", "{cluster}"], 'unknown key "selct"'),
    "--config bad TOML": (["check", "--config", "{tmp}/broken.toml", "{cluster}"], "invalid TOML"),
    "--config unknown rule": (["check", "--config", "{tmp}/rule.toml", "{cluster}"], '"HA999"'),
    "--config bad secret key": (["check", "--config", "{tmp}/secret.toml", "{cluster}"], "bad regular expression"),
    "show: --config bad": (["show", "--config", "{tmp}/unknown.toml", "{cluster}"], 'unknown key "selct"'),
    "explain: --config bad": (["explain", "--config", "{tmp}/unknown.toml", "HA101"], 'unknown key "selct"'),
    "config found upwards is bad": (["check", "{cluster}"], 'unknown key "selct"'),
    "--baseline missing": (["check", "--baseline", "{tmp}/none.json", "{cluster}"], "none.json not found"),
    "--baseline not JSON": (["check", "--baseline", "{tmp}/broken.toml", "{cluster}"], "broken.toml"),
    "--rules-dir missing": (["check", "--rules-dir", "{tmp}/no-pack", "{cluster}"], "no-pack does not exist"),
    "rules --rules-dir missing": (["rules", "--rules-dir", "{tmp}/no-pack"], "no-pack does not exist"),
    "--output in a missing directory": (
        ["check", "--format", "json", "--output", "{tmp}/no-dir/x.json", "{cluster}"],
        "--output {tmp}/no-dir/x.json: directory {tmp}/no-dir does not exist",
    ),
    "--output is a directory": (["check", "--output", "{tmp}", "{cluster}"], "is a directory"),
    "show --output in a missing directory": (["show", "--output", "{tmp}/no-dir/x.txt", "{cluster}"], "no-dir"),
    "--write-baseline in a missing directory": (
        ["check", "--write-baseline", "{tmp}/no-dir/b.json", "{cluster}"],
        "--write-baseline {tmp}/no-dir/b.json: directory {tmp}/no-dir does not exist",
    ),
    "two formats to stdout": (["check", "--format", "json", "--format", "sarif", "{cluster}"], "standard output"),
}


@pytest.mark.parametrize("case", list(USAGE_ERRORS), ids=list(USAGE_ERRORS))
def test_usage_and_configuration_errors_exit_2_with_one_line(tmp_path: Path, case: str) -> None:
    args, expected = USAGE_ERRORS[case]
    work = tmp_path / "work"
    work.mkdir()
    (work / "unknown.toml").write_text('selct = ["HA1"]\n')
    (work / "broken.toml").write_text("select = [\n")
    (work / "rule.toml").write_text('ignore = ["HA999"]\n')
    (work / "secret.toml").write_text("secret-keys = ['re:(']\n")
    (work / "clusters.toml").write_text('clusters = ["gone"]\n')
    (work / "dangling").symlink_to(work / "nothing-here")
    if case == "config found upwards is bad":
        (work / ".liferay-ha-lint.toml").write_text('selct = ["HA1"]\n')
    values = {"cluster": str(CLUSTER), "tmp": str(work)}
    before = sorted(work.iterdir())
    result = _run([a.format(**values) for a in args], cwd=work)
    assert expected.format(**values) in _one_error_line(result)
    assert result.stdout == ""
    assert sorted(work.iterdir()) == before  # nothing written


def test_check_without_a_path_checks_the_current_directory() -> None:
    result = _run(["check", "-q"], cwd=CLUSTER)
    assert result.returncode == 1 and result.stderr == ""  # the broken cluster's findings, as for `check .`
    assert result.stdout == _run(["check", "-q", "."], cwd=CLUSTER).stdout
    assert _run(["check", "-h"], cwd=CLUSTER).stdout.startswith("Usage: liferay-ha-lint check")
    assert _run(["-V"], cwd=CLUSTER).stdout == _run(["version"], cwd=CLUSTER).stdout


def test_output_format_from_the_environment(tmp_path: Path) -> None:
    env = {**os.environ, "LIFERAY_HA_LINT_OUTPUT_FORMAT": "json"}
    result = subprocess.run(
        [sys.executable, "-m", "linter", "check", str(CLUSTER)], capture_output=True, text=True, env=env, check=False
    )
    assert json.loads(result.stdout)["summary"]["clusters"] == 1


def test_shell_completion_completes_commands() -> None:
    env = {
        **os.environ,
        "_LIFERAY_HA_LINT_COMPLETE": "complete_bash",
        "COMP_WORDS": "liferay-ha-lint ch",
        "COMP_CWORD": "1",
    }
    result = subprocess.run([sys.executable, "-m", "linter"], capture_output=True, text=True, env=env, check=False)
    assert result.stdout.split() == ["check"]


def test_no_arguments_print_the_help(tmp_path: Path) -> None:
    result = _run([], cwd=tmp_path)
    assert result.returncode == 2 and "Usage: liferay-ha-lint" in result.stdout + result.stderr
    assert "Traceback (most recent call last)" not in result.stderr


# ----------------------------------------------------------------------------- internal errors

CRASHING_REPORTER = (
    "import linter.reporters.json_report as report\n"
    "def render(*args, **kwargs):\n"
    "    raise ValueError('cannot render S3cr3t-Leak')\n"
    "report.render = render\n"
)


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_internal_error_is_one_line_and_debug_shows_the_traceback(tmp_path: Path, debug: bool) -> None:
    args = ["check", "--format", "json", str(CLUSTER), *(["--debug"] if debug else [])]
    result = _run(args, cwd=tmp_path, code=CRASHING_REPORTER)
    assert result.returncode == 2 and result.stdout == ""
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"{PREFIX}internal error: ValueError in _render (linter/cli.py:")
    if debug:
        assert "Traceback (most recent call last)" in result.stderr
        assert "ValueError: cannot render S3cr3t-Leak" in result.stderr  # --debug hides nothing
        assert "--debug" not in last
    else:
        assert _one_error_line(result) == last[len(PREFIX) :]
        assert last.endswith("(rerun with --debug for the traceback)")
        assert "S3cr3t-Leak" not in result.stderr  # the message may quote input: not shown


def test_internal_error_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from linter.reporters import show_json

    def crash(*args: object, **kwargs: object) -> str:
        raise KeyError("boom")

    def full(*args: object, **kwargs: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(show_json, "render", crash)
    assert main(["show", "--format", "json", str(CLUSTER)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"{PREFIX}internal error: KeyError in show (linter/cli.py:")
    monkeypatch.setattr(show_json, "render", full)
    assert main(["show", "--format", "json", str(CLUSTER)]) == 2
    err = capsys.readouterr().err
    assert err == f"{PREFIX}internal error: No space left on device (rerun with --debug for the traceback)\n"


CRASHING_RULE = """
from linter.ruleapi import WARNING, rule


@rule(
    id="HA901",
    name="always-crashes",
    severity=WARNING,
    scope="node",
    versions="all",
    summary="Crashes.",
    rationale="Test pack rule.",
    fix="None.",
    sources=("tests",),
)
def check(node, ctx):
    raise RuntimeError("rule bug")
"""


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_crashing_rule_is_an_ha009_finding_and_debug_shows_its_traceback(tmp_path: Path, debug: bool) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "ha901_crash.py").write_text(CRASHING_RULE)
    args = [*(["--debug"] if debug else []), "check", "--format", "json", "--rules-dir", str(pack), str(CLUSTER)]
    result = _run(args, cwd=tmp_path)
    assert result.returncode == 1
    crashes = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "HA009"]
    assert sorted(f["node"] for f in crashes) == ["node1", "node2", "node3"]
    assert "RuntimeError: rule bug" in crashes[0]["message"]
    assert any(f["rule"] == "HA102" for f in json.loads(result.stdout)["findings"])  # the other rules ran
    if debug:
        assert result.stderr.count("Traceback (most recent call last)") == 3
        assert 'raise RuntimeError("rule bug")' in result.stderr
    else:
        assert result.stderr == ""


def test_quiet_output_honours_color() -> None:
    always = _run(["check", "-q", "--color", "always", str(CLUSTER)], cwd=CLUSTER).stdout
    never = _run(["check", "-q", "--color", "never", str(CLUSTER)], cwd=CLUSTER).stdout
    assert "\x1b[1;31merror[" in always and "\x1b" not in never
    assert never.splitlines()[0].split(": ", 1)[1].startswith(("error[", "warning[", "info["))
