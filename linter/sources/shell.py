"""POSIX shell words, as ``sh`` reads them, for the assignments a ``setenv.sh`` makes.

Tomcat's ``catalina.sh`` sources ``setenv.sh``, so its option variables are whatever the shell
makes of the assignments there. This reads the script the way the shell splits it into words
(POSIX "Token Recognition"): ``#`` comments at the start of a word, single quotes (everything
literal, newlines included), double quotes (a backslash escapes ``$ ` " \\`` and a newline),
backslash-newline outside quotes (a line continuation, removed), a backslash before any other
character (that character, literally), and ``$(...)``, ``${...}`` and backquotes kept whole in the
word. Words are separated by blanks and by the control operators; an assignment is a word
``NAME=value`` at the start of a command (also after ``export``, ``readonly``, ``local`` or
``declare``). Parameter expansions are not performed: ``$VAR`` stays in the text.

Every character of a word's text keeps the offset it came from in the script, so a flag inside a
value continued over several lines points at its own line and column.
"""

from __future__ import annotations

from typing import NamedTuple

_OPERATOR_CHARS = ";&|()<>"
_BLANKS = " \t"
_RESERVED = frozenset(
    {"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "case", "esac", "{", "}", "!", "in"}
)
_COMMAND_START = frozenset({"if", "then", "else", "elif", "do", "while", "until", "{", "!"})
_DECLARATIONS = frozenset({"export", "readonly", "local", "declare", "typeset"})


class Word(NamedTuple):
    text: str  # the word after quote removal (expansions left as written)
    offsets: tuple[int, ...]  # for each character of ``text``, its offset in the script
    start: int  # offset of the word's first character in the script


class Assignment(NamedTuple):
    name: str
    value: str
    offsets: tuple[int, ...]  # offset in the script of each character of ``value``
    start: int  # offset of the assignment word


class ShellText(NamedTuple):
    assignments: tuple[Assignment, ...]
    unterminated: int | None  # offset of a quote or substitution that never closes


def _skip_balanced(text: str, i: int, opening: str, closing: str) -> int:
    """The index after the ``closing`` that matches the ``opening`` at ``i`` (quotes inside
    skipped); len(text) when it never closes."""
    depth = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "'" and opening != "`":
            end = text.find("'", i + 1)
            i = n if end < 0 else end + 1
            continue
        if c == opening and (opening != closing or depth == 0):
            depth += 1
        elif c == closing:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def words(text: str) -> tuple[list[list[Word | str]], int | None]:
    """The script as commands, each a list of words and operators (operators as plain strings);
    and the offset of an unterminated quote, if any."""
    commands: list[list[Word | str]] = [[]]
    chars: list[str] = []
    offsets: list[int] = []
    start = -1
    unterminated: int | None = None
    i, n = 0, len(text)

    def end_word() -> None:
        nonlocal chars, offsets, start
        if start >= 0:
            commands[-1].append(Word("".join(chars), tuple(offsets), start))
        chars, offsets, start = [], [], -1

    def take(c: str, at: int) -> None:
        nonlocal start
        if start < 0:
            start = at
        chars.append(c)
        offsets.append(at)

    while i < n:
        c = text[i]
        if c == "\\":
            if i + 1 < n and text[i + 1] == "\n":
                i += 2  # line continuation
                continue
            if i + 1 < n:
                take(text[i + 1], i + 1)
            i += 2
            continue
        if c == "'":
            end = text.find("'", i + 1)
            if end < 0:
                unterminated = i if unterminated is None else unterminated
                end = n
            if start < 0:
                start = i
            for j in range(i + 1, end):
                take(text[j], j)
            i = end + 1
            continue
        if c == '"':
            if start < 0:
                start = i
            j = i + 1
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n and text[j + 1] in '$`"\\\n':
                    if text[j + 1] != "\n":
                        take(text[j + 1], j + 1)
                    j += 2
                    continue
                if text[j] == "$" and j + 1 < n and text[j + 1] in "({":
                    close = _skip_balanced(text, j + 1, text[j + 1], ")" if text[j + 1] == "(" else "}")
                    for k in range(j, close):
                        take(text[k], k)
                    j = close
                    continue
                if text[j] == "`":
                    close = _skip_balanced(text, j, "`", "`")
                    for k in range(j, close):
                        take(text[k], k)
                    j = close
                    continue
                take(text[j], j)
                j += 1
            if j >= n:
                unterminated = i if unterminated is None else unterminated
            i = j + 1
            continue
        if c == "$" and i + 1 < n and text[i + 1] in "({":
            close = _skip_balanced(text, i + 1, text[i + 1], ")" if text[i + 1] == "(" else "}")
            for k in range(i, close):
                take(text[k], k)
            i = close
            continue
        if c == "`":
            close = _skip_balanced(text, i, "`", "`")
            for k in range(i, close):
                take(text[k], k)
            i = close
            continue
        if c == "#" and start < 0:
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c in _BLANKS:
            end_word()
            i += 1
            continue
        if c == "\n" or c in _OPERATOR_CHARS:
            end_word()
            if c == "\n" or c in ";&|()":
                commands.append([])
            else:
                commands[-1].append(c)
            i += 1
            continue
        take(c, i)
        i += 1
    end_word()
    return [cmd for cmd in commands if cmd], unterminated


def _is_name(text: str) -> bool:
    return bool(text) and (text[0].isalpha() or text[0] == "_") and all(ch.isalnum() or ch == "_" for ch in text)


def assignments(text: str) -> ShellText:
    """Every ``NAME=value`` a command of the script starts with (or declares after ``export`` and
    its kin), in order."""
    found: list[Assignment] = []
    commands, unterminated = words(text)
    for command in commands:
        at_start = True
        for item in command:
            if not isinstance(item, Word):
                at_start = False
                continue
            name, eq, _ = item.text.partition("=")
            if at_start and eq and _is_name(name):
                cut = len(name) + 1
                found.append(Assignment(name, item.text[cut:], item.offsets[cut:], item.start))
                continue  # assignments before a command: still at its start
            if item.text in _DECLARATIONS and at_start:
                continue  # export NAME=value: the words after it are assignments too
            if at_start and item.text in _COMMAND_START:
                continue
            at_start = item.text in _RESERVED and item.text in _COMMAND_START
    return ShellText(tuple(found), unterminated)


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
