"""What a Dockerfile tells about a Liferay container: its base image, ``ENV`` and copied files.

Read as BuildKit's Dockerfile frontend reads it (https://docs.docker.com/reference/dockerfile/):
parser directives (``# escape=``) before the first instruction, line continuation with the escape
character (comment and empty lines inside a continuation are dropped), here-documents
(``RUN <<EOF`` ... ``EOF``) skipped as a whole, ``ARG`` before the first ``FROM`` usable in
``FROM`` (with their defaults, or the build arguments the compose file gives), ``ARG``/``ENV``
substitution (``$VAR``, ``${VAR}``, ``${VAR:-word}``, ``${VAR:+word}``) in ``FROM``, ``ENV``,
``ARG``, ``COPY`` and ``ADD``, and build stages: ``FROM <stage>`` starts from an earlier stage and
keeps its environment and files. Only the last stage counts (the image that runs).
``COPY``/``ADD`` sources are resolved inside the build context; URLs, ``--from`` stages and
anything leading out of the context are not read; content written inline by a here-document is
said in a note.
"""

from __future__ import annotations

import glob
import json
import os
import posixpath
import re
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from linter.liferay.detect import is_official_repository
from linter.origin import Origin, OriginKind, Problem, ProblemKind
from linter.sources.env_file import EnvVar
from linter.sources.files import within

OFFICIAL_HOME = "/opt/liferay"
_DIRECTIVE = re.compile(r"^#\s*(escape|syntax|check)\s*=\s*(\S*)\s*$", re.IGNORECASE)
_HEREDOC = re.compile(r"<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HEREDOC_OPS = ("RUN", "COPY", "ADD")
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,9}$")  # .properties, .xml, .sh: not the ".2-ee-sp14" of a folder
_MKDIR = re.compile(r"\bmkdir\s+((?:[^;&|\n]+))")


class Copy(NamedTuple):
    source: Path  # a file or directory in the build context
    target: str  # where it lands in the container (a directory when it ends with "/")
    origin: Origin


class Dockerfile(NamedTuple):
    path: str
    image: str | None  # the base image of the last stage, through stage references
    image_origin: Origin | None
    env: tuple[EnvVar, ...]
    copies: tuple[Copy, ...]
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()  # what the image gets that is not read (here-documents, unknown ARGs)


class _Instruction(NamedTuple):
    line: int
    op: str  # upper case
    rest: str  # the arguments, continuation lines joined
    heredocs: tuple[str, ...]  # the words of the here-documents it opens


def _instructions(text: str) -> tuple[list[_Instruction], str]:
    """The instructions of a Dockerfile and its escape character."""
    lines = text.splitlines()
    escape = "\\"
    index = 0
    while index < len(lines):  # parser directives: only at the very top, one per line
        m = _DIRECTIVE.match(lines[index].strip())
        if m is None:
            break
        if m.group(1).lower() == "escape" and m.group(2) in ("\\", "`"):
            escape = m.group(2)
        index += 1
    out: list[_Instruction] = []
    buffer: list[str] = []
    start = 0
    while index < len(lines):
        raw = lines[index]
        index += 1
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue  # comment and empty lines, also inside a continuation
        if not buffer:
            start = index
        if raw.rstrip().endswith(escape):
            buffer.append(raw.rstrip()[:-1])
            continue
        buffer.append(raw)
        logical = " ".join(part.strip() for part in buffer).strip()
        buffer = []
        instruction, _, rest = logical.partition(" ")
        op = instruction.upper()
        words: list[str] = []
        if op in _HEREDOC_OPS:
            for m in _HEREDOC.finditer(rest):
                words.append(m.group(3))
                strip_tabs = m.group(1) == "-"
                while index < len(lines):  # the here-document's body is not instructions
                    body = lines[index].lstrip("\t") if strip_tabs else lines[index]
                    index += 1
                    if body == m.group(3):
                        break
        out.append(_Instruction(start, op, rest.strip(), tuple(words)))
    if buffer:
        logical = " ".join(part.strip() for part in buffer).strip()
        instruction, _, rest = logical.partition(" ")
        out.append(_Instruction(start, instruction.upper(), rest.strip(), ()))
    return out, escape


def expand(text: str, values: dict[str, str], escape: str = "\\", unknown: list[str] | None = None) -> str:
    """Dockerfile variable substitution: ``$NAME``, ``${NAME}``, ``${NAME:-word}``, ``${NAME:+word}``
    (and without the colon); an escaped ``$`` stays literal and an unset name is empty, as BuildKit
    does. Names without a value are added to ``unknown``."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == escape and i + 1 < len(text) and text[i + 1] == "$":
            out.append("$")
            i += 2
            continue
        if ch != "$" or i + 1 >= len(text):
            out.append(ch)
            i += 1
            continue
        if text[i + 1] == "{":
            close = text.find("}", i + 2)
            if close < 0:
                out.append(text[i:])
                break
            inner = text[i + 2 : close]
            m = _NAME.match(inner)
            name = m.group(0) if m else ""
            modifier = inner[len(name) :]
            value = values.get(name)
            if modifier.startswith((":-", ":+")):
                operator, word = modifier[:2], expand(modifier[2:], values, escape, unknown)
            elif modifier.startswith(("-", "+")):
                operator, word = modifier[:1], expand(modifier[1:], values, escape, unknown)
            else:
                operator, word = "", ""
            if operator in (":-", "-"):
                unset = value is None or (operator == ":-" and value == "")
                out.append(word if unset else str(value))
            elif operator in (":+", "+"):
                set_ = value is not None and (operator == "+" or value != "")
                out.append(word if set_ else "")
            else:
                if value is None and unknown is not None and name:
                    unknown.append(name)
                out.append(value or "")
            i = close + 1
            continue
        m = _NAME.match(text, i + 1)
        if m is None:
            out.append(ch)
            i += 1
            continue
        value = values.get(m.group(0))
        if value is None and unknown is not None:
            unknown.append(m.group(0))
        out.append(value or "")
        i = m.end()
    return "".join(out)


def _args(rest: str) -> list[str]:
    if rest.startswith("["):
        try:
            parsed = json.loads(rest)
            if isinstance(parsed, list):
                return [str(p) for p in parsed]
        except ValueError:
            pass
    try:
        return shlex.split(rest)
    except ValueError:
        return rest.split()


@dataclass
class _Stage:
    image: str | None
    image_origin: Origin | None
    values: dict[str, str] = field(default_factory=dict)  # ARG and ENV values in scope
    env: list[EnvVar] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    official: bool = False
    made_dirs: set[str] = field(default_factory=set)  # directories its RUN mkdir creates


def _pairs(rest: str) -> list[tuple[str, str | None]]:
    """``NAME=value`` pairs of ENV/ARG (quotes removed), or the legacy ``ENV NAME value`` form."""
    tokens = _args(rest)
    if tokens and "=" not in tokens[0]:
        name, _, value = rest.partition(" ")
        return [(name, value.strip() or None)]
    return [(t.partition("=")[0], t.partition("=")[2] if "=" in t else None) for t in tokens]


def parse_dockerfile(text: str, display: str, context: Path, build_args: dict[str, str] | None = None) -> Dockerfile:
    instructions, escape = _instructions(text)
    given = dict(build_args or {})
    global_args: dict[str, str] = {}
    stages: dict[str, _Stage] = {}
    stage: _Stage | None = None
    problems: list[Problem] = []
    notes: list[str] = []
    for ins in instructions:
        op, rest, line = ins.op, ins.rest, ins.line
        if op == "ARG":
            for name, default in _pairs(rest):
                scope = global_args if stage is None else stage.values
                if name in given:
                    scope[name] = given[name]
                elif default is not None:
                    scope[name] = expand(default, scope if stage is None else stage.values, escape)
                elif stage is not None and name in global_args:
                    scope[name] = global_args[name]
            continue
        if op == "FROM":
            unknown: list[str] = []
            words = [w for w in expand(rest, global_args, escape, unknown).split() if not w.startswith("--")]
            image = words[0] if words else None
            origin = Origin(display, line, 1, kind=OriginKind.FILE)
            if unknown:
                notes.append(
                    f"{display}:{line}: the base image names build argument(s) {', '.join(dict.fromkeys(unknown))} "
                    "with no default here, so the image (and its Liferay version) is not known"
                )
            parent = stages.get(image.lower()) if image else None
            if parent is not None:  # FROM an earlier stage: its environment and files carry over
                stage = replace(
                    parent,
                    values=dict(parent.values),
                    env=list(parent.env),
                    copies=list(parent.copies),
                    made_dirs=set(parent.made_dirs),
                )
            else:
                official = bool(image) and _official(image or "")
                stage = _Stage(image if not unknown else None, origin, official=official)
                if official:
                    stage.values["LIFERAY_HOME"] = OFFICIAL_HOME
            if len(words) >= 3 and words[1].upper() == "AS":
                stages[words[2].lower()] = stage
            continue
        if stage is None:
            continue
        if op == "ENV":
            for name, value in _pairs(rest):
                value = expand(value or "", stage.values, escape)
                stage.values[name] = value
                column = max(rest.find(name), 0) + len(op) + 2
                origin = Origin(display, line, column, kind=OriginKind.ENV, detail=name, value_line=line)
                stage.env = [v for v in stage.env if v.name != name] + [EnvVar(name, value, origin)]
        elif op == "RUN":
            for m in _MKDIR.finditer(rest):
                for word in m.group(1).split():
                    if not word.startswith("-"):
                        stage.made_dirs.add(posixpath.normpath(expand(word, stage.values, escape)))
        elif op in ("COPY", "ADD"):
            tokens = _args(rest)
            if any(t.startswith("--from") for t in tokens):
                continue
            tokens = [t for t in tokens if not t.startswith("--")]
            if ins.heredocs:
                dest = expand(tokens[-1], stage.values, escape) if tokens else "?"
                notes.append(f"{display}:{line}: {op} writes {dest} from a here-document; its content is not read")
                continue
            if len(tokens) < 2:
                continue
            *sources, dest = tokens
            dest = expand(dest, stage.values, escape)
            stage.copies.extend(
                _copies(
                    stage.made_dirs,
                    op,
                    [expand(s, stage.values, escape) for s in sources],
                    dest,
                    context,
                    Origin(display, line, 1),
                    problems,
                )
            )
    if stage is None:
        return Dockerfile(display, None, None, (), (), tuple(problems), tuple(notes))
    return Dockerfile(
        display, stage.image, stage.image_origin, tuple(stage.env), tuple(stage.copies), tuple(problems), tuple(notes)
    )


def _copies(
    made_dirs: set[str], op: str, sources: list[str], dest: str, context: Path, origin: Origin, problems: list[Problem]
) -> list[Copy]:
    out: list[Copy] = []
    for src in sources:
        if re.match(r"^[a-z]+://", src) or src.startswith("git@"):
            continue
        pattern = str(context / src.lstrip("/"))
        matches = sorted(glob.glob(pattern)) if glob.has_magic(src) else [pattern]
        for match in matches:
            path = Path(match)
            if not within(path, context):
                problems.append(
                    Problem(
                        ProblemKind.UNREADABLE, f"{op} source {src!r} lies outside the build context; not read", origin
                    )
                )
                continue
            if not os.path.lexists(path):
                continue
            target = dest
            # Docker copies into dest when it is a directory in the image: a trailing slash, several
            # sources, a directory the Dockerfile made, or (a guess the image hides) a name without an
            # extension for a file that has one (COPY portal-ext.properties /opt/liferay)
            into = dest.endswith("/") or len(matches) > 1 or len(sources) > 1 or posixpath.normpath(dest) in made_dirs
            if not into and path.is_file() and _EXTENSION.search(path.name) and not _EXTENSION.search(dest):
                into = True
            if into:
                target = posixpath.join(dest, "" if path.is_dir() else path.name)
            out.append(Copy(path, target, origin))
    return out


def _official(image: str) -> bool:
    return is_official_repository(image)


def is_official_image(image: str | None) -> bool:
    return image is not None and _official(image)


# words that name another service of a Liferay deployment (an image or service called liferay-search
# or liferaycloud/elasticsearch is not a Liferay node)
NOT_LIFERAY = frozenset(
    {
        "db", "database", "mysql", "mariadb", "postgres", "postgresql", "oracle", "mssql", "sqlserver",
        "elasticsearch", "es", "search", "opensearch", "solr", "haproxy", "nginx", "httpd", "apache", "proxy",
        "lb", "balancer", "redis", "memcached", "pgadmin", "adminer", "minio", "kibana", "mailhog",
    }
)  # fmt: skip


def names_liferay(name: str) -> bool:
    """A service, container or image repository name that says Liferay and nothing else."""
    words = {w for w in re.split(r"[-_./:]", name.lower()) if w}
    return "liferay" in name.lower() and not (words & NOT_LIFERAY)


def liferay_image(image: str | None) -> bool:
    """An official Liferay image, or an image whose repository name says Liferay."""
    if not image:
        return False
    if _official(image):
        return True
    return names_liferay(image.split("@", 1)[0].rsplit(":", 1)[0].rsplit("/", 1)[-1])
