"""HA116 jgroups-auth-default-secret: Cluster Link authenticates with MD5 AUTH while
cluster.link.auth.value is still Liferay's shipped default."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from linter.ruleapi import (
    WARNING,
    Confidence,
    Context,
    Finding,
    Label,
    Node,
    OriginKind,
    Reference,
    and_list,
    label,
    rule,
    stack_label,
)
from linter.ruleapi.cluster_link import (
    CHANNEL_PREFIX,
    channel_keys,
    cluster_link_enabled,
    jgroups_value,
    split_placeholder,
)
from linter.ruleapi.keys import liferay_default
from linter.ruleapi.releases import jgroups_major
from linter.ruleapi.secrets import secret_digest

KEY = "cluster.link.auth.value"


class _Secret(NamedTuple):
    value: str
    at: Label
    source: str
    confidence: Confidence
    from_default: bool


def _md5_secret(node: Node, ref: Reference) -> _Secret | None:
    """The auth_value of the stack's MD5Token AUTH (the built-in secure/md5 stacks read
    ``${cluster.link.auth.value}``); None when the stack has no MD5 AUTH or the value is unknown."""
    stack = ref.jgroups
    if stack is None:
        return None
    auth = next((p for p in stack.protocols if p.base == "AUTH"), None)
    if auth is None or not (auth.get("auth_class") or "").strip().endswith("MD5Token"):
        return None
    attr = auth.attr("auth_value")
    if attr is None:
        return None
    placeholder = split_placeholder(attr.value)
    if placeholder is not None:
        setting = node.setting(placeholder[0])
        if setting is not None and setting.confidence is not Confidence.UNRESOLVED:
            return _Secret(
                setting.value,
                label(node, setting, "shipped default secret", key=placeholder[0]),
                placeholder[0],
                setting.confidence,
                setting.origin.kind is OriginKind.DEFAULT,
            )
        value, confidence = jgroups_value(node, attr.value)
        if value is None or confidence is Confidence.UNRESOLVED:
            return None
        return _Secret(
            value, stack_label(node, ref, auth, attr, "shipped default secret"), "auth_value", confidence, True
        )
    return _Secret(
        attr.value,
        stack_label(node, ref, auth, attr, "shipped default secret"),
        "auth_value",
        Confidence.EXPLICIT,
        False,
    )


@rule(
    id="HA116",
    name="jgroups-auth-default-secret",
    severity=WARNING,
    scope="node",
    versions="7.4",
    tags=("cluster-link", "jgroups", "security"),
    summary="Cluster Link uses the MD5 AUTH stack with cluster.link.auth.value left at Liferay's shipped default.",
    rationale=(
        "Liferay 7.4's default Cluster Link stacks (jgroups/secure/md5/udp_control.xml and udp_transport.xml) "
        "authenticate members with JGroups AUTH and an MD5Token whose secret is cluster.link.auth.value. Its "
        "shipped default is public, printed in every portal.properties, so any host that reaches the channel "
        "(multicast spreads across the network segment) can join the cluster, read cache traffic and take part "
        "in cluster tasks. Liferay itself logs 'Clustering authentication is using default cluster link "
        "authentication value' at start-up. The value is compared as a keyed digest and never shown. Releases "
        "on JGroups 5 (2026.Q4 on) are not checked: their default stacks are jgroups/secure/sym_encrypt/ without "
        "AUTH (HA121 covers their key) and MD5Token no longer exists (HA120 reports a stack that still names it); "
        "2026.Q3, whose JGroups is not settled, is checked as before."
    ),
    fix=(
        "Set cluster.link.auth.value to a long random secret, the same on every node (a secret store or "
        "LIFERAY_CLUSTER_PERIOD_LINK_PERIOD_AUTH_PERIOD_VALUE), or move to the jgroups/secure/x509 stacks."
    ),
    # facts: liferay-ha-facts.md §2.2; read in: shared/corpus/liferay/portal-7.4-master-2024-12-04.properties
    sources=(
        (
            "Liferay 7.4 portal.properties (cluster.link.auth.value and its shipped default): https://github.com/"
            "liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
        (
            "Liferay 7.4 built-in JGroups stacks (secure/md5: AUTH with MD5Token and ${cluster.link.auth.value}): "
            "https://github.com/liferay/liferay-portal/tree/7.4.3.112-ga112/modules/apps/portal/"
            "portal-cluster-multiple/src/main/resources/jgroups"
        ),
        (
            "Liferay 7.4 source, JGroupsClusterChannelFactory.java (warns when cluster.link.auth.value is the "
            "shipped default): https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/modules/apps/portal/"
            "portal-cluster-multiple/src/main/java/com/liferay/portal/cluster/multiple/internal/jgroups/"
            "JGroupsClusterChannelFactory.java"
        ),
        (
            "Liferay Learn, 'Configuring Cluster Link' (MD5 is the default stack; X.509 is recommended for "
            "production): https://learn.liferay.com/w/dxp/installation-and-upgrades/setting-up-liferay/"
            "clustering-for-high-availability/configuring-cluster-link"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not cluster_link_enabled(node) or jgroups_major(ctx.release) == 5:
        return
    shipped = liferay_default(ctx.version, KEY)
    if not shipped:
        return
    shipped_digest = secret_digest(shipped)
    found: dict[tuple[str | None, int | None, str | None], tuple[_Secret, list[str], list[Label]]] = {}
    for key in channel_keys(node.settings):
        ref = node.reference(key)
        if ref is None:
            continue
        secret = _md5_secret(node, ref)
        if secret is None or secret_digest(secret.value) != shipped_digest:
            continue
        where = (secret.at.file, secret.at.line, secret.at.origin)
        channel = key[len(CHANNEL_PREFIX) :]
        entry = found.setdefault(where, (secret, [], []))
        entry[1].append(channel)
        entry[2].append(label(node, ref.setting, f"{channel} channel: MD5 AUTH stack"))
    for secret, channels, stacks in found.values():
        if secret.from_default:
            why = f"{secret.source} is not set anywhere, so Liferay {ctx.version}'s shipped default applies"
        else:
            why = f"{secret.source} is set to Liferay's shipped default"
        kind = "channels authenticate" if len(channels) > 1 else "channel authenticates"
        yield Finding(
            f"{node.name}'s Cluster Link {and_list(channels)} {kind} with MD5 AUTH, but {why}: anyone who knows "
            "Liferay's public default can join the cluster (the value is not shown)",
            secret.at,
            tuple(stacks),
            help=f"set {KEY} to a random secret, the same on every node",
            confidence=secret.confidence,
            subject=secret.source,
        )
