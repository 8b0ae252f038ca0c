"""Documents and Media stores: which store a node runs and where it keeps its files.

The store class is ``dl.hook.impl`` on 6.0 and ``dl.store.impl`` from 6.1. Its location:

- file-system root: ``dl.hook.file.system.root.dir`` (6.0), ``dl.store.file.system.root.dir``
  (6.1/6.2); on 7.x the rootDir attribute of the active store's OSGi configuration
  (FileSystemStoreConfiguration or AdvancedFileSystemStoreConfiguration, .config or .cfg, or
  ``configuration.override.<pid>_rootDir`` from 7.2 on), default ``data/document_library`` resolved
  against liferay.home (FileSystemStoreRegister / AdvancedFileSystemStoreRegister configurationPid,
  ``AdvancedFileSystemStoreConfiguration @Meta.AD(deflt = "data/document_library")``, FileSystemStore
  resolves a relative rootDir against ``PropsKeys.LIFERAY_HOME``: liferay/liferay-portal
  modules/apps/portal-store/portal-store-file-system);
- S3 bucket: ``dl.hook.s3.bucket.name`` (6.0), ``dl.store.s3.bucket.name`` (6.1/6.2), 7.x bucketName
  in S3StoreConfiguration (S3StoreConfiguration.java @cfeb1462: the key is bucketName, not
  s3BucketName), which IBMS3Store reads too (its ``configurationPid`` is the same PID,
  IBMS3Store.java @0ceeea3c);
- CMIS repository URL (``cmis.repository.url`` 6.0, ``dl.store.cmis.repository.url`` 6.1/6.2) and
  Jackrabbit root (``jcr.jackrabbit.repository.root``) on 6.x.

The object stores of 7.x (S3Store, IBMS3Store, GCSStore, AzureStore) are compared as a whole by
HA306 through :func:`object_store`: S3 by (``s3Endpoint``, ``s3Region`` default us-east-1) as well
as the bucket (both S3 clients take the endpoint and region from the configuration: S3Store.java /
IBMS3Store.java ``getAmazonS3``), GCS by ``bucketName`` and the customer-supplied ``aes256Key``
(GCSStoreConfiguration.java @78f0e85c; GCSStore.java @c06c10e2 encrypts and decrypts every object
with it), Azure by ``containerName`` and the storage account of ``connectionString``
(AzureStoreConfiguration.java / AzureStore.java, tylerbertrand/liferay-portal@3339d27c).

Root keys per version from portal.properties 6.0.11, 6.1.0 and 6.2.5 (liferay-ha-facts.md §4.1);
``configuration.override.<pid>_<key>`` from liferay-learn 'Using Configuration Files' (facts §1.4).
Shared by HA302, HA303 and HA305 through ``linter.ruleapi``; nothing here reads files or the
environment.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from linter.liferay.defaults import liferay_default
from linter.liferay.osgi import OVERRIDE_PREFIX
from linter.liferay.placeholders import is_unresolved
from linter.liferay.versions import is_6x
from linter.origin import Confidence, Origin, OriginKind, Setting

if TYPE_CHECKING:
    from linter.model import Node
    from linter.sources.osgi_config import OsgiEntry

FS_STORE_PIDS = {
    "fs": "com.liferay.portal.store.file.system.configuration.FileSystemStoreConfiguration",
    "afs": "com.liferay.portal.store.file.system.configuration.AdvancedFileSystemStoreConfiguration",
}
S3_STORE_PID = "com.liferay.portal.store.s3.configuration.S3StoreConfiguration"
GCS_STORE_PID = "com.liferay.portal.store.gcs.configuration.GCSStoreConfiguration"
AZURE_STORE_PID = "com.liferay.portal.store.azure.configuration.AzureStoreConfiguration"
OBJECT_STORE_PIDS = {"s3": S3_STORE_PID, "ibms3": S3_STORE_PID, "gcs": GCS_STORE_PID, "azure": AZURE_STORE_PID}
DEFAULT_S3_REGION = "us-east-1"  # S3StoreConfiguration s3Region @Meta.AD deflt
DEFAULT_STORE_ROOT_7X = "data/document_library"  # @Meta.AD deflt of rootDir, relative to liferay.home (FSS)
_KINDS = {
    "FileSystemHook": "fs",
    "FileSystemStore": "fs",
    "AdvancedFileSystemHook": "afs",
    "AdvancedFileSystemStore": "afs",
    "S3Hook": "s3",
    "S3Store": "s3",
    "IBMS3Store": "ibms3",
    "GCSStore": "gcs",
    "AzureStore": "azure",
    "CMISHook": "cmis",
    "CMISStore": "cmis",
    "JCRHook": "jcr",
    "JCRStore": "jcr",
    "DBStore": "db",
}
_TYPE_MARKERS = "TILFDXSCBtilfdxscb"


class StoreLocation(NamedTuple):
    """Where a node's store keeps its files: a root directory, a bucket, a repository URL."""

    what: str  # "file-system root", "S3 bucket", ...
    key: str  # the portal property, or "rootDir in <pid>"
    setting: Setting  # the definition (synthetic for OSGi entries and defaults)
    shown: str  # the effective value as shown to the user
    compare: str | None  # normalised for comparison; None when it cannot be known (unresolved)
    default: bool  # nobody set it: Liferay's default applies
    relative: bool  # a relative path (resolved against liferay.home on 7.x, the working directory on 6.x)
    missing: str = ""  # why a 7.x OSGi value is absent (no file, attribute not set)


def store_impl_key(version: str) -> str:
    """The portal property naming the store class: ``dl.hook.impl`` on 6.0, ``dl.store.impl`` later."""
    return "dl.hook.impl" if version == "6.0" else "dl.store.impl"


def store_impl(node: Node, version: str) -> tuple[str, Setting | None]:
    """The node's store class ("" when unset) and the setting that names it."""
    setting = node.setting(store_impl_key(version))
    return (setting.value.strip() if setting is not None else ""), setting


def store_kind(impl: str) -> str:
    """fs, afs, s3, ibms3, gcs, azure, cmis, jcr, db or other, from the class's simple name (Hook on
    6.0, Store later)."""
    return _KINDS.get(impl.rsplit(".", 1)[-1], "other")


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
        override = node.setting(f"{OVERRIDE_PREFIX}{pid}_{attribute}")
        if override is not None and override.value.strip():
            value = _typed(override.value)
            found = Setting(override.key, value, override.raw, override.origin, override.confidence)
            return found, override.key, ""
    config = node.osgi_config(pid)
    if config is None:
        return None, f"{attribute} in {pid}.config", f"there is no osgi/configs/{pid}.config or .cfg file"
    entry = config.get(attribute)
    name = config.where.replace("\\", "/").rsplit("/", 1)[-1]
    if entry is None:
        return None, f"{attribute} in {name}", f"{name} does not set {attribute}"
    return _entry_setting(attribute, entry), f"{attribute} in {name}", ""


def store_location(node: Node, version: str) -> StoreLocation | None:
    """The location of the node's active store, or None for stores without one (DBStore, others)."""
    impl, _ = store_impl(node, version)
    kind = store_kind(impl)
    six = is_6x(version)
    if kind in ("fs", "afs"):
        if six:
            key = "dl.hook.file.system.root.dir" if version == "6.0" else "dl.store.file.system.root.dir"
            setting = node.setting(key)
            if setting is None:
                return None
            value = setting.value.strip()
            relative = not _absolute(value)
            default = setting.origin.kind is OriginKind.DEFAULT
            compare = None if is_unresolved(value) else _normal(value)
            if compare is not None and not default:
                base = liferay_default(version, key) or ""
                default_path = _normal(base.replace("${liferay.home}", _home(node)))
                default = compare == default_path
            return StoreLocation("file-system root", key, setting, value, compare, default, relative)
        pid = FS_STORE_PIDS[kind]
        found, where, missing = _osgi(node, version, pid, "rootDir")
        if found is None:
            detail = f"Liferay default rootDir={DEFAULT_STORE_ROOT_7X}: {missing}"
            config = node.osgi_config(pid)
            if config is not None:  # the file exists without rootDir: point at it
                origin = Origin(file=config.path, kind=OriginKind.FILE, detail=detail)
            else:
                origin = Origin(file="", kind=OriginKind.DEFAULT, detail=detail)
            found = Setting(f"{pid}_rootDir", DEFAULT_STORE_ROOT_7X, DEFAULT_STORE_ROOT_7X, origin, Confidence.DEFAULT)
        raw = found.value.strip()
        relative = not _absolute(raw)
        if is_unresolved(raw):
            return StoreLocation("file-system root", where, found, raw, None, False, relative, missing)
        path = _normal(f"{_home(node)}/{raw}" if relative else raw)
        default = path == _normal(f"{_home(node)}/{DEFAULT_STORE_ROOT_7X}")
        return StoreLocation("file-system root", where, found, path, path, default, relative, missing)
    if kind == "s3" or (kind == "ibms3" and not six):
        if six:
            key = "dl.hook.s3.bucket.name" if version == "6.0" else "dl.store.s3.bucket.name"
            setting = node.setting(key)
            where, missing = key, f"{key} is not set"
        else:
            setting, where, missing = _osgi(node, version, S3_STORE_PID, "bucketName")
        if setting is None:
            origin = Origin(file="", kind=OriginKind.DEFAULT, detail=f"no bucket: {missing}")
            setting = Setting(where, "", "", origin, Confidence.DEFAULT)
        value = setting.value.strip()
        compare = None if is_unresolved(value) else value
        return StoreLocation("S3 bucket", where, setting, value or "(no bucket)", compare, not value, False)
    if kind == "cmis" and six:
        key = "cmis.repository.url" if version == "6.0" else "dl.store.cmis.repository.url"
        setting = node.setting(key)
        if setting is None:
            return None
        value = setting.value.strip()
        default = setting.origin.kind is OriginKind.DEFAULT
        compare = None if is_unresolved(value) else value.rstrip("/")
        return StoreLocation("CMIS repository URL", key, setting, value, compare, default, False)
    if kind == "jcr" and six:
        key = "jcr.jackrabbit.repository.root"
        setting = node.setting(key)
        if setting is None:
            return None
        value = setting.value.strip()
        default = setting.origin.kind is OriginKind.DEFAULT
        compare = None if is_unresolved(value) else _normal(value)
        return StoreLocation("Jackrabbit repository root", key, setting, value, compare, default, not _absolute(value))
    return None


class StoreValue(NamedTuple):
    """One attribute of an object store's OSGi configuration, as the node runs it."""

    where: str  # the override key or "<attribute> in <file>"
    setting: Setting | None  # None: not set, so the default applies
    value: str  # the effective value: the setting's, else the default ("" when there is none)
    unresolved: bool  # an unresolved ${...}: the value cannot be known here


def object_store_value(node: Node, version: str, kind: str, attribute: str, default: str = "") -> StoreValue:
    """``attribute`` of the object store ``kind`` (s3, ibms3, gcs, azure): configuration.override.*
    from 7.2 on, then the .config/.cfg file, else ``default``."""
    setting, where, _missing = _osgi(node, version, OBJECT_STORE_PIDS[kind], attribute)
    raw = setting.value.strip() if setting is not None else ""
    unresolved = setting is not None and (setting.confidence is Confidence.UNRESOLVED or is_unresolved(raw))
    return StoreValue(where, setting if raw else None, raw or default, unresolved)


def s3_endpoint(value: str) -> str:
    """An ``s3Endpoint`` for comparison: no scheme, no trailing slash, lower case ("" = AWS by region)."""
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value.strip(), flags=re.IGNORECASE)
    return text.rstrip("/").lower()


def azure_account(connection_string: str) -> str | None:
    """The blob service a connection string points at (its BlobEndpoint, else AccountName and
    EndpointSuffix, default core.windows.net; the emulator for UseDevelopmentStorage=true), lower
    case; None when it names none. Keys and signatures in the string are ignored."""
    parts: dict[str, str] = {}
    for item in connection_string.split(";"):
        name, sep, value = item.partition("=")
        if sep:
            parts[name.strip().lower()] = value.strip()
    if parts.get("blobendpoint"):
        return s3_endpoint(parts["blobendpoint"])
    if parts.get("usedevelopmentstorage", "").lower() == "true":
        return "devstoreaccount1@emulator"
    account = parts.get("accountname")
    if not account:
        return None
    return f"{account}.blob.{parts.get('endpointsuffix') or 'core.windows.net'}".lower()
