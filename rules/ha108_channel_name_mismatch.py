"""HA108 channel-name-mismatch: the JGroups cluster name of a Cluster Link channel differs between nodes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterator

from linter.ruleapi import ERROR, Cluster, Context, Finding, Label, Node, Setting, agreement, rule
from linter.ruleapi.cluster_link import (
    CHANNEL_NAME_PREFIX,
    CHANNEL_PREFIX,
    DEFAULT_CHANNEL_NAMES,
    cluster_link_enabled,
    sym_encrypt_location,
)
from linter.ruleapi.memo import keys_with_prefix
from linter.ruleapi.releases import parse_release
from linter.ruleapi.text import LazyPattern

CONTROL = "cluster.link.channel.name.control"
TRANSPORT = LazyPattern(r"cluster\.link\.channel\.name\.transport\.(\d+)")


def _keys(cluster: Cluster) -> list[str]:
    """The control channel's name and the name of every transport channel some node defines."""
    numbers: set[int] = set()
    for node in cluster.nodes:
        for key in keys_with_prefix(node.settings, "cluster.link.channel.name.transport."):
            match = TRANSPORT.fullmatch(key)
            if match:
                numbers.add(int(match.group(1)))
    return [CONTROL, *(f"cluster.link.channel.name.transport.{n}" for n in sorted(numbers))]


def _uses(node: Node, key: str) -> bool:
    """A node takes part in the comparison of a channel's name when Cluster Link is on and the
    channel has a stack (Liferay skips a transport channel without properties)."""
    if not cluster_link_enabled(node):
        return False
    if key == CONTROL:
        return True
    stack = node.setting(key.replace(".name.", ".properties.", 1))
    return stack is not None and bool(stack.value.strip())


def _value_of(key: str) -> Callable[[Node], Hashable]:
    def value_of(node: Node) -> Hashable:
        setting = node.setting(key)
        return setting.value.strip() if setting is not None else ""

    return value_of


def _setting_of(key: str) -> Callable[[Node], Setting | None]:
    return lambda node: node.setting(key)


def _skip(key: str) -> Callable[[Node], bool]:
    return lambda node: not _uses(node, key)


def _show(value: Hashable) -> str:
    return f'"{value}"' if value else "no name (the channel is not created)"


_KEY_SEED = "on sym_encrypt stacks the channel name seeds the encryption key"


def _sym_encrypt(cluster: Cluster, key: str) -> bool:
    """Whether some node compared for the channel ``key`` runs it on a sym_encrypt stack, whose
    SYM_ENCRYPT key Liferay derives from the channel name (releases-2024-2026 §2.3, M10)."""
    channel = key[len(CHANNEL_NAME_PREFIX) :]
    return any(
        sym_encrypt_location(node, CHANNEL_PREFIX + channel, parse_release(node.release) if node.release else None)
        for node in cluster.nodes
        if _uses(node, key)
    )


def _show_masked(key: str) -> Callable[[Hashable], str]:
    default = DEFAULT_CHANNEL_NAMES.get(key[len(CHANNEL_NAME_PREFIX) :])

    def show(value: Hashable) -> str:
        if not value:
            return "no name (the channel is not created)"
        if value == default:
            return f'Liferay\'s default "{value}"'
        return "a name of its own"

    return show


def _unlined(at: Label) -> Label:
    """A label without its line, so that no snippet of the line (the name) is printed."""
    if at.line is None:
        return at
    return dataclasses.replace(
        at, line=None, column=None, end_line=None, end_column=None, origin=f"line {at.line} (not shown: {_KEY_SEED})"
    )


@rule(
    id="HA108",
    name="channel-name-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="6.2+",
    tags=("cluster-link", "jgroups", "drift"),
    summary="cluster.link.channel.name.control or .transport.N differs between nodes.",
    rationale=(
        "Liferay connects each Cluster Link channel with its channel name as the JGroups cluster name "
        "(JChannel.connect(channelName)): nodes whose names differ form separate JGroups clusters and never see "
        "each other on that channel, even with identical stacks and multicast groups. Liferay's own integration "
        "test changes both names on one node and checks that the nodes no longer see each other. A transport "
        "channel without a name is skipped by Liferay and a control channel without a name stops Cluster Link. "
        "Only nodes with Cluster Link on are compared (HA101/HA102 report the switch), and a transport channel's "
        "name only on nodes that define that channel's stack. On the sym_encrypt stacks (the default of the "
        "JGroups 5 releases, 2026.Q4 on) Liferay derives the SYM_ENCRYPT key from the channel name, so differing "
        "names are also differing keys, and names other than Liferay's defaults are neither printed nor "
        "pointed at by line."
    ),
    fix="Set the same cluster.link.channel.name.control and cluster.link.channel.name.transport.N on every node "
    "(or leave them at Liferay's defaults liferay-channel-control / liferay-channel-transport-0 everywhere).",
    # facts: liferay-ha-facts.md §2.2; liferay-releases-2024-2026.md §2.3 (sym_encrypt key); read in:
    #   dinolupo/Liferay6.2-fixed, zoltantoth0409/liferay-portal
    sources=(
        (
            "Liferay 6.2 source, ClusterBase.java (the channel joins its cluster by channel name): https://"
            "github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/com/liferay/portal/cluster/"
            "ClusterBase.java"
        ),
        (
            "Liferay 6.2 source, ClusterLinkImpl.java: https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/"
            "portal-impl/src/com/liferay/portal/cluster/ClusterLinkImpl.java"
        ),
        (
            "Liferay 7.4 source, ClusterLinkImpl.java (cluster.link.channel.name.* is the cluster name): https://"
            "github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/modules/apps/portal/portal-cluster-multiple/src/"
            "main/java/com/liferay/portal/cluster/multiple/internal/ClusterLinkImpl.java"
        ),
        (
            "Liferay 7.4 source, JGroupsClusterChannel.java (connect with the cluster name): https://github.com/"
            "liferay/liferay-portal/blob/7.4.3.112-ga112/modules/apps/portal/portal-cluster-multiple/src/main/java/"
            "com/liferay/portal/cluster/multiple/internal/jgroups/JGroupsClusterChannel.java"
        ),
        (
            "Liferay's own test ClusterLinkTest.java (testCustomizeChannelNames: nodes with other channel names are "
            "not in the same cluster): https://github.com/liferay/liferay-portal/blob/0a3dba9e/modules/apps/"
            "portal-cache/portal-cache-test/src/testIntegration/java/com/liferay/portal/cache/internal/test/"
            "ClusterLinkTest.java"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    for key in _keys(cluster):
        masked = _sym_encrypt(cluster, key)
        findings = agreement(
            cluster,
            _value_of(key),
            _setting_of(key),
            what=f"The JGroups cluster name {key}"
            + (" (on sym_encrypt stacks also the seed of the encryption key; names are not shown)" if masked else ""),
            show=_show_masked(key) if masked else _show,
            subject=key,
            help=f"set {key} to the same value on every node" + (" and keep it secret" if masked else ""),
            skip=_skip(key),
        )
        for finding in findings:
            yield (
                finding._replace(at=_unlined(finding.at), related=tuple(_unlined(r) for r in finding.related))
                if masked
                else finding
            )
