"""Reading one cluster: every node's sources, the version, and the effective settings.

The Liferay home of a node is its directory. Properties files of the include-and-override
chain are looked up as Liferay does: a bare name on the class path (``WEB-INF/classes``,
``webapps/ROOT/WEB-INF/classes``, ``tomcat*/webapps/ROOT/WEB-INF/classes``), then the
``${liferay.home}/`` copy, which is read second and wins (facts §1.1).
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from linter.liferay import builtins, detect
from linter.liferay.defaults import defaults, table_key
from linter.liferay.env import FILE_VARIABLES, IMAGE_VARIABLES, property_key
from linter.liferay.releases import parse_release
from linter.liferay.versions import family_key, is_6x, parse_version
from linter.load.discovery import ClusterSpec, NodeSpec
from linter.load.references import resolve_references
from linter.load.resolve import Layer, default_settings, resolve
from linter.load.suppressions import config_suppressions, properties_suppressions
from linter.model import Cluster, FirstOf, LineSource, Node, PropertiesSource, Reference
from linter.origin import Origin, OriginKind, Problem, ProblemKind
from linter.paths import display_path
from linter.sources.env_file import EnvVar, env_origin, read_env_file
from linter.sources.files import DEFAULT_LIMITS, DigestBudget, DiskLines, Limits, audit_roots
from linter.sources.jvm_flags import JvmFlag, flags_in_value, jvm_flags_from, parse_flag_list
from linter.sources.osgi_config import OsgiConfig, osgi_config_from
from linter.sources.properties import (
    Dialect,
    PropertiesFile,
    PropertyEntry,
    dialect_for,
    encoding_for,
    parse_properties,
)
from linter.sources.tree import DiskTree, Plugin, Tree

CHAIN_ROLES = ("portal-bundle.properties", "portal-ext.properties", "portal-setup-wizard.properties")
JVM_FILES = ("setenv.sh", "setenv.bat", "jvm.options")
MAX_INCLUDE_DEPTH = 16
# environment variables whose value the JVM of a container receives as options: the official
# images append LIFERAY_JVM_OPTS to CATALINA_OPTS; Tomcat's catalina.sh reads JAVA_OPTS too
JVM_OPTION_VARIABLES = ("LIFERAY_JVM_OPTS", "CATALINA_OPTS", "JAVA_OPTS")


# ----------------------------------------------------------------------------- raw sources


@dataclass
class _Raw:
    spec: NodeSpec
    tree: Tree
    props_bytes: dict[str, bytes | Problem] = field(default_factory=dict)
    osgi: list[OsgiConfig] = field(default_factory=list)
    jvm: list[JvmFlag] = field(default_factory=list)
    env: list[EnvVar] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def classpath_roots(tree: Tree) -> list[str]:
    """Where Liferay's class path holds portal properties and resources on this node (looked up
    once per tree: the loader asks several times)."""

    def find() -> list[str]:
        roots = ["WEB-INF/classes", "webapps/ROOT/WEB-INF/classes"]
        roots += [f"{name}/webapps/ROOT/WEB-INF/classes" for name in tree.listdir("") if name.startswith("tomcat")]
        return [r for r in roots if tree.is_dir(r)]

    return list(tree.cached("classpath", find))


def _iter_osgi_files(tree: Tree) -> Iterator[str]:
    """``osgi/configs/*.config|*.cfg`` (also under ``files/``, as the Docker image copies it) and
    ``.config`` files beside portal-ext.properties; a ``.cfg`` elsewhere (haproxy.cfg) is not OSGi."""
    seen: set[str] = set()
    both = (".config", ".cfg")
    dirs: list[tuple[str, tuple[str, ...]]] = [
        ("osgi/configs", both),
        ("files/osgi/configs", both),
        ("", (".config",)),
    ]
    for directory, suffixes in dirs:
        for name in tree.listdir(directory):
            path = tree.join(directory, name)
            if name.endswith(suffixes) and tree.is_file(path) and tree.identity(path) not in seen:
                seen.add(tree.identity(path))
                yield path


def _jvm_files(tree: Tree) -> list[str]:
    candidates = [*JVM_FILES, *(f"bin/{n}" for n in JVM_FILES)]
    for name in tree.listdir(""):
        if name.startswith("tomcat"):
            candidates += [f"{name}/bin/{n}" for n in JVM_FILES]
    return [c for c in candidates if tree.is_file(c)]


def _gather(spec: NodeSpec, limits: Limits) -> _Raw:
    tree = node_tree(spec)
    tree.roots = limits.roots  # nothing outside the audited trees is listed or opened
    raw = _Raw(spec, tree)
    for directory in ("", "osgi", "osgi/configs", "files/osgi/configs", *classpath_roots(tree)):
        problem = tree.unlistable(directory)
        if problem is not None:
            raw.problems.append(problem)
    for path in _iter_osgi_files(tree):
        config = osgi_config_from(tree.read(path, limits), posixpath.basename(path), tree.display(path), path)
        raw.osgi.append(config)
        raw.files.append(config.path)
        raw.problems.extend(config.problems)
    for path in _jvm_files(tree):
        flags = jvm_flags_from(tree.read(path, limits), posixpath.basename(path), tree.display(path))
        raw.jvm.extend(flags.flags)
        raw.files.append(flags.path)
        raw.problems.extend(flags.problems)
    if spec.jvm_flags:
        raw.jvm.extend(parse_flag_list(list(spec.jvm_flags), spec.manifest or spec.display).flags)
    raw.jvm.extend(spec.flags)
    for env_path in spec.env_files:
        env_file = read_env_file(env_path, display_path(env_path), limits)
        raw.env.extend(env_file.variables)
        raw.files.append(env_file.path)
        raw.problems.extend(env_file.problems)
    for name, value in spec.env:
        raw.env.append(EnvVar(name, value, env_origin(spec.manifest or spec.display, None, name, None)))
    raw.env.extend(spec.env_vars)
    raw.problems.extend(spec.problems)
    raw.files.extend(spec.files)
    for var in raw.env:
        if var.name in JVM_OPTION_VARIABLES and var.value:
            raw.jvm.extend(flags_in_value(var.value, var.origin.file, var.origin.value_line, var.origin.value_column))
    return raw


PLUGIN_FOLDERS = ("osgi/modules", "osgi/war", "osgi/marketplace", "deploy")
_PLUGIN_SUFFIXES = (".jar", ".war", ".lpkg", ".zip")


def plugins(tree: Tree, limits: Limits, problems: list[Problem]) -> Iterator[Plugin]:
    """Deployable artifacts in the folders a node deploys from (name and content digest); what
    could not be hashed (outside the tree, over the hashing limits) goes to ``problems``."""
    for folder in PLUGIN_FOLDERS:
        for name in tree.listdir(folder):
            path = tree.join(folder, name)
            if name.lower().endswith(_PLUGIN_SUFFIXES) and tree.is_file(path):
                digest = tree.digest(path, limits)
                if isinstance(digest, Problem):
                    problems.append(digest)
                yield Plugin(folder, name, None if isinstance(digest, Problem) else digest, Origin(tree.display(path)))


def node_tree(spec: NodeSpec) -> Tree:
    return spec.tree if spec.tree is not None else DiskTree(spec.root, spec.display)


def _read_props(raw: _Raw, path: str, limits: Limits) -> bytes | Problem:
    key = raw.tree.identity(path)
    if key not in raw.props_bytes:
        raw.props_bytes[key] = raw.tree.read(path, limits)
    return raw.props_bytes[key]


def _locate(name: str, tree: Tree, from_dir: str | None) -> list[str]:
    """Where a properties name of the chain exists on this node, in load order."""
    if name.startswith("${liferay.home}/"):
        target = tree.join(name[len("${liferay.home}/") :])
        # anything by that name is read (a directory, a dangling or looping link is reported)
        return [target] if tree.lexists(target) else []
    if "${" in name:
        return []
    if name.startswith("/"):
        # an absolute path on the server (${external-properties} from -Dexternal-properties, or an
        # include): the file itself when the tree has it, else one by that name in the home
        if tree.is_file(name):
            return [name]
        inside = posixpath.basename(name)
        return [inside] if tree.is_file(inside) else []
    found = [tree.join(cp, name) for cp in classpath_roots(tree) if tree.lexists(tree.join(cp, name))]
    if from_dir is not None:
        sibling = tree.join(from_dir, name)
        if tree.is_file(sibling) and sibling not in found:
            found.append(sibling)
    return found[:1]


def _unread_files(tree: Tree, sources: list[PropertiesSource]) -> tuple[str, ...]:
    loaded = {source.file.path for source in sources}
    found: list[str] = []
    for directory in ["", *classpath_roots(tree)]:
        for name in tree.listdir(directory):
            if not fnmatch.fnmatchcase(name, "portal-*.properties"):
                continue
            path = tree.join(directory, name)
            display = tree.display(path)
            if display not in loaded and tree.is_file(path):
                found.append(display)
    return tuple(found)


def _builtin_source(label: str, values: dict[str, str], included_by: str) -> PropertiesSource:
    """A properties file shipped inside Liferay, as a source whose origins say so."""
    entries = tuple(
        PropertyEntry(key, value, Origin(file=label, kind=OriginKind.BUILTIN, detail=label), f"{key}={value}")
        for key, value in values.items()
    )
    return PropertiesSource(
        "builtin", PropertiesFile(path=label, dialect=Dialect.LIFERAY, encoding="utf-8", entries=entries), included_by
    )


def _include_list(file: PropertiesFile) -> list[tuple[str, Origin]]:
    out: list[tuple[str, Origin]] = []
    for entry in file.occurrences("include-and-override"):
        for item in entry.value.split(","):
            item = item.strip()
            if item:
                out.append((item, entry.origin))
    return out


def _load_chain(raw: _Raw, family: str | None, limits: Limits, problems: list[Problem]) -> list[PropertiesSource]:
    tree = raw.tree
    encoding = encoding_for(family)
    table = defaults(family or "7.4")
    chain_default = table["include-and-override"].value if "include-and-override" in table else ""
    sources: list[PropertiesSource] = []
    loaded: set[str] = set()

    def load(path: str, role: str, included_by: str | None, depth: int) -> None:
        key = tree.identity(path)  # a symlink loop: the read reports it
        if key in loaded:
            return
        loaded.add(key)
        data = _read_props(raw, path, limits)
        display = tree.display(path)
        if isinstance(data, Problem):
            problems.append(data)
            return
        parsed = parse_properties(data, display, encoding=encoding, dialect=dialect_for(family))
        raw.files.append(display)
        problems.extend(parsed.problems)
        sources.append(PropertiesSource(role, parsed, included_by))
        if depth >= MAX_INCLUDE_DEPTH:
            problems.append(
                Problem(
                    ProblemKind.UNRESOLVED_REFERENCE, "include-and-override nested too deeply; stopped", Origin(display)
                )
            )
            return
        for name, origin in _include_list(parsed):
            targets = _locate(name, tree, posixpath.dirname(path))
            builtin = builtins.builtin_properties(name, family) if not targets else None
            if builtin is not None:
                label, values = builtin
                sources.append(_builtin_source(label, values, display))
                continue
            if not targets:
                if "${" not in name or name.startswith("${liferay.home}/"):
                    problems.append(
                        Problem(
                            ProblemKind.UNRESOLVED_REFERENCE,
                            f"include-and-override names {name!r}, which is not on this node "
                            "(Liferay skips a missing file silently)",
                            origin,
                        )
                    )
                continue
            for target in targets:
                load(target, "include", display, depth + 1)

    external = next((f.value for f in reversed(raw.jvm) if f.name == "external-properties" and f.value), None)
    for item in [i.strip() for i in chain_default.split(",") if i.strip()]:
        if "${external-properties}" in item:
            if external is None:
                continue
            item = item.replace("${external-properties}", external)
        role = item.rsplit("/", 1)[-1]
        for target in _locate(item, tree, None):
            load(target, role, None, 0)
    # Liferay homes kept in git often hold portal-ext.properties beside the tomcat folder only;
    # also accept the chain files directly in the node directory (that *is* ${liferay.home}).
    return sources


def _props_clues(raw: _Raw, limits: Limits) -> list[detect.Clue]:
    clues: list[detect.Clue] = []
    for role in CHAIN_ROLES:
        for path in [role, *(raw.tree.join(cp, role) for cp in classpath_roots(raw.tree))]:
            if raw.tree.is_file(path):
                data = _read_props(raw, path, limits)
                if isinstance(data, bytes):
                    display = raw.tree.display(path)
                    values = parse_properties(data, display, dialect=Dialect.COMMONS).values()
                    clues.extend(detect.clues_from_properties(values, display))
    for config in raw.osgi:
        clues.extend(detect.clues_from_pid(config.base_pid, config.path))
    if any(property_key(v.name) for v in raw.env if v.name not in IMAGE_VARIABLES):
        clues.append(detect.clue_from_env(raw.env[0].origin.file))
    return clues


def _env_layer(raw: _Raw, family: str | None) -> Layer | None:
    if is_6x(family):
        return None
    values: dict[str, tuple[str, Origin]] = {}
    from_files: dict[str, tuple[str, Origin]] = {}
    for var in raw.env:
        if var.value is None:
            continue
        exported = FILE_VARIABLES.get(var.name)
        target = property_key(exported) if exported is not None else None
        if exported is not None and target is not None:
            # the image reads the file at start-up and exports the variable: a value we cannot see
            from_files[target.key] = ("${env." + exported + "}", var.origin)
            continue
        if var.name in IMAGE_VARIABLES:
            continue
        decoded = property_key(var.name)
        if decoded is None:
            continue
        values[decoded.key] = (var.value, var.origin)
    values.update(from_files)  # the image exports the file's content over the variable itself
    return Layer("env", values)


def _describe(detection: detect.Detection) -> str:
    """Why a version was taken, as the report says it."""
    if detection.family is None:
        return "assumed: no version evidence in the files, Liferay 7.4 assumed (use --liferay-version)"
    source = "evidence: " + "; ".join(detection.evidence[:4])
    if len(detection.evidence) > 4:
        source += f"; and {len(detection.evidence) - 4} more"
    if len(detection.candidates) > 1:
        low = min(detection.candidates, key=family_key)
        source += f" (Liferay {low} to {detection.family} possible: the newest assumed, use --liferay-version)"
    if detection.conflicts:
        source += " (ignored, contradicting: " + "; ".join(detection.conflicts[:2]) + ")"
    return source


def _node_clues(raw: _Raw, limits: Limits) -> list[detect.Clue]:
    """Every clue one node's files, image and home give about its version."""
    clues = _props_clues(raw, limits)
    spec = raw.spec
    if spec.declared_version and (family := parse_version(spec.declared_version)) is not None:
        reason = f"{spec.manifest or spec.display}: liferay-version {spec.declared_version} for node {spec.name}"
        clues.append(detect.Clue(frozenset({family}), reason, detect.Weight.DECLARED))
    for image, origin in spec.images:
        clues.extend(detect.clues_from_image(image, origin.describe(), origin))
    if raw.tree.home:
        clues.extend(detect.clue_from_home(raw.tree.home, f"node {spec.name}"))
    elif spec.tree is None:
        clues.extend(detect.clue_from_home(spec.root.name, spec.display))
    return clues


def _build_node(
    raw: _Raw,
    version: detect.Detection | str | None,
    limits: Limits,
    declared: str | None = None,
    declared_release: str | None = None,
) -> Node:
    if isinstance(version, detect.Detection):
        family, release = version.family, version.release
        version_source, version_origin = _describe(version), version.origin
    else:
        family, version_source, version_origin = version, declared or "", None
        release = declared_release if family == "7.4" else None
    problems = list(raw.problems)
    sources = _load_chain(raw, family, limits, problems)
    layers: list[Layer] = []
    for source in sources:
        file_values = source.file.values()
        first: dict[str, Origin] = {}
        for entry in source.file.entries:
            first.setdefault(entry.key, entry.origin)
        layers.append(
            Layer(
                source.file.path,
                {k: (v, first[k]) for k, v in file_values.items() if k != "include-and-override"},
            )
        )
    env_layer = _env_layer(raw, family)
    if env_layer is not None:
        layers.append(env_layer)
    system: dict[str, tuple[str, Origin]] = {}
    for flag in raw.jvm:
        if flag.is_system_property and flag.value is not None:
            system[flag.name] = (flag.value, flag.origin)
    resolution = resolve(layers, system, base=default_settings(family or "7.4", release))
    problems.extend(resolution.problems)
    resolved = resolve_references(resolution.settings, raw.tree, classpath_roots(raw.tree), family, limits, release)
    problems.extend(resolved.problems)
    files = list(dict.fromkeys([*raw.files, *resolved.files]))
    suppressions = [s for source in sources for s in properties_suppressions(source.file)]
    suppressions += [s for config in raw.osgi for s in config_suppressions(config)]
    suppressions += resolved.suppressions
    found_plugins = tuple(plugins(raw.tree, limits, problems))
    said = {p.origin.file for p in problems}
    problems.extend(p for p in raw.tree.denials() if p.origin.file not in said)
    raw.tree.forget_lookups()
    return Node(
        name=raw.spec.name,
        path=raw.spec.display,
        root=raw.spec.root,
        properties=tuple(sources),
        osgi=tuple(raw.osgi),
        jvm_flags=tuple(raw.jvm),
        env=tuple(raw.env),
        settings=resolution.settings,
        files=tuple(files),
        problems=tuple(problems),
        references=resolved.references,
        suppressions=tuple(suppressions),
        unread_files=_unread_files(raw.tree, sources),
        mounts=raw.spec.mounts,
        plugins=found_plugins,
        deployment=raw.spec.deployment,
        home=raw.tree.home or None,
        version=family,
        release=release,
        version_source=version_source,
        networks=raw.spec.networks,
        unseen=raw.spec.unseen,
        version_origin=version_origin,
        tree=raw.tree,
        images=raw.spec.images,
    )


def load_cluster(
    spec: ClusterSpec,
    limits: Limits = DEFAULT_LIMITS,
    override_version: str | None = None,
    on_node: Callable[[str], object] | None = None,
) -> Cluster:
    """Read every node of a cluster, decide the version, resolve effective settings.
    ``on_node`` is told each node's name once its files are read (for progress)."""
    if not limits.roots:
        limits = limits._replace(roots=_audit_roots(spec))
    if limits.digests is None:
        limits = limits._replace(digests=DigestBudget())
    raws: list[_Raw] = []
    for node in spec.nodes:
        raws.append(_gather(node, limits))
        if on_node is not None:
            on_node(node.name)
    declared = override_version or spec.declared_version
    if declared:
        family = parse_version(declared)
        source = ("--liferay-version" if override_version else (spec.version_source or "declared")) + f" ({declared})"
        given = parse_release(declared)
        nodes = tuple(_build_node(raw, family, limits, source, given.text if given else None) for raw in raws)
    else:
        clues = {index: _node_clues(raw, limits) for index, raw in enumerate(raws)}
        provisional = detect.decide_nodes(clues)
        nodes = tuple(_build_node(raw, provisional.nodes[i], limits) for i, raw in enumerate(raws))
        # JGroups files the nodes really use are weaker evidence: applied after the others
        for index, built in enumerate(nodes):
            clues[index] += [
                c
                for ref in built.references
                if ref.kind == "file" and ref.jgroups is not None
                for c in detect.clues_from_stack(ref.jgroups.names, _stack_attributes(ref), ref.origin.file)
            ]
        versions = detect.decide_nodes(clues)
        # encoding, loader dialect and defaults depend on the version
        nodes = tuple(
            _build_node(raw, versions.nodes[i], limits)
            if nodes[i].version != versions.nodes[i].family
            or table_key(nodes[i].version or "7.4", nodes[i].release)
            != table_key(versions.nodes[i].family or "7.4", versions.nodes[i].release)
            else replace(
                nodes[i],
                version_source=_describe(versions.nodes[i]),
                version_origin=versions.nodes[i].origin,
                release=versions.nodes[i].release,
            )
            for i, raw in enumerate(raws)
        )
        family = versions.cluster.family or "7.4"
        source = _describe(versions.cluster)
        if versions.split:
            source += (
                " (the nodes' own evidence names different versions: "
                + ", ".join(f"{n.name} {n.version}" for n in nodes)
                + ")"
            )
    return Cluster(
        name=spec.name,
        path=spec.display,
        version=family,
        version_source=source,
        nodes=nodes,
        problems=spec.problems,
        sources=cluster_lines(nodes, [f for raw in raws for f in _disk_files(raw.spec)], limits),
    )


def _disk_files(spec: NodeSpec) -> list[str]:
    """The files a node's spec was read from outside its tree (compose file, manifest, env file)."""
    return [*spec.files, *(display_path(e) for e in spec.env_files), *([spec.manifest] if spec.manifest else [])]


def cluster_lines(nodes: tuple[Node, ...], disk_files: list[str], limits: Limits) -> LineSource:
    """The loader's answer to "show line N of this file" for a cluster's findings: the file from
    the node tree that read it (a directory, an archive, a container's mounts), else from disk when
    the run read it there, outside any tree (``disk_files``: compose file, manifest, env file),
    confined to the audited trees. Nothing else is ever read: never a file by a display name that
    a tree gave (an archive member's ``node.tar!/x`` could name a file on disk)."""
    trees: list[LineSource] = list({id(n.tree): n.tree for n in nodes if n.tree is not None}.values())
    # a directory node's files are shown under its own folder: ask its tree first (a node of a
    # deployment file shares its folder with the others and is found by asking each tree)
    folders: dict[str, LineSource] = {}
    for node in nodes:
        if node.tree is not None and node.deployment is None:
            folders[node.path] = node.tree
    return FirstOf([*trees, DiskLines(disk_files, limits)], folders)


def _audit_roots(spec: ClusterSpec) -> tuple[Path, ...]:
    """The trees being audited: the cluster directory, every declared node directory and env file
    (a manifest names those outside its directory only when the user allowed it), never a common
    parent of them."""
    return audit_roots([spec.root, *(n.root for n in spec.nodes), *(e for n in spec.nodes for e in n.env_files)])


def _stack_attributes(ref: Reference) -> set[str]:
    assert ref.jgroups is not None
    return {a.name for p in ref.jgroups.protocols for a in p.attributes}
