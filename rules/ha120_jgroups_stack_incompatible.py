"""HA120 jgroups-stack-incompatible: a Cluster Link stack written for JGroups 4 on a release that
bundles JGroups 5, which refuses its removed protocols and attributes, so the channel is never created."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import ERROR, Context, Finding, Node, OriginKind, Reference, and_list, label, rule, stack_label
from linter.ruleapi.cluster_link import (
    CHANNEL_PREFIX,
    MD5_LOCATION,
    Protocol,
    accepted_on,
    auth_token_attributes,
    channel_keys,
    cluster_link_enabled,
    jgroups_auth_classes,
    jgroups_protocols,
    protocol_class,
)
from linter.ruleapi.releases import jgroups_major

# What replaces a protocol class JGroups 4.1.7 has and 5.5.6 does not (belaban/JGroups, class lists
# at the tags; releases-2024-2026 §2.4).
_PROTOCOL_INSTEAD = {
    "FD": "FD_ALL3 or FD_SOCK2",
    "S3_PING": "aws.S3_PING from the jgroups-aws module, or JDBC_PING2",
    "GOOGLE_PING": "the jgroups-gcp module's GOOGLE_PING2, or JDBC_PING2",
    "CENTRAL_LOCK": "CENTRAL_LOCK2 from jgroups-raft or no lock protocol (Liferay does not use it)",
    "pbcast.FLUSH": "nothing (remove it)",
}
# What replaces an attribute (belaban/JGroups jgroups-5.5.6.Final: TP's bundler/diag/thread_pool
# components).
_ATTRIBUTE_INSTEAD = {
    "max_bundle_size": "bundler.max_size",
    "bundler_capacity": "bundler.capacity",
    "enable_diagnostics": "diag.enabled",
    "diagnostics_addr": "diag.mcast_addr",
    "diagnostics_port": "diag.port",
    "diagnostics_port_range": "diag.port_range",
    "diagnostics_ttl": "diag.ttl",
    "diagnostics_passcode": "diag.passcode",
    "diagnostics_bind_addr": "diag.bind_addr",
    "diagnostics_bind_interfaces": "diag.bind_interfaces",
    "diag_enable_udp": "diag.enable_udp",
    "diag_enable_tcp": "diag.enable_tcp",
    "use_fibers": "use_vthreads",
}
_REMOVED_TOKENS = {"MD5Token", "SimpleToken"}


def _relative(node: Node, path: str) -> str:
    prefix = node.path.rstrip("/") + "/"
    return path[len(prefix) :] if path.startswith(prefix) else path


def _rejected(protocol: Protocol, cls: str) -> list[tuple[str, str | None]]:
    """(attribute, what to write instead) for each attribute JGroups 4.1 accepted on ``cls`` and
    5.5 rejects; AUTH's token attributes need the ``auth_token.`` prefix from 5.2."""
    tokens = auth_token_attributes() if cls == "AUTH" else frozenset()
    out: list[tuple[str, str | None]] = []
    for attribute in protocol.attributes:
        name = attribute.name
        if accepted_on("5.5", cls, name):
            continue
        if name in tokens:
            out.append((name, f"auth_token.{name}"))
        elif accepted_on("4.1", cls, name):
            out.append((name, _ATTRIBUTE_INSTEAD.get(name)))
    return out


def _removed_token(protocol: Protocol) -> str | None:
    """The AuthToken class of an AUTH that JGroups 5 no longer has (MD5Token, SimpleToken)."""
    value = (protocol.get("auth_class") or "").strip()
    short = value.removeprefix("org.jgroups.auth.")
    if short in _REMOVED_TOKENS or (
        short in jgroups_auth_classes("4.1") and short not in jgroups_auth_classes("5.5") and "." not in short
    ):
        return short
    return None


@rule(
    id="HA120",
    since="0.2.0",
    name="jgroups-stack-incompatible",
    severity=ERROR,
    scope="node",
    versions="7.4",
    tags=("cluster-link", "jgroups", "upgrade"),
    summary="A Cluster Link stack uses JGroups 4 protocols or attributes that the release's JGroups 5 rejects.",
    rationale=(
        "Releases from 2026.Q4 bundle JGroups 5.5 instead of 4.1.7 (2026.Q3 is not settled and, like a node whose "
        "release is unknown, is never checked; 2024.Q1-2026.Q2 and older 7.4 updates are JGroups 4 and not "
        "checked either). JGroups 5 refuses what 4.1 accepted: a removed protocol class (FD, core S3_PING and "
        "GOOGLE_PING, CENTRAL_LOCK, pbcast.FLUSH: 'JGRP000002: unable to load protocol'), a removed attribute "
        "(TP max_bundle_size, enable_diagnostics and the diagnostics_* family, GMS view_bundling, STABLE "
        "stability_delay, ...: 'JGRP000001: configuration error: the following properties in ... are not "
        "recognized'), an AuthToken attribute on AUTH without the auth_token. prefix (from JGroups 5.2; the "
        "jgroups-5.5.xsd schema still lists them, the Configurator does not accept them), and MD5Token, which "
        "was removed in 5.0. The channel is never created and the node runs alone. Liferay's JGroups 4 stacks "
        "jgroups/secure/md5/* (the default before the switch) use MD5Token, view_bundling and stability_delay: "
        "naming them on a JGroups 5 release fails the same way. Only attributes and classes JGroups 4.1.7 had "
        "and 5.5.6 does not are reported, from a table generated from both JGroups tags "
        "(linter/liferay/data/jgroups-attributes.json); JGroups 3 leftovers are HA117's."
    ),
    fix=(
        "Start again from the stack of the release (Liferay's jgroups/secure/sym_encrypt or x509 stacks, or the "
        "tcp.xml in the JGroups 5.5 jar) and carry over only addresses, ports and discovery; write the renamed "
        "attributes with their new names (bundler.max_size, diag.enabled, auth_token.auth_value, ...), replace "
        "FD with FD_ALL3/FD_SOCK2 and MD5Token with X509Token or SYM_ENCRYPT with a keystore."
    ),
    # facts: liferay-releases-2024-2026.md §2.1, §2.2
    sources=(
        (
            "JGroups source, the protocols and auth classes at 4.1.7 and 5.5.6: https://github.com/belaban/JGroups/"
            "tree/JGroups-4.1.7.Final/src/org/jgroups and https://github.com/belaban/JGroups/tree/"
            "jgroups-5.5.6.Final/src/org/jgroups"
        ),
        (
            "JGroups source, JGRP000001, the error for properties a protocol does not know: https://github.com/"
            "belaban/JGroups/blob/JGroups-4.0.0.Final/conf/jg-messages.properties"
        ),
        (
            "Liferay source, the JGroups bundled with 7.0 (3.6) and 7.4 (4.1; JGroups 5.5 on the 2026 code line), "
            "build.gradle of portal-cluster-multiple: https://github.com/liferay/liferay-portal/blob/7.0.6-ga7/"
            "modules/apps/portal/portal-cluster-multiple/build.gradle, https://github.com/liferay/liferay-portal/"
            "blob/7.4.3.112-ga112/modules/apps/portal/portal-cluster-multiple/build.gradle"
        ),
        (
            "Liferay source (JGroups 5 code line, 2026), the built-in stacks (secure/sym_encrypt and secure/x509, no "
            "md5): https://github.com/liferay/liferay-portal/tree/master/modules/apps/portal/portal-cluster-multiple/"
            "src/main/resources/jgroups"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if jgroups_major(ctx.release) != 5 or not cluster_link_enabled(node):
        return
    release = ctx.release.name if ctx.release is not None else ctx.version
    stacks: dict[str, list[tuple[str, Reference]]] = {}
    for key in channel_keys(node.settings):
        ref = node.reference(key)
        if ref is None:
            continue
        channel = key[len(CHANNEL_PREFIX) :]
        value = ref.setting.value.strip().lstrip("/")
        if (
            ref.kind == "builtin"
            and value.startswith(MD5_LOCATION)
            and ref.setting.origin.kind is not OriginKind.DEFAULT
        ):
            yield Finding(
                f"{node.name}'s Cluster Link {channel} channel names Liferay's {value}, a JGroups 4 stack with "
                f"MD5Token AUTH: Liferay {release} bundles JGroups 5, which has no MD5Token (removed in JGroups "
                "5.0), so the channel cannot be created",
                label(node, ref.setting, "JGroups 4 stack", key=key),
                help=f"remove {key} to use the release's default (jgroups/secure/sym_encrypt/), or name the "
                "jgroups/secure/x509/ stack",
                subject=f"{key}:md5",
            )
            continue
        if ref.kind not in ("file", "inline") or ref.jgroups is None:
            continue
        where = _relative(node, ref.origin.file) if ref.kind == "file" else f"the inline stack of {key}"
        stacks.setdefault(where, []).append((channel, ref))
    known = jgroups_protocols("4.1")
    current = jgroups_protocols("5.5")
    for where, users in stacks.items():
        channels = and_list([c for c, _ in users])
        ref = users[0][1]
        assert ref.jgroups is not None
        related = tuple(label(node, r.setting, f"{c} channel uses this stack") for c, r in users if r.kind == "file")
        cannot = f"the {channels} channel{'s' if len(users) > 1 else ''} cannot be created"
        for protocol in ref.jgroups.protocols:
            cls = protocol_class(protocol.name)
            if cls is None:
                continue
            if cls in known and cls not in current:
                instead = _PROTOCOL_INSTEAD.get(cls, "a protocol JGroups 5 has")
                yield Finding(
                    f"{node.name}'s Cluster Link stack {where} uses {cls}, a JGroups 4 protocol that the JGroups 5 "
                    f"of Liferay {release} no longer has ('JGRP000002: unable to load protocol'): {cannot}",
                    stack_label(node, ref, protocol, None, f"{cls} is not in JGroups 5"),
                    related,
                    help=f"use {instead} instead",
                    subject=f"{where}:{cls}",
                )
                continue
            if cls not in current:
                continue
            token = _removed_token(protocol) if cls == "AUTH" else None
            if token is not None:
                attr = protocol.attr("auth_class")
                yield Finding(
                    f"{node.name}'s Cluster Link stack {where} authenticates with {token}, which JGroups 5 (Liferay "
                    f"{release}) no longer has (removed in JGroups 5.0): {cannot}",
                    stack_label(node, ref, protocol, attr, f"{token} is not in JGroups 5"),
                    related,
                    help="use X509Token (auth_token.* attributes) or SYM_ENCRYPT with a keystore",
                    subject=f"{where}:{cls}:auth_class",
                )
            rejected = _rejected(protocol, cls)
            if not rejected:
                continue
            names = [n for n, _ in rejected]
            shown = and_list(names) if len(names) <= 4 else f"{', '.join(names[:4])} and {len(names) - 4} more"
            renames = [f"{n} -> {i}" for n, i in rejected if i]
            first = protocol.attr(names[0])
            yield Finding(
                f"{node.name}'s Cluster Link stack {where} sets {shown} on {cls}: JGroups 4 attribute"
                f"{'s' if len(names) > 1 else ''} that the JGroups 5 of Liferay {release} rejects ('JGRP000001: "
                f"configuration error: the following properties in {cls} are not recognized'), so {cannot}",
                stack_label(node, ref, protocol, first, f"{names[0]} is not a JGroups 5 attribute"),
                (
                    *(
                        stack_label(node, ref, protocol, protocol.attr(n), f"{n} is not a JGroups 5 attribute")
                        for n in names[1:]
                    ),
                    *related,
                ),
                help=(f"rename {and_list(renames)}" + ("; remove the others" if len(renames) < len(names) else ""))
                if renames
                else f"remove {'them' if len(names) > 1 else 'it'} from <{protocol.name}>",
                subject=f"{where}:{cls}:{','.join(names)}",
            )
