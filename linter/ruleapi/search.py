"""Search (Elasticsearch connector) configuration of a 7.x node: which connector PIDs a version reads,
the node's search configurations (.config/.cfg files merged with configuration.override.*), and
whether the connector runs in remote (production) mode.

Shared by HA404, HA405, HA406 and HA407 through ``linter.ruleapi``; nothing here reads files or the
environment.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from linter.liferay.osgi import OVERRIDE_PREFIX
from linter.origin import Origin
from linter.ruleapi.memo import keys_with_prefix, per_object

if TYPE_CHECKING:
    from linter.model import Node

SEARCH_PREFIX = "com.liferay.portal.search."
ES2 = "com.liferay.portal.search.elasticsearch.configuration.ElasticsearchConfiguration"
ES6 = "com.liferay.portal.search.elasticsearch6.configuration.ElasticsearchConfiguration"
ES7 = "com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConfiguration"
ES7_CONNECTION = "com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConnectionConfiguration"
ES_CONNECTOR_NAMES = {
    ES2: "Elasticsearch 2.x connector of Liferay 7.0",
    ES6: "Elasticsearch 6 connector (bundled with 7.1-7.2, Marketplace for 7.0)",
    ES7: "Elasticsearch 7 connector (bundled from 7.3, Marketplace for 7.1-7.2)",
    ES7_CONNECTION: "Elasticsearch 7 connection factory (Liferay 7.3+)",
}
# Which connector PIDs a family reads: the bundled connector first, then Marketplace connectors
# (liferay-learn connecting-to-elasticsearch.md, elasticsearch-connector-configuration-reference.md;
# Help Center 360051492032 "DXP 7.0 => Connector to Elasticsearch 6, DXP 7.1-7.2 => Connector to
# Elasticsearch 7").
ES_CONNECTORS_BY_FAMILY = {
    "7.0": (ES2, ES6),
    "7.1": (ES6, ES7),
    "7.2": (ES6, ES7),
    "7.3": (ES7, ES7_CONNECTION),
    "7.4": (ES7, ES7_CONNECTION),
}
ES_TRANSPORT_FAMILIES = ("7.0", "7.1", "7.2")  # transport client: operationMode, transportAddresses, clusterName
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
    win over the files (7.2 FP14+, 7.3 FP1+, 7.4; ignored on 7.0-7.1: facts §1.4, LL-CFG). Several rules
    ask for them: built once per node within a run (treat the configurations as read-only)."""
    return list(_search_configs(node, version))


@per_object
def _search_configs(node: Node, version: str) -> tuple[SearchConfig, ...]:
    found: dict[str, SearchConfig] = {}
    for config in node.osgi:
        if not config.base_pid.startswith(SEARCH_PREFIX):
            continue
        values = {e.key: SearchValue(e.value, e.text, e.origin) for e in config.entries}
        found[config.pid] = SearchConfig(config.pid, config.base_pid, config.path, Origin(config.path, 1, 1), values)
    if version in ("7.0", "7.1"):
        return tuple(found.values())
    prefix = OVERRIDE_PREFIX + SEARCH_PREFIX
    for key in sorted(keys_with_prefix(node.settings, prefix)):
        pid, _, attribute = key[len(OVERRIDE_PREFIX) :].rpartition("_")
        if not pid or not attribute:
            continue
        setting = node.settings[key]
        conf = found.get(pid)
        if conf is None:
            conf = SearchConfig(pid, pid, f"{OVERRIDE_PREFIX}{pid}_*", setting.origin, {})
            found[pid] = conf
        conf.values[attribute] = SearchValue(typed_value(setting.value), setting.value.strip(), setting.origin)
    return tuple(found.values())


def search_text(value: object) -> str:
    """A typed value as text: list items joined with commas, booleans as true/false."""
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _is_true(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def search_items(value: object) -> tuple[str, ...]:
    """The items of a list value (or of a comma-separated string), trimmed, empty ones dropped."""
    parts = [str(v) for v in value] if isinstance(value, tuple) else str(value).split(",")
    return tuple(p.strip() for p in parts if p.strip())


def other_search_engine(configs: list[SearchConfig]) -> tuple[str, SearchConfig] | None:
    """A Solr or OpenSearch connector configuration: search does not run on the Elasticsearch connector."""
    for conf in configs:
        for prefix, engine in OTHER_ENGINES.items():
            if conf.base.startswith(prefix):
                return engine, conf
    return None


def is_remote_mode(conf: SearchConfig, version: str) -> bool:
    """Remote mode as the connector decides it: operationMode REMOTE on 7.0-7.2; from 7.3
    productionModeEnabled, or the deprecated operationMode REMOTE (ElasticsearchConfigurationWrapper
    .isProductionModeEnabled)."""
    mode = conf.get("operationMode")
    if mode is not None and search_text(mode.value).strip().upper() == "REMOTE":
        return True
    if version in ES_TRANSPORT_FAMILIES:
        return False
    production = conf.get("productionModeEnabled")
    return production is not None and _is_true(production.value)


def remote_config_elsewhere(node: Node, nodes: tuple[Node, ...], version: str) -> str | None:
    """Another node's deployed .config (not a configuration.override.*, which stays on its node) that puts the
    connector in remote mode: Liferay stores deployed files in the database and applies them on every node
    (liferay-learn using-configuration-files.md, 'Configuration Files and Clustering')."""
    for other in _remote_deployers(nodes, version):
        if other is not node:
            return other.name
    return None


@per_object
def _remote_deployers(nodes: tuple[Node, ...], version: str) -> tuple[Node, ...]:
    """The nodes (in order) with a deployed remote-mode configuration: found once per cluster and run,
    so asking for every node stays linear in the number of nodes."""
    readable = ES_CONNECTORS_BY_FAMILY.get(version, ())
    return tuple(
        other
        for other in nodes
        if any(
            conf.base in readable and not conf.where.startswith(OVERRIDE_PREFIX) and is_remote_mode(conf, version)
            for conf in search_configs(other, version)
        )
    )


def search_summary(conf: SearchConfig) -> str:
    """The configuration's settings for a message (values only for harmless keys)."""
    parts = []
    for key, value in conf.values.items():
        if key in _SHOWN_KEYS:
            parts.append(f"{key}={value.text}")
        elif not any(word in key.lower() for word in _SECRET_WORDS):
            parts.append(key)
    return ", ".join(parts) if parts else "no settings"


def short_search_pid(pid: str) -> str:
    """A PID without the com.liferay.portal.search. prefix, for messages."""
    return pid[len(SEARCH_PREFIX) :] if pid.startswith(SEARCH_PREFIX) else pid
