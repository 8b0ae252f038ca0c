"""HA306 object-store-mismatch: nodes on one object store class reach different stores, or GCS nodes
encrypt with different keys."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator

from linter.ruleapi import (
    ERROR,
    WARNING,
    Cluster,
    Confidence,
    Context,
    Finding,
    Label,
    Node,
    Origin,
    OriginKind,
    Setting,
    Severity,
    agreement,
    label,
    label_at,
    node_names,
    outliers,
    rule,
)
from linter.ruleapi.secrets import secret_digest
from linter.ruleapi.store import (
    DEFAULT_S3_REGION,
    OBJECT_STORE_PIDS,
    StoreValue,
    azure_account,
    object_store_value,
    s3_endpoint,
    store_impl,
    store_kind,
)

# An AES-256 key as GCS takes it: 32 bytes in base64. Anything else may be a SecretResolver
# reference, whose syntax is not settled (releases-2024-2026 §4): two different references can
# name one secret, so they are compared at warning only.
_LITERAL_KEY = re.compile(r"^[A-Za-z0-9+/]{43}=$")


def _at(node: Node, value: StoreValue, pid: str, text: str) -> Label:
    """At the value's definition, else at the store's .config file (the attribute is not set), else the node."""
    if value.setting is not None:
        return label(node, value.setting, text)
    config = node.osgi_config(pid)
    if config is not None:
        return label_at(node, Origin(file=config.path, kind=OriginKind.FILE, detail=f"{value.where}: not set"), text)
    return label(node, None, text, key=value.where)


def _setting(node: Node, value: StoreValue, pid: str) -> Setting | None:
    """The value's definition; when it is not set, the store's .config file (the default applies)."""
    if value.setting is not None:
        return value.setting
    config = node.osgi_config(pid)
    if config is None:
        return None
    origin = Origin(file=config.path, kind=OriginKind.FILE, detail=f"{value.where}: not set")
    return Setting(value.where, value.value, "", origin, Confidence.DEFAULT)


def _compare_hidden(
    members: list[Node],
    values: dict[str, StoreValue],
    compared: Callable[[StoreValue], str | None],
    *,
    pid: str,
    subject: str,
    what: str,
    state: Callable[[StoreValue], str],
    why: str,
    help: str,
    severity: Callable[[list[StoreValue]], Severity],
) -> Iterator[Finding]:
    """Group ``members`` by a digest of ``compared(value)`` and report the outliers without ever
    showing a value (only ``state``, which says whether one is set)."""
    groups: dict[str | None, list[Node]] = defaultdict(list)
    for node in members:
        value = values[node.name]
        text = compared(value)
        if value.unresolved or text is None:
            continue
        groups[secret_digest(text)].append(node)
    for _digest, group, other_groups, tie in outliers(groups):
        others = [n for _, ns in other_groups for n in ns]
        majority = other_groups[0][1]
        level = severity([values[n.name] for n in group + others])
        for node in group:
            value = values[node.name]
            if tie:
                message = f"{what} differs between nodes (tie): {node.name} has {state(value)}, not the one on "
                message += node_names(others)
            else:
                verb = "share" if len(majority) > 1 else "has"
                message = f"{what} differs between nodes: {node.name} has {state(value)}, not the one "
                message += f"{node_names(majority)} {verb}"
            message += f" (compared as digests; values are not shown): {why}"
            related = tuple(
                _at(o, values[o.name], pid, f"{o.name}: {state(values[o.name])}, a different value") for o in others
            )
            yield Finding(
                message,
                _at(node, value, pid, f"{node.name}: {state(value)}, differs"),
                related,
                help=help,
                confidence=value.setting.confidence if value.setting is not None else Confidence.DEFAULT,
                subject=subject,
                severity=level,
            )


def _show(value: Hashable) -> str:
    return str(value) if value else "(not set)"


@rule(
    id="HA306",
    since="0.2.0",
    name="object-store-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="7.x",
    tags=("store", "drift", "secrets"),
    summary="Nodes on one object store class (S3Store, IBMS3Store, GCSStore, AzureStore) reach different "
    "stores: another S3 endpoint or region for the same bucket name, another GCS bucket or encryption key, "
    "another Azure container or storage account.",
    rationale=(
        "Documents and Media keep the file records in the shared database and the bytes in the store, so every "
        "node must reach the same store. For the object stores the store is more than the bucket name. "
        "S3Store and IBMS3Store (IBM Cloud Object Storage; the same S3StoreConfiguration PID) build their "
        "client from s3Endpoint and s3Region (default us-east-1): the same bucket name on a MinIO endpoint "
        "and on AWS, or in two regions, is two stores or an unreachable one (a differing bucket name is "
        "HA302's). GCSStore reads bucketName and encrypts every object with the customer-supplied aes256Key "
        "and decrypts with it: Google Cloud Storage serves such an object only with the same key, so nodes "
        "with different keys (or one without a key) cannot read each other's files. AzureStore reads "
        "containerName in the storage account that connectionString names. Keys and connection strings are "
        "compared as keyed digests valid for one run and never shown. A differing aes256Key that is not a "
        "literal base64 AES-256 key may be a reference that GCSStore's SecretResolver resolves (its syntax "
        "is not settled here), so that case is a warning. Applies to every 7.x release that ships these "
        "stores (GCSStore and AzureStore on recent 7.4 updates and the 2024.Q1-2026.Q3 quarterly releases); "
        "values with an unresolved ${...} are left out."
    ),
    fix="Deploy one store configuration (.config file or configuration.override.* properties) to every node: "
    "the same bucket or container, the same S3 endpoint and region, the same Azure storage account and the "
    "same GCS aes256Key (from one secret).",
    # facts: liferay-releases-2024-2026.md §4, M11; read in: tylerbertrand/liferay-portal
    sources=(
        (
            "Liferay source, S3StoreConfiguration.java (bucketName, s3Endpoint, s3Region, s3PathStyle): https://"
            "github.com/liferay/liferay-portal/blob/cfeb1462/modules/apps/portal-store/portal-store-s3/src/main/java/"
            "com/liferay/portal/store/s3/configuration/S3StoreConfiguration.java"
        ),
        (
            "Liferay source, IBMS3Store.java: https://github.com/liferay/liferay-portal/blob/0ceeea3c/modules/apps/"
            "portal-store/portal-store-s3/src/main/java/com/liferay/portal/store/s3/IBMS3Store.java"
        ),
        (
            "Liferay source, Google Cloud Storage store (bucketName, aes256Key): https://github.com/liferay/"
            "liferay-portal/tree/78f0e85c/modules/apps/portal-store/portal-store-gcs"
        ),
        (
            "Liferay source (2024+ releases), Azure Blob Storage store (connectionString, containerName, "
            "encryptionScope): https://github.com/liferay/liferay-portal/tree/master/modules/apps/portal-store/"
            "portal-store-azure"
        ),
        (
            "Liferay Learn, 'Clustering for High Availability' (every node uses the same document store): https://"
            "learn.liferay.com/w/dxp/installation-and-upgrades/setting-up-liferay/clustering-for-high-availability"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    version = ctx.version
    impls = {n.name: store_impl(n, version)[0] for n in cluster.nodes}
    for impl in sorted({i for i in impls.values() if i}):
        kind = store_kind(impl)
        if kind not in OBJECT_STORE_PIDS:
            continue
        members = [n for n in cluster.nodes if impls[n.name] == impl]
        if len(members) < 2:
            continue
        short = impl.rsplit(".", 1)[-1]
        if kind in ("s3", "ibms3"):
            yield from _s3(cluster, members, version, kind, short)
        elif kind == "gcs":
            yield from _gcs(cluster, members, version, short)
        else:
            yield from _azure(cluster, members, version, short)


def _by_location(members: list[Node], values: dict[str, StoreValue]) -> list[tuple[str, list[Node]]]:
    """Members grouped by bucket or container, for the groups of two or more nodes."""
    groups: dict[str, list[Node]] = defaultdict(list)
    for node in members:
        value = values[node.name]
        if not value.unresolved and value.value:
            groups[value.value].append(node)
    return [(name, nodes) for name, nodes in sorted(groups.items()) if len(nodes) >= 2]


def _agree(
    cluster: Cluster,
    names: set[str],
    values: dict[str, StoreValue],
    pid: str,
    compared: Callable[[str], str] = str,
    show: Callable[[Hashable], str] = _show,
    **wording: str,
) -> Iterator[Finding]:
    """The nodes named in ``names`` must agree on ``compared(value)``; unresolved values are left out."""

    def value_of(node: Node) -> str:
        return compared(values[node.name].value)

    def setting_of(node: Node) -> Setting | None:
        return _setting(node, values[node.name], pid)

    def skip(node: Node) -> bool:
        return node.name not in names or values[node.name].unresolved

    yield from agreement(cluster, value_of, setting_of, show=show, skip=skip, **wording)


def _s3(cluster: Cluster, members: list[Node], version: str, kind: str, short: str) -> Iterator[Finding]:
    pid = OBJECT_STORE_PIDS[kind]
    buckets = {n.name: object_store_value(n, version, kind, "bucketName") for n in members}
    endpoints = {n.name: object_store_value(n, version, kind, "s3Endpoint") for n in members}
    regions = {n.name: object_store_value(n, version, kind, "s3Region", DEFAULT_S3_REGION) for n in members}
    for bucket, nodes in _by_location(members, buckets):
        names = {n.name for n in nodes}
        for attribute, values in (("s3Endpoint", endpoints), ("s3Region", regions)):
            yield from _agree(
                cluster,
                names,
                values,
                pid,
                compared=s3_endpoint if attribute == "s3Endpoint" else str,
                show=lambda v: str(v) or "(not set: AWS)",
                what=f"The {short} {attribute} for bucket {bucket} (in {pid})",
                subject=f"{short}:{attribute}",
                help=f"the same bucket name on another endpoint or region is another store: give every {short} "
                f"node the same {attribute}",
            )


def _gcs(cluster: Cluster, members: list[Node], version: str, short: str) -> Iterator[Finding]:
    pid = OBJECT_STORE_PIDS["gcs"]
    buckets = {n.name: object_store_value(n, version, "gcs", "bucketName") for n in members}
    yield from _agree(
        cluster,
        {n.name for n in members},
        buckets,
        pid,
        what=f"The {short} bucket (bucketName in {pid})",
        subject=f"{short}:bucket",
        help=f"give every {short} node the same bucketName",
    )
    keys = {n.name: object_store_value(n, version, "gcs", "aes256Key") for n in members}

    def state(value: StoreValue) -> str:
        return "an aes256Key" if value.value else "no aes256Key (it writes files unencrypted)"

    def severity(values: list[StoreValue]) -> Severity:
        literal = all(not v.value or _LITERAL_KEY.match(v.value) for v in values)
        return ERROR if literal else WARNING

    for bucket, nodes in _by_location(members, buckets):
        yield from _compare_hidden(
            nodes,
            keys,
            lambda v: v.value,
            pid=pid,
            subject=f"{short}:aes256Key",
            what=f"The {short} encryption key for bucket {bucket} (aes256Key in {pid})",
            state=state,
            why="GCS serves an object encrypted with a customer-supplied key only with that key, so files "
            "written through one node cannot be read through the others",
            help="give every GCSStore node the same aes256Key (from one secret)",
            severity=severity,
        )


def _azure(cluster: Cluster, members: list[Node], version: str, short: str) -> Iterator[Finding]:
    pid = OBJECT_STORE_PIDS["azure"]
    containers = {n.name: object_store_value(n, version, "azure", "containerName") for n in members}
    yield from _agree(
        cluster,
        {n.name for n in members},
        containers,
        pid,
        what=f"The {short} container (containerName in {pid})",
        subject=f"{short}:container",
        help=f"give every {short} node the same containerName",
    )
    connections = {n.name: object_store_value(n, version, "azure", "connectionString") for n in members}
    for container, nodes in _by_location(members, containers):
        yield from _compare_hidden(
            nodes,
            connections,
            lambda v: azure_account(v.value),
            pid=pid,
            subject=f"{short}:account",
            what=f"The storage account of the {short} container {container} (connectionString in {pid})",
            state=lambda v: "a storage account" if v.value else "no connectionString",
            why="the same container name in another storage account is another store",
            help="give every AzureStore node a connectionString for the same storage account",
            severity=lambda values: ERROR,
        )
