"""Text from input cannot drive the reader's terminal or CI: control characters in keys, values,
node, file and archive-member names are shown escaped in text, -q, show and github output, no input
starts a line of its own (GitHub Actions reads workflow commands from any line of a step's output),
a baseline edited by someone else cannot add a workflow command, and JUnit stays well-formed."""

from __future__ import annotations

import io
import json
import pty
import re
import tarfile
from pathlib import Path

import pytest
from lxml import etree

from linter.cli import main
from tests.terminal import through_a_terminal

ESC = "\x1b"
TITLE = f"{ESC}]0;PWNED-TITLE\x07"  # OSC 0: set the window title
LINK = f"{ESC}]8;;http://evil.invalid/{ESC}\\"  # OSC 8: a hyperlink
CLEAR = f"{ESC}[2J"  # clear the screen
CSI_C1 = "\x9b31m"  # C1 CSI: colour without ESC
BIDI = "\u202e"  # right-to-left override
# a property line whose decoded key and value hold every kind of sequence, and a line break
# followed by a workflow command
PROPERTIES = (
    "cluster.link.enabled=false\\n::error file=x::INJECTED-VALUE\n"
    "bogus.k\\u001b]8;;http://evil.invalid/\\u001b\\\\ey\\n::warning::INJECTED-KEY=v\\u001b[2J\\u009b31m\n"
    "web.server.display.node=a\\r::notice::INJECTED-CR\\u202e\n"
    "cluster.link.autodetect.address=x\\u2028::error::INJECTED-LS\n"
)
RAW = (ESC, "\x07", "\x9b", "\r", "\u2028", BIDI)


def _plant(root: Path) -> Path:
    cluster = root / f"c{TITLE}"
    n1 = cluster / "n1"
    n2 = cluster / f"n2{TITLE}"
    n1.mkdir(parents=True)
    n2.mkdir()
    (n1 / "portal-ext.properties").write_text("cluster.link.enabled=true\n", encoding="utf-8")
    (n2 / "portal-ext.properties").write_text(PROPERTIES, encoding="utf-8")
    configs = n2 / "osgi" / "configs"
    configs.mkdir(parents=True)
    (configs / f"com.liferay.portal.search.elasticsearch7.configuration.Elasticsearch{CLEAR}.config").write_text(
        'productionModeEnabled="x\\n::error::INJECTED-CONFIG"\nbroken line without separator "\n',
        encoding="utf-8",
    )
    return cluster


def _archives(root: Path) -> Path:
    """A cluster of two archive nodes, one with escape sequences in its name and member names."""
    archives = root / "archives"
    archives.mkdir()
    for archive, enabled in ((f"n3{ESC}]8;;evil{ESC}\\.tar", "false\\n::error::INJECTED-TAR"), ("n4.tar", "true")):
        with tarfile.open(archives / archive, "w") as tar:  # OSC 8 above: no slash in a file name
            for name, text in (
                (f"liferay{TITLE}/portal-ext.properties", f"cluster.link.enabled={enabled}\n"),
                (f"liferay{TITLE}/osgi/configs/x{CLEAR}.config", 'a="b\\u001b]0;TAR-TITLE\\u0007\n'),
            ):
                data = text.encode("utf-8")
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return archives


@pytest.fixture
def hostile(tmp_path: Path) -> list[str]:
    return [str(_plant(tmp_path)), str(_archives(tmp_path))]


def _assert_neutral(text: str, *, colour: bool = False) -> None:
    """No raw control character, and no line that GitHub Actions would read as a command."""
    if colour:  # our own colours (SGR) are the only escape sequences allowed
        text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    for raw in RAW:
        assert raw not in text, (raw, text[max(0, text.find(raw) - 80) : text.find(raw) + 80])
    for line in text.splitlines():  # splitlines also splits on \x1c-\x1e, \x85, \u2028, \u2029
        # a workflow command starts a line, leading blanks aside (our "  ::: file" arrow names none)
        assert not re.match(r"\s*::(?!: )", line), line


def test_text_quiet_and_github_show_input_escaped(hostile: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    outputs: dict[str, str] = {}
    for name, args in {
        "text": ["check", "--color", "never", "--verbose", *hostile],
        "quiet": ["check", "-q", *hostile],
        "github": ["check", "--format", "github", *hostile],
        "statistics": ["check", "--statistics", *hostile],
        "show": ["show", "--all", "--color", "never", *hostile],
    }.items():
        assert main(args) == 1, name
        outputs[name] = capsys.readouterr().out
    for name, text in outputs.items():
        if name != "statistics":
            assert "INJECTED" in text, name
        lines = [line for line in text.splitlines() if line.startswith("::")]
        if name == "github":  # our annotations only: one per finding, each on one line
            assert lines and all(re.match(r"::(error|warning|notice) file=", line) for line in lines), lines
            text = "\n".join(line for line in text.splitlines() if not line.startswith("::"))
            assert "\\x1b]0;PWNED-TITLE\\x07" in "\n".join(lines)  # shown, escaped
        _assert_neutral(text)
    junit = hostile_junit(hostile, capsys)
    assert "INJECTED" in junit
    assert "\\n::error file=x::INJECTED-VALUE" in outputs["quiet"]  # shown as written
    assert "n2\\x1b]0;PWNED-TITLE\\x07" in outputs["text"] and "\\u202e" in outputs["text"]
    assert "\\x1b[2J" in outputs["show"]


def hostile_junit(hostile: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The JUnit report, which parses (characters XML 1.0 forbids are replaced)."""
    main(["check", "--format", "junit", *hostile])
    root = etree.fromstring(capsys.readouterr().out.encode("utf-8"))
    assert root.tag == "testsuites"
    return str(etree.tostring(root, encoding="unicode"))


def test_baseline_entries_cannot_add_workflow_commands(
    hostile: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "baseline.json"
    assert main(["check", "--write-baseline", str(baseline), *hostile]) == 0
    capsys.readouterr()
    doc = json.loads(baseline.read_text(encoding="utf-8"))
    # a pull request edits the baseline: an entry that matches nothing, with commands in every field
    doc["entries"].append(
        {
            "rule": "HA102",
            "name": "x\n::add-mask::leak\r::error::INJECTED-NAME",
            "cluster": doc["entries"][0]["cluster"],
            "subject": "s\n::error file=a::INJECTED-SUBJECT\x1b]0;T\x07",
            "nodes": ["n1\n::warning::INJECTED-NODE"],
            "message": "m\n::error::INJECTED-MESSAGE",
            "reason": "",
        }
    )
    baseline.write_text(json.dumps(doc), encoding="utf-8")
    for fmt in ("github", "text"):
        main(["check", "--format", fmt, "--baseline", str(baseline), *hostile])
        out = capsys.readouterr().out
        assert "INJECTED-SUBJECT" in out  # the stale entry is listed
        if fmt == "github":
            out = "\n".join(line for line in out.splitlines() if not line.startswith("::"))
        assert "::add-mask::" not in out.replace("\\n::add-mask::", "")
        _assert_neutral(out)


def test_text_output_on_github_actions_stops_workflow_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A long value wraps: a line of text output then starts, after its indentation, with words of
    the value; on GitHub Actions the runner is told not to read commands in text output."""
    cluster = tmp_path / "c"
    for node in ("n1", "n2"):
        (cluster / node).mkdir(parents=True)
        (cluster / node / "portal-ext.properties").write_text(
            "web.server.display.node=" + "::error::WRAPPED " * 40 + "\n", encoding="utf-8"
        )
    monkeypatch.setenv("COLUMNS", "70")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    tokens = []
    for _ in range(2):
        main(["check", "--format", "text", "--color", "never", str(cluster)])
        lines = capsys.readouterr().out.splitlines()
        start = re.fullmatch(r"::stop-commands::([0-9a-f]{32})", lines[0])
        assert start is not None and lines[-1] == f"::{start.group(1)}::", (lines[0], lines[-1])
        assert any(line.lstrip().startswith("::error::WRAPPED") for line in lines[1:-1])  # the wrap
        tokens.append(start.group(1))
    assert tokens[0] != tokens[1]
    monkeypatch.delenv("GITHUB_ACTIONS")
    main(["check", "--format", "text", "--color", "never", str(cluster)])
    assert not capsys.readouterr().out.startswith("::stop-commands::")


def _through_a_terminal(args: list[str]) -> str:
    """What the CLI writes to a real terminal (a pty, 200 columns), colours on."""
    return through_a_terminal(args, columns=200)


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")
def test_show_and_check_on_a_real_terminal(hostile: list[str]) -> None:
    for args in (["show", "--all", *hostile], ["check", *hostile], ["check", "-q", *hostile]):
        text = _through_a_terminal(args).replace("\r\n", "\n")  # the terminal's own line ends
        assert "INJECTED" in text, args
        _assert_neutral(text, colour=True)
