"""HA121 sym-encrypt-key: where a Cluster Link channel's SYM_ENCRYPT key comes from on the JGroups 5
releases: nowhere for a sym_encrypt stack copied to another path (the channel never starts), or from
Liferay's public default channel names (anyone can compute it)."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import ERROR, WARNING, Context, Finding, Node, Reference, and_list, label, rule, stack_label
from linter.ruleapi.cluster_link import (
    CHANNEL_PREFIX,
    DEFAULT_CHANNEL_NAMES,
    SYM_ENCRYPT_LOCATION,
    Protocol,
    channel_keys,
    channel_location,
    channel_name_key,
    cluster_link_enabled,
    jgroups5_only,
    protocol_class,
)
from linter.ruleapi.releases import jgroups_major


def _relative(node: Node, path: str) -> str:
    prefix = node.path.rstrip("/") + "/"
    return path[len(prefix) :] if path.startswith(prefix) else path


def _keyless(ref: Reference) -> Protocol | None:
    """The stack's SYM_ENCRYPT when it names no keystore (its key must come from Liferay)."""
    if ref.jgroups is None:
        return None
    for protocol in ref.jgroups.protocols:
        if protocol_class(protocol.name) == "SYM_ENCRYPT" and protocol.attr("keystore_name") is None:
            return protocol
    return None


@rule(
    id="HA121",
    since="0.2.0",
    name="sym-encrypt-key",
    severity=WARNING,
    scope="node",
    versions="7.4",
    tags=("cluster-link", "jgroups", "security"),
    summary="A sym_encrypt Cluster Link stack gets no SYM_ENCRYPT key (copied to another path), or one derived "
    "from Liferay's public default channel names.",
    rationale=(
        "On the JGroups 5 releases (2026.Q4 on; 2026.Q3 is not settled) the default Cluster Link stacks are "
        "jgroups/secure/sym_encrypt/udp_control.xml and udp_transport.xml: SYM_ENCRYPT without a keystore. "
        "Liferay gives such a SYM_ENCRYPT the key AES(SHA-256(channel name)) only when the "
        "cluster.link.channel.properties.* value, as written, starts with 'jgroups/secure/sym_encrypt/' "
        "(JGroupsClusterChannelFactory). A copy of that stack named by any other value (an absolute path, "
        "custom/..., a leading slash) gets no key: SYM_ENCRYPT.init() then reads a keystore that is not "
        "configured and the channel is never created (error on a JGroups 5 release, or when the stack itself "
        "only runs on JGroups 5; a warning otherwise, since no Liferay release derives a key for another path "
        "but the release is not known). With the built-in stacks and the default channel names "
        "liferay-channel-control / liferay-channel-transport-0, the key is the SHA-256 of a public string: anyone "
        "who reaches the multicast group can decrypt the traffic and join; Liferay itself logs that the default "
        "SYM_ENCRYPT implementation 'is not secure enough to be used in production' (warning). The channel names "
        "are key material on these stacks: custom names are never shown."
    ),
    fix=(
        "Copied stack: name it by a class-path resource under jgroups/secure/sym_encrypt/ (Liferay's test is on "
        "the string), or give its SYM_ENCRYPT keystore_name, store_password and alias of a JCEKS keystore "
        "holding the same secret key on every node. Default names: set cluster.link.channel.name.control and "
        "cluster.link.channel.name.transport.0 to long random values, the same on every node and kept secret, or "
        "use the x509 stacks or a SYM_ENCRYPT keystore."
    ),
    # facts: liferay-releases-2024-2026.md §2.3, §2.2
    sources=(
        (
            "Liferay source (JGroups 5 code line, 2026), JGroupsClusterChannelFactory.java (without a keystore the "
            "sym_encrypt key is a SHA-256 digest of the channel name, with a 'not secure enough' warning): https://"
            "github.com/liferay/liferay-portal/blob/6cfe4873/modules/apps/portal/portal-cluster-multiple/src/main/"
            "java/com/liferay/portal/cluster/multiple/internal/jgroups/JGroupsClusterChannelFactory.java"
        ),
        (
            "JGroups source, SYM_ENCRYPT reads the key from the keystore when none was set: https://github.com/"
            "belaban/JGroups/blob/jgroups-5.5.6.Final/src/org/jgroups/protocols/SYM_ENCRYPT.java"
        ),
        (
            "Liferay portal.properties of the JGroups 5 code line (default stacks jgroups/secure/sym_encrypt/"
            "udp_*.xml): https://github.com/liferay/liferay-portal/blob/6cfe4873/portal-impl/src/portal.properties"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not cluster_link_enabled(node):
        return
    jgroups5 = jgroups_major(ctx.release) == 5
    copies: dict[str, list[tuple[str, Reference, Protocol]]] = {}
    public: list[tuple[str, str]] = []
    for key in channel_keys(node.settings):
        ref = node.reference(key)
        location = channel_location(node, key, ctx.release)
        if ref is None or location is None:
            continue
        channel = key[len(CHANNEL_PREFIX) :]
        derived = location.startswith(SYM_ENCRYPT_LOCATION)
        if ref.kind in ("file", "inline") and not derived:
            sym = _keyless(ref)
            if sym is not None:
                where = _relative(node, ref.origin.file) if ref.kind == "file" else f"the inline stack of {key}"
                copies.setdefault(where, []).append((channel, ref, sym))
            continue
        if not derived or (ref.kind in ("file", "inline") and _keyless(ref) is None):
            continue  # not Liferay's key, or the node's own copy names a keystore
        if ref.kind == "missing":
            continue  # not built into this release (a JGroups 4 release): HA003 reports it
        name = node.setting(channel_name_key(channel))
        if (
            channel in DEFAULT_CHANNEL_NAMES
            and name is not None
            and name.value.strip() == DEFAULT_CHANNEL_NAMES[channel]
        ):
            public.append((channel, key))
    for where, users in copies.items():
        channels = and_list([c for c, _, _ in users])
        _, ref, sym = users[0]
        assert ref.jgroups is not None
        certain = jgroups5 or jgroups5_only(ref.jgroups)
        related = tuple(label(node, r.setting, f"{c} channel: not under {SYM_ENCRYPT_LOCATION}") for c, r, _ in users)
        plural = len(users) > 1
        yield Finding(
            f"{node.name}'s Cluster Link stack {where} has SYM_ENCRYPT without keystore_name, but the "
            f"{channels} channel{'s name it' if plural else ' names it'} by a value that does not start with "
            f"{SYM_ENCRYPT_LOCATION}: Liferay derives no key for it, SYM_ENCRYPT finds no keystore and the "
            f"channel{'s are' if plural else ' is'} never created"
            + ("" if certain else " (certain on the JGroups 5 releases, 2026.Q4 on; this node's JGroups is not known)"),
            stack_label(node, ref, sym, None, "no keystore_name, no key from Liferay"),
            related,
            help=f"name the stack by a class-path resource under {SYM_ENCRYPT_LOCATION}, or give SYM_ENCRYPT "
            "keystore_name, store_password and alias (the same keystore on every node)",
            severity=ERROR if certain else None,
            subject=f"{where}:SYM_ENCRYPT",
        )
    if public:
        channels = and_list([c for c, _ in public])
        keys = [channel_name_key(c) for c, _ in public]
        names = and_list([DEFAULT_CHANNEL_NAMES[c] for c, _ in public])
        first = node.setting(keys[0])
        assert first is not None
        plural = len(public) > 1
        yield Finding(
            f"{node.name}'s Cluster Link {channels} channel{'s use' if plural else ' uses'} Liferay's sym_encrypt "
            f"stack{'s' if plural else ''} with the default channel name{'s' if plural else ''} ({names}): "
            "Liferay's SYM_ENCRYPT key is the SHA-256 of the channel name, so anyone who knows Liferay's public "
            "defaults can compute it, read the cluster traffic and join (Liferay logs that this default 'is not "
            "secure enough to be used in production')",
            label(node, first, "public default channel name: the key seed", key=keys[0]),
            tuple(
                label(node, s, "public default channel name", key=k)
                for k in keys[1:]
                if (s := node.setting(k)) is not None
            ),
            help=f"set {and_list(keys)} to long random values, the same on every node and kept secret, or use "
            "the x509 stacks or SYM_ENCRYPT with a keystore",
            subject="default-channel-names",
        )
