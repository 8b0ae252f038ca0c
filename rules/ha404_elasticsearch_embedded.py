"""HA404 elasticsearch-embedded: a 7.0-7.2 node of a cluster runs the embedded Elasticsearch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from linter.ruleapi import ERROR, Confidence, Context, Finding, Node, Origin, label, label_at, rule

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

BUNDLED = {"7.0": "Elasticsearch 2.x connector", "7.1": "Elasticsearch 6 connector", "7.2": "Elasticsearch 6 connector"}


@rule(
    id="HA404",
    name="elasticsearch-embedded",
    severity=ERROR,
    scope="node",
    versions="7.0-7.2",
    tags=("search", "elasticsearch"),
    summary="A Liferay 7.0-7.2 node of a cluster runs Elasticsearch embedded (no connector configuration in REMOTE "
    "mode).",
    rationale=(
        "On 7.0-7.2 the Elasticsearch connector starts an Elasticsearch node inside the Liferay JVM unless its "
        'configuration sets operationMode="REMOTE" (the default is EMBEDDED). An embedded node keeps its own index '
        "in the node's data folder, so in a cluster each node searches only what it indexed itself; Liferay does "
        "not support embedded Elasticsearch in production. The rule judges the effective situation: a .config "
        "named for another version's connector is ignored (HA407) and leaves the node embedded, and "
        "productionModeEnabled only exists from 7.3. A node without a configuration of its own is not reported "
        "when another node deploys a remote one, because Liferay stores deployed .config files in the database and "
        "applies them on every node (HA601 reports the drift). Nodes configured for Solr are not checked."
    ),
    fix='Deploy osgi/configs/<connector PID>.config with operationMode="REMOTE" and transportAddresses of the '
    "shared Elasticsearch cluster (and its clusterName) on every node: PID "
    "com.liferay.portal.search.elasticsearch.configuration.ElasticsearchConfiguration on 7.0, "
    "com.liferay.portal.search.elasticsearch6.configuration.ElasticsearchConfiguration on 7.1-7.2 "
    "(elasticsearch7 with the Marketplace Elasticsearch 7 connector).",
    sources=(
        "7.0 ElasticsearchConfiguration.java: operationMode default EMBEDDED (code index, Meta.OCD "
        "com.liferay.portal.search.elasticsearch.configuration.ElasticsearchConfiguration)",
        "liferay-learn elasticsearch-connector-configuration-reference.md: operationMode default EMBEDDED, 'EMBEDDED "
        "operation mode is unsupported for production environments'; connecting-to-elasticsearch.md (7.2 ES6 "
        "bundled, ES7 from Marketplace, both Embedded/Remote)",
        "liferay-learn using-the-sidecar-or-embedded-elasticsearch.md (LL-SIDE); DXP 7.0 clustering guide "
        "(liferay-ha-facts.md §5.2)",
        "liferay-learn using-configuration-files.md 'Configuration Files and Clustering' (a file deployed on one node "
        "is applied to all nodes; configuration.override.* properties have the highest priority)",
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered or ctx.version not in BUNDLED:
        return
    configs = search_configs(node, ctx.version)
    if other_engine(configs) is not None:
        return
    readable = CONNECTORS_BY_FAMILY[ctx.version]
    valid = [c for c in configs if c.base in readable]
    if any(is_remote(c, ctx.version) for c in valid):
        return
    if not valid and remote_file_elsewhere(node, ctx.cluster.nodes, ctx.version):
        return  # the other node's file reaches this node through the database (HA601 reports the drift)
    bundled = BUNDLED[ctx.version]
    where = f"in a {len(ctx.cluster.nodes)}-node cluster"
    if valid:
        conf = sorted(valid, key=lambda c: (readable.index(c.base), c.where))[0]
        mode = conf.get("operationMode")
        production = conf.get("productionModeEnabled")
        note = ""
        if production is not None:
            note = f"; productionModeEnabled={production.text} is a Liferay 7.3+ setting that this connector ignores"
        if mode is not None:
            yield Finding(
                f"Elasticsearch runs embedded in the Liferay JVM on {node.name} {where}: {conf.name} sets "
                f"operationMode={mode.text}{note}",
                label_at(node, mode.origin, "embedded Elasticsearch"),
                help='set operationMode="REMOTE" and transportAddresses of the shared Elasticsearch cluster',
                subject=f"{conf.base}:operationMode",
            )
            return
        yield Finding(
            f"Elasticsearch runs embedded in the Liferay JVM on {node.name} {where}: {conf.name} does not set "
            f"operationMode, so the connector default EMBEDDED applies{note}",
            label_at(node, conf.origin, "operationMode not set (default EMBEDDED)"),
            help='add operationMode="REMOTE" and transportAddresses of the shared Elasticsearch cluster',
            confidence=Confidence.DEFAULT,
            subject=f"{conf.base}:operationMode",
        )
        return
    ignored = sorted((c for c in configs if c.base in CONNECTOR_NAMES), key=lambda c: c.where)
    pid = readable[0]
    if ignored:
        conf = ignored[0]
        yield Finding(
            f"Elasticsearch runs embedded in the Liferay JVM on {node.name} {where}: the only Elasticsearch "
            f"configuration, {conf.name}, is for another version's connector and is ignored (HA407), so the bundled "
            f"{bundled} starts in its default EMBEDDED mode",
            label_at(node, conf.origin, "ignored by Liferay " + ctx.version),
            help=f'deploy {pid}.config with operationMode="REMOTE" and transportAddresses',
            confidence=Confidence.DEFAULT,
            subject=f"{pid}:operationMode",
        )
        return
    yield Finding(
        f"Elasticsearch runs embedded in the Liferay JVM on {node.name} {where}: there is no osgi/configs/{pid}.config "
        f"(nor another connector configuration), so the bundled {bundled} starts in its default EMBEDDED mode",
        label(node, None, "no Elasticsearch connector configuration", key=f"osgi/configs/{pid}.config"),
        help=f'deploy {pid}.config with operationMode="REMOTE" and transportAddresses on every node',
        confidence=Confidence.DEFAULT,
        subject=f"{pid}:operationMode",
    )
