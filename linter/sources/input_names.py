"""Which files are which kind of input, by name only (cheap enough for every path discovery sees):
docker-compose files, node archives, and the files a Liferay node's configuration is made of."""

from __future__ import annotations

import re
from pathlib import Path

COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")


def find_compose_file(directory: Path) -> Path | None:
    """The compose file a directory holds, in the order ``docker compose`` looks for one."""
    for name in COMPOSE_NAMES:
        candidate = directory / name
        try:
            if candidate.is_file():
                return candidate
        except OSError:
            continue
    return None


def override_for(path: Path) -> Path | None:
    """``docker-compose.override.yml`` beside ``docker-compose.yml`` (read by default by compose)."""
    stem, dot, suffix = path.name.rpartition(".")
    candidate = path.with_name(f"{stem}.override{dot}{suffix}")
    return candidate if candidate.is_file() else None


def looks_like_compose(path: Path) -> bool:
    name = path.name.lower()
    return name in COMPOSE_NAMES or (
        name.endswith((".yml", ".yaml")) and ("compose" in name or name.startswith("docker-compose"))
    )


ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".zip")

# The names of the files a node's configuration is made of (the pre-commit hook's ``files``
# pattern in .pre-commit-hooks.yaml is the same list): anything else given as a file to check is
# not a Liferay configuration file.
_CONFIG_NAME = re.compile(
    r"""(?ix)(
      \.properties$
    | \.xml$
    | \.(config|cfg)$
    | (^|/)[^/]*\.env$
    | (^|/)\.env(\.[^/]+)?$
    | (^|/)setenv\.(sh|bat)$
    | (^|/)jvm\.options$
    | (^|/)(docker-)?compose(\.[^/]+)?\.ya?ml$
    | (^|/)liferay-ha\.toml$
    )"""
)
CONFIG_KINDS = (
    "a .properties, .xml, .config/.cfg or .env file, setenv.sh/setenv.bat, jvm.options, a compose file "
    "or liferay-ha.toml"
)


def is_config_name(path: Path) -> bool:
    """Whether a file's name is one a Liferay node's configuration (or a deployment of nodes) uses."""
    return _CONFIG_NAME.search(path.as_posix()) is not None or is_archive(path)


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def archive_stem(path: Path) -> str:
    """The node name an archive gives: its file name without the archive suffix."""
    name = path.name
    for suffix in sorted(ARCHIVE_SUFFIXES, key=len, reverse=True):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] or name
    return name
