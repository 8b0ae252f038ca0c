"""Storage that a deployment (compose, Kubernetes) mounts into a node's container.

A path is on shared storage when every node of the cluster mounts the same storage there (one
named volume, bind path, claim or NFS export); a per-container volume (anonymous, emptyDir, a
StatefulSet's per-pod claim) is the node's own.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence

from linter.model import Node
from linter.sources.env_file import EnvVar as EnvVar  # a container's environment variable (node.env)
from linter.sources.tree import Mount as Mount
from linter.sources.tree import Plugin as Plugin


def container_path(node: Node, path: str) -> str | None:
    """An absolute path in the node's container: ``${liferay.home}`` and relative paths are taken
    against the container's Liferay home. None for a node that is not a container."""
    if node.home is None:
        return None
    text = path.strip().replace("${liferay.home}", node.home)
    if "${" in text:
        return None
    if not text.startswith("/"):
        text = posixpath.join(node.home, text)
    return posixpath.normpath(text)


def mount_at(node: Node, path: str) -> Mount | None:
    """The mount holding ``path`` in the node's container (the deepest one), if any."""
    best: Mount | None = None
    for mount in node.mounts:
        target = posixpath.normpath(mount.target)
        if (path == target or path.startswith(target.rstrip("/") + "/")) and (
            best is None or len(target) > len(posixpath.normpath(best.target))
        ):
            best = mount
    return best


def shared_mount(nodes: Sequence[Node], path_of: Callable[[Node], str | None]) -> Mount | None:
    """The storage every node mounts at its path (``path_of``), when it is one and the same."""
    found: list[Mount] = []
    for node in nodes:
        path = path_of(node)
        mount = mount_at(node, path) if path is not None else None
        if mount is None:
            return None
        found.append(mount)
    identities = {m.identity for m in found}
    return found[0] if len(identities) == 1 and found else None
