"""HA117 jgroups-removed-protocol: a Cluster Link stack still uses JGroups 3 protocols or transport
attributes that the JGroups 4 bundled from Liferay 7.2 on no longer has."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Context, Finding, Node, Reference, and_list, label, rule, stack_label
from linter.ruleapi.cluster_link import CHANNEL_PREFIX, channel_keys, cluster_link_enabled

_PACKAGE = "org.jgroups.protocols."

# Protocols present in JGroups 3.6.20.Final and gone from 4.0.0.Final on (still absent in 4.1.7), with
# what replaces them.
_REMOVED_PROTOCOLS = {
    "MERGE2": "MERGE3",
    "UNICAST": "UNICAST3",
    "UNICAST2": "UNICAST3",
    "pbcast.NAKACK": "pbcast.NAKACK2",
    "FC": "MFC and UFC",
    "ENCRYPT": "SYM_ENCRYPT or ASYM_ENCRYPT",
    "TCP_NIO": "TCP_NIO2",
    "FD_PING": "FD_ALL or FD_SOCK",
    "SCOPE": None,
    "PRIO": None,
    "PEER_LOCK": "CENTRAL_LOCK",
}
# Transport (TP/TCP) attributes of JGroups 3.6.20 that 4.0.0 and 4.1.7 no longer declare. JGroups 4
# rejects unknown attributes ("JGRP000001: configuration error: the following properties in TCP are
# not recognized"), so the channel is never created.
_REMOVED_ATTRIBUTES = frozenset(
    {
        "singleton_name",
        "timer_type",
        "max_bundle_timeout",
        "enable_bundling",
        "use_send_queues",
        "send_queue_size",
        "thread_pool.queue_enabled",
        "thread_pool.queue_max_size",
        "thread_pool.rejection_policy",
        "discard_incompatible_packets",
    }
)
_REMOVED_PREFIXES = ("timer.", "oob_thread_pool.", "internal_thread_pool.")


def _short(name: str) -> str:
    return name[len(_PACKAGE) :] if name.startswith(_PACKAGE) else name


def _relative(node: Node, path: str) -> str:
    """A stack file as a path inside the node (stable whatever directory the tool runs from)."""
    prefix = node.path.rstrip("/") + "/"
    return path[len(prefix) :] if path.startswith(prefix) else path


def _removed_attribute(name: str) -> bool:
    return name in _REMOVED_ATTRIBUTES or name.startswith(_REMOVED_PREFIXES)


@rule(
    id="HA117",
    name="jgroups-removed-protocol",
    severity=WARNING,
    scope="node",
    versions="7.2+",
    tags=("cluster-link", "jgroups", "upgrade"),
    summary="A Cluster Link stack uses JGroups 3 protocols or transport attributes that JGroups 4+ no longer has.",
    rationale=(
        "Liferay 7.0 and 7.1 bundle JGroups 3.6; from DXP 7.2 SP1 / Portal 7.2 GA2 Liferay bundles JGroups 4.1 "
        "(7.2 is used as the boundary here, so a 7.2 GA1 or SP0 cluster may see this early). Stacks copied from "
        "older guides or from JGroups 3's tcp.xml keep protocols JGroups 4 removed (MERGE2, UNICAST, UNICAST2, "
        "pbcast.NAKACK, FC, ENCRYPT, ...) and transport attributes it dropped (singleton_name, which the DXP "
        "7.0/7.1 guides recommended, timer_type, timer.*, oob_thread_pool.*, ...). JGroups 4 refuses both: an "
        "unknown protocol class or an unrecognised property aborts channel creation, so Cluster Link never "
        "starts on that node. FD, removed in JGroups 5.2, is not flagged: current Liferay master bundles JGroups "
        "5.5, but no released version family can be told apart from the 7.4 family here. Liferay's built-in "
        "stacks are not checked."
    ),
    fix=(
        "Start again from the tcp.xml of the JGroups jar your Liferay bundles (in com.liferay.portal.cluster."
        "multiple) and carry over only bind_port, port_range and the discovery settings; replace MERGE2 with "
        "MERGE3, UNICAST/UNICAST2 with UNICAST3, drop singleton_name and the timer/thread-pool attributes."
    ),
    # facts: liferay-ha-facts.md §2.4; ehcache-jgroups-facts.md B.3, B.5; read in: petershin/liferay-learn,
    #   zoltantoth0409/liferay-portal, hhuijser/liferay-portal, tylerbertrand/liferay-portal
    sources=(
        (
            "Liferay Learn, 'Configuring Unicast over TCP' (singleton_name was deprecated in JGroups 4.0.0 and "
            "removed from DXP 7.2 SP1 / Portal 7.2 GA2, which use JGroups 4.1.1): https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/setting-up-liferay/clustering-for-high-availability/"
            "configuring-unicast-over-tcp"
        ),
        (
            "JGroups source, the protocols of each release: https://github.com/belaban/JGroups/tree/"
            "JGroups-3.6.20.Final/src/org/jgroups/protocols and https://github.com/belaban/JGroups/tree/"
            "JGroups-4.1.7.Final/src/org/jgroups/protocols"
        ),
        (
            "JGroups source, JGRP000001, the error for properties a protocol does not know: https://github.com/"
            "belaban/JGroups/blob/JGroups-4.0.0.Final/conf/jg-messages.properties"
        ),
        (
            "Liferay source, the JGroups bundled with 7.0 (3.6) and 7.4 (4.1), build.gradle of "
            "portal-cluster-multiple: https://github.com/liferay/liferay-portal/blob/7.0.6-ga7/modules/apps/portal/"
            "portal-cluster-multiple/build.gradle, https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/"
            "modules/apps/portal/portal-cluster-multiple/build.gradle"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not cluster_link_enabled(node):
        return
    stacks: dict[str, list[tuple[str, Reference]]] = {}
    for key in channel_keys(node.settings):
        ref = node.reference(key)
        if ref is None or ref.kind not in ("file", "inline") or ref.jgroups is None:
            continue
        where = _relative(node, ref.origin.file) if ref.kind == "file" else f"the inline stack of {key}"
        stacks.setdefault(where, []).append((key[len(CHANNEL_PREFIX) :], ref))
    for where, users in stacks.items():
        channels = and_list([c for c, _ in users])
        ref = users[0][1]
        assert ref.jgroups is not None
        related = tuple(label(node, r.setting, f"{c} channel uses this stack") for c, r in users if r.kind == "file")
        cannot = f"the {channels} channel{'s' if len(users) > 1 else ''} cannot be created"
        for index, protocol in enumerate(ref.jgroups.protocols):
            short = _short(protocol.name)
            if short in _REMOVED_PROTOCOLS:
                replacement = _REMOVED_PROTOCOLS[short]
                instead = f"use {replacement} instead" if replacement else "remove it"
                yield Finding(
                    f"{node.name}'s Cluster Link stack {where} uses {short}, a JGroups 3 protocol that JGroups 4+ "
                    f"(Liferay {ctx.version}) no longer has: {cannot}; {instead}",
                    stack_label(node, ref, protocol, None, f"{short} was removed in JGroups 4.0"),
                    related,
                    help=f"{instead} (see the tcp.xml in the JGroups jar Liferay bundles)",
                    subject=f"{where}:{short}",
                )
            if index != 0:
                continue  # the removed attributes belong to the transport
            removed = [a for a in protocol.attributes if _removed_attribute(a.name)]
            if not removed:
                continue
            names = [a.name for a in removed]
            shown = and_list(names) if len(names) <= 4 else f"{', '.join(names[:4])} and {len(names) - 4} more"
            first = removed[0]
            yield Finding(
                f"{node.name}'s Cluster Link stack {where} sets {shown} on {short}: JGroups 3 attribute"
                f"{'s' if len(names) > 1 else ''} that JGroups 4+ (Liferay {ctx.version}) rejects ('the following "
                f"properties in {short} are not recognized'), so {cannot}; remove "
                f"{'them' if len(names) > 1 else 'it'}",
                stack_label(node, ref, protocol, first, f"{first.name} was removed in JGroups 4.0"),
                (
                    *(stack_label(node, ref, protocol, a, f"{a.name} was removed in JGroups 4.0") for a in removed[1:]),
                    *related,
                ),
                help=f"remove {and_list(names) if len(names) <= 4 else 'these attributes'} from <{protocol.name}>",
                subject=f"{where}:{short}:{','.join(names)}",
            )
