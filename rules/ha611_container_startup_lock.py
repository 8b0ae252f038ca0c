"""HA611 container-startup-lock: the official image's startup lock without container status (the
container exits), or with its lock file on storage the other replicas do not share."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import ERROR, WARNING, Cluster, Context, Finding, Node, OriginKind, is_unresolved, label_at, rule
from linter.ruleapi.memo import per_run
from linter.ruleapi.mounts import EnvVar, container_path, mount_at, shared_mount

LOCK = "LIFERAY_CONTAINER_STARTUP_LOCK_ENABLED"
STATUS = "LIFERAY_CONTAINER_STATUS_ENABLED"
LOCK_FILE = "LIFERAY_CONTAINER_STARTUP_LOCK_FILE"
DEFAULT_LOCK_FILE = "/opt/liferay/data/liferay-startup-lock"  # the image's ENV (liferay-docker Dockerfile)
# The lock (and its need for container status) came with liferay-docker b829105e, 2023-03-29; the
# 7.4 U70 image was built that day, U71 on 2023-04-06 (liferay-docker history): images of U70 and
# earlier may not have it.
FIRST_UPDATE_WITH_LOCK = 71


def _predates_lock(ctx: Context) -> bool:
    release = ctx.release
    return release is not None and not release.quarterly and 0 <= release.patch < FIRST_UPDATE_WITH_LOCK


def _var(node: Node, name: str) -> EnvVar | None:
    found = None
    for var in node.env:
        if var.name == name:
            found = var  # the last definition wins, as in the container's environment
    return found


def _unknown(var: EnvVar | None) -> bool:
    return var is not None and (var.value is None or is_unresolved(var.value))


def _on(var: EnvVar | None) -> bool:
    """The entrypoint's test: ``[[ "${VAR}" == "true" ]]`` (exactly ``true``)."""
    return var is not None and var.value == "true"


def _lock_file(node: Node) -> str | None:
    """The lock file's absolute path in the node's container; None when it cannot be known."""
    var = _var(node, LOCK_FILE)
    if _unknown(var):
        return None
    text = var.value if var is not None and var.value else DEFAULT_LOCK_FILE
    return container_path(node, text) if node.home is not None else text


@rule(
    id="HA611",
    since="0.2.0",
    name="container-startup-lock",
    severity=ERROR,
    scope="node",
    versions="7.4",
    tags=("containers", "deploy"),
    summary="Official Liferay image: the startup lock is enabled without container status (the container "
    "exits at start), or its lock file is on storage the other replicas do not share (it serialises nothing).",
    rationale=(
        "The official images (liferay/dxp, liferay/portal) can let replicas start one at a time: with "
        "LIFERAY_CONTAINER_STARTUP_LOCK_ENABLED=true the entrypoint writes its host name into "
        "LIFERAY_CONTAINER_STARTUP_LOCK_FILE (default /opt/liferay/data/liferay-startup-lock) and waits while "
        "another container's name is in it, so that the first start or an upgrade does not run on several "
        "nodes at once. The lock needs container status: when LIFERAY_CONTAINER_STATUS_ENABLED is not exactly "
        "true, the entrypoint prints 'Container status needs to be enabled with LIFERAY_CONTAINER_STATUS_ENABLED "
        "to enable startup lock.' and exits 1, so the node never starts (error). The lock only works when every "
        "replica sees the same file: on a per-container volume, a StatefulSet's per-pod claim or no volume at "
        "all, each container locks its own file and they all start together (warning; when the deployment "
        "files show one volume, claim or bind path at the lock file's path on every locking node, the rule is "
        "silent). The lock came with the images built from 2023-03-29 (liferay-docker b829105e): 7.4 U71 and "
        "later and every quarterly release (2023.Q3-2026.Q3); for U70 and earlier, whose image may predate it, "
        "the missing status is a warning and the lock file is not judged. Variables whose value comes from "
        "outside the deployment files are left out."
    ),
    fix="Set LIFERAY_CONTAINER_STATUS_ENABLED=true next to LIFERAY_CONTAINER_STARTUP_LOCK_ENABLED=true, and put "
    "LIFERAY_CONTAINER_STARTUP_LOCK_FILE on a volume every replica mounts (or mount shared storage at "
    "/opt/liferay/data).",
    # facts: liferay-releases-2024-2026.md §5, M13, M14, F9
    sources=(
        (
            "Liferay Docker image, liferay_entrypoint.sh (the startup lock requires "
            "LIFERAY_CONTAINER_STATUS_ENABLED=true): https://github.com/liferay/liferay-docker/blob/1ffa5e00/"
            "templates/bundle/resources/usr/local/bin/liferay_entrypoint.sh"
        ),
        (
            "Liferay Docker image, startup_lock.sh: https://github.com/liferay/liferay-docker/blob/1ffa5e00/"
            "templates/bundle/resources/usr/local/bin/startup_lock.sh"
        ),
        (
            "Liferay Docker image, Dockerfile (LIFERAY_CONTAINER_STARTUP_LOCK_FILE, "
            "LIFERAY_CONTAINER_STATUS_ENABLED=false): https://github.com/liferay/liferay-docker/blob/1ffa5e00/"
            "templates/bundle/Dockerfile"
        ),
        (
            "Liferay Docker image, the commit that added the startup lock (DXP 7.4 U70, 2023): https://github.com/"
            "liferay/liferay-docker/commit/b829105e"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    lock = _var(node, LOCK)
    if lock is None or not _on(lock):
        return
    origin = lock.origin if lock.origin.kind is OriginKind.ENV else lock.origin._replace(kind=OriginKind.ENV)
    status = _var(node, STATUS)
    if _unknown(status):
        return
    if not _on(status):
        why = (
            f"{STATUS} is not set (the image's default is false)"
            if status is None
            else f"{STATUS} is {status.value!r}, not exactly true"
        )
        related = () if status is None else (label_at(node, status.origin, f"{node.name}: container status off"),)
        old = _predates_lock(ctx)
        effect = (
            f"images of 7.4 U{FIRST_UPDATE_WITH_LOCK}+ and every quarterly release exit 1 at start ('Container "
            f"status needs to be enabled ...'); the {ctx.release.name if ctx.release else ''} image may predate the "
            "lock (2023-03-29) and then ignores the variable, so there is no lock either"
            if old
            else "the entrypoint prints 'Container status needs to be enabled with LIFERAY_CONTAINER_STATUS_ENABLED "
            "to enable startup lock.' and exits 1, so the container never starts"
        )
        yield Finding(
            f"{node.name} enables the official image's startup lock ({LOCK}=true) but {why}: {effect}",
            label_at(node, origin, "startup lock on"),
            related,
            help=f"set {STATUS}=true as well",
            subject=LOCK,
            severity=WARNING if old else None,
        )
        return
    if _predates_lock(ctx):
        return  # the image may not have the lock at all
    if not ctx.clustered:
        return
    peers = _locking(ctx.cluster)
    if len(peers) < 2 or node not in peers:
        return
    path = _lock_file(node)
    if path is None or any(n.deployment not in ("compose", "kubernetes") for n in peers):
        return  # where the file lives is only known from deployment files
    if _shared(ctx.cluster):
        return
    mount = mount_at(node, path)
    if mount is None:
        where = "on no volume, inside the container's own file system"
    elif "#" in mount.identity:
        where = f"on {mount.source} at {mount.target}, which each container gets for itself"
    else:
        where = f"on {mount.source} at {mount.target}, which not every locking node mounts"
    file_var = _var(node, LOCK_FILE)
    said = f"{LOCK_FILE}={path}" if file_var is not None else f"{path} (the image's default {LOCK_FILE})"
    related = () if mount is None else (label_at(node, mount.origin, f"{node.name}: {mount.source}"),)
    others = [n.name for n in peers if n is not node]
    yield Finding(
        f"{node.name}'s startup lock file is {said}, {where}: the lock only serialises containers that see one "
        f"file, so {node.name} and {', '.join(others[:3])}{' ...' if len(others) > 3 else ''} start at the same "
        "time (first start, upgrade) although the lock is on",
        label_at(node, file_var.origin if file_var is not None else origin, "lock file not shared"),
        related,
        help=f"put {LOCK_FILE} on a volume every replica mounts",
        subject=LOCK_FILE,
        severity=WARNING,
    )


def _locking(cluster: Cluster) -> list[Node]:
    """The nodes whose startup lock is on (with container status, so that they do start)."""
    return [n for n in cluster.nodes if _on(_var(n, LOCK)) and _on(_var(n, STATUS))]


@per_run
def _shared(cluster: Cluster) -> bool:
    """Every locking node has its lock file on one and the same storage (once per cluster)."""
    return shared_mount(_locking(cluster), _lock_file) is not None
