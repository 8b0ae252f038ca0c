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
    label,
    rule,
    secret_digest,
)

PREFIXES = ("default", "read", "write")
FIELDS = (("username", "user name"), ("password", "password"))


def _unresolved(setting: Setting) -> bool:
    rest = setting.value.replace("${liferay.home}", "")
    return setting.confidence is Confidence.UNRESOLVED or "${" in rest or "{{" in rest or "$[" in rest


def _direct(node: Node, prefix: str) -> bool:
    """Whether the node builds this data source itself from jdbc.<prefix>.* (no JNDI name)."""
    jndi = node.setting(f"jdbc.{prefix}.jndi.name")
    if jndi is not None and jndi.value.strip():
        return False  # the app server's data source holds the credentials; the keys are not read
    if prefix == "default":
        return True
    url = node.setting(f"jdbc.{prefix}.url")
    return url is not None and url.origin.kind is not OriginKind.DEFAULT and bool(url.value.strip())


def _names(nodes: list[Node], limit: int = 3) -> str:
    names = [n.name for n in nodes]
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


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
    sources=(
        "Connection keys jdbc.default.username / jdbc.default.password, not read when jdbc.default.jndi.name is set "
        "(portal.properties 6.2.5 and 7.4 JDBC section; liferay-ha-facts.md §3.1)",
        "Same database on every node, target including the user (facts §3.2; a user mismatch alone is an "
        "INFERENCE there, hence warning)",
        "Secrets are compared with ruleapi.secret_digest and never printed (facts §10)",
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    for prefix in PREFIXES:
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
            if len(groups) < 2:
                continue
            ordered = sorted(groups.values(), key=lambda ns: (-len(ns), ns[0].name))
            top = len(ordered[0])
            tie = sum(1 for ns in ordered if len(ns) == top) > 1
            for index, group in enumerate(ordered):
                if not tie and index == 0:
                    continue
                others = [n for ns in ordered if ns is not group for n in ns]
                for node in group:
                    setting = settings[node.name]
                    if tie:
                        message = (
                            f"{key} differs between nodes (tie): the {what} on {node.name} is not the one used on "
                            f"{_names(others)}"
                        )
                    else:
                        verb = "share" if len(ordered[0]) > 1 else "has"
                        message = (
                            f"{key} differs between nodes: the {what} on {node.name} is not the one "
                            f"{_names(ordered[0])} {verb}"
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
