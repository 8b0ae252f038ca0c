"""``setenv.sh`` read as the shell reads it: the JVM flags the reader finds are exactly the words
``catalina.sh`` hands the JVM, as bash itself computes them (sourcing the script, then splitting
``$CATALINA_OPTS`` with ``eval`` as ``catalina.sh`` does). Skips without bash; CI has it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from linter.sources.jvm_flags import parse_script

SCRIPTS = {
    "continued-with-backslashes": 'CATALINA_OPTS="$CATALINA_OPTS \\\n  -Djgroups.bind_addr=10.0.0.1 \\\n  -Xmx4g"\n',
    "single-quotes-and-export": "export CATALINA_OPTS='-Dliteral=x -Dspace=a'\" -Dafter=1\"\n",
    "control-flow": (
        '# it\'s a comment with "quotes"\n'
        'if [ -z "$UNSET" ]; then\n  CATALINA_OPTS="${CATALINA_OPTS} -Dthen=1"\nfi\n'
        'case "x" in x) CATALINA_OPTS="$CATALINA_OPTS -Dcase=1";; esac\n'
        '[[ -z "$UNSET" ]] && CATALINA_OPTS="$CATALINA_OPTS -Dand=1" # trailing comment\n'
    ),
    "escaped-quotes-for-eval": 'CATALINA_OPTS="$CATALINA_OPTS -Dq=\\"a b\\" -Dr=\'c d\'"\n',
    "continuation-outside-quotes": (
        'CATALINA_OPTS="$CATALINA_OPTS -Da=1"\\\n" -Db=2"\nCATALINA_OPTS=$CATALINA_OPTS\\ -Dc=3\n'
    ),
    "here-documents": (
        "cat <<EOF >/dev/null\nDon't forget\nCATALINA_OPTS=-Dbad=1\nEOF\n"
        'cat <<-"END" >/dev/null\n\tstill "inside\n\tEND\nCATALINA_OPTS="$CATALINA_OPTS -Xmx2g"\n'
    ),
    "here-string": 'cat <<< "x" >/dev/null\nCATALINA_OPTS="$CATALINA_OPTS -Dr=1"\n',
    "substitutions-with-quotes-and-comments": (
        'X="$(echo "a)b")"\nY=$(echo # it\'s a comment\n)\nCATALINA_OPTS="$CATALINA_OPTS -Dc=3"\n'
    ),
    "prefix-assignment-and-declare": (
        'CATALINA_OPTS="-Dp=1" env >/dev/null\ndeclare -x CATALINA_OPTS="$CATALINA_OPTS -Dq=1"\n'
    ),
    "reserved-word-as-an-argument": 'echo then CATALINA_OPTS=-Dx=1 >/dev/null\nCATALINA_OPTS="$CATALINA_OPTS -Dy=1"\n',
    "several-assignments-on-a-line": (
        'A=1; CATALINA_OPTS="$CATALINA_OPTS -Dx=1"; B=2 CATALINA_OPTS="$CATALINA_OPTS -Dy=2"\n'
    ),
}


def _bash_words(script: Path) -> list[str]:
    probe = 'CATALINA_OPTS=""; . "$1"; eval "set -- $CATALINA_OPTS"; for w in "$@"; do printf "%s\\0" "$w"; done'
    out = subprocess.run(["bash", "-c", probe, "bash", str(script)], capture_output=True, check=True).stdout
    return [w.decode() for w in out.split(b"\0") if w]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_flags_are_the_words_bash_hands_the_jvm(name: str, tmp_path: Path) -> None:
    script = tmp_path / "setenv.sh"
    script.write_text(SCRIPTS[name])
    ours = parse_script(SCRIPTS[name], "setenv.sh")
    assert ours.problems == ()
    assert [f.text for f in ours.flags] == _bash_words(script)


def test_each_flag_of_a_continued_value_points_at_its_own_line() -> None:
    flags = parse_script(SCRIPTS["continued-with-backslashes"], "setenv.sh").flags
    where = [(f.text, f.origin.line, f.origin.column, f.origin.end_column) for f in flags]
    assert where == [("-Djgroups.bind_addr=10.0.0.1", 2, 3, 30), ("-Xmx4g", 3, 3, 8)]


def test_a_quote_never_closed_is_a_finding_at_its_line() -> None:
    result = parse_script('A=1\nCATALINA_OPTS="$CATALINA_OPTS -Dx=1\n', "setenv.sh")
    assert [(p.origin.line, p.origin.column) for p in result.problems] == [(2, 15)]
    assert "never closed" in result.problems[0].message


def test_a_command_substitution_is_unknown_not_a_value() -> None:
    flags = parse_script('CATALINA_OPTS="-Dhost=$(hostname) -Dtick=`hostname` -Dplain=1"\n', "setenv.sh").flags
    assert [(f.text, f.unresolved) for f in flags] == [
        ("-Dhost=$(hostname)", True),
        ("-Dtick=`hostname`", True),
        ("-Dplain=1", False),
    ]


def test_a_line_break_inside_the_quotes_is_a_finding_where_catalina_sh_stops() -> None:
    """catalina.sh runs ``eval ... "$JAVA_OPTS" "$CATALINA_OPTS" ...``: a line break in the value ends
    the java command there (bash agrees: the words after it are not the JVM's)."""
    text = 'CATALINA_OPTS="$CATALINA_OPTS -Dmulti=line\n -Dsecond=2"\n'
    result = parse_script(text, "setenv.sh")
    assert [(p.origin.line, p.origin.column) for p in result.problems] == [(1, 43)]
    assert "line break" in result.problems[0].message and "backslash" in result.problems[0].message
    assert [f.text for f in result.flags] == ["-Dmulti=line", "-Dsecond=2"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_stops_the_command_at_the_line_break_too(tmp_path: Path) -> None:
    script = tmp_path / "setenv.sh"
    script.write_text('CATALINA_OPTS="$CATALINA_OPTS -Dmulti=line\n -Dsecond=2"\n')
    assert _bash_words(script) == ["-Dmulti=line"]


def test_flags_of_a_continued_setenv_sh_reach_the_rules_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reproduction: ``CATALINA_OPTS="$CATALINA_OPTS \\`` continued over lines lost every flag."""
    from linter.cli import main

    for node, opts in (("n1", '"$CATALINA_OPTS \\\n  -Djgroups.bind_addr=10.0.0.1 \\\n  -Xmx4g"'), ("n2", '"-Xmx2g"')):
        (tmp_path / node).mkdir()
        (tmp_path / node / "portal-ext.properties").write_text("cluster.link.enabled=true\n")
        (tmp_path / node / "setenv.sh").write_text(f"CATALINA_OPTS={opts}\n")
    monkeypatch.chdir(tmp_path)
    code = main(["check", "-q", "--liferay-version", "7.4", "--select", "HA803", "."])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines() == [
        "n1/setenv.sh:3:3: info[HA803] JVM option -Xmx differs between nodes (tie): n1 has -Xmx4g; n2: -Xmx2g",
        "n2/setenv.sh:1:16: info[HA803] JVM option -Xmx differs between nodes (tie): n2 has -Xmx2g; n1: -Xmx4g",
    ]
