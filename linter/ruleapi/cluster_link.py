"""Cluster Link channels: the switch, the channels' JGroups stacks, and the values JGroups resolves in them.

A channel's XML attribute may hold ``${name:default}``. On 7.x Liferay first substitutes portal
properties into the channel XML (``JGroupsClusterChannelFactory._parseChannelProperties``); then
JGroups resolves ``${name:default}`` from system properties: the entries of
``cluster.link.channel.system.properties``, which Liferay sets with ``System.setProperty`` before it
creates the channels (6.2 ``ClusterBase.initSystemProperties``, 7.x ``JGroupsClusterChannelFactory``),
before the JVM's ``-D`` flags, else the default (ehcache-jgroups-facts B.1, B.2). An absent attribute
falls back to its system property (``Configurator.resolveAndAssignField``).

Shared by the HA1xx rules through ``linter.ruleapi``; nothing here reads files or the environment.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, NamedTuple

from linter.diagnostics import Label
from linter.liferay.builtins import jgroups_line
from linter.liferay.getter import get_boolean
from linter.liferay.keys import channel_keys as _scan_channel_keys
from linter.liferay.releases import Release, jgroups_major
from linter.origin import Confidence, OriginKind
from linter.ruleapi.labels import label, label_at, stack_label
from linter.ruleapi.memo import keys_with_prefix, per_object

# the JGroups reader types and helpers rules of this family use
from linter.sources.jgroups import HostPort as HostPort
from linter.sources.jgroups import JGroupsStack as JGroupsStack
from linter.sources.jgroups import Protocol as Protocol
from linter.sources.jgroups import ProtocolAttr as ProtocolAttr
from linter.sources.jgroups import Unresolved as Unresolved
from linter.sources.jgroups import parse_initial_hosts as parse_initial_hosts
from linter.sources.jgroups import split_placeholder as split_placeholder
from linter.sources.properties import commons_list

if TYPE_CHECKING:
    from linter.model import Node, Reference
    from linter.origin import Setting
    from linter.sources.jgroups import JGroupsStack, Protocol

CLUSTER_LINK_ENABLED = "cluster.link.enabled"
CHANNEL_PREFIX = "cluster.link.channel.properties."
CHANNEL_SYSTEM_PROPERTIES = "cluster.link.channel.system.properties"
TCP_TRANSPORTS = frozenset({"TCP", "TCP_NIO2", "TCP_NIO"})
JGROUPS_3_FAMILIES = ("7.0", "7.1")  # JGroups 3.6: TP.port_range defaults to 50 and singleton_name exists
# ``name=${...}`` in an inline (6.x) stack string: the placeholder Liferay substituted into the attribute.
INLINE_PLACEHOLDER = r"(?:^|[(;])\s*{name}\s*=\s*(\$\{{[^}}]*\}})\s*(?=[;)]|$)"


def cluster_link_enabled(node: Node) -> bool:
    """``cluster.link.enabled`` as Liferay reads it (``GetterUtil.getBoolean``, default false)."""
    setting = node.setting(CLUSTER_LINK_ENABLED)
    return get_boolean(setting.value if setting is not None else None)


def channel_system_properties(node: Node) -> dict[str, str]:
    """The ``name:value`` entries of ``cluster.link.channel.system.properties``: Liferay sets them with
    ``System.setProperty`` before it creates the channels, so they override ``-D`` flags (6.2
    ``ClusterBase.initSystemProperties``, 7.x ``JGroupsClusterChannelFactory``)."""
    setting = node.setting(CHANNEL_SYSTEM_PROPERTIES)
    out: dict[str, str] = {}
    if setting is None or setting.confidence is Confidence.UNRESOLVED:
        return out
    for entry in setting.value.split(","):
        name, sep, value = entry.partition(":")
        if sep and name.strip():
            out[name.strip()] = value.strip()
    return out


def jgroups_value(node: Node, raw: str | None, family: str | None = None) -> tuple[str | None, Confidence]:
    """The value JGroups would use for an attribute that may hold ``${name:default}``.

    On 7.x Liferay first substitutes portal properties into the channel XML
    (``JGroupsClusterChannelFactory._parseChannelProperties``, e.g. ``${cluster.link.bind.addr["..."]}``);
    then JGroups resolves ``${name:default}`` from system properties: the entries of
    ``cluster.link.channel.system.properties`` (set by Liferay) before ``-D`` flags, else the default
    (facts B.1, B.2). 6.x does not substitute portal properties into XML stacks. Returns
    (None, UNRESOLVED) when nothing provides the value."""
    if raw is None:
        return None, Confidence.EXPLICIT
    placeholder = split_placeholder(raw)
    if placeholder is None:
        return raw, Confidence.EXPLICIT
    name, default = placeholder
    if family is None or not family.startswith("6."):
        setting = node.setting(name)
        if setting is not None and setting.confidence is not Confidence.UNRESOLVED:
            return setting.value, setting.confidence
    system = channel_system_properties(node)
    if name in system:
        return system[name], Confidence.EXPLICIT
    flag = node.system_property(name)
    if flag is not None and flag.value is not None and not flag.unresolved:
        return flag.value, Confidence.EXPLICIT
    if default is not None:
        return default, Confidence.DEFAULT
    return None, Confidence.UNRESOLVED


@per_object
def _channel_keys_of(settings: Mapping[str, Setting]) -> tuple[str, ...]:
    # the same scan on the keys that can match (in the same order): a node holds ~1,200 keys
    return tuple(_scan_channel_keys({k: settings[k] for k in keys_with_prefix(settings, CHANNEL_PREFIX)}))


def channel_keys(settings: Mapping[str, Setting]) -> list[str]:
    """The Cluster Link channel keys the settings define, control first, then transport.N in order
    (``linter.liferay.keys.channel_keys``; a scan of every key, so memoized per node within a run)."""
    return list(_channel_keys_of(settings))


def cluster_channel_keys(nodes: Iterable[Node]) -> list[str]:
    """Every channel key some of the nodes set: the control channel first, then the transport channels."""
    return sorted({k for n in nodes for k in channel_keys(n.settings)}, key=lambda k: (not k.endswith("control"), k))


def channel_stacks(node: Node) -> Iterator[tuple[str, Reference, JGroupsStack]]:
    """Channels whose stack content is known from the node's own files (or an inline string), in
    creation order: (control / transport.N, the reference, the stack)."""
    for key in channel_keys(node.settings):
        ref = node.reference(key)
        if ref is None or ref.kind not in ("file", "inline") or ref.jgroups is None or not ref.jgroups.protocols:
            continue
        yield key[len(CHANNEL_PREFIX) :], ref, ref.jgroups


class ChannelValue(NamedTuple):
    """A resolved value and where an admin edits it."""

    value: str | None
    confidence: Confidence
    at: Label
    source: str  # what an admin edits: a property, a JVM flag, an XML attribute


def channel_system_property(node: Node, name: str, text: str) -> ChannelValue | None:
    """A JGroups system property: Liferay's cluster.link.channel.system.properties entries
    (System.setProperty at channel factory start) win over the JVM's -D flags."""
    setting = node.setting(CHANNEL_SYSTEM_PROPERTIES)
    if setting is not None and setting.value.strip():
        for entry in commons_list(setting.value):
            key, sep, value = entry.partition(":")
            if sep and key.strip() == name:
                return ChannelValue(
                    value, setting.confidence, label(node, setting, text), f"{CHANNEL_SYSTEM_PROPERTIES} ({name})"
                )
    flag = node.system_property(name)
    if flag is None:
        return None
    if flag.unresolved or flag.value is None:
        return ChannelValue(None, Confidence.UNRESOLVED, label_at(node, flag.origin, text), f"-D{name}")
    return ChannelValue(flag.value, Confidence.EXPLICIT, label_at(node, flag.origin, text), f"-D{name}")


def channel_attribute(
    node: Node,
    ref: Reference,
    protocol: Protocol,
    name: str,
    text: str,
    fallback: str | None,
    literal_source: str | None = None,
) -> ChannelValue | None:
    """An attribute as JGroups resolves it: the XML value (``${prop:default}`` read from system
    properties, then portal properties, then the default); the system property ``fallback`` only
    when the attribute is absent (Configurator.resolveAndAssignField). ``literal_source`` names a
    literal attribute value's source for messages (default ``<protocol>.<name>``)."""
    attr = protocol.attr(name)
    if attr is None:
        return channel_system_property(node, fallback, text) if fallback else None
    at = stack_label(node, ref, protocol, attr, text)
    placeholder = split_placeholder(attr.value)
    if placeholder is None:
        return ChannelValue(attr.value.strip(), Confidence.EXPLICIT, at, literal_source or f"{protocol.base}.{name}")
    prop, _default = placeholder
    system = channel_system_property(node, prop, text)
    if system is not None:
        return system
    value, confidence = jgroups_value(node, attr.value)
    setting = node.setting(prop)
    if value is not None and setting is not None and value == setting.value:
        return ChannelValue(value.strip(), confidence, label(node, setting, text), prop)
    return ChannelValue(None if value is None else value.strip(), confidence, at, f"the default of ${{{prop}:...}}")


def port_number(value: ChannelValue | None) -> int | None:
    """A port as a small non-negative integer (at most six digits), or None."""
    if value is None or value.value is None:
        return None
    text = value.value.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None


# JGroups 5 releases (releases-2024-2026 §2.2, §2.3): the default stacks move from secure/md5 to
# secure/sym_encrypt, and JGroupsClusterChannelFactory._parseChannelProperties gives a SYM_ENCRYPT
# without keystore_name the key AES(SHA-256(channel name)) only when the channel-properties value,
# as written, starts with "jgroups/secure/sym_encrypt/" (liferay/liferay-portal @6cfe4873).
SYM_ENCRYPT_LOCATION = "jgroups/secure/sym_encrypt/"
MD5_LOCATION = "jgroups/secure/md5/"
JGROUPS5_DEFAULT_STACKS = {
    CHANNEL_PREFIX + "control": SYM_ENCRYPT_LOCATION + "udp_control.xml",
    CHANNEL_PREFIX + "transport.0": SYM_ENCRYPT_LOCATION + "udp_transport.xml",
}
CHANNEL_NAME_PREFIX = "cluster.link.channel.name."
DEFAULT_CHANNEL_NAMES = {"control": "liferay-channel-control", "transport.0": "liferay-channel-transport-0"}


def channel_location(node: Node, key: str, release: Release | None) -> str | None:
    """The channel-properties value Liferay reads for ``key`` (as written, not the file it names):
    on a JGroups 5 release an unset control or transport.0 key is the sym_encrypt default, which
    the loaded defaults (the 7.4 family's portal.properties, md5) do not know."""
    setting = node.setting(key)
    if setting is None:
        return None
    if setting.origin.kind is OriginKind.DEFAULT and jgroups_major(release) == 5 and key in JGROUPS5_DEFAULT_STACKS:
        return JGROUPS5_DEFAULT_STACKS[key]
    return setting.value


def sym_encrypt_location(node: Node, key: str, release: Release | None) -> bool:
    """Whether Liferay derives the channel's SYM_ENCRYPT key from its channel name: the
    channel-properties value starts with ``jgroups/secure/sym_encrypt/`` (a test on the string)."""
    location = channel_location(node, key, release)
    return location is not None and location.startswith(SYM_ENCRYPT_LOCATION)


def channel_name_key(channel: str) -> str:
    """``control`` -> ``cluster.link.channel.name.control``."""
    return CHANNEL_NAME_PREFIX + channel


_PROTOCOLS_PACKAGE = "org.jgroups.protocols."


def protocol_class(name: str) -> str | None:
    """A stack element as a class below ``org.jgroups.protocols`` (``pbcast.GMS``), as JGroups
    loads it (the name as given, else prefixed with the package); None for another package."""
    if name.startswith(_PROTOCOLS_PACKAGE):
        return name[len(_PROTOCOLS_PACKAGE) :]
    if name.startswith(("org.", "com.", "net.", "io.")):
        return None
    return name


def _accepts(table: dict[str, object], cls: str, attribute: str) -> bool:
    """Whether the line's ``cls`` accepts ``attribute`` (its own or a component's)."""
    entry = table.get(cls)
    if not isinstance(entry, dict):
        return False
    if attribute in entry["attributes"]:
        return True
    prefix, dot, rest = attribute.partition(".")
    components = entry["components"]
    assert isinstance(components, dict)
    if not dot or prefix not in components:
        return False
    names = components[prefix]
    return names is None or rest in names


def jgroups_protocols(line: str) -> dict[str, object]:
    table = jgroups_line(line)["protocols"]
    assert isinstance(table, dict)
    return table


def jgroups_auth_classes(line: str) -> frozenset[str]:
    names = jgroups_line(line)["auth_classes"]
    assert isinstance(names, list)
    return frozenset(str(n) for n in names)


def accepted_on(line: str, cls: str, attribute: str) -> bool | None:
    """Whether JGroups ``line`` (``4.1``, ``5.5``) accepts ``attribute`` on protocol class ``cls``;
    None when the line has no such class."""
    table = jgroups_protocols(line)
    if cls not in table:
        return None
    return _accepts(table, cls, attribute)


def auth_token_attributes() -> frozenset[str]:
    """The attribute names JGroups 5.5's AuthToken classes declare: set on AUTH without prefix in
    4.x, only through the ``auth_token.`` component prefix from 5.2."""
    entry = jgroups_protocols("5.5").get("AUTH")
    assert isinstance(entry, dict)
    names = entry["components"].get("auth_token") or ()
    return frozenset(names)


def jgroups5_only(stack: JGroupsStack) -> bool:
    """A stack only JGroups 5 can run: a protocol JGroups 4.1 does not have, or an attribute 4.1
    rejects and 5.5 accepts (``auth_token.*``, ``bundler.*``, ``diag.*``, ...)."""
    for protocol in stack.protocols:
        cls = protocol_class(protocol.name)
        if cls is None:
            continue
        old = jgroups_protocols("4.1")
        if cls not in old:
            if cls in jgroups_protocols("5.5"):
                return True
            continue
        for attribute in protocol.attributes:
            if not _accepts(old, cls, attribute.name) and accepted_on("5.5", cls, attribute.name):
                return True
    return False
