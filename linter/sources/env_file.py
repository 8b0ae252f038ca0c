"""Environment files (``docker run --env-file`` syntax) holding ``LIFERAY_*`` variables.

Docker's env-file format: one ``NAME=value`` per line, ``#`` comment lines and blank lines
ignored, the value taken literally (quotes are *not* stripped), a bare ``NAME`` passes the
variable through from the caller's environment (unknown to us, so it is recorded as unset).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from linter.origin import Origin, OriginKind, Problem, ProblemKind
from linter.sources.files import DEFAULT_LIMITS, Limits, read_bytes

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


class EnvVar(NamedTuple):
    name: str
    value: str | None  # None: passed through from an environment we cannot see
    origin: Origin


class EnvFile(NamedTuple):
    path: str
    variables: tuple[EnvVar, ...]
    problems: tuple[Problem, ...] = ()


def env_origin(display: str, line: int | None, name: str, column: int | None = 1) -> Origin:
    return Origin(file=display, line=line, column=column, kind=OriginKind.ENV, detail=name)


def parse_env_text(text: str, display: str) -> EnvFile:
    variables: list[EnvVar] = []
    problems: list[Problem] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.lstrip()
        if not line or line.startswith("#"):
            continue
        col = len(raw) - len(line) + 1
        name, sep, value = line.partition("=")
        if not _NAME.fullmatch(name):
            problems.append(
                Problem(
                    ProblemKind.MALFORMED,
                    f"not a NAME=value line in an env file: {name[:40]!r}",
                    Origin(display, lineno, col),
                )
            )
            continue
        origin = Origin(
            file=display,
            line=lineno,
            column=col,
            end_line=lineno,
            end_column=len(raw),
            value_line=lineno,
            value_column=col + len(name) + 1,
            kind=OriginKind.ENV,
            detail=name,
        )
        variables.append(EnvVar(name, value if sep else None, origin))
    return EnvFile(display, tuple(variables), tuple(problems))


def read_env_file(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> EnvFile:
    return env_file_from(read_bytes(path, display, limits), display)


def env_file_from(data: bytes | Problem, display: str) -> EnvFile:
    if isinstance(data, Problem):
        return EnvFile(display, (), (data,))
    return parse_env_text(data.decode("utf-8", errors="replace"), display)
