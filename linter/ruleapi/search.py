"""Search (Elasticsearch and OpenSearch connector) configuration of a 7.x node: which connector PIDs a
version and release read, the node's search configurations (.config/.cfg files merged with
configuration.override.*), and whether the connector runs in remote (production) mode.

Connectors by release of the 7.4 family (learn.liferay.com "Connecting to Elasticsearch"): 7.3 to
2025.Q4 and every 7.4 GA/update read the ``elasticsearch7`` PIDs, 2026.Q1+ the ``elasticsearch8``
PIDs (no ``operationMode`` there: ``productionModeEnabled`` alone leaves the sidecar); the OpenSearch 2
connector (``opensearch2`` PIDs, remote only) exists from 2025.Q1. On a 7.4 node whose release is not
known either Elasticsearch connector's files are accepted.

Shared by HA404-HA409 through ``linter.ruleapi``; nothing here reads files or the environment.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from linter.liferay.osgi import OVERRIDE_PREFIX
from linter.liferay.releases import Release, parse_release, search_connector
from linter.origin import Origin
from linter.ruleapi.memo import keys_with_prefix, per_object

if TYPE_CHECKING:
    from linter.model import Node

SEARCH_PREFIX = "com.liferay.portal.search."
ES2 = "com.liferay.portal.search.elasticsearch.configuration.ElasticsearchConfiguration"
ES6 = "com.liferay.portal.search.elasticsearch6.configuration.ElasticsearchConfiguration"
ES7 = "com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConfiguration"
ES7_CONNECTION = "com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConnectionConfiguration"
ES8 = "com.liferay.portal.search.elasticsearch8.configuration.ElasticsearchConfiguration"
ES8_CONNECTION = "com.liferay.portal.search.elasticsearch8.configuration.ElasticsearchConnectionConfiguration"
OPENSEARCH = "com.liferay.portal.search.opensearch2.configuration.OpenSearchConfiguration"
OPENSEARCH_CONNECTION = "com.liferay.portal.search.opensearch2.configuration.OpenSearchConnectionConfiguration"
ES_CONNECTOR_NAMES = {
    ES2: "Elasticsearch 2.x connector of Liferay 7.0",
    ES6: "Elasticsearch 6 connector (bundled with 7.1-7.2, Marketplace for 7.0)",
    ES7: "Elasticsearch 7 connector (bundled from 7.3 to 2025.Q4, Marketplace for 7.1-7.2)",
    ES7_CONNECTION: "Elasticsearch 7 connection factory (Liferay 7.3 to 2025.Q4)",
    ES8: "Elasticsearch 8 connector (bundled from 2026.Q1)",
    ES8_CONNECTION: "Elasticsearch 8 connection factory (2026.Q1+)",
}
# the connection factory each main Elasticsearch PID takes its remoteClusterConnectionId from
ES_CONNECTIONS = {ES7: ES7_CONNECTION, ES8: ES8_CONNECTION}
CONNECTION_PIDS = frozenset((ES7_CONNECTION, ES8_CONNECTION, OPENSEARCH_CONNECTION))
# Which connector PIDs a family reads: the bundled connector first, then Marketplace connectors
# (liferay-learn connecting-to-elasticsearch.md, elasticsearch-connector-configuration-reference.md;
# Help Center 360051492032 "DXP 7.0 => Connector to Elasticsearch 6, DXP 7.1-7.2 => Connector to
# Elasticsearch 7").
ES_CONNECTORS_BY_FAMILY = {
    "7.0": (ES2, ES6),
    "7.1": (ES6, ES7),
    "7.2": (ES6, ES7),
    "7.3": (ES7, ES7_CONNECTION),
    "7.4": (ES7, ES7_CONNECTION, ES8, ES8_CONNECTION),  # elasticsearch7 to 2025.Q4, elasticsearch8 from 2026.Q1
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
    local: bool = False  # a configuration.override.* portal property: stays on its node (not in the database)


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
    if version == "7.4":
        for written in _slim_configs(node, found):
            found[written.pid] = written
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
        conf.values[attribute] = SearchValue(typed_value(setting.value), setting.value.strip(), setting.origin, True)
    return tuple(found.values())


SLIM_WRITER = "written by the slim image's entrypoint"


def _slim_configs(node: Node, found: dict[str, SearchConfig]) -> list[SearchConfig]:
    """The search files the official slim image writes at start-up when they do not exist
    (liferay/liferay-docker@1ffa5e00 templates/bundle/resources/usr/local/bin/configure_liferay.sh:157-230):
    with LIFERAY_OPENSEARCH_ENABLED=true (and a password) the OpenSearch 2 files with connection REMOTE, else
    an elasticsearch7 ElasticsearchConfiguration in production mode; both from LIFERAY_NETWORK_HOST_ADDRESSES.
    A slim node is one whose image tag says -slim or that sets LIFERAY_SLIM=true. Without valid host addresses
    the container stops, so nothing is written here."""
    env = {v.name: v for v in node.env}
    release = parse_release(node.release) if node.release else None
    slim = env.get("LIFERAY_SLIM")
    if not ((release is not None and release.slim) or (slim is not None and (slim.value or "").strip() == "true")):
        return []
    hosts = env.get("LIFERAY_NETWORK_HOST_ADDRESSES")
    if hosts is None or not hosts.value or not re.search(r"https?://[.\w-]+:\d+", hosts.value):
        return []
    addresses = SearchValue(typed_value(hosts.value), hosts.value.strip(), hosts.origin, True)
    enabled = env.get("LIFERAY_OPENSEARCH_ENABLED")
    out: list[SearchConfig] = []

    def add(pid: str, base: str, origin: Origin, values: dict[str, SearchValue]) -> None:
        if pid not in found:
            out.append(SearchConfig(pid, base, f"{pid}.config ({SLIM_WRITER})", origin, values))

    if enabled is not None and (enabled.value or "").strip() == "true":
        password = env.get("LIFERAY_OPENSEARCH_PASSWORD")
        if password is None or not password.value:
            return []  # the container stops
        origin = enabled.origin
        add(
            OPENSEARCH,
            OPENSEARCH,
            origin,
            {"remoteClusterConnectionId": SearchValue("REMOTE", '"REMOTE"', origin, True)},
        )
        add(
            f"{OPENSEARCH_CONNECTION}-REMOTE",
            OPENSEARCH_CONNECTION,
            origin,
            {
                "active": SearchValue(True, 'B"true"', origin, True),
                "connectionId": SearchValue("REMOTE", '"REMOTE"', origin, True),
                "networkHostAddresses": addresses,
            },
        )
        return out
    add(
        ES7,
        ES7,
        hosts.origin,
        {"networkHostAddresses": addresses, "productionModeEnabled": SearchValue(True, 'B"true"', hosts.origin, True)},
    )
    return out


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
    """Remote mode as the connector decides it: operationMode REMOTE on 7.0-7.2; on 7.3-2025.Q4
    productionModeEnabled, or the deprecated operationMode REMOTE (ElasticsearchConfigurationWrapper
    .isProductionModeEnabled); the Elasticsearch 8 connector (2026.Q1+) has no operationMode, so only
    productionModeEnabled counts there."""
    mode = conf.get("operationMode")
    if conf.base != ES8 and mode is not None and search_text(mode.value).strip().upper() == "REMOTE":
        return True
    if version in ES_TRANSPORT_FAMILIES:
        return False
    production = conf.get("productionModeEnabled")
    return production is not None and _is_true(production.value)


def readable_pids(version: str, release: Release | None = None) -> tuple[str, ...]:
    """The Elasticsearch connector PIDs a node reads: its family's (bundled first), narrowed on 7.4 to
    the connector of its release (elasticsearch7 to 2025.Q4 and on GA/U updates, elasticsearch8 from
    2026.Q1); both when the release is not known."""
    pids = ES_CONNECTORS_BY_FAMILY.get(version, ())
    connector = search_connector(release) if version == "7.4" else None
    if connector is None:
        return pids
    return tuple(p for p in pids if p.startswith(f"{SEARCH_PREFIX}{connector}."))


def main_pids(version: str, release: Release | None = None) -> tuple[str, ...]:
    """The readable main (non-factory) Elasticsearch PIDs: the first is the one to advise."""
    return tuple(p for p in readable_pids(version, release) if p not in CONNECTION_PIDS)


def release_ignored(conf: SearchConfig, version: str, release: Release | None) -> bool:
    """An Elasticsearch PID of the node's family that its release does not read: elasticsearch7 on
    2026.Q1+, elasticsearch8 before 2026.Q1 (False when the release is not known)."""
    return conf.base in ES_CONNECTORS_BY_FAMILY.get(version, ()) and conf.base not in readable_pids(version, release)


def connector_label(pid: str) -> str:
    """``Elasticsearch 7 connector`` for a main or connection PID, for messages."""
    name = ES_CONNECTOR_NAMES.get(pid, short_search_pid(pid))
    return name.split(" (")[0].replace(" connection factory", " connector")


def remote_config_elsewhere(
    node: Node, nodes: tuple[Node, ...], version: str, release: Release | None = None
) -> str | None:
    """Another node's deployed .config (not a configuration.override.*, which stays on its node) that puts the
    connector in remote mode: Liferay stores deployed files in the database and applies them on every node
    (liferay-learn using-configuration-files.md, 'Configuration Files and Clustering')."""
    for other in _remote_deployers(nodes, version, release):
        if other is not node:
            return other.name
    return None


@per_object
def _remote_deployers(nodes: tuple[Node, ...], version: str, release: Release | None) -> tuple[Node, ...]:
    """The nodes (in order) with a deployed remote-mode configuration: found once per cluster and run,
    so asking for every node stays linear in the number of nodes."""
    readable = main_pids(version, release)
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


class OpenSearchSetup(NamedTuple):
    """A node's OpenSearch 2 connector configuration: the main PID and the connection it names."""

    main: SearchConfig | None
    connection_id: str  # remoteClusterConnectionId of the main PID ("" when unset)
    connection: SearchConfig | None  # the OpenSearchConnectionConfiguration with that connectionId


def opensearch_setup(configs: list[SearchConfig]) -> OpenSearchSetup | None:
    """The OpenSearch 2 connector configuration among a node's search configurations (None without any).
    The connection is found by its connectionId, else by the factory configuration's name (``-<id>``)."""
    mains = sorted((c for c in configs if c.base == OPENSEARCH), key=lambda c: c.where)
    connections = sorted((c for c in configs if c.base == OPENSEARCH_CONNECTION), key=lambda c: c.where)
    if not mains and not connections:
        return None
    main = mains[0] if mains else None
    value = main.get("remoteClusterConnectionId") if main is not None else None
    wanted = search_text(value.value).strip() if value is not None else ""
    found = None
    for conf in connections:
        ident = conf.get("connectionId")
        name = search_text(ident.value).strip() if ident is not None else conf.pid.rpartition("-")[2]
        if wanted and name == wanted:
            found = conf
            break
    return OpenSearchSetup(main, wanted, found)


def is_node_local(conf: SearchConfig, key: str | None = None) -> bool:
    """The setting (or, without a key, the whole configuration) comes from configuration.override.* portal
    properties, which stay on their node; a deployed file is stored in the database and reaches every node."""
    if key is None:
        return conf.where.startswith(OVERRIDE_PREFIX) or (
            bool(conf.values) and all(v.local for v in conf.values.values())
        )
    value = conf.get(key)
    return value.local if value is not None else conf.where.startswith(OVERRIDE_PREFIX)
