"""What a Dockerfile tells about a Liferay container: its base image, ``ENV`` and copied files.

Only the last build stage counts (the image that runs). ``COPY``/``ADD`` sources are resolved
inside the build context; URLs, ``--from`` stages and anything leading out of the context are
not read. ``$VAR``/``${VAR}`` in destinations are expanded from the stage's ``ENV`` values and
the official images' ``LIFERAY_HOME=/opt/liferay``.
"""

from __future__ import annotations

import glob
import json
import os
import posixpath
import re
import shlex
from pathlib import Path
from typing import NamedTuple

from linter.origin import Origin, OriginKind, Problem, ProblemKind
from linter.sources.env_file import EnvVar
from linter.sources.files import within

OFFICIAL_HOME = "/opt/liferay"
_VAR = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


class Copy(NamedTuple):
    source: Path  # a file or directory in the build context
    target: str  # where it lands in the container (a directory when it ends with "/")
    origin: Origin


class Dockerfile(NamedTuple):
    path: str
    image: str | None  # FROM of the last stage
    image_origin: Origin | None
    env: tuple[EnvVar, ...]
    copies: tuple[Copy, ...]
    problems: tuple[Problem, ...] = ()


def _logical_lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not buffer and (not stripped or stripped.startswith("#")):
            continue
        if buffer and stripped.startswith("#"):
            continue
        if not buffer:
            start = number
        if stripped.endswith("\\"):
            buffer.append(stripped[:-1])
            continue
        buffer.append(stripped)
        out.append((start, " ".join(buffer)))
        buffer = []
    if buffer:
        out.append((start, " ".join(buffer)))
    return out


def _expand(text: str, env: dict[str, str]) -> str:
    return _VAR.sub(lambda m: env.get(m.group(1) or m.group(2), m.group(0)), text)


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


def parse_dockerfile(text: str, display: str, context: Path) -> Dockerfile:
    image: str | None = None
    image_origin: Origin | None = None
    env: dict[str, str] = {}
    env_vars: list[EnvVar] = []
    copies: list[Copy] = []
    problems: list[Problem] = []
    for line, logical in _logical_lines(text):
        instruction, _, rest = logical.partition(" ")
        op = instruction.upper()
        rest = rest.strip()
        if op == "FROM":
            parts = [p for p in rest.split() if not p.startswith("--")]
            image = parts[0] if parts else None
            image_origin = Origin(display, line, 1, kind=OriginKind.FILE)
            env = {"LIFERAY_HOME": OFFICIAL_HOME} if image and _official(image) else {}
            env_vars, copies = [], []  # a new stage: only the last one runs
        elif op == "ENV":
            pairs: list[tuple[str, str]] = []
            tokens = _args(rest)
            if tokens and "=" not in tokens[0]:
                name, _, value = rest.partition(" ")
                pairs.append((name, value.strip()))
            else:
                pairs += [(t.partition("=")[0], t.partition("=")[2]) for t in tokens if "=" in t]
            for name, value in pairs:
                value = _expand(value, env)
                env[name] = value
                column = logical.find(name) + 1
                origin = Origin(display, line, column, kind=OriginKind.ENV, detail=name, value_line=line)
                env_vars.append(EnvVar(name, value, origin))
        elif op in ("COPY", "ADD"):
            tokens = _args(rest)
            if any(t.startswith("--from") for t in tokens):
                continue
            tokens = [t for t in tokens if not t.startswith("--")]
            if len(tokens) < 2:
                continue
            *sources, dest = tokens
            dest = _expand(dest, env)
            origin = Origin(display, line, 1)
            for src in sources:
                if re.match(r"^[a-z]+://", src):
                    continue
                pattern = str(context / src.lstrip("/"))
                matches = sorted(glob.glob(pattern)) if glob.has_magic(src) else [pattern]
                for match in matches:
                    path = Path(match)
                    if not within(path, context):
                        problems.append(
                            Problem(
                                ProblemKind.UNREADABLE,
                                f"{op} source {src!r} lies outside the build context; not read",
                                origin,
                            )
                        )
                        continue
                    if not os.path.lexists(path):
                        continue
                    target = dest
                    if dest.endswith("/") or len(matches) > 1 or len(sources) > 1:
                        target = posixpath.join(dest, "" if path.is_dir() else path.name)
                    copies.append(Copy(path, target, origin))
    return Dockerfile(display, image, image_origin, tuple(env_vars), tuple(copies), tuple(problems))


def _official(image: str) -> bool:
    repo = image.split("@", 1)[0].rsplit(":", 1)[0] if "/" in image else image.split(":", 1)[0]
    repo = repo.removeprefix("docker.io/").removeprefix("index.docker.io/")
    return repo in ("liferay/portal", "liferay/dxp", "liferay/portal-snapshot", "liferay/dxp-snapshot")


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


_TAG_VERSION = re.compile(r"^(\d+)\.(\d+)")


def version_from_image(image: str | None) -> str | None:
    """The Liferay version family an official image tag names (``7.1.2-ga3`` -> 7.1, ``2024.q1.1`` -> 7.4)."""
    if image is None or not _official(image) or ":" not in image.rsplit("/", 1)[-1]:
        return None
    tag = image.rsplit(":", 1)[1]
    if re.match(r"^20\d\d\.q\d", tag):
        return "7.4"
    m = _TAG_VERSION.match(tag)
    if m is None:
        return None
    return f"{m.group(1)}.{m.group(2)}"


def version_from_home(home: str) -> str | None:
    """The version a bundle's folder names (``/usr/local/liferay-ce-portal-7.2.0-ga1`` -> 7.2)."""
    from linter.liferay.detect import family_in_path

    return family_in_path(posixpath.basename(home.rstrip("/")))
