"""Paths on the command line -> clusters of nodes (ARCHITECTURE §3).

1. a directory holding ``liferay-ha.toml``: clusters and nodes as the manifest declares them;
2. a compose file, Kubernetes manifests (``linter.load.compose``, ``linter.load.kubernetes``) or an
   archive of a Liferay home (``linter.sources.archive``): nodes with their own trees;
3. a directory whose subdirectories hold node sources: one node per subdirectory;
4. several node directories given as arguments: one cluster of those nodes;
5. files (as pre-commit passes them): every cluster that contains one of the files, whole.

Discovery decides which clusters and nodes there are and hands out ``ClusterSpec``s; reading a
node's files happens in ``linter.load.loader``. Symbolic links are not followed out of the tree
being audited.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from linter.liferay.versions import parse_version
from linter.origin import Origin, Problem, ProblemKind
from linter.paths import display_path
from linter.sources.env_file import EnvVar
from linter.sources.files import DigestBudget, Limits, audit_roots, outside, read_bytes
from linter.sources.input_names import archive_stem, find_compose_file, is_archive, looks_like_compose, override_for
from linter.sources.jvm_flags import JvmFlag
from linter.sources.tree import Mount, Tree

if TYPE_CHECKING:
    from linter.load.deployment import Deployment

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MANIFEST = "liferay-ha.toml"
_LIMITS = Limits()
NODE_MARKERS = (
    "portal-ext.properties",
    "portal-setup-wizard.properties",
    "portal-bundle.properties",
    "setenv.sh",
    "setenv.bat",
    "jvm.options",
)
NODE_MARKER_DIRS = ("osgi", "WEB-INF", "webapps")
# folders of one Liferay home (a bundle or the Docker image's layout), never nodes of their own
HOME_PARTS = (
    "tomcat",
    "osgi",
    "webapps",
    "WEB-INF",
    "data",
    "deploy",
    "bin",
    "conf",
    "lib",
    "logs",
    "work",
    "temp",
    "files",
    "scripts",
    "patching-tool",
    "elasticsearch",
    "jboss",
    "wildfly",
    "license",
    "tools",
)
EXPECTED = (
    "node directories (holding portal-ext.properties, osgi/configs, setenv.sh or a tomcat folder), a "
    "liferay-ha.toml manifest, a compose file, Kubernetes manifests or node archives"
)
_MANIFEST_CLUSTER_KEYS = {"liferay-version", "nodes", "description"}
_MANIFEST_NODE_KEYS = {"path", "env-files", "jvm-flags", "env", "liferay-version", "files"}


class NodeSpec(NamedTuple):
    """One node as discovery found it; ``tree`` is None for a node directory on disk.

    A node from a deployment file (compose, Kubernetes) brings its own tree of mounted files and
    the environment variables and JVM flags the deployment gives it, with their origins.
    """

    name: str
    root: Path  # the node directory (its Liferay home), or the directory of the deployment file
    display: str  # how paths under it are shown
    env_files: tuple[Path, ...] = ()
    jvm_flags: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    manifest: str | None = None  # display path of the manifest that declared it
    tree: Tree | None = None
    env_vars: tuple[EnvVar, ...] = ()
    flags: tuple[JvmFlag, ...] = ()
    problems: tuple[Problem, ...] = ()  # problems the deployment reader found for this node
    files: tuple[str, ...] = ()  # deployment files this node was read from
    mounts: tuple[Mount, ...] = ()
    deployment: str | None = None  # what declared the node: "compose", "kubernetes", "archive"
    images: tuple[tuple[str, Origin], ...] = ()  # images the node runs or is built from, where named
    networks: frozenset[str] = frozenset({"host"})  # where its multicast reaches ("host": the machine's)
    unseen: str | None = None  # why part of its configuration is not visible (a private image)
    declared_version: str | None = None  # the manifest's liferay-version for this node


class ClusterSpec(NamedTuple):
    name: str
    root: Path
    display: str
    nodes: tuple[NodeSpec, ...]
    declared_version: str | None = None
    version_source: str | None = None  # "manifest", "--liferay-version", ...
    problems: tuple[Problem, ...] = ()


@dataclass
class Discovery:
    clusters: list[ClusterSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # inputs that hold no Liferay node, said once
    # paths that cannot be checked as given (nothing Liferay in them, or ambiguous): usage errors
    refused: list[str] = field(default_factory=list)
    profiles: frozenset[str] = frozenset()  # compose profiles to activate, as docker compose --profile


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def is_node_dir(path: Path) -> bool:
    """Does this directory look like one Liferay node's configuration?"""
    if not _is_dir(path):
        return False
    try:
        names = {p.name for p in path.iterdir()}
    except OSError:
        return False
    if any(m in names for m in NODE_MARKERS) or any(m in names for m in NODE_MARKER_DIRS):
        return True
    if any(n.startswith("tomcat") for n in names):
        return True
    return any(n.endswith((".config", ".cfg")) and n.startswith("com.liferay.") for n in names)


def _inside(child: Path, root: Path) -> bool:
    try:
        child.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def _node_subdirs(root: Path, problems: list[Problem]) -> list[Path]:
    out: list[Path] = []
    try:
        children = sorted(root.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        problems.append(
            Problem(ProblemKind.UNREADABLE, f"cannot list directory: {exc.strerror or exc}", Origin(display_path(root)))
        )
        return out
    for child in children:
        if child.name.startswith("."):
            continue
        if child.is_symlink() and not _inside(child, root):
            problems.append(
                Problem(
                    ProblemKind.UNREADABLE,
                    "symbolic link points outside the audited tree; not followed",
                    Origin(display_path(child)),
                )
            )
            continue
        if is_node_dir(child):
            out.append(child)
    return out


def _toml_error_origin(display: str, exc: tomllib.TOMLDecodeError) -> Origin:
    line = getattr(exc, "lineno", None)
    col = getattr(exc, "colno", None)
    if line is None:  # Python < 3.14 only has the position in the message
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        if m:
            line, col = int(m.group(1)), int(m.group(2))
    return Origin(display, line, col)


def load_manifest(
    path: Path,
    declared: str | None = None,
    allowed: tuple[Path, ...] | None = (),
    limits: Limits = _LIMITS,
) -> ClusterSpec | list[ClusterSpec] | Problem:
    """Clusters declared in a ``liferay-ha.toml``; a bad manifest is a ``MALFORMED`` problem.

    Node directories and env files outside the manifest's directory (links resolved) are read only
    when they lie in ``allowed`` (the paths given on the command line) or ``allowed`` is None
    (``--allow-outside``); others are ``REFUSED`` problems, never read."""
    display = display_path(path)
    raw = read_bytes(path, display, limits)
    if isinstance(raw, Problem):
        return raw
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        return Problem(ProblemKind.MALFORMED, f"invalid TOML in manifest: {exc}", _toml_error_origin(display, exc))
    except UnicodeDecodeError as exc:
        return Problem(
            ProblemKind.MALFORMED, f"manifest is not UTF-8: {exc.reason} at byte {exc.start}", Origin(display)
        )
    base = path.parent
    confined = None if allowed is None else (*audit_roots([base]), *allowed)
    clusters_raw = data.get("clusters")
    unknown_top = set(data) - {"clusters", "version"}
    if not isinstance(clusters_raw, dict) or not clusters_raw or unknown_top:
        what = f"unknown top-level keys {sorted(unknown_top)}" if unknown_top else "no [clusters.<name>] table"
        return Problem(ProblemKind.MALFORMED, f"manifest: {what}", Origin(display))
    clusters: list[ClusterSpec] = []
    for cname, craw in clusters_raw.items():
        problems: list[Problem] = []
        if not isinstance(craw, dict):
            return Problem(ProblemKind.MALFORMED, f"manifest: clusters.{cname} must be a table", Origin(display))
        unknown = set(craw) - _MANIFEST_CLUSTER_KEYS
        if unknown:
            return Problem(
                ProblemKind.MALFORMED, f"manifest: unknown keys in clusters.{cname}: {sorted(unknown)}", Origin(display)
            )
        version = craw.get("liferay-version")
        if version is not None and (not isinstance(version, str) or parse_version(version) is None):
            return Problem(
                ProblemKind.MALFORMED,
                f"manifest: clusters.{cname}.liferay-version {version!r} is not a Liferay version",
                Origin(display),
            )
        nodes_raw = craw.get("nodes", {})
        if isinstance(nodes_raw, list):
            nodes_raw = {str(n): {"path": str(n)} for n in nodes_raw}
        if not isinstance(nodes_raw, dict) or not nodes_raw:
            return Problem(ProblemKind.MALFORMED, f"manifest: clusters.{cname} declares no nodes", Origin(display))
        nodes: list[NodeSpec] = []
        for nname, nraw in nodes_raw.items():
            if not isinstance(nraw, dict):
                return Problem(
                    ProblemKind.MALFORMED, f"manifest: clusters.{cname}.nodes.{nname} must be a table", Origin(display)
                )
            unknown = set(nraw) - _MANIFEST_NODE_KEYS
            if unknown:
                return Problem(
                    ProblemKind.MALFORMED,
                    f"manifest: unknown keys in clusters.{cname}.nodes.{nname}: {sorted(unknown)}",
                    Origin(display),
                )
            rel = nraw.get("path", nname)
            env_files = nraw.get("env-files", [])
            flags = nraw.get("jvm-flags", [])
            env = nraw.get("env", {})
            node_version = nraw.get("liferay-version")
            if node_version is not None and (not isinstance(node_version, str) or parse_version(node_version) is None):
                return Problem(
                    ProblemKind.MALFORMED,
                    f"manifest: clusters.{cname}.nodes.{nname}.liferay-version {node_version!r} "
                    "is not a Liferay version",
                    Origin(display),
                )
            if not (
                isinstance(rel, str)
                and isinstance(env_files, list)
                and isinstance(flags, list)
                and isinstance(env, dict)
            ):
                return Problem(
                    ProblemKind.MALFORMED,
                    f"manifest: clusters.{cname}.nodes.{nname} has a value of the wrong type",
                    Origin(display),
                )
            root = (base / rel) if not Path(rel).is_absolute() else Path(rel)
            if confined is not None and outside(root, confined) is not None:
                problems.append(_outside_manifest(f"node {nname}: path {rel!r}", display))
                continue
            if not _is_dir(root):
                problems.append(
                    Problem(ProblemKind.UNREADABLE, f"node {nname}: directory {rel!r} not found", Origin(display))
                )
                continue
            env_paths: list[Path] = []
            for env_name in env_files:
                env_path = base / str(env_name)
                if confined is not None and outside(env_path, confined) is not None:
                    problems.append(_outside_manifest(f"node {nname}: env file {str(env_name)!r}", display))
                else:
                    env_paths.append(env_path)
            nodes.append(
                NodeSpec(
                    name=str(nname),
                    root=root,
                    display=display_path(root),
                    env_files=tuple(env_paths),
                    jvm_flags=tuple(str(f) for f in flags),
                    env=tuple(sorted((str(k), str(v)) for k, v in env.items())),
                    manifest=display,
                    declared_version=node_version,
                )
            )
        source = "--liferay-version" if declared else ("manifest" if version else None)
        clusters.append(
            ClusterSpec(
                name=str(cname),
                root=base,
                display=display_path(base),
                nodes=tuple(nodes),
                declared_version=declared or version,
                version_source=source,
                problems=tuple(problems),
            )
        )
    return clusters


def _outside_manifest(what: str, display: str) -> Problem:
    return Problem(
        ProblemKind.REFUSED,
        f"{what} lies outside the manifest's directory (links resolved); not read (give it on the command "
        "line as well, or pass --allow-outside)",
        Origin(display),
    )


def deployment_clusters(deployment: Deployment, declared: str | None, kind: str) -> list[ClusterSpec]:
    """A compose project or a Kubernetes workload as clusters of nodes with their own trees: one,
    or one per cluster its services or workloads declare (``x-liferay-ha-lint: {cluster: NAME}``,
    the ``liferay-ha-lint/cluster`` label); undeclared nodes form the deployment's own cluster."""
    groups: dict[str | None, list[NodeSpec]] = {}
    for node in deployment.nodes:
        groups.setdefault(node.cluster, []).append(
            NodeSpec(
                name=node.name,
                root=deployment.root,
                display=deployment.display,
                manifest=deployment.display,
                tree=node.tree,
                env_vars=node.env,
                flags=node.flags,
                problems=node.problems,
                files=node.files,
                mounts=node.mounts,
                deployment=kind,
                images=node.images,
                networks=node.networks,
                unseen=node.unseen,
            )
        )
    return [
        ClusterSpec(
            name=cluster or deployment.name,
            root=deployment.root,
            display=display_path(deployment.root),
            nodes=tuple(nodes),
            declared_version=declared,
            version_source="--liferay-version" if declared else None,
            problems=deployment.problems if index == 0 else (),
        )
        for index, (cluster, nodes) in enumerate(groups.items())
    ]


def _compose_clusters(
    files: list[Path], declared: str | None, found: Discovery, limits: Limits = _LIMITS
) -> list[ClusterSpec]:
    from linter.load.compose import read_compose
    from linter.load.deployment import NoNodes

    display_of = {f: display_path(f) for f in files}
    deployment = read_compose(files, display_of, limits, found.profiles)
    if isinstance(deployment, NoNodes):
        found.notes.append(f"{deployment.origin.file}: {deployment.message}; not checked")
        return []
    if isinstance(deployment, Problem):
        found.problems.append(deployment)
        return []
    found.notes.extend(deployment.notes)
    return deployment_clusters(deployment, declared, "compose")


def _kubernetes_clusters(
    files: list[Path],
    declared: str | None,
    found: Discovery,
    name: str | None = None,
    limits: Limits = _LIMITS,
) -> list[ClusterSpec]:
    from linter.load.deployment import NoNodes, Unreadable
    from linter.load.kubernetes import read_manifests

    display_of = {f: display_path(f) for f in files}
    deployments = read_manifests(files, display_of, limits, name)
    if isinstance(deployments, NoNodes):
        found.notes.append(f"{deployments.origin.file}: {deployments.message}; not checked")
        return []
    if isinstance(deployments, Problem):
        found.problems.append(deployments)
        return []
    if isinstance(deployments, Unreadable):
        found.problems.extend(deployments.problems)
        return []
    found.notes.extend(note for d in deployments for note in d.notes)
    return [c for d in deployments for c in deployment_clusters(d, declared, "kubernetes")]


def _archives_in(root: Path) -> list[Path]:
    try:
        return sorted(p for p in root.iterdir() if is_archive(p) and _is_file(p) and not p.name.startswith("."))
    except OSError:
        return []


def _helm_chart(root: Path, limits: Limits = _LIMITS) -> Problem | None:
    """A Helm chart's sources (``Chart.yaml``, or ``values.yaml`` beside ``templates/``) are Go
    templates, not manifests: one ``UNREADABLE`` problem pointing at the first template expression."""
    templates = root / "templates"
    if not ((root / "Chart.yaml").is_file() or ((root / "values.yaml").is_file() and _is_dir(templates))):
        return None
    from linter.load.kubernetes import manifest_files, read_manifests

    files = manifest_files(templates, depth=1) if _is_dir(templates) else []
    found = read_manifests(files, {f: display_path(f) for f in files}, limits) if files else None
    if isinstance(found, Problem) and "helm template" in found.message:
        return found
    return Problem(
        ProblemKind.UNREADABLE,
        "Helm chart (Go templates), not rendered by liferay-ha-lint: run `helm template` and check its output",
        Origin(display_path(root)),
    )


def _manifests_in(root: Path, depth: int = 0, limits: Limits = _LIMITS) -> list[Path]:
    """Kubernetes manifests in a directory (with ``depth``, also in its subdirectories, as
    ``helm template --output-dir`` writes them)."""
    from linter.load.kubernetes import is_manifest, manifest_files

    files = []
    for path in manifest_files(root, depth=depth):
        head = read_bytes(path, str(path), limits)
        if isinstance(head, bytes) and is_manifest(head):
            files.append(path)
    return files


def _directory_node(name: str, directory: Path, found: Discovery, limits: Limits) -> NodeSpec:
    """A node directory; one that is a Docker build context is the image its Dockerfile builds."""
    from linter.load.image_node import image_node

    image = image_node(directory, limits)
    if image is None:
        return NodeSpec(name, directory, display_path(directory))
    found.notes.extend(image.notes)
    found.notes.append(
        f"{display_path(directory)}: read as the image its Dockerfile builds (the files it copies, where it "
        "copies them)"
    )
    return NodeSpec(
        name,
        directory,
        display_path(directory),
        tree=image.tree,
        env_vars=image.env,
        problems=image.problems,
        files=image.files,
        deployment="dockerfile",
        images=image.images,
    )


def _deployments_below(root: Path, depth: int = 2) -> list[Path]:
    """Directories under ``root`` (up to ``depth`` levels) that hold a compose file or Kubernetes
    manifests of their own: deployments kept beside a compose project (a ``kubernetes/`` folder)."""
    out: list[Path] = []
    try:
        children = sorted(p for p in root.iterdir() if _is_dir(p) and not p.name.startswith("."))
    except OSError:
        return out
    for child in children:
        if child.is_symlink() and not _inside(child, root):
            continue
        if find_compose_file(child) is not None or _manifests_in(child):
            out.append(child)
        if depth > 1:
            out += _deployments_below(child, depth - 1)
    return out


def _cluster_from_dir(
    root: Path,
    declared: str | None,
    found: Discovery,
    limits: Limits = _LIMITS,
    allowed: tuple[Path, ...] | None = (),
) -> ClusterSpec | None:
    problems = found.problems
    manifest = root / MANIFEST
    if manifest.is_file():
        loaded = load_manifest(manifest, declared, allowed, limits)
        if isinstance(loaded, Problem):
            problems.append(loaded)
            return None
        if isinstance(loaded, list):
            # several clusters in one manifest: returned through the caller's list
            raise _Many(loaded)
        return loaded
    compose = find_compose_file(root)
    if compose is not None:
        override = override_for(compose)
        composed = _compose_clusters([compose, *([override] if override else [])], declared, found, limits)
        if len(composed) > 1:
            raise _Many(composed)
        return composed[0] if composed else None
    chart = _helm_chart(root, limits)
    if chart is not None:
        problems.append(chart)
        return None
    manifests = _manifests_in(root, limits=limits)
    if manifests:
        clusters = _kubernetes_clusters(manifests, declared, found, root.resolve().name or None, limits)
        if len(clusters) > 1:
            raise _Many(clusters)
        return clusters[0] if clusters else None
    subdirs = _node_subdirs(root, problems)
    if subdirs and _is_file(root / "Dockerfile"):
        return None  # a Docker build context: what is below it goes into an image, it holds no nodes
    if subdirs:
        return ClusterSpec(
            name=root.resolve().name or "cluster",
            root=root,
            display=display_path(root),
            nodes=tuple(_directory_node(d.name, d, found, limits) for d in subdirs),
            declared_version=declared,
            version_source="--liferay-version" if declared else None,
        )
    return None


class _Many(Exception):
    def __init__(self, clusters: list[ClusterSpec]) -> None:
        super().__init__()
        self.clusters = clusters


def is_deployment_file(path: Path) -> bool:
    """A file that is a whole input of its own: an archive, a compose file, Kubernetes manifests."""
    return is_archive(path) or path.suffix.lower() in (".yaml", ".yml")


def _archive_node(path: Path, names: list[str], limits: Limits, problems: list[Problem]) -> NodeSpec | None:
    """A node read from an archive; an archive that cannot be opened is a problem, not a node
    (a node of nothing but defaults would only add noise)."""
    from linter.sources.archive import ArchiveTree

    display = display_path(path)
    if outside(path, limits.roots) is not None:
        problems.append(
            Problem(
                ProblemKind.UNREADABLE, "symbolic link points outside the audited tree; not followed", Origin(display)
            )
        )
        return None
    tree = ArchiveTree(path, display, limits)
    if tree.unreadable:
        problems.extend(tree.problems)
        return None
    name = archive_stem(path)
    while name in names:
        name += "'"
    names.append(name)
    return NodeSpec(
        name, path.parent, display, tree=tree, problems=tuple(tree.problems), files=(display,), deployment="archive"
    )


def discover(
    paths: list[Path],
    declared_version: str | None = None,
    limits: Limits | None = None,
    allow_outside: bool = False,
    profiles: frozenset[str] = frozenset(),
) -> Discovery:
    """Turn command-line paths into clusters; never raises on bad paths. Nothing outside the
    paths is read; a manifest may name node directories and env files outside its own directory
    only when they are among the paths too, or with ``allow_outside``."""
    limits = limits or Limits(digests=DigestBudget())
    if not limits.roots:
        limits = limits._replace(roots=audit_roots(_given_root(Path(p)) for p in paths))
    allowed = None if allow_outside else limits.roots
    result = Discovery(profiles=profiles)
    archives: list[Path] = []
    seen: set[Path] = set()
    loose_nodes: list[Path] = []

    def add(cluster: ClusterSpec) -> None:
        key = cluster.root.resolve() / cluster.name
        if key not in seen:
            seen.add(key)
            result.clusters.append(cluster)

    def add_dir(root: Path) -> bool:
        try:
            cluster = _cluster_from_dir(root, declared_version, result, limits, allowed)
        except _Many as many:
            for c in many.clusters:
                add(c)
            return True
        if cluster is not None:
            add(cluster)
            for below in _deployments_below(root):  # other deployments beside a compose project
                try:
                    sub = _cluster_from_dir(below, declared_version, result, limits, allowed)
                except _Many as many:
                    for c in many.clusters:
                        add(c)
                    continue
                if sub is not None:
                    add(sub)
            return True
        # a directory of cluster directories (e.g. fixtures/clusters)
        found = False
        try:
            children = sorted(p for p in root.iterdir() if _is_dir(p) and not p.name.startswith("."))
        except OSError:
            children = []
        for child in children:
            if child.is_symlink() and not _inside(child, root):
                continue
            try:
                sub = _cluster_from_dir(child, declared_version, result, limits, allowed)
            except _Many as many:
                for c in many.clusters:
                    add(c)
                found = True
                continue
            if sub is not None:
                add(sub)
                found = True
        if not found and not is_node_dir(root):
            # manifests further down (``helm template --output-dir out``: out/<chart>/templates/)
            deep = _manifests_in(root, depth=3, limits=limits)
            if deep:
                name = root.resolve().name or None
                for k8s in _kubernetes_clusters(deep, declared_version, result, name, limits):
                    add(k8s)
                    found = True
        return found

    compose_files = [Path(p) for p in paths if _is_file(Path(p)) and looks_like_compose(Path(p))]
    yaml_files = [
        Path(p)
        for p in paths
        if _is_file(Path(p)) and Path(p).suffix in (".yaml", ".yml") and Path(p) not in compose_files
    ]
    if yaml_files:
        for k8s_cluster in _kubernetes_clusters(yaml_files, declared_version, result, None, limits):
            add(k8s_cluster)
    by_project: dict[Path, list[Path]] = {}
    for file in compose_files:
        by_project.setdefault(file.resolve().parent, []).append(file)
    for files in by_project.values():
        for compose_cluster in _compose_clusters(files, declared_version, result, limits):
            add(compose_cluster)
    for raw in paths:
        path = Path(raw)
        if path in compose_files or path in yaml_files:
            continue
        if is_archive(path) and _is_file(path):
            archives.append(path)
            continue
        if not os.path.lexists(path):
            result.problems.append(Problem(ProblemKind.UNREADABLE, "path not found", Origin(str(raw))))
            continue
        if _is_dir(path):
            if (path / MANIFEST).is_file() or find_compose_file(path) is not None or _manifests_in(path, limits=limits):
                said, noted = len(result.problems), len(result.notes)
                # a broken manifest or compose file is reported as such
                if not add_dir(path) and len(result.problems) == said:
                    why = result.notes[-1] if len(result.notes) > noted else f"expected {EXPECTED}"
                    result.refused.append(f"{display_path(path)}: nothing to check: {why}")
                continue
            if not is_node_dir(path):
                said = len(result.problems)
                inner = _archives_in(path)
                if inner and not _node_subdirs(path, []):
                    archives += inner
                    continue
                if not add_dir(path) and len(result.problems) == said:
                    image = _directory_node(path.resolve().name or "node", path, result, limits)
                    if image.tree is not None:  # a Docker build context given as such: the image it builds
                        add(
                            ClusterSpec(
                                name=image.name,
                                root=path,
                                display=display_path(path),
                                nodes=(image,),
                                declared_version=declared_version,
                                version_source="--liferay-version" if declared_version else None,
                            )
                        )
                        continue
                    result.refused.append(f"{display_path(path)}: no Liferay configuration found (expected {EXPECTED})")
                continue
            nested = [d for d in _node_subdirs(path, []) if not d.name.startswith(HOME_PARTS)]
            if nested:
                shown = display_path(path)
                result.refused.append(
                    f"{shown} holds the files of one node and node directories too "
                    f"({', '.join(d.name for d in nested[:5])}{', ...' if len(nested) > 5 else ''}): "
                    f"check the node directories ({' '.join(display_path(d) for d in nested[:3])}"
                    f"{' ...' if len(nested) > 3 else ''}), or say which directories are nodes in a "
                    f"liferay-ha.toml in {shown}"
                )
                continue
            loose_nodes.append(path)
            continue
        root = _cluster_dir_of(path)
        if root is None:
            if path.is_file():
                loose_nodes.append(path.parent)
            else:
                result.problems.append(
                    Problem(ProblemKind.UNREADABLE, "not a regular file", Origin(display_path(path)))
                )
            continue
        add_dir(root)

    if archives:
        taken: list[str] = []
        found_nodes = [_archive_node(a, taken, limits, result.problems) for a in archives]
        nodes = tuple(n for n in found_nodes if n is not None)
        common = Path(os.path.commonpath([str(a.resolve().parent) for a in archives]))
        if nodes:
            add(
                ClusterSpec(
                    name=common.name or "cluster",
                    root=common,
                    display=display_path(common),
                    nodes=nodes,
                    declared_version=declared_version,
                    version_source="--liferay-version" if declared_version else None,
                )
            )
    result.problems[:] = list(dict.fromkeys(result.problems))
    unique_loose: list[Path] = []
    # a node directory given only to let a manifest name it (outside its directory) is not a
    # cluster of its own as well
    declared = {n.root.resolve() for c in result.clusters for n in c.nodes if n.manifest and n.tree is None}
    for node in loose_nodes:
        if node.resolve() not in {n.resolve() for n in unique_loose} | declared:
            unique_loose.append(node)
    if unique_loose:
        names: list[str] = []
        for node in unique_loose:
            name = node.resolve().name or "node"
            while name in names:
                name += "'"
            names.append(name)
        common = Path(os.path.commonpath([str(n.resolve()) for n in unique_loose]))
        add(
            ClusterSpec(
                name="cluster" if len(unique_loose) > 1 else names[0],
                root=common if len(unique_loose) > 1 else unique_loose[0],
                display=display_path(common),
                nodes=tuple(_directory_node(n, p, result, limits) for n, p in zip(names, unique_loose, strict=True)),
                declared_version=declared_version,
                version_source="--liferay-version" if declared_version else None,
            )
        )
    return result


# ----------------------------------------------------------------------------- files (pre-commit)


def _below(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _cluster_dir_of(path: Path) -> Path | None:
    """The cluster directory of a file given on the command line (see below)."""
    full = path.resolve()
    cwd = Path.cwd().resolve()
    return _cluster_dir_for_file(full, cwd if _below(full, cwd) else Path(full.anchor))


def _given_root(path: Path) -> Path:
    """What a path given on the command line lets discovery read: a directory, a deployment file's
    directory, or the cluster directory of a configuration file."""
    if _is_dir(path) or not os.path.lexists(path):
        return path
    if is_deployment_file(path):
        return path.parent
    return _cluster_dir_of(path) or path.parent


def _cluster_dir_for_file(file: Path, bound: Path) -> Path | None:
    """The directory to discover for a file below ``bound`` (the working directory): the nearest
    ancestor holding a manifest or compose file, else the directory of the node the file belongs to
    (the highest node directory met going up through the node's own folders: ``node1`` for
    ``node1/tomcat/bin/setenv.sh``) or, when that holds sibling node directories, its parent.
    Never higher: unrelated folders further up are not the file's cluster. None when no ancestor up
    to ``bound`` is part of a node."""
    node_root: Path | None = None
    for candidate in (file.parent, *file.parent.parents):
        if not _below(candidate, bound):
            break
        if (candidate / MANIFEST).is_file() or find_compose_file(candidate) is not None:
            return candidate
        if is_node_dir(candidate):
            node_root = candidate
        elif node_root is not None and not candidate.name.startswith(HOME_PARTS):
            break  # above the node and its own folders
    if node_root is None:
        return None
    parent = node_root.parent
    if node_root != bound and _below(parent, bound) and (parent / MANIFEST).is_file():
        return parent
    try:
        siblings = [c for c in parent.iterdir() if c != node_root and not c.name.startswith(".")]
    except OSError:
        siblings = []
    if node_root != bound and _below(parent, bound) and any(is_node_dir(c) for c in siblings):
        return parent
    return node_root


def _file_targets(files: Sequence[Path], configured: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """Directories to discover for files given on the command line (as pre-commit passes them),
    and the files that belong to no cluster. With ``clusters`` configured, a file's cluster root
    is the configured path that contains it; otherwise it is found by :func:`_cluster_dir_for_file`
    below the working directory (files elsewhere are discovered as given)."""
    cwd = Path.cwd().resolve()
    targets: list[Path] = []
    skipped: list[Path] = []
    for file in files:
        full = file.resolve()
        target: Path | None
        if configured:
            target = next((Path(c) for c in configured if _below(full, Path(c).resolve())), None)
        elif _below(full, cwd):
            target = _cluster_dir_for_file(full, cwd)
        else:
            target = file
        if target is None:
            skipped.append(file)
        elif target not in targets:
            targets.append(target)
    return targets, skipped


def _clusters_holding(found: Discovery, files: Sequence[Path]) -> None:
    """Keep only the discovered clusters that contain one of ``files``: a node holds it or names
    it as an env file; failing that, the cluster's directory holds it (a manifest, a README)."""
    full = [f.resolve() for f in files]
    keep: list[ClusterSpec] = []
    for file in full:
        exact = [
            c
            for c in found.clusters
            if any(_below(file, n.root.resolve()) or file in {e.resolve() for e in n.env_files} for n in c.nodes)
        ]
        for c in exact or [c for c in found.clusters if _below(file, c.root.resolve())]:
            if c not in keep:
                keep.append(c)
    found.clusters[:] = [c for c in found.clusters if c in keep]


def discover_files(
    files: Sequence[Path],
    configured: Sequence[Path] = (),
    declared_version: str | None = None,
    allow_outside: bool = False,
    profiles: frozenset[str] = frozenset(),
) -> tuple[Discovery, list[Path]]:
    """Item 5: files as pre-commit passes them. Every cluster that contains one of the files is
    checked whole (a cross-node rule needs all nodes); files in no cluster are returned apart."""
    targets, skipped = _file_targets(files, configured)
    found = (
        discover(targets, declared_version, None, allow_outside, profiles) if targets else Discovery(profiles=profiles)
    )
    _clusters_holding(found, files)
    return found, skipped
