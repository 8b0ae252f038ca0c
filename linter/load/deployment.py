"""What the deployment readers (compose, Kubernetes) share: the nodes a deployment file defines,
and where an unofficial image keeps its Liferay home."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import NamedTuple

from linter.load.dockerfile import OFFICIAL_HOME
from linter.origin import Origin, Problem
from linter.sources.env_file import EnvVar
from linter.sources.jvm_flags import JvmFlag
from linter.sources.tree import Mount, MountTree


class DeployedNode(NamedTuple):
    """A node as a deployment file defines it (compose service replica, Kubernetes pod)."""

    name: str
    tree: MountTree
    env: tuple[EnvVar, ...]
    flags: tuple[JvmFlag, ...]
    problems: tuple[Problem, ...]
    files: tuple[str, ...]
    mounts: tuple[Mount, ...]
    image: str | None
    image_origin: Origin | None


class NoNodes(NamedTuple):
    """A deployment file that runs no Liferay (a compose file for other services): not an error,
    nothing to check."""

    message: str
    origin: Origin


class Unreadable(NamedTuple):
    """Deployment files none of which could be read: their problems are the findings."""

    problems: tuple[Problem, ...]


class Deployment(NamedTuple):
    name: str
    root: Path  # the directory of the (first) deployment file
    display: str
    nodes: tuple[DeployedNode, ...]
    version: str | None = None
    version_source: str | None = None
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()  # what is not read and need not be (data bound from the host)


_HOME_MARKERS = (
    "/portal-ext.properties",
    "/portal-setup-wizard.properties",
    "/osgi/configs",
    "/data/document_library",
    "/deploy",
    "/osgi",
    "/data",
)


def infer_home(targets: list[str]) -> str:
    """The Liferay home of an unofficial image, from where files are mounted into it."""
    for marker in _HOME_MARKERS:
        for target in targets:
            if target.startswith(("/mnt/liferay", "/etc/liferay")):
                continue
            if target.endswith(marker) or target.rstrip("/").endswith(marker):
                home = target.rstrip("/")[: -len(marker)]
                if home:
                    return posixpath.normpath(home)
    return OFFICIAL_HOME
