"""What the deployment readers (compose, Kubernetes) share: the nodes a deployment file defines,
and where an unofficial image keeps its Liferay home."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import NamedTuple

from linter.load.dockerfile import OFFICIAL_HOME, is_official_image, liferay_image
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
    images: tuple[tuple[str, Origin], ...] = ()  # images it runs or is built from: version evidence
    cluster: str | None = None  # the cluster the deployment file says it belongs to
    # the networks its multicast can reach ("host": the machine's own network, as for a bundle)
    networks: frozenset[str] = frozenset({"host"})
    unseen: str | None = None  # why what its image carries is not visible (a private Liferay image)


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
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()  # what is not read and need not be (data bound from the host)


def unseen_image(image: str | None, built_here: bool) -> str | None:
    """Why a node's configuration is partly invisible: a Liferay image that is not an official one
    and not built from a Dockerfile read here may carry its own portal-ext.properties and configs.
    An image built here from a generic base (a JDK image that installs Liferay) hides nothing."""
    if image is None or is_official_image(image) or (built_here and not liferay_image(image)):
        return None
    return f"the image {image} is not an official Liferay image, and what it carries is not visible here"


_LIFERAY_ROOTS = ("/opt/liferay", "/mnt/liferay", "/etc/liferay")
_NOT_EVIDENCE = ("data", "logs", "deploy", "backups")


def mounts_liferay_configuration(target: str) -> bool:
    """A mount that only a Liferay container has use for: anything under the official image's
    roots except its data, logs and deploy folders (a backup job or a log shipper mounts those
    too, and is no Liferay node)."""
    path = posixpath.normpath(target)
    for root in _LIFERAY_ROOTS:
        if path == root:
            return True
        if path.startswith(root + "/"):
            first = path[len(root) + 1 :].split("/", 1)[0]
            return first not in _NOT_EVIDENCE
    return False


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
