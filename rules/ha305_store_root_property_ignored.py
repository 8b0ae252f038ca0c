"""HA305 store-root-property-ignored: a 6.x store root property set on 7.x, where only OSGi rootDir counts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from linter.ruleapi import (
    ERROR,
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

# VerifyProperties (master 2024-12) _MODULARIZED_PORTAL_KEYS: these keys moved to the OSGi
# configuration of module com.liferay.portal.store.filesystem as root.dir (rootDir); the 6.0
# spelling is in its obsolete list.
IGNORED_KEYS = (
    ("dl.store.file.system.root.dir", "modularized to the OSGi configuration of com.liferay.portal.store.filesystem"),
    (
        "dl.store.advanced.file.system.root.dir",
        "modularized to the OSGi configuration of com.liferay.portal.store.filesystem",
    ),
    ("dl.hook.file.system.root.dir", "obsolete (the 6.0 name)"),
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
    id="HA305",
    name="store-root-property-ignored",
    severity=ERROR,
    scope="node",
    versions="7.x",
    tags=("store",),
    summary="dl.store.file.system.root.dir (or the advanced or 6.0 variant) is set on 7.x, where the file-system "
    "stores read their root only from the OSGi rootDir.",
    rationale=(
        "From 7.0 on the file-system stores are OSGi components: FileSystemStore reads rootDir from "
        "com.liferay.portal.store.file.system.configuration.FileSystemStoreConfiguration and "
        "AdvancedFileSystemStore from ...AdvancedFileSystemStoreConfiguration (default data/document_library "
        "under liferay.home). The 6.x portal properties dl.store.file.system.root.dir and "
        "dl.store.advanced.file.system.root.dir are no longer read; Liferay's VerifyProperties lists them as "
        "modularized to the store module (and dl.hook.file.system.root.dir as obsolete). A root set this way "
        "is silently ignored: the node keeps documents in the default local directory while the admin believes "
        "they are on the shared path, which in a cluster means nodes with different document sets. The finding "
        "names the root the node really uses."
    ),
    fix="Move the path to rootDir in osgi/configs/com.liferay.portal.store.file.system.configuration."
    '(Advanced)FileSystemStoreConfiguration.config on every node (rootDir="/shared/path") and delete the '
    "portal property.",
    sources=(
        "VerifyProperties master 2024-12: dl.store.file.system.root.dir and dl.store.advanced.file.system.root.dir "
        "modularized to com.liferay.portal.store.filesystem as root.dir, also obsolete; dl.hook.file.system.root.dir "
        "obsolete (shared/corpus/liferay/verify-properties-legacy-keys.tsv; liferay-ha-facts.md §4.1)",
        "FileSystemStoreRegister / AdvancedFileSystemStoreRegister configurationPid and rootDir default "
        "data/document_library (liferay/liferay-portal modules/apps/portal-store/portal-store-file-system, read "
        "through the file index; FSS in the facts)",
        "portal.properties 7.4 (master 2024-12) defines no dl.store.file.system.root.dir (shared/corpus/liferay)",
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    impl, _ = _impl(node, ctx.version)
    kind = _kind(impl)
    loc = _location(node, ctx.version) if kind in ("fs", "afs") else None
    for key, status in IGNORED_KEYS:
        setting = node.setting(key)
        if setting is None or setting.origin.kind is OriginKind.DEFAULT or not setting.value.strip():
            continue
        pid = FS_PIDS[kind] if kind in ("fs", "afs") else FS_PIDS["afs" if "advanced" in key else "fs"]
        if loc is not None:
            source = loc.missing or loc.key
            really = f"{impl.rsplit('.', 1)[-1]} on {node.name} uses {loc.shown} ({source})"
        elif impl:
            really = f"the active store on {node.name} is {impl.rsplit('.', 1)[-1]}, which does not use it either"
        else:
            really = f"{node.name} sets no store class"
        yield Finding(
            f"{key}={setting.value.strip()} is ignored on Liferay {ctx.version}: the key is {status} "
            f"(VerifyProperties), and the file-system stores read rootDir from their OSGi configuration only; {really}",
            label(node, setting, "ignored on 7.x", key=key),
            help=f'set rootDir="{setting.value.strip()}" in osgi/configs/{pid}.config on every node and remove {key}',
            confidence=setting.confidence,
            subject=key,
        )
