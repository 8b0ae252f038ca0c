"""HA601 osgi-config-drift: an OSGi configuration differs between nodes or exists on some only."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from linter.ruleapi import (
    WARNING,
    Cluster,
    Confidence,
    Context,
    Finding,
    Node,
    Origin,
    OriginKind,
    Setting,
    agreement,
    rule,
)
from linter.ruleapi.memo import keys_with_prefix
from linter.ruleapi.osgi import OVERRIDE_PREFIX, OsgiConfig, OsgiEntry, is_osgi_file
from linter.ruleapi.secrets import is_secret_key
from linter.ruleapi.secrets import secret_digest as _digest
from linter.ruleapi.text import KeyGlobs, LazyPattern

# PID:key pairs a dedicated rule compares: HA302 (store root and bucket), HA406 (Elasticsearch target).
DEDICATED = (
    ("com.liferay.portal.store.file.system.configuration.*FileSystemStoreConfiguration*:rootDir", "HA302"),
    ("com.liferay.portal.store.s3.configuration.S3StoreConfiguration*:bucketName", "HA302"),
    ("com.liferay.portal.search.elasticsearch*:transportAddresses", "HA406"),
    ("com.liferay.portal.search.elasticsearch*:networkHostAddresses", "HA406"),
    ("com.liferay.portal.search.elasticsearch*:clusterName", "HA406"),
    ("com.liferay.portal.search.elasticsearch*:indexNamePrefix", "HA406"),
    ("com.liferay.portal.search.elasticsearch*:remoteClusterConnectionId", "HA406"),
)


@dataclass(frozen=True)
class Options:
    exclude: tuple[str, ...] = ()  # PIDs or PID:key pairs (globs with * and ?) never compared


def _pid(config: OsgiConfig) -> str:
    """The configuration's identity: factory instances written name~sub or name-sub are the same."""
    if config.factory_pid and config.pid != config.factory_pid:
        return f"{config.factory_pid}~{config.pid[len(config.factory_pid) + 1 :]}"
    return config.pid


def _comparable(entry: OsgiEntry) -> Hashable:
    value = entry.value
    if isinstance(value, tuple):
        return tuple(_scalar(v) for v in value)
    return _scalar(value)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Item(NamedTuple):
    value: Hashable  # comparable typed value
    text: str  # as written (canonical .config text)
    origin: Origin


_TYPED = LazyPattern(r'^(?P<marker>[TILFDXSCBtilfdxscb]?)(?P<body>"(?:[^"\\]|\\.)*"|\[.*\]|\(.*\))$', re.DOTALL)
_QUOTED = LazyPattern(r'"((?:[^"\\]|\\.)*)"')


def _typed(marker: str, raw: str) -> str:
    """What Felix's ConfigurationHandler makes of one item, as text (like ``_scalar`` of a .config entry)."""
    kind = marker.upper()
    if kind == "B":
        return "true" if raw.lower() == "true" else "false"
    if kind in ("I", "L", "S", "X") and re.fullmatch(r"[+-]?\d+", raw.strip()):
        return str(int(raw))
    if kind in ("F", "D"):
        try:
            return str(float(raw))
        except ValueError:
            return raw
    return raw


def _parse_override(text: str) -> Hashable | None:
    """The comparable value of a configuration.override.* property, or None when it is not a .config
    value (HA602 reports those)."""
    m = _TYPED.fullmatch(text.strip())
    if m is None:
        return None
    marker, body = m.group("marker"), m.group("body")
    items = [re.sub(r"\\(.)", r"\1", q) for q in _QUOTED.findall(body)]
    if body[0] in "[(":
        return tuple(_typed(marker, i) for i in items)
    return _typed(marker, items[0]) if items else None


class _Side:
    """One node's view of a PID: its files merged in reading order (a later file's key wins), then
    the configuration.override.<pid>_<key> portal properties, which take precedence over files."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.items: dict[str, _Item] = {}

    def add_file(self, config: OsgiConfig) -> None:
        self.paths.append(config.path)
        for entry in config.entries:
            self.items[entry.key] = _Item(_comparable(entry), entry.text, entry.origin)

    def add_override(self, key: str, value: Hashable, setting: Setting) -> None:
        if setting.origin.file and setting.origin.file not in self.paths:
            self.paths.append(setting.origin.file)
        self.items[key] = _Item(value, f"{setting.value.strip()} (configuration.override)", setting.origin)

    @property
    def path(self) -> str:
        return self.paths[0]


@rule(
    id="HA601",
    name="osgi-config-drift",
    severity=WARNING,
    scope="cluster",
    versions=">=7.0",
    tags=("drift", "osgi"),
    summary="An OSGi configuration (.config/.cfg under osgi/configs) differs between nodes or exists on some "
    "nodes only.",
    rationale=(
        "From 7.0 most settings live in OSGi configurations. liferay-learn asks for the same .config files "
        "on every node of a cluster: a configuration deployed on one node is stored in the database and "
        "reaches the other nodes, so with different files the effective value depends on which node wrote "
        "last, and a node restarted with its own file overwrites the others' value. Values are compared as "
        'typed values (B"true" in a .config equals true in a .cfg); a configuration.override.<pid>_<key> portal '
        "property counts as that PID's value and wins over the file (liferay-learn); factory instances written "
        "name~sub and name-sub are the same; secrets are compared as digests. Keys a dedicated rule compares "
        "(store root and bucket HA302, Elasticsearch addresses, cluster name and index prefix HA406) are left to "
        "it."
    ),
    fix="Deploy the same osgi/configs files (same names and content) to every node.",
    # facts: liferay-ha-facts.md §1.4, §7.1; read in: petershin/liferay-learn
    sources=(
        (
            "Liferay Learn, 'Using Configuration Files' (section 'Configuration Files and Clustering') (a file "
            "deployed on one node is stored in the database and applied to all nodes): https://learn.liferay.com/w/"
            "dxp/system-administration/configuring-liferay/configuration-files-and-factories/"
            "using-configuration-files"
        ),
    ),
    options=Options,
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    options: Options = ctx.options or Options()
    excluded = KeyGlobs(options.exclude)
    excluded_keys = KeyGlobs((*options.exclude, *(p for p, _ in DEDICATED)))
    nodes = list(cluster.nodes)
    if len(nodes) < 2:
        return
    sides: dict[str, dict[str, _Side]] = defaultdict(dict)
    for node in nodes:
        for config in node.osgi:
            if is_osgi_file(config.where):
                sides[_pid(config)].setdefault(node.name, _Side()).add_file(config)
        for key in sorted(keys_with_prefix(node.settings, OVERRIDE_PREFIX)):
            setting = node.settings[key]
            rest = key[len(OVERRIDE_PREFIX) :]
            index = rest.find("_")  # Liferay splits at the first underscore
            value = _parse_override(setting.value)
            if index <= 0 or value is None or setting.origin.kind is OriginKind.DEFAULT:
                continue
            sides[rest[:index]].setdefault(node.name, _Side()).add_override(rest[index + 1 :], value, setting)
    for pid in sorted(sides):
        if excluded.matches(pid):
            continue
        present = sides[pid]

        yield from _presence(cluster, pid, present)
        if len(present) < 2:
            continue
        keys = sorted({k for side in present.values() for k in side.items})
        for key in keys:
            if excluded_keys.matches(f"{pid}:{key}"):
                continue
            yield from _compare_key(cluster, pid, key, present)


def _presence(cluster: Cluster, pid: str, present: dict[str, _Side]) -> Iterator[Finding]:
    def setting_of(node: Node) -> Setting:
        side = present.get(node.name)
        if side is None:  # the node itself: no file, no override
            return Setting(pid, "", "", Origin(file=node.path), Confidence.EXPLICIT)
        return Setting(pid, "deployed", "deployed", Origin(file=side.path), Confidence.EXPLICIT)

    yield from agreement(
        cluster,
        lambda n: n.name in present,
        setting_of,
        what=f"OSGi configuration {pid} (a .config/.cfg file or configuration.override properties)",
        show=lambda v: "it" if v else "none",
        subject=pid,
        help=f"deploy the same {pid} file to every node (or remove it everywhere)",
    )


def _compare_key(cluster: Cluster, pid: str, key: str, present: dict[str, _Side]) -> Iterator[Finding]:
    secret = is_secret_key(key)

    def value_of(node: Node) -> Hashable:
        item = present[node.name].items.get(key)
        if item is None:
            return None
        return _digest(repr(item.value)) if secret else item.value

    values = [value_of(n) for n in cluster.nodes if n.name in present]
    if len(set(values)) < 2:
        return
    ranked = sorted(dict.fromkeys(values), key=lambda v: -values.count(v))
    names = {v: f"value {chr(ord('A') + i)}" for i, v in enumerate(ranked)}
    texts: dict[Hashable, str] = {}
    for node in cluster.nodes:
        item = present[node.name].items.get(key) if node.name in present else None
        if item is not None:
            texts.setdefault(value_of(node), item.text)

    def show(value: Hashable) -> str:
        if value is None:
            return "no value (the component's default)"
        if secret:
            return f"{names[value]} (secret, not shown)"
        return texts[value]

    def setting_of(node: Node) -> Setting:
        side = present[node.name]
        item = side.items.get(key)
        if item is None:  # the whole file that does not set the key
            return Setting(key, "", "", Origin(file=side.path), Confidence.EXPLICIT)
        return Setting(key, item.text, item.text, item.origin, Confidence.EXPLICIT)

    yield from agreement(
        cluster,
        value_of,
        setting_of,
        what=f"OSGi configuration {pid}: {key}",
        show=show,
        subject=f"{pid}:{key}",
        help=f"give {key} the same value in {pid} on every node",
        skip=lambda n: n.name not in present,
    )
