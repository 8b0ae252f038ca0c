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

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from linter.diagnostics import Label
from linter.liferay.getter import get_boolean
from linter.liferay.keys import channel_keys as _scan_channel_keys
from linter.origin import Confidence
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
def _channel_keys_of(settings: dict[str, Setting]) -> tuple[str, ...]:
    # the same scan on the keys that can match (in the same order): a node holds ~1,200 keys
    return tuple(_scan_channel_keys({k: settings[k] for k in keys_with_prefix(settings, CHANNEL_PREFIX)}))


def channel_keys(settings: dict[str, Setting]) -> list[str]:
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
