"""JVM flags from Tomcat ``setenv.sh``/``setenv.bat``, ``jvm.options`` and manifest lists.

Only what a linter can know statically is taken: assignments or appends to ``CATALINA_OPTS``,
``JAVA_OPTS``, ``LIFERAY_JVM_OPTS`` (and ``JVM_OPTS``); shell references to the variable itself
(``$CATALINA_OPTS``, ``%CATALINA_OPTS%``) mean "append" and are skipped. A flag whose value still
holds another shell variable or a command substitution is kept with ``unresolved``. ``setenv.sh``
is read as the shell reads it (``linter.sources.shell``: quotes and continuations over several
lines), ``setenv.bat`` line by line as ``cmd`` does.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import NamedTuple

from linter.origin import Origin, OriginKind, Problem, ProblemKind
from linter.sources.files import DEFAULT_LIMITS, Limits, read_bytes

OPTION_VARIABLES = ("CATALINA_OPTS", "JAVA_OPTS", "LIFERAY_JVM_OPTS", "JVM_OPTS")
_VARS = "|".join(OPTION_VARIABLES)
_BAT_ASSIGN = re.compile(rf'^\s*set\s+"?(?P<var>{_VARS})=(?P<value>.*?)"?\s*$', re.IGNORECASE)
_SELF_REF = re.compile(rf"^(?:\$\{{?(?:{_VARS})\}}?|%(?:{_VARS})%|\$\w+|\$\{{\w+\}})$")
_SHELL_VAR = re.compile(r"\$\{?\w+\}?|\$\(|`|%\w+%")  # a variable, a command substitution


class JvmFlag(NamedTuple):
    text: str  # the whole flag, e.g. -Djgroups.bind_addr=10.0.0.1
    name: str  # -D property name, or the option itself (-Xmx, -XX:+UseG1GC, -Xms)
    value: str | None  # -D value, -Xmx size, None for switches
    origin: Origin
    unresolved: bool = False

    @property
    def is_system_property(self) -> bool:
        return self.text.startswith("-D")


class JvmFlags(NamedTuple):
    path: str
    flags: tuple[JvmFlag, ...]
    problems: tuple[Problem, ...] = ()


def split_flag(text: str) -> tuple[str, str | None]:
    if text.startswith("-D"):
        name, sep, value = text[2:].partition("=")
        return name, value if sep else ""
    for prefix in ("-Xmx", "-Xms", "-Xss", "-Xmn"):
        if text.startswith(prefix):
            return prefix, text[len(prefix) :]
    if text.startswith("-XX:") and "=" in text:
        name, _, value = text.partition("=")
        return name, value
    return text, None


_SIZE = re.compile(r"^(\d+)([kKmMgGtT]?)$")
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def size_bytes(value: str | None) -> int | None:
    """A JVM memory size (``-Xmx2g``, ``-XX:MaxHeapSize=512m``: digits and an optional k/m/g/t suffix,
    any case) in bytes; None when the value is not such a size."""
    m = _SIZE.match((value or "").strip())
    if m is None:
        return None
    return int(m.group(1)) * _UNITS[m.group(2).lower()]


def _flags_from_value(value: str, display: str, line: int, column: int) -> list[JvmFlag]:
    # Two levels: the shell value (usually one double-quoted string), then the words inside it.
    try:
        tokens = [word for part in shlex.split(value, posix=True) for word in shlex.split(part, posix=True)]
    except ValueError:
        tokens = value.strip().strip("\"'").split()
    flags: list[JvmFlag] = []
    search_from = 0
    for token in tokens:
        if _SELF_REF.match(token) or not token.startswith("-"):
            continue
        where = value.find(token, search_from)
        col = column + (where if where >= 0 else 0)
        if where >= 0:
            search_from = where + len(token)
        flags.append(_flag(token, display, (line, col), (line, col + len(token) - 1)))
    return flags


def _flag(token: str, display: str, start: tuple[int, int], end: tuple[int, int]) -> JvmFlag:
    name, flag_value = split_flag(token)
    origin = Origin(
        file=display,
        line=start[0],
        column=start[1],
        end_line=end[0],
        end_column=end[1],
        kind=OriginKind.JVM,
        detail=token if not token.startswith("-D") else f"-D{name}",
    )
    return JvmFlag(token, name, flag_value, origin, bool(_SHELL_VAR.search(token)))


def parse_sh(text: str, display: str) -> JvmFlags:
    """Flags assigned to the option variables in a ``setenv.sh``, read as the shell reads it
    (quotes and continuations over several lines; ``linter.sources.shell``); the value is split
    into words again as ``catalina.sh`` does when it ``eval``s the command line."""
    from linter.sources.shell import Lines, assignments, words

    flags: list[JvmFlag] = []
    problems: list[Problem] = []
    script = assignments(text)
    line_column = Lines(text).at
    for assignment in script.assignments:
        if assignment.name not in OPTION_VARIABLES:
            continue
        broken = assignment.offsets[assignment.value.index("\n")] if "\n" in assignment.value else None
        if broken is not None and (script.unterminated is None or broken < script.unterminated):
            line, column = line_column(broken)
            problems.append(
                Problem(
                    ProblemKind.MALFORMED,
                    f"{assignment.name} holds a line break inside its quotes: Tomcat's catalina.sh evaluates the "
                    "options as a command line (eval), where a line break ends the java command, so the JVM "
                    "does not start with the options after it; end the line with a backslash instead",
                    Origin(display, line, column),
                )
            )
        inner, _ = words(assignment.value)
        for command in inner:
            for word in command:
                if isinstance(word, str) or _SELF_REF.match(word.text) or not word.text.startswith("-"):
                    continue
                first = assignment.offsets[word.offsets[0]]
                last = assignment.offsets[word.offsets[-1]]
                flags.append(_flag(word.text, display, line_column(first), line_column(last)))
    if script.unterminated is not None:
        line, column = line_column(script.unterminated)
        problems.append(
            Problem(
                ProblemKind.MALFORMED,
                "a quote or command substitution that is never closed: the shell refuses the script from "
                "here, and so does this reader",
                Origin(display, line, column),
            )
        )
    return JvmFlags(display, tuple(flags), tuple(problems))


def parse_script(text: str, display: str, windows: bool = False) -> JvmFlags:
    """Flags assigned to the option variables in a ``setenv.sh``/``setenv.bat`` script."""
    if not windows:
        return parse_sh(text, display)
    flags: list[JvmFlag] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.lower().startswith("rem ") or stripped.startswith("::"):
            continue
        m = _BAT_ASSIGN.match(raw)
        if m:
            flags.extend(_flags_from_value(m.group("value"), display, lineno, m.start("value") + 1))
    return JvmFlags(display, tuple(flags))


def parse_options_file(text: str, display: str) -> JvmFlags:
    """``jvm.options`` style: one or more flags per line, ``#`` comments."""
    flags: list[JvmFlag] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        flags.extend(_flags_from_value(raw, display, lineno, 1))
    return JvmFlags(display, tuple(flags))


def flags_in_value(value: str, display: str, line: int | None, column: int | None) -> list[JvmFlag]:
    """Flags in one option string at a known place (an environment value in a deployment file);
    without a line, the flags have no position."""
    if line:
        return _flags_from_value(value, display, line, column or 1)
    return list(parse_flag_list([value], display).flags)


def parse_flag_list(items: list[str], display: str) -> JvmFlags:
    """Flags given as a list, e.g. ``jvm-flags`` in a manifest (no line numbers)."""
    flags: list[JvmFlag] = []
    for item in items:
        for flag in _flags_from_value(item, display, 0, 1):
            origin = Origin(file=display, kind=OriginKind.JVM, detail=flag.origin.detail)
            flags.append(JvmFlag(flag.text, flag.name, flag.value, origin, flag.unresolved))
    return JvmFlags(display, tuple(flags))


def read_jvm_flags(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> JvmFlags:
    return jvm_flags_from(read_bytes(path, display, limits), path.name, display)


def jvm_flags_from(data: bytes | Problem, name: str, display: str) -> JvmFlags:
    """The flags in a script or options file called ``name``, already read."""
    if isinstance(data, Problem):
        return JvmFlags(display, (), (data,))
    text = data.decode("utf-8", errors="replace")
    name = name.lower()
    if name.endswith(".bat") or name.endswith(".cmd"):
        return parse_script(text, display, windows=True)
    if name.endswith(".options") or name == "jvm.options":
        return parse_options_file(text, display)
    return parse_script(text, display)
