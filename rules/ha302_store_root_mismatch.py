"""HA302 store-root-mismatch: the nodes' store locations (root, bucket, repository) differ."""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from typing import NamedTuple

from linter.ruleapi import (
    ERROR,
    Cluster,
    Confidence,
    Context,
    Finding,
    Node,
    Origin,
    OriginKind,
    OsgiEntry,
    Setting,
    agreement,
    liferay_default,
    rule,
)

# ----------------------------------------------------------------------------- store model
# Shared by HA302, HA303 and HA305 (rules import nothing but ruleapi, so each carries a copy;
# keep the copies identical).

FS_PIDS = {
    "fs": "com.liferay.portal.store.file.system.configuration.FileSystemStoreConfiguration",
    "afs": "com.liferay.portal.store.file.system.configuration.AdvancedFileSystemStoreConfiguration",
}
S3_PID = "com.liferay.portal.store.s3.configuration.S3StoreConfiguration"
DEFAULT_ROOT_7X = "data/document_library"  # @Meta.AD deflt of rootDir, relative to liferay.home (FSS)
_KINDS = {
    "FileSystemHook": "fs",
    "FileSystemStore": "fs",
    "AdvancedFileSystemHook": "afs",
    "AdvancedFileSystemStore": "afs",
    "S3Hook": "s3",
    "S3Store": "s3",
    "CMISHook": "cmis",
    "CMISStore": "cmis",
    "JCRHook": "jcr",
    "JCRStore": "jcr",
    "DBStore": "db",
}
_TYPE_MARKERS = "TILFDXSCBtilfdxscb"


class _Location(NamedTuple):
    """Where a node's store keeps its files: a root directory, a bucket, a repository URL."""

    what: str  # "file-system root", "S3 bucket", ...
    key: str  # the portal property, or "rootDir in <pid>"
    setting: Setting  # the definition (synthetic for OSGi entries and defaults)
    shown: str  # the effective value as shown to the user
    compare: str | None  # normalised for comparison; None when it cannot be known (unresolved)
    default: bool  # nobody set it: Liferay's default applies
    relative: bool  # a relative path (resolved against liferay.home on 7.x, the working directory on 6.x)
    missing: str = ""  # why a 7.x OSGi value is absent (no file, attribute not set)


def _is_6x(version: str) -> bool:
    return version.startswith("6.")


def _impl_key(version: str) -> str:
    return "dl.hook.impl" if version == "6.0" else "dl.store.impl"


def _impl(node: Node, version: str) -> tuple[str, Setting | None]:
    setting = node.setting(_impl_key(version))
    return (setting.value.strip() if setting is not None else ""), setting


def _kind(impl: str) -> str:
    return _KINDS.get(impl.rsplit(".", 1)[-1], "other")


def _unresolved(value: str) -> bool:
    rest = value.replace("${liferay.home}", "")
    return "${" in rest or "{{" in rest or "$[" in rest


def _absolute(path: str) -> bool:
    return path.startswith(("/", "\\", "${")) or bool(re.match(r"^[A-Za-z]:[\\/]", path))


def _normal(path: str) -> str:
    """Collapse ``//``, ``.`` and ``..`` in a POSIX path (or one rooted at ``${...}``); strip trailing slashes."""
    path = path.strip()
    if path.startswith(("/", "${")):
        parts: list[str] = []
        for part in path.split("/"):
            if part in ("", ".") or (part == ".." and not parts and path.startswith("/")):
                continue
            if part == ".." and parts and parts[-1] != ".." and not parts[-1].startswith("${"):
                parts.pop()
            else:
                parts.append(part)
        path = ("/" if path.startswith("/") else "") + "/".join(parts)
    return path.rstrip("/\\") or path


def _home(node: Node) -> str:
    home = node.setting("liferay.home")
    if home is not None and home.value.strip() and "${" not in home.value:
        return home.value.strip().rstrip("/\\")
    return "${liferay.home}"


def _typed(text: str) -> str:
    """The string inside a typed .config value (``"x"``, ``S"x"``) as configuration.override.* uses it."""
    value = text.strip()
    if len(value) >= 2 and value[0] in _TYPE_MARKERS and value[1] == '"':
        value = value[1:]
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


def _entry_setting(key: str, entry: OsgiEntry) -> Setting:
    value = entry.value if isinstance(entry.value, str) else entry.text
    return Setting(key, value, entry.text, entry.origin, Confidence.EXPLICIT)


def _osgi(node: Node, version: str, pid: str, attribute: str) -> tuple[Setting | None, str, str]:
    """The effective OSGi attribute (configuration.override.* from 7.2 on, then the .config/.cfg file):
    (setting or None, where it is read, why it is absent)."""
    if version not in ("7.0", "7.1"):
        override = node.setting(f"configuration.override.{pid}_{attribute}")
        if override is not None and override.value.strip():
            value = _typed(override.value)
            found = Setting(override.key, value, override.raw, override.origin, override.confidence)
            return found, override.key, ""
    config = node.osgi_config(pid)
    if config is None:
        return None, f"{attribute} in {pid}.config", f"there is no osgi/configs/{pid}.config or .cfg file"
    entry = config.get(attribute)
    name = config.path.replace("\\", "/").rsplit("/", 1)[-1]
    if entry is None:
        return None, f"{attribute} in {name}", f"{name} does not set {attribute}"
    return _entry_setting(attribute, entry), f"{attribute} in {name}", ""


def _location(node: Node, version: str) -> _Location | None:
    """The location of the node's active store, or None for stores without one (DBStore, others)."""
    impl, _ = _impl(node, version)
    kind = _kind(impl)
    six = _is_6x(version)
    if kind in ("fs", "afs"):
        if six:
            key = "dl.hook.file.system.root.dir" if version == "6.0" else "dl.store.file.system.root.dir"
            setting = node.setting(key)
            if setting is None:
                return None
            value = setting.value.strip()
            relative = not _absolute(value)
            default = setting.origin.kind is OriginKind.DEFAULT
            compare = None if _unresolved(value) else _normal(value)
            if compare is not None and not default:
                base = liferay_default(version, key) or ""
                default_path = _normal(base.replace("${liferay.home}", _home(node)))
                default = compare == default_path
            return _Location("file-system root", key, setting, value, compare, default, relative)
        pid = FS_PIDS[kind]
        found, where, missing = _osgi(node, version, pid, "rootDir")
        if found is None:
            detail = f"Liferay default rootDir={DEFAULT_ROOT_7X}: {missing}"
            config = node.osgi_config(pid)
            if config is not None:  # the file exists without rootDir: point at it
                origin = Origin(file=config.path, kind=OriginKind.FILE, detail=detail)
            else:
                origin = Origin(file="", kind=OriginKind.DEFAULT, detail=detail)
            found = Setting(f"{pid}_rootDir", DEFAULT_ROOT_7X, DEFAULT_ROOT_7X, origin, Confidence.DEFAULT)
        raw = found.value.strip()
        relative = not _absolute(raw)
        if _unresolved(raw):
            return _Location("file-system root", where, found, raw, None, False, relative, missing)
        path = _normal(f"{_home(node)}/{raw}" if relative else raw)
        default = path == _normal(f"{_home(node)}/{DEFAULT_ROOT_7X}")
        return _Location("file-system root", where, found, path, path, default, relative, missing)
    if kind == "s3":
        if six:
            key = "dl.hook.s3.bucket.name" if version == "6.0" else "dl.store.s3.bucket.name"
            setting = node.setting(key)
            where, missing = key, f"{key} is not set"
        else:
            setting, where, missing = _osgi(node, version, S3_PID, "bucketName")
        if setting is None:
            origin = Origin(file="", kind=OriginKind.DEFAULT, detail=f"no bucket: {missing}")
            setting = Setting(where, "", "", origin, Confidence.DEFAULT)
        value = setting.value.strip()
        compare = None if _unresolved(value) else value
        return _Location("S3 bucket", where, setting, value or "(no bucket)", compare, not value, False)
    if kind == "cmis" and six:
        key = "cmis.repository.url" if version == "6.0" else "dl.store.cmis.repository.url"
        setting = node.setting(key)
        if setting is None:
            return None
        value = setting.value.strip()
        default = setting.origin.kind is OriginKind.DEFAULT
        compare = None if _unresolved(value) else value.rstrip("/")
        return _Location("CMIS repository URL", key, setting, value, compare, default, False)
    if kind == "jcr" and six:
        key = "jcr.jackrabbit.repository.root"
        setting = node.setting(key)
        if setting is None:
            return None
        value = setting.value.strip()
        default = setting.origin.kind is OriginKind.DEFAULT
        compare = None if _unresolved(value) else _normal(value)
        return _Location("Jackrabbit repository root", key, setting, value, compare, default, not _absolute(value))
    return None


# ----------------------------------------------------------------------------- the rule


def _show(value: Hashable) -> str:
    return str(value) if value else "(not set)"


@rule(
    id="HA302",
    name="store-root-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="all",
    tags=("store", "drift"),
    summary="Nodes using the same Documents and Media store keep files in different places (file-system root, "
    "S3 bucket, CMIS repository or Jackrabbit root).",
    rationale=(
        "A store only works in a cluster when every node reaches the same files. For the file-system stores "
        "that means one root directory on storage shared by all nodes: nodes with different roots each see "
        "only the files uploaded through themselves. The same holds for the S3 bucket, the CMIS repository "
        "URL and the Jackrabbit repository root. The root is dl.hook.file.system.root.dir on 6.0, "
        "dl.store.file.system.root.dir on 6.1/6.2, and on 7.x the rootDir attribute of the OSGi "
        "configuration of the active store (FileSystemStoreConfiguration or "
        "AdvancedFileSystemStoreConfiguration, .config or .cfg, or configuration.override.* from 7.2 on), "
        "default data/document_library resolved against liferay.home. 6.x S3 buckets are "
        "dl.store.s3.bucket.name (dl.hook.s3.bucket.name on 6.0), 7.x bucketName in S3StoreConfiguration. "
        "Only nodes with the same store class are compared (a different class is HA301), and values with an "
        "unresolved ${...} are left out. Two different paths can still be one share mounted in two places: "
        "the rule compares what the configuration says."
    ),
    fix="Mount the shared storage at the same path on every node and give every node the same root (or "
    "bucket / repository URL); on 7.x deploy the same store .config file to every node's osgi/configs.",
    sources=(
        "Root keys per version: portal.properties 6.0.11 (dl.hook.file.system.root.dir), 6.1.0/6.2.5 "
        "(dl.store.file.system.root.dir, dl.store.s3.bucket.name, dl.store.cmis.repository.url, "
        "jcr.jackrabbit.repository.root); 6.0 CMIS: cmis.repository.url (liferay-ha-facts.md §4.1)",
        "7.x rootDir: FileSystemStoreRegister / AdvancedFileSystemStoreRegister configurationPid and "
        'AdvancedFileSystemStoreConfiguration @Meta.AD(deflt = "data/document_library"), FileSystemStore '
        "resolves a relative rootDir against PropsKeys.LIFERAY_HOME (liferay/liferay-portal "
        "modules/apps/portal-store/portal-store-file-system, read through the file index)",
        "7.x S3 bucket: S3StoreConfiguration.bucketName() (liferay/liferay-portal modules/apps/portal-store/"
        "portal-store-s3/.../S3StoreConfiguration.java @cfeb1462, checked: the key is bucketName, not "
        "s3BucketName)",
        "configuration.override.<pid>_<key> portal properties (liferay-learn 'Using Configuration Files', facts §1.4)",
        "Same store for every node (6.1/6.2 User Guide, DXP 7.0 guide, liferay-learn; facts §4.2)",
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    version = ctx.version
    locations = {n.name: _location(n, version) for n in cluster.nodes}
    impls = {n.name: _impl(n, version)[0] for n in cluster.nodes}
    for impl in sorted({i for i in impls.values() if i}):
        members = [n for n in cluster.nodes if impls[n.name] == impl and locations[n.name] is not None]
        if len(members) < 2:
            continue
        sample = locations[members[0].name]
        assert sample is not None
        keys = sorted({re.sub(r"\.(config|cfg)$", "", loc.key) for n in members if (loc := locations[n.name])})
        where = keys[0] if len(keys) == 1 else " / ".join(keys)

        def value_of(node: Node) -> str | None:
            loc = locations[node.name]
            return loc.compare if loc is not None else None

        def setting_of(node: Node) -> Setting | None:
            loc = locations[node.name]
            return loc.setting if loc is not None else None

        def skip(node: Node, impl: str = impl) -> bool:
            loc = locations[node.name]
            return impls[node.name] != impl or loc is None or loc.compare is None

        short = impl.rsplit(".", 1)[-1]
        yield from agreement(
            cluster,
            value_of,
            setting_of,
            what=f"The {short} {sample.what} ({where})",
            show=_show,
            subject=f"{short}:{sample.what}",
            help=f"give every {short} node the same {sample.what}, on storage all nodes share",
            skip=skip,
        )
