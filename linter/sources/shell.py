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

import bisect
import re
from typing import NamedTuple

_OPERATOR_CHARS = ";&|()<>"
_BLANKS = " \t"
# runs of characters that stand for themselves: outside quotes, and inside double quotes
_PLAIN = re.compile(r"[^\\'\"`$#" + re.escape(_BLANKS + "\n" + _OPERATOR_CHARS) + r"]+")
_PLAIN_IN_DOUBLE = re.compile(r'[^"\\`$]+')
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


MAX_NESTING = 64  # substitutions inside substitutions: deeper is refused as never closed


def _skip_substitution(text: str, i: int, depth: int = 0) -> int | None:
    """The index after the ``$(...)``, ``${...}`` or backquoted command starting at ``i``, quotes,
    comments and nested substitutions inside it skipped as the shell skips them; None when it
    never closes."""
    n = len(text)
    if depth > MAX_NESTING:
        return None
    if text[i] == "`":
        j = i + 1
        while j < n:
            if text[j] == "\\":
                j += 2
                continue
            if text[j] == "`":
                return j + 1
            j += 1
        return None
    closing = ")" if text[i + 1] == "(" else "}"
    level = 1
    j = i + 2
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "'":
            end = text.find("'", j + 1)
            if end < 0:
                return None
            j = end + 1
            continue
        if c == '"' or c == "`" or (c == "$" and j + 1 < n and text[j + 1] in "({"):
            inner = _skip_double_quoted(text, j, depth + 1) if c == '"' else _skip_substitution(text, j, depth + 1)
            if inner is None:
                return None
            j = inner
            continue
        if c == "#" and closing == ")" and (j == 0 or text[j - 1] in " \t\n;(|&"):
            end = text.find("\n", j)
            j = n if end < 0 else end
            continue
        if closing == ")" and c == "(":
            level += 1
        elif c == closing:
            level -= 1
            if level == 0:
                return j + 1
        j += 1
    return None


def _skip_double_quoted(text: str, i: int, depth: int = 0) -> int | None:
    """The index after the double-quoted string starting at ``i``, or None when it never closes."""
    n = len(text)
    j = i + 1
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == '"':
            return j + 1
        if c == "`" or (c == "$" and j + 1 < n and text[j + 1] in "({"):
            end = _skip_substitution(text, j, depth + 1)
            if end is None:
                return None
            j = end
            continue
        j += 1
    return None


def _heredoc_delimiter(text: str, i: int) -> tuple[str, bool, int]:
    """The delimiter word after ``<<`` at ``i`` (quotes removed), whether it is ``<<-``, and the
    index after the word."""
    j = i + 2
    strip_tabs = j < len(text) and text[j] == "-"
    j += 1 if strip_tabs else 0
    while j < len(text) and text[j] in _BLANKS:
        j += 1
    start = j
    while j < len(text) and text[j] not in _BLANKS + "\n" + _OPERATOR_CHARS:
        j += 1
    return text[start:j].replace("'", "").replace('"', "").replace("\\", ""), strip_tabs, j


def _after_heredoc(text: str, i: int, delimiter: str, strip_tabs: bool) -> int:
    """The index after the line that ends a here-document whose body starts at ``i`` (the end of
    the script when no line does: the shell then ends it there too)."""
    n = len(text)
    while i < n:
        end = text.find("\n", i)
        line = text[i : n if end < 0 else end]
        if (line.lstrip("\t") if strip_tabs else line) == delimiter:
            return n if end < 0 else end + 1
        if end < 0:
            return n
        i = end + 1
    return n


def words(text: str) -> tuple[list[list[Word | str]], int | None]:
    """The script as commands, each a list of words and operators (operators as plain strings);
    and the offset of an unterminated quote, if any."""
    commands: list[list[Word | str]] = [[]]
    chars: list[str] = []
    offsets: list[int] = []
    start = -1
    unterminated: int | None = None
    heredocs: list[tuple[str, bool]] = []
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

    def take_run(begin: int, end: int) -> None:
        """``text[begin:end]`` taken as it is, in one step."""
        nonlocal start
        if begin >= end:
            return
        if start < 0:
            start = begin
        chars.append(text[begin:end])
        offsets.extend(range(begin, end))

    while i < n:
        plain = _PLAIN.match(text, i)
        if plain is not None:
            take_run(i, plain.end())
            i = plain.end()
            continue
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
            take_run(i + 1, end)
            i = end + 1
            continue
        if c == '"':
            if start < 0:
                start = i
            j = i + 1
            while j < n and text[j] != '"':
                run = _PLAIN_IN_DOUBLE.match(text, j)
                if run is not None:
                    take_run(j, run.end())
                    j = run.end()
                    continue
                if text[j] == "\\" and j + 1 < n and text[j + 1] in '$`"\\\n':
                    if text[j + 1] != "\n":
                        take(text[j + 1], j + 1)
                    j += 2
                    continue
                if text[j] == "`" or (text[j] == "$" and j + 1 < n and text[j + 1] in "({"):
                    close = _skip_substitution(text, j)
                    if close is None:
                        j = n
                        break
                    take_run(j, close)
                    j = close
                    continue
                take(text[j], j)
                j += 1
            if j >= n:
                unterminated = i if unterminated is None else unterminated
            i = j + 1
            continue
        if c == "`" or (c == "$" and i + 1 < n and text[i + 1] in "({"):
            close = _skip_substitution(text, i)
            if close is None:
                unterminated = i if unterminated is None else unterminated
                close = n
            take_run(i, close)
            i = close
            continue
        if text.startswith("<<<", i):  # a here-string: an operator, its word follows on the line
            end_word()
            commands[-1].append("<<<")
            i += 3
            continue
        if text.startswith("<<", i):
            end_word()
            delimiter, strip_tabs, i = _heredoc_delimiter(text, i)
            if delimiter:
                heredocs.append((delimiter, strip_tabs))
            commands[-1].append("<<")
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
            if c == "\n":
                for delimiter, strip_tabs in heredocs:  # here-document bodies are no commands
                    i = _after_heredoc(text, i, delimiter, strip_tabs)
                heredocs.clear()
            continue
        take(c, i)
        i += 1
    end_word()
    return [cmd for cmd in commands if cmd], unterminated


def _is_name(text: str) -> bool:
    return bool(text) and (text[0].isalpha() or text[0] == "_") and all(ch.isalnum() or ch == "_" for ch in text)


def assignments(text: str) -> ShellText:
    """Every ``NAME=value`` that stays in the shell's variables, in order: a command made only of
    assignments, or the assignments after ``export`` and its kin (their options skipped). An
    assignment before a command name applies to that command only, and is left out."""
    found: list[Assignment] = []
    commands, unterminated = words(text)
    for command in commands:
        pending: list[Assignment] = []
        at_start, declared = True, False
        for item in command:
            if not isinstance(item, Word):
                at_start = False
                continue
            name, eq, _ = item.text.partition("=")
            if (at_start or declared) and eq and _is_name(name):
                cut = len(name) + 1
                pending.append(Assignment(name, item.text[cut:], item.offsets[cut:], item.start))
            elif at_start and not pending and item.text in _COMMAND_START:
                continue
            elif at_start and item.text in _DECLARATIONS:
                pending, at_start, declared = [], False, True
            elif declared and item.text.startswith("-"):
                continue
            elif not declared:
                pending, at_start = [], False  # a command name: the assignments before it are its own
        found.extend(pending)
    return ShellText(tuple(found), unterminated)


class Lines:
    """1-based line and column of offsets in one text (line starts found once)."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1
