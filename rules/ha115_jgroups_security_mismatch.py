"""HA115 jgroups-security-mismatch: the nodes' Cluster Link channels use different security stacks
(unsecure, MD5, X.509, SYM_ENCRYPT) or different cluster.link.auth.value secrets."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import NamedTuple

from linter.ruleapi import (
    ERROR,
    Cluster,
    Confidence,
    Context,
    Finding,
    Label,
    Node,
    OriginKind,
    Reference,
    and_list,
    label,
    node_names,
    outliers,
    rule,
    stack_label,
)
from linter.ruleapi.cluster_link import (
    CHANNEL_PREFIX,
    cluster_channel_keys,
    cluster_link_enabled,
    jgroups_value,
    split_placeholder,
)
from linter.ruleapi.secrets import secret_digest

_ENCRYPTION = frozenset({"ASYM_ENCRYPT", "SYM_ENCRYPT", "ENCRYPT"})
# Liferay's built-in stacks by resource folder: (AUTH token, encryption protocols). The content of
# md5, x509 and unsecure is in Liferay's files (JG74); sym_encrypt ships with the JGroups 5 stacks
# of current master and is judged by its name only.
_BUILTIN = (
    ("jgroups/unsecure/", (None, ())),
    ("jgroups/secure/md5/", ("MD5Token", ("ASYM_ENCRYPT",))),
    ("jgroups/secure/x509/", ("X509Token", ("ASYM_ENCRYPT",))),
    ("jgroups/secure/sym_encrypt/", (None, ("SYM_ENCRYPT",))),
)

Signature = tuple[str | None, tuple[str, ...]]


class _Security(NamedTuple):
    node: Node
    channel: str
    ref: Reference
    signature: Signature
    where: str  # the stack, as an admin knows it


class _Secret(NamedTuple):
    node: Node
    digest: str
    at: Label
    source: str
    confidence: Confidence


def _show(signature: Signature) -> str:
    token, encryption = signature
    auth = {"MD5Token": "MD5 AUTH", "X509Token": "X.509 AUTH"}.get(token or "", f"AUTH {token}" if token else "no AUTH")
    return f"{auth}, {' + '.join(encryption) if encryption else 'no encryption'}"


def _security(node: Node, channel: str, ref: Reference) -> _Security | None:
    name = ref.setting.value.strip().lstrip("/")
    if ref.kind in ("builtin", "missing"):
        for prefix, signature in _BUILTIN:
            if name.startswith(prefix):
                default = ", Liferay's default" if ref.setting.origin.kind is OriginKind.DEFAULT else ""
                return _Security(node, channel, ref, signature, f"the built-in {name}{default}")
        return None
    if ref.kind == "jgroups-jar":  # JGroups' stock stacks carry neither AUTH nor encryption
        return _Security(node, channel, ref, (None, ()), f"JGroups' stock {name}")
    stack = ref.jgroups
    if stack is None or not stack.protocols:
        return None
    auth = next((p for p in stack.protocols if p.base == "AUTH"), None)
    token = None
    if auth is not None:
        token = (auth.get("auth_class") or "AUTH").strip().rsplit(".", 1)[-1] or "AUTH"
    encryption = tuple(sorted({p.base for p in stack.protocols if p.base in _ENCRYPTION}))
    where = ref.origin.file if ref.kind == "file" else f"the inline stack of {ref.key}"
    return _Security(node, channel, ref, (token, encryption), where)


def _secret(node: Node, ref: Reference) -> _Secret | None:
    """The AUTH auth_value the channel uses, as a keyed digest (never the value)."""
    stack = ref.jgroups
    auth = next((p for p in stack.protocols if p.base == "AUTH"), None) if stack is not None else None
    attr = auth.attr("auth_value") if auth is not None else None
    if auth is None or attr is None:
        return None
    placeholder = split_placeholder(attr.value)
    if placeholder is not None:
        setting = node.setting(placeholder[0])
        if setting is not None and setting.confidence is not Confidence.UNRESOLVED:
            digest = secret_digest(setting.value)
            assert digest is not None
            return _Secret(node, digest, label(node, setting), placeholder[0], setting.confidence)
        value, confidence = jgroups_value(node, attr.value)
        if value is None or confidence is Confidence.UNRESOLVED:
            return None
    else:
        value, confidence = attr.value, Confidence.EXPLICIT
    digest = secret_digest(value)
    assert digest is not None
    return _Secret(node, digest, stack_label(node, ref, auth, attr), f"{auth.name} auth_value", confidence)


@rule(
    id="HA115",
    name="jgroups-security-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="7.4",
    tags=("cluster-link", "jgroups", "security", "drift"),
    summary="Nodes secure a Cluster Link channel differently, or use different cluster.link.auth.value secrets.",
    rationale=(
        "Liferay 7.4 ships three JGroups stacks per channel: jgroups/unsecure (no encryption), jgroups/secure/md5 "
        "(MD5 AUTH with cluster.link.auth.value, the default) and jgroups/secure/x509 (X.509 AUTH); current "
        "master adds jgroups/secure/sym_encrypt. Nodes that use different stacks cannot talk to each other, and "
        "with the MD5 stack every node must use the same cluster.link.auth.value, or AUTH rejects the joins: "
        "the cluster splits. Stacks are judged by the built-in resource name or, for custom XML, by their AUTH "
        "auth_class and ASYM_ENCRYPT/SYM_ENCRYPT/ENCRYPT protocols, per channel. Secrets are compared as keyed "
        "digests and never shown. X.509 keystores and certificates are not compared."
    ),
    fix=(
        "Point cluster.link.channel.properties.control and .transport.N at the same stack on every node (when "
        "upgrading an unsecured cluster node by node, use the jgroups/unsecure files on the new nodes first), "
        "and set the same cluster.link.auth.value everywhere."
    ),
    # facts: ehcache-jgroups-facts.md S-LEARN-CL, B.1, B.4; liferay-ha-facts.md §2.2, §7.1; read in:
    #   petershin/liferay-learn, shared/corpus/liferay/jgroups/master-2024-12
    sources=(
        (
            "Liferay Learn, 'Configuring Cluster Link' (three stacks; nodes with different encryption cannot "
            "communicate; the same cluster.link.auth.value on every node): https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/setting-up-liferay/clustering-for-high-availability/configuring-cluster-link"
        ),
        (
            "Liferay 7.4 built-in JGroups stacks (unsecure, secure/md5, secure/x509): https://github.com/liferay/"
            "liferay-portal/tree/7.4.3.112-ga112/modules/apps/portal/portal-cluster-multiple/src/main/resources/"
            "jgroups"
        ),
        (
            "Liferay source (JGroups 5 code line, 2026), the sym_encrypt stacks: https://github.com/liferay/"
            "liferay-portal/tree/master/modules/apps/portal/portal-cluster-multiple/src/main/resources/jgroups/secure"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    nodes = [n for n in cluster.nodes if cluster_link_enabled(n)]
    if len(nodes) < 2:
        return
    keys = cluster_channel_keys(nodes)
    secret_findings: dict[tuple[str, str | None, int | None, str | None], tuple[Finding, list[str]]] = {}
    for key in keys:
        channel = key[len(CHANNEL_PREFIX) :]
        found: dict[str, _Security] = {}
        for node in nodes:
            ref = node.reference(key)
            security = _security(node, channel, ref) if ref is not None else None
            if security is not None:
                found[node.name] = security
        groups: dict[Signature, list[Node]] = {}
        for node in nodes:
            if node.name in found:
                groups.setdefault(found[node.name].signature, []).append(node)
        for signature, members, differing, tie in outliers(groups):
            against = "; ".join(
                f"{node_names(ns)} {'uses' if len(ns) == 1 else 'use'} {found[ns[0].name].where} ({_show(v)})"
                for v, ns in differing
            )
            for node in members:
                mine = found[node.name]
                yield Finding(
                    f"Cluster Link {channel} channel security differs between nodes{' (tie)' if tie else ''}: "
                    f"{node.name} uses {mine.where} ({_show(signature)}), while {against}. Nodes with different "
                    "security stacks cannot talk to each other",
                    label(node, mine.ref.setting, f"{node.name}: {_show(signature)}"),
                    tuple(
                        label(n, found[n.name].ref.setting, f"{n.name}: {_show(v)}") for v, ns in differing for n in ns
                    ),
                    help="use the same stack (unsecure, secure/md5 or secure/x509) for this channel on every node",
                    confidence=mine.ref.setting.confidence,
                    subject=key,
                )
        # Secrets: only between nodes whose stacks agree and authenticate
        for signature, members in groups.items():
            if signature[0] is None or len(members) < 2:
                continue
            secrets = {n.name: s for n in members if (s := _secret(n, found[n.name].ref)) is not None}
            by_digest: dict[str, list[Node]] = {}
            for node in members:
                if node.name in secrets:
                    by_digest.setdefault(secrets[node.name].digest, []).append(node)
            for _digest, differing_nodes, others, tie in outliers(by_digest):
                for node in differing_nodes:
                    secret = secrets[node.name]
                    related = tuple(
                        dataclasses.replace(secrets[n.name].at, text=f"{n.name}: another value")
                        for _, ns in others
                        for n in ns
                    )
                    rest = node_names([n for _, ns in others for n in ns])
                    finding = Finding(
                        f"The Cluster Link AUTH secret differs between nodes{' (tie)' if tie else ''}: "
                        f"{node.name}'s {secret.source} does not match that of {rest}"
                        " (compared as digests; values are not shown). AUTH rejects members with another secret, so "
                        "the cluster splits",
                        dataclasses.replace(secret.at, text=f"{node.name}: differs"),
                        related,
                        help="set the same cluster.link.auth.value on every node",
                        confidence=secret.confidence,
                        subject=f"{secret.source}",
                    )
                    where = (node.name, secret.at.file, secret.at.line, secret.at.origin)
                    if where in secret_findings:
                        secret_findings[where][1].append(channel)
                    else:
                        secret_findings[where] = (finding, [channel])
    for finding, channels in secret_findings.values():
        kind = "channels" if len(channels) > 1 else "channel"
        yield finding._replace(message=f"{finding.message} ({and_list(channels)} {kind})")
