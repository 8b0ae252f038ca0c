"""HA303 store-local-default-path: a file-system store on the default or a relative root in a cluster."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from linter.ruleapi import (
    WARNING,
    Confidence,
    Context,
    Finding,
    Node,
    Origin,
    OriginKind,
    OsgiEntry,
    Setting,
    label,
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


@rule(
    id="HA303",
    name="store-local-default-path",
    severity=WARNING,
    scope="node",
    versions="all",
    tags=("store",),
    summary="A node of a cluster keeps Documents and Media files on the file-system store's default or a "
    "relative root, which is node-local unless shared storage is mounted there.",
    rationale=(
        "FileSystemStore and AdvancedFileSystemStore (FileSystemHook / AdvancedFileSystemHook on 6.0) are "
        "cluster-safe only when their root directory is on storage that every node shares and that supports "
        "concurrent access and file locking (SAN, clustered or network file system). The default root, "
        "${liferay.home}/data/document_library (rootDir=data/document_library resolved against liferay.home "
        "on 7.x), and any relative root sit inside each node's own Liferay home, so by default every node keeps "
        "its own files and documents uploaded on one node are missing on the others. A shared volume can be "
        "mounted exactly there (common with containers), which is why this is a warning: confirm the mount or "
        "move the root to the shared path explicitly. On 7.x the portal properties do not set the root at all "
        "(see HA305): only the store's OSGi configuration does."
    ),
    fix="Put the root on shared storage and configure it explicitly on every node: "
    "dl.store.file.system.root.dir (dl.hook.file.system.root.dir on 6.0), or on 7.x rootDir in "
    "osgi/configs/com.liferay.portal.store.file.system.configuration.(Advanced)FileSystemStoreConfiguration.config.",
    sources=(
        "Defaults: dl.hook.file.system.root.dir / dl.store.file.system.root.dir=${liferay.home}/data/document_library "
        "(portal.properties 6.0.11, 6.1.0, 6.2.5); 7.x rootDir default data/document_library and "
        "'new File(PropsUtil.get(PropsKeys.LIFERAY_HOME), path)' for a relative root (liferay/liferay-portal "
        "portal-store-file-system FileSystemStore.java and AdvancedFileSystemStoreConfiguration.java, read through "
        "the file index; liferay-ha-facts.md §4.1)",
        "6.1/6.2 User Guide, DXP 7.0 guide: the file systems used by the File System or Advanced File System stores "
        "must be shared and support concurrent requests and file locking (facts §4.2; 'default root = not shared' "
        "is an INFERENCE there, hence warning)",
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered:
        return
    impl, impl_setting = _impl(node, ctx.version)
    if _kind(impl) not in ("fs", "afs"):
        return
    loc = _location(node, ctx.version)
    if loc is None or loc.compare is None or not (loc.default or loc.relative):
        return
    empty = not loc.setting.value.strip()
    if empty and not _is_6x(ctx.version):
        return  # a blank 7.x rootDir stops the store from starting; not a question of sharing
    short = impl.rsplit(".", 1)[-1]
    if impl_setting is not None and impl_setting.origin.kind is OriginKind.DEFAULT:
        store = f"{short}, the Liferay {ctx.version} default of {_impl_key(ctx.version)}"
    else:
        store = f"{short} ({_impl_key(ctx.version)})"
    if loc.setting.origin.kind is OriginKind.DEFAULT and _is_6x(ctx.version):
        why = f"{loc.key} is not set, so the default {loc.shown} applies"
    elif loc.missing:
        why = f"{loc.missing}, so rootDir defaults to {DEFAULT_ROOT_7X} under liferay.home ({loc.shown})"
    elif empty:
        why = f"{loc.key} is empty, so the store writes relative to the app server's working directory"
    elif loc.relative and _is_6x(ctx.version):
        why = f"{loc.key} is the relative path {loc.setting.value.strip()}, resolved against the app server's "
        why += "working directory"
    elif loc.relative:
        why = f"{loc.key} is the relative path {loc.setting.value.strip()}, resolved against liferay.home "
        why += f"({loc.shown})"
    else:
        why = f"{loc.key} is {loc.shown}, the default location inside the node's own Liferay home"
    yield Finding(
        f"{node.name} keeps Documents and Media files in a node-local place: the store is {store}, and {why}; "
        f"in a {len(ctx.cluster.nodes)}-node cluster every node needs the same root on shared storage, unless "
        "a shared volume is mounted at exactly this path",
        label(node, loc.setting, loc.shown, key=loc.key),
        help="put the root on shared storage and set it explicitly on every node",
        confidence=loc.setting.confidence,
        subject=f"{short}:root",
    )
