"""HA407 elasticsearch-config-wrong-connector: an Elasticsearch .config that the version's connector never reads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from linter.ruleapi import ERROR, Context, Finding, Label, Node, Origin, label_at, rule

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


def _expected(version: str) -> str:
    pids = CONNECTORS_BY_FAMILY[version]
    if version == "7.0":
        return f"{short_pid(ES2)} (bundled Elasticsearch 2.x connector) or {short_pid(ES6)} (Elasticsearch 6 connector)"
    if version in ("7.1", "7.2"):
        marketplace = "Marketplace Elasticsearch 7 connector"
        return f"{short_pid(ES6)} (bundled Elasticsearch 6 connector) or {short_pid(ES7)} ({marketplace})"
    return f"{short_pid(pids[0])} (and the factory {short_pid(pids[1])}-<connectionId>)"


def _key_finding(node: Node, conf: SearchConfig, version: str) -> Finding | None:
    """A configuration for the right connector whose address key belongs to another connector generation."""
    if version in TRANSPORT_FAMILIES:
        wrong, right, default = "networkHostAddresses", "transportAddresses", "localhost:9300"
        why = (
            f"networkHostAddresses is a setting of the Liferay 7.3+ REST-client connector; the {version} "
            f"connector ({short_pid(conf.base)}) connects with the transport client to transportAddresses"
        )
    else:
        if conf.base != ES7:
            return None
        wrong, right, default = "transportAddresses", "networkHostAddresses", "http://localhost:9200"
        why = (
            "transportAddresses belongs to the 7.0-7.2 transport-client connectors; the Liferay "
            f"{version} Elasticsearch 7 connector connects over HTTP to networkHostAddresses"
        )
    entry = conf.get(wrong)
    if entry is None or conf.get(right) is not None:
        return None
    return Finding(
        f"{conf.name} on {node.name} sets {wrong}={entry.text}, which Liferay {version} does not read: {why}, "
        f"which is not set, so the connector uses its default {default}",
        label_at(node, entry.origin, f"{wrong} ignored on {version}"),
        help=f"rename {wrong} to {right} (format {'host:9300' if right == 'transportAddresses' else 'http://host:9200'})",
        subject=f"{conf.pid}:{wrong}",
    )


@rule(
    id="HA407",
    name="elasticsearch-config-wrong-connector",
    severity=ERROR,
    scope="node",
    versions="7.x",
    tags=("search", "elasticsearch", "osgi"),
    summary="An Elasticsearch .config is named for a connector the detected Liferay version does not have, so it is "
    "ignored.",
    rationale=(
        "Liferay binds an OSGi configuration to a component by its PID, which is the file name. Every Liferay "
        "generation ships a different Elasticsearch connector: 7.0 reads "
        "com.liferay.portal.search.elasticsearch.configuration.ElasticsearchConfiguration (Elasticsearch 2.x, with a "
        "Help Center Elasticsearch 6 connector), 7.1-7.2 read the elasticsearch6 PID (bundled) or the elasticsearch7 "
        "PID (Marketplace connector), 7.3-7.4 read the elasticsearch7 PID and its ElasticsearchConnectionConfiguration "
        "factory. A file carried over from another version is silently ignored: no error, and the node falls back "
        "to its embedded or sidecar Elasticsearch (see HA404/HA405), a per-node index. The same happens to keys of "
        "another generation: 7.0-7.2 connect with transportAddresses (transport client), 7.3+ with "
        "networkHostAddresses (REST client), and each ignores the other's key."
    ),
    fix="Rename the file to the PID of the version's connector (osgi/configs/<PID>.config) and use that connector's "
    'keys: operationMode="REMOTE" and transportAddresses on 7.0-7.2, productionModeEnabled=B"true" and '
    "networkHostAddresses on 7.3+. Deploy the same file on every node.",
    sources=(
        "liferay-learn connecting-to-elasticsearch.md and elasticsearch-connector-configuration-reference.md "
        "(petershin/liferay-learn): PIDs per version, 7.2 ES7 connector with operationMode/transportAddresses, "
        "7.3+ productionModeEnabled/networkHostAddresses, transportAddresses 'Liferay 7.2' only (facts §5.2)",
        "7.0 ElasticsearchConfiguration.java (Meta.OCD id com.liferay.portal.search.elasticsearch.configuration."
        "ElasticsearchConfiguration, operationMode default EMBEDDED, transportAddresses default localhost:9300), "
        "read through the code index",
        "liferay/liferay-portal portal-search-elasticsearch7-api ElasticsearchConfiguration.java @7fa80de2 "
        "(no transportAddresses; networkHostAddresses default http://localhost:9200)",
        "Help Center 360051492032 'Understanding Liferay DXP's compatibility with Elasticsearch' (Marketplace "
        "connectors: DXP 7.0 => Elasticsearch 6, DXP 7.1-7.2 => Elasticsearch 7)",
        "liferay-learn using-configuration-files.md: the file name is the PID (facts §1.4)",
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    expected = CONNECTORS_BY_FAMILY.get(ctx.version)
    if expected is None:
        return
    for conf in sorted(search_configs(node, ctx.version), key=lambda c: c.where):
        if conf.base not in CONNECTOR_NAMES:
            continue
        if conf.base in expected:
            found = _key_finding(node, conf, ctx.version)
            if found is not None:
                yield found
            continue
        what = "file" if not conf.where.startswith(OVERRIDE_PREFIX) else "portal property override"
        at: Label = label_at(node, conf.origin, f"PID of the {CONNECTOR_NAMES[conf.base].split(' (')[0]}")
        yield Finding(
            f"{conf.name} on {node.name} configures the {CONNECTOR_NAMES[conf.base]}, which Liferay {ctx.version} "
            f"does not have: no component reads this PID, so the {what} is ignored and its settings "
            f"({summary(conf)}) have no effect; Liferay {ctx.version} reads {_expected(ctx.version)}",
            at,
            help=f"rename it to {expected[0]}.config with the {ctx.version} connector's keys",
            subject=conf.pid,
        )
