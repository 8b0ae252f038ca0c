"""Environment files holding ``LIFERAY_*`` variables, in the two syntaxes that read them.

* ``docker run --env-file`` (manifest ``env-files``): one ``NAME=value`` per line, ``#`` comment
  lines and blank lines ignored, the value taken literally (quotes are *not* stripped), a bare
  ``NAME`` passes the variable through from the caller's environment (unknown to us, so it is
  recorded as unset) (https://docs.docker.com/reference/cli/docker/container/run/#env).
* Docker Compose's ``env_file`` and ``.env`` (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax):
  ``export`` allowed, single quotes literal, double quotes with escapes and line breaks, an
  unquoted value ends at `` #``; read with python-dotenv's parser, which keeps each binding's
  line (its rules are Compose's but for ``\'`` inside single quotes).
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
                    f"line {lineno} is not NAME=value (not quoted here: it may hold anything)",
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


def parse_compose_env_text(text: str, display: str) -> EnvFile:
    """A Compose ``env_file`` or ``.env``: values with quotes, escapes and comments as Compose
    reads them; each variable at its line, a line that is no binding a finding."""
    import io

    from dotenv.parser import parse_stream  # only when a compose project has env files

    variables: list[EnvVar] = []
    problems: list[Problem] = []
    for binding in parse_stream(io.StringIO(text)):
        raw = binding.original.string
        line = binding.original.line
        lead = len(raw) - len(raw.lstrip(" \t"))
        if binding.error or binding.key is None:
            if binding.error:
                # nothing of the line is quoted: it may be a secret, or not an env file at all
                problems.append(
                    Problem(
                        ProblemKind.MALFORMED,
                        f"line {line} is not NAME=value in a compose env file (not quoted here: it may hold anything)",
                        Origin(display, line, lead + 1),
                    )
                )
            continue
        column = raw.find(binding.key, lead) + 1
        equals = raw.find("=", column - 1 + len(binding.key))
        value_column = None
        if equals >= 0:
            after = raw[equals + 1 :]
            value_column = equals + 2 + (len(after) - len(after.lstrip(" \t")))
        last = raw.rstrip("\r\n").split("\n")
        origin = Origin(
            file=display,
            line=line,
            column=column,
            end_line=line + len(last) - 1,
            end_column=max(len(last[-1]), 1),
            value_line=line if value_column is not None else None,
            value_column=value_column,
            kind=OriginKind.ENV,
            detail=binding.key,
        )
        variables.append(EnvVar(binding.key, binding.value, origin))
    return EnvFile(display, tuple(variables), tuple(problems))


def read_env_file(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> EnvFile:
    return env_file_from(read_bytes(path, display, limits), display)


def env_file_from(data: bytes | Problem, display: str) -> EnvFile:
    if isinstance(data, Problem):
        return EnvFile(display, (), (data,))
    return parse_env_text(data.decode("utf-8", errors="replace"), display)
