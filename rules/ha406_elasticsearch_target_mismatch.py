"""HA406 elasticsearch-target-mismatch: nodes point at different Elasticsearch clusters or index prefixes."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterator
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
    Setting,
    agreement,
    rule,
)

# ----------------------------------------------------------------------------- search model
# Shared by HA404, HA405, HA406 and HA407 (rules import nothing but ruleapi, so each carries a copy;
# keep the copies identical).

SEARCH_PREFIX = "com.liferay.portal.search."
OVERRIDE_PREFIX = "configuration.override."
ES2 = "com.liferay.portal.search.elasticsearch.configuration.ElasticsearchConfiguration"
ES6 = "com.liferay.portal.search.elasticsearch6.configuration.ElasticsearchConfiguration"
ES7 = "com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConfiguration"
ES7_CONNECTION = "com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConnectionConfiguration"
CONNECTOR_NAMES = {
    ES2: "Elasticsearch 2.x connector of Liferay 7.0",
    ES6: "Elasticsearch 6 connector (bundled with 7.1-7.2, Marketplace for 7.0)",
    ES7: "Elasticsearch 7 connector (bundled from 7.3, Marketplace for 7.1-7.2)",
    ES7_CONNECTION: "Elasticsearch 7 connection factory (Liferay 7.3+)",
}
# Which connector PIDs a family reads: the bundled connector first, then Marketplace connectors
# (liferay-learn connecting-to-elasticsearch.md, elasticsearch-connector-configuration-reference.md;
# Help Center 360051492032 "DXP 7.0 => Connector to Elasticsearch 6, DXP 7.1-7.2 => Connector to
# Elasticsearch 7").
CONNECTORS_BY_FAMILY = {
    "7.0": (ES2, ES6),
    "7.1": (ES6, ES7),
    "7.2": (ES6, ES7),
    "7.3": (ES7, ES7_CONNECTION),
    "7.4": (ES7, ES7_CONNECTION),
}
TRANSPORT_FAMILIES = ("7.0", "7.1", "7.2")  # transport client: operationMode, transportAddresses, clusterName
OTHER_ENGINES = {
    "com.liferay.portal.search.solr": "Solr",
    "com.liferay.portal.search.opensearch": "OpenSearch",
}
_SECRET_WORDS = ("password", "secret", "credential", "key")
_SHOWN_KEYS = (
    "operationMode",
    "productionModeEnabled",
    "transportAddresses",
    "networkHostAddresses",
    "clusterName",
    "indexNamePrefix",
    "remoteClusterConnectionId",
)


class SearchValue(NamedTuple):
    value: object  # str, bool, or a tuple of str
    text: str  # as written
    origin: Origin


class SearchConfig(NamedTuple):
    """One search OSGi configuration of a node: a .config/.cfg file and/or configuration.override.*."""

    pid: str  # as deployed (a factory configuration keeps its sub-name)
    base: str  # the PID (or factory PID) a component reads
    where: str  # file path, or "configuration.override.<pid>_*"
    origin: Origin  # the configuration as a whole (line 1 of the file, or the first override)
    values: dict[str, SearchValue]

    def get(self, key: str) -> SearchValue | None:
        return self.values.get(key)

    @property
    def name(self) -> str:
        return self.where.replace("\\", "/").rsplit("/", 1)[-1]


def typed_value(text: str) -> object:
    """A configuration.override.* value in .config syntax: ``B"true"``, ``"x"``, ``["a","b"]``."""
    value = text.strip()
    marker = ""
    if len(value) >= 2 and value[0].isalpha() and value[1] in '"[(':
        marker, value = value[0], value[1:]
    if value[:1] in ("[", "(") and value[-1:] in ("]", ")"):
        items = re.findall(r'"((?:[^"\\]|\\.)*)"', value[1:-1])
        return tuple(i.replace('\\"', '"').replace("\\\\", "\\") for i in items)
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if marker.upper() == "B":
        return value.strip().lower() == "true"
    return value


def search_configs(node: Node, version: str) -> list[SearchConfig]:
    """The node's search configurations: files, then configuration.override.* portal properties, which
    win over the files (7.2 FP14+, 7.3 FP1+, 7.4; ignored on 7.0-7.1: facts §1.4, LL-CFG)."""
    found: dict[str, SearchConfig] = {}
    for config in node.osgi:
        if not config.base_pid.startswith(SEARCH_PREFIX):
            continue
        values = {e.key: SearchValue(e.value, e.text, e.origin) for e in config.entries}
        found[config.pid] = SearchConfig(config.pid, config.base_pid, config.path, Origin(config.path, 1, 1), values)
    if version in ("7.0", "7.1"):
        return list(found.values())
    for key in sorted(node.settings):
        if not key.startswith(OVERRIDE_PREFIX + SEARCH_PREFIX):
            continue
        pid, _, attribute = key[len(OVERRIDE_PREFIX) :].rpartition("_")
        if not pid or not attribute:
            continue
        setting = node.settings[key]
        conf = found.get(pid)
        if conf is None:
            conf = SearchConfig(pid, pid, f"{OVERRIDE_PREFIX}{pid}_*", setting.origin, {})
            found[pid] = conf
        conf.values[attribute] = SearchValue(typed_value(setting.value), setting.value.strip(), setting.origin)
    return list(found.values())


def text_of(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def is_true(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def items_of(value: object) -> tuple[str, ...]:
    parts = [str(v) for v in value] if isinstance(value, tuple) else str(value).split(",")
    return tuple(p.strip() for p in parts if p.strip())


def other_engine(configs: list[SearchConfig]) -> tuple[str, SearchConfig] | None:
    """A Solr or OpenSearch connector configuration: search does not run on the Elasticsearch connector."""
    for conf in configs:
        for prefix, engine in OTHER_ENGINES.items():
            if conf.base.startswith(prefix):
                return engine, conf
    return None


def is_remote(conf: SearchConfig, version: str) -> bool:
    """Remote mode as the connector decides it: operationMode REMOTE on 7.0-7.2; from 7.3
    productionModeEnabled, or the deprecated operationMode REMOTE (ElasticsearchConfigurationWrapper
    .isProductionModeEnabled)."""
    mode = conf.get("operationMode")
    if mode is not None and text_of(mode.value).strip().upper() == "REMOTE":
        return True
    if version in TRANSPORT_FAMILIES:
        return False
    production = conf.get("productionModeEnabled")
    return production is not None and is_true(production.value)


def remote_file_elsewhere(node: Node, nodes: tuple[Node, ...], version: str) -> str | None:
    """Another node's deployed .config (not a configuration.override.*, which stays on its node) that puts the
    connector in remote mode: Liferay stores deployed files in the database and applies them on every node
    (liferay-learn using-configuration-files.md, 'Configuration Files and Clustering')."""
    readable = CONNECTORS_BY_FAMILY.get(version, ())
    for other in nodes:
        if other is node:
            continue
        for conf in search_configs(other, version):
            if conf.base in readable and not conf.where.startswith(OVERRIDE_PREFIX) and is_remote(conf, version):
                return other.name
    return None


def summary(conf: SearchConfig) -> str:
    """The configuration's settings for a message (values only for harmless keys)."""
    parts = []
    for key, value in conf.values.items():
        if key in _SHOWN_KEYS:
            parts.append(f"{key}={value.text}")
        elif not any(word in key.lower() for word in _SECRET_WORDS):
            parts.append(key)
    return ", ".join(parts) if parts else "no settings"


def short_pid(pid: str) -> str:
    return pid[len(SEARCH_PREFIX) :] if pid.startswith(SEARCH_PREFIX) else pid


# ----------------------------------------------------------------------------- rule

ADDRESS_DEFAULTS: dict[str, tuple[str, ...]] = {
    "transportAddresses": ("localhost:9300",),
    "networkHostAddresses": ("http://localhost:9200",),
}
DEFAULT_CLUSTER_NAME = "LiferayElasticsearchCluster"
DEFAULT_PREFIX = "liferay-"


class _Target(NamedTuple):
    conf: SearchConfig
    connector: Setting
    addresses: tuple[tuple[str, ...], Setting]
    cluster_name: tuple[str, Setting] | None  # transport client only (7.0-7.2)
    prefix: tuple[str, Setting]


def _setting(conf: SearchConfig, key: str, shown: str, value: SearchValue | None) -> Setting:
    if value is not None:
        return Setting(key, shown, value.text, value.origin, Confidence.EXPLICIT)
    detail = f"connector default: {conf.name} does not set {key}"
    return Setting(key, shown, shown, Origin("", kind=OriginKind.DEFAULT, detail=detail), Confidence.DEFAULT)


def _normal_addresses(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({i.strip().rstrip("/").lower() for i in items if i.strip()}))


def _addresses(conf: SearchConfig, configs: list[SearchConfig], version: str) -> tuple[tuple[str, ...], Setting]:
    key = "transportAddresses" if version in TRANSPORT_FAMILIES else "networkHostAddresses"
    connection_id = conf.get("remoteClusterConnectionId")
    if key == "networkHostAddresses" and connection_id is not None and text_of(connection_id.value).strip():
        wanted = text_of(connection_id.value).strip()
        for other in sorted(configs, key=lambda c: c.where):
            ident = other.get("connectionId")
            if other.base == ES7_CONNECTION and ident is not None and text_of(ident.value).strip() == wanted:
                value = other.get(key)
                items = items_of(value.value) if value is not None else ADDRESS_DEFAULTS[key]
                shown = ", ".join(items)
                return _normal_addresses(items), _setting(other, key, shown, value)
        shown = f"connection {wanted!r} (not defined on this node)"
        return (shown,), _setting(conf, "remoteClusterConnectionId", shown, connection_id)
    value = conf.get(key)
    items = items_of(value.value) if value is not None else ADDRESS_DEFAULTS[key]
    return _normal_addresses(items), _setting(conf, key, ", ".join(items), value)


def _target(node: Node, version: str) -> _Target | None:
    configs = search_configs(node, version)
    if other_engine(configs) is not None:
        return None
    readable = CONNECTORS_BY_FAMILY.get(version, ())
    remote = sorted(
        (c for c in configs if c.base in readable and c.base != ES7_CONNECTION and is_remote(c, version)),
        key=lambda c: (readable.index(c.base), c.where),
    )
    if not remote:
        return None  # embedded or sidecar: HA404/HA405
    conf = remote[0]
    connector = Setting("connector", conf.base, conf.base, conf.origin, Confidence.EXPLICIT)
    cluster_name = None
    if version in TRANSPORT_FAMILIES:
        value = conf.get("clusterName")
        name = text_of(value.value).strip() if value is not None else DEFAULT_CLUSTER_NAME
        cluster_name = (name, _setting(conf, "clusterName", name, value))
    value = conf.get("indexNamePrefix")
    prefix = text_of(value.value).strip() if value is not None else DEFAULT_PREFIX
    return _Target(
        conf,
        connector,
        _addresses(conf, configs, version),
        cluster_name,
        (prefix, _setting(conf, "indexNamePrefix", prefix, value)),
    )


def _quoted(value: Hashable) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return f'"{value}"'


@rule(
    id="HA406",
    name="elasticsearch-target-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="7.x",
    tags=("search", "elasticsearch", "drift"),
    summary="Nodes in remote mode point at different Elasticsearch clusters, connectors or index name prefixes.",
    rationale=(
        "A Liferay cluster shares one search index: every node must write to and read from the same Elasticsearch "
        "cluster under the same index names. Nodes whose connector configurations name different remote "
        "addresses (transportAddresses on 7.0-7.2, networkHostAddresses or the connection chosen by "
        "remoteClusterConnectionId on 7.3+), a different clusterName (checked by the 7.0-7.2 transport client) "
        "or a different indexNamePrefix index into different places, so search results depend on the node "
        "that serves the request. Nodes that are not in remote mode are left to HA404/HA405. Unset values are "
        "compared with the connector defaults."
    ),
    fix="Deploy the same Elasticsearch connector .config on every node (Liferay recommends identical files on all "
    "nodes; the configuration is also stored in the database).",
    sources=(
        "liferay-learn example-creating-a-simple-dxp-cluster.md (identical .config on both nodes) and 6.2 User Guide "
        "(all nodes share one search index); INFERENCE for indexNamePrefix (liferay-ha-facts.md §5.2)",
        "liferay-learn elasticsearch-connector-configuration-reference.md (transportAddresses 7.2, "
        "networkHostAddresses 7.3+, clusterName only for the 7.2 transport client, remoteClusterConnectionId, "
        "indexNamePrefix default liferay-); ElasticsearchConfiguration.java defaults (7.0 and master)",
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    targets = {node.name: _target(node, ctx.version) for node in cluster.nodes}
    if sum(1 for t in targets.values() if t is not None) < 2:
        return

    def skip(node: Node) -> bool:
        return targets[node.name] is None

    def target(node: Node) -> _Target:
        found = targets[node.name]
        assert found is not None
        return found

    aspects: list[
        tuple[str, str, Callable[[Node], Hashable], Callable[[Node], Setting | None], Callable[[Hashable], str]]
    ] = [
        (
            "Elasticsearch connector",
            "connector",
            lambda n: target(n).connector.value,
            lambda n: target(n).connector,
            lambda v: short_pid(str(v)),
        ),
        (
            "Elasticsearch remote address list",
            "addresses",
            lambda n: target(n).addresses[0],
            lambda n: target(n).addresses[1],
            _quoted,
        ),
        (
            "Elasticsearch index name prefix (indexNamePrefix)",
            "indexNamePrefix",
            lambda n: target(n).prefix[0],
            lambda n: target(n).prefix[1],
            _quoted,
        ),
    ]
    if ctx.version in TRANSPORT_FAMILIES:
        aspects.insert(
            2,
            (
                "Elasticsearch cluster name (clusterName)",
                "clusterName",
                lambda n: (target(n).cluster_name or ("", None))[0],
                lambda n: (target(n).cluster_name or ("", None))[1],
                _quoted,
            ),
        )
    for what, subject, value_of, setting_of, show in aspects:
        yield from agreement(
            cluster,
            value_of,
            setting_of,
            what=what,
            show=show,
            subject=f"search:{subject}",
            help="deploy the same Elasticsearch connector configuration on every node",
            skip=skip,
        )
