"""HA205 database-credentials-mismatch: the database user or password differs between nodes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from linter.ruleapi import (
    WARNING,
    Cluster,
    Confidence,
    Context,
    Finding,
    Node,
    OriginKind,
    Setting,
    is_unresolved,
    label,
    node_names,
    outliers,
    rule,
)
from linter.ruleapi.database import JDBC_PREFIXES, jndi_setting, url_defined
from linter.ruleapi.secrets import secret_digest

FIELDS = (("username", "user name"), ("password", "password"))


def _unresolved(setting: Setting) -> bool:
    return setting.confidence is Confidence.UNRESOLVED or is_unresolved(setting.value)


def _direct(node: Node, prefix: str) -> bool:
    """Whether the node builds this data source itself from jdbc.<prefix>.* (no JNDI name)."""
    if jndi_setting(node, prefix) is not None:
        return False  # the app server's data source holds the credentials; the keys are not read
    if prefix == "default":
        return True
    return url_defined(node, prefix)


def _where(setting: Setting | None, version: str) -> str:
    if setting is None:
        return "not set"
    if setting.origin.kind is OriginKind.DEFAULT:
        return f"Liferay {version} default"
    return "set"


@rule(
    id="HA205",
    name="database-credentials-mismatch",
    severity=WARNING,
    scope="cluster",
    versions="all",
    tags=("database", "drift", "secrets"),
    summary="The database user name or password differs between the nodes of a cluster.",
    rationale=(
        "All nodes share one database, so they normally log in with the same account. A node whose "
        "jdbc.default.username or jdbc.default.password differs is usually a leftover (a node rebuilt from "
        "another environment's template, a password rotated on some nodes only) and fails to connect, or "
        "connects to a different schema or with different rights, at the next restart. Values are compared as "
        "keyed digests that are valid for one run only; neither the user names nor the passwords are ever put "
        "in a message. Nodes that take the data source from JNDI (jdbc.<name>.jndi.name) are left out, as "
        "Liferay does not read these keys then; jdbc.read.* and jdbc.write.* are compared among the nodes "
        "that define them. It is a warning because distinct accounts per node can be deliberate."
    ),
    fix="Give every node the same jdbc.default.username and jdbc.default.password (one shared "
    "portal-ext.properties or secret), or document why a node uses another account.",
    # facts: liferay-ha-facts.md §3.1, §3.2, §10
    sources=(
        (
            "Liferay 7.4 portal.properties (jdbc.default.username and jdbc.default.password, not read when "
            "jdbc.default.jndi.name is set): https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/"
            "portal-impl/src/portal.properties"
        ),
        (
            "Liferay Learn, 'Database Configuration for Cluster Nodes': https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/setting-up-liferay/clustering-for-high-availability/"
            "database-configuration-for-cluster-nodes"
        ),
        "liferay-ha-lint README, section 'Safety' (secrets are compared by digest and never printed)",
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    for prefix in JDBC_PREFIXES:
        nodes = [n for n in cluster.nodes if _direct(n, prefix)]
        if len(nodes) < 2:
            continue
        for field, what in FIELDS:
            key = f"jdbc.{prefix}.{field}"
            groups: dict[str | None, list[Node]] = defaultdict(list)
            settings: dict[str, Setting | None] = {}
            for node in nodes:
                setting = node.setting(key)
                if setting is not None and _unresolved(setting):
                    continue
                settings[node.name] = setting
                groups[secret_digest(setting.value if setting is not None else None)].append(node)
            for _digest, group, other_groups, tie in outliers(groups):
                others = [n for _, ns in other_groups for n in ns]
                majority = other_groups[0][1]
                for node in group:
                    setting = settings[node.name]
                    if tie:
                        message = (
                            f"{key} differs between nodes (tie): the {what} on {node.name} is not the one used on "
                            f"{node_names(others)}"
                        )
                    else:
                        verb = "share" if len(majority) > 1 else "has"
                        message = (
                            f"{key} differs between nodes: the {what} on {node.name} is not the one "
                            f"{node_names(majority)} {verb}"
                        )
                    message += " (compared as digests; values are not shown)"
                    related = tuple(
                        label(
                            other,
                            settings[other.name],
                            f"{other.name}: {_where(settings[other.name], ctx.version)}, a different value",
                            key=key,
                        )
                        for other in others
                    )
                    yield Finding(
                        message,
                        label(node, setting, f"{node.name}: {_where(setting, ctx.version)}, differs", key=key),
                        related,
                        help=f"use the same {key} on every node",
                        confidence=setting.confidence if setting is not None else Confidence.DEFAULT,
                        subject=key,
                    )
