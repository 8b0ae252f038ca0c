"""HA612 osgi-config-unknown-key: a .config key that the PID's configuration interface does not declare."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Context, Finding, Node, label_at, rule
from linter.ruleapi.osgi import PidKeys, is_framework_key, is_osgi_file, pid_keys, pids_declaring
from linter.ruleapi.text import nearest

_ES_PREFIX = "com.liferay.portal.search.elasticsearch"
# HA407 reports these on the Elasticsearch connector PIDs (a key of the other client generation).
_HA407_KEYS = frozenset({"transportAddresses", "networkHostAddresses"})


def _short(pid: str) -> str:
    parts = pid.split(".")
    return ".".join(parts[-3:]) if len(parts) > 3 else pid


def _suggest(key: str, known: PidKeys) -> str | None:
    limit = 1 if len(key) <= 6 else 2 if len(key) <= 12 else 3
    return nearest(key, known.keys, limit, ignore_case=True)


@rule(
    id="HA612",
    since="0.2.0",
    name="osgi-config-unknown-key",
    severity=WARNING,
    scope="node",
    versions=">=7.0",
    tags=("osgi", "hygiene", "search", "store"),
    summary="A .config file sets a key that the PID's configuration interface does not have, so OSGi ignores it "
    "without a word.",
    rationale=(
        "A component reads its configuration through an interface whose methods are the keys (the @Meta.AD "
        "attributes); Configuration Admin hands over every property of the file, and the component only asks for "
        "the ones it declares. Any other key, a typo such as perationMode, a key of another connector or of "
        "another Liferay generation, is ignored without a log line, and the setting keeps its default: an "
        'Elasticsearch connector with perationMode="REMOTE" stays embedded, an S3 store with bucketname '
        "has no bucket. The keys are checked for the search and file store configurations Liferay ships "
        "(Elasticsearch 2.x/6/7/8 and OpenSearch connectors and connections, file system, advanced file system, "
        "S3, GCS and Azure stores), read from the interfaces of Liferay's source for the version families where "
        "they exist; a key any recorded revision declares (deprecated keys included) is known. Other PIDs, and "
        "properties the OSGi framework manages itself (service.pid, service.factoryPid, felix.fileinstall."
        "filename), are not checked. On the Elasticsearch connectors, transportAddresses and "
        "networkHostAddresses of the wrong client generation are HA407's."
    ),
    fix="Correct the key to the one the configuration declares (see the suggestion, and System Settings, which "
    "shows the configuration's fields and can export a .config with the exact keys), or remove it. Keys are "
    "case-sensitive.",
    sources=(
        "Liferay Learn, Using Configuration Files: https://learn.liferay.com/w/dxp/system-administration/"
        "configuring-liferay/configuration-files-and-factories/using-configuration-files",
        "Liferay Learn, Elasticsearch Connector Configuration Reference: https://learn.liferay.com/w/dxp/search/"
        "installing-and-upgrading-a-search-engine/elasticsearch/elasticsearch-connector-configuration-reference",
        "Liferay Learn, OpenSearch Connector Configuration Reference: https://learn.liferay.com/w/dxp/search/"
        "installing-and-upgrading-a-search-engine/opensearch/opensearch-connector-configuration-reference",
        "Liferay source, Elasticsearch 7 connector configuration: https://github.com/liferay/liferay-portal/blob/"
        "7.4.3.112-ga112/modules/apps/portal-search-elasticsearch7/portal-search-elasticsearch7-api/src/main/java/com/"
        "liferay/portal/search/elasticsearch7/configuration/ElasticsearchConfiguration.java",
        "Liferay source, Elasticsearch 6 connector configuration (7.1/7.2): https://github.com/liferay/"
        "liferay-portal/blob/7.2.1-ga2/modules/apps/portal-search-elasticsearch6/portal-search-elasticsearch6-api/"
        "src/main/java/com/liferay/portal/search/elasticsearch6/configuration/ElasticsearchConfiguration.java",
        "Liferay source, file store configurations: https://github.com/liferay/liferay-portal/tree/7.4.3.112-ga112/"
        "modules/apps/portal-store",
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    for config in node.osgi:
        if not is_osgi_file(config.where):
            continue
        known = pid_keys(config.base_pid, ctx.version)
        if known is None:
            continue
        name = config.where.replace("\\", "/").rsplit("/", 1)[-1]
        seen: set[str] = set()
        for entry in config.entries:
            key = entry.key
            if key in known.keys or key in seen or is_framework_key(key):
                continue
            seen.add(key)
            if key in _HA407_KEYS and config.base_pid.startswith(_ES_PREFIX):
                continue
            close = _suggest(key, known)
            elsewhere = [p for p in pids_declaring(key, ctx.version) if p != known.pid]
            if close is not None:
                why = f"did you mean {close}?"
                help_text = f"rename {key} to {close}"
            elif elsewhere:
                names = " and ".join(_short(p) for p in elsewhere[:2]) + (" and others" if len(elsewhere) > 2 else "")
                why = f"{key} is a key of {names}, not of this configuration"
                help_text = f"remove {key}, or move it to the configuration that has it"
            else:
                why = "no Liferay version of this configuration has it"
                help_text = f"remove {key}, or correct it to a key of {_short(known.pid)}"
            yield Finding(
                f"{key} in {name} on {node.name} is not a key of {_short(known.pid)} on Liferay {ctx.version}: "
                f"OSGi ignores it without a word and the setting keeps its default; {why}",
                label_at(node, entry.origin, "unknown key" if close is None else f"did you mean {close}?"),
                help=help_text,
                subject=f"{config.pid}:{key}",
            )
