"""Where a node writes multicast addresses and ports: every place HA106 and HA107 judge a value.

The places: ``multicast.group.address["X"]`` / ``multicast.group.port["X"]`` and
``ehcache.socket.start.port`` portal properties; the JGroups system properties
``jgroups.udp.mcast_addr`` / ``jgroups.mping.mcast_addr`` / ``..._port`` as ``-D`` flags and as
``cluster.link.channel.system.properties`` entries (ehcache-jgroups-facts B.2); mcast_addr,
mcast_group_addr, mcast_port, bind_port, external_port and port_range of inline or XML stacks (B.3);
multicastGroupAddress / multicastGroupPort in ``*.peerProviderProperties`` and Ehcache files, and the
RMI listener's port / remoteObjectPort (A.3). A value taken from a ``${...}`` placeholder is reported
once, where it is set; unresolved values are skipped.

Shared by HA106 and HA107 through ``linter.ruleapi``; nothing here reads files or the environment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, NamedTuple

from linter.diagnostics import Label
from linter.origin import Confidence, Setting
from linter.ruleapi.cluster_link import CHANNEL_PREFIX, CHANNEL_SYSTEM_PROPERTIES, INLINE_PLACEHOLDER
from linter.ruleapi.labels import label, label_at, stack_label
from linter.ruleapi.memo import keys_with_prefix, per_object
from linter.sources.jgroups import split_placeholder

if TYPE_CHECKING:
    from linter.model import Node, Reference

_PROVIDER_PROPERTY_KEYS = (
    "ehcache.multi.vm.config.location.peerProviderProperties",
    "net.sf.ehcache.configurationResourceName.peerProviderProperties",
    "ehcache.rmi.peer.provider.factory.properties",
)
_LISTENER_PROPERTY_KEYS = ("ehcache.rmi.peer.listener.factory.properties",)
# JGroups system properties (ehcache-jgroups-facts B.2) and the kind of value they hold.
_JGROUPS_SYSTEM = {
    "jgroups.udp.mcast_addr": "address",
    "jgroups.mping.mcast_addr": "address",
    "jgroups.udp.mcast_port": "port",
    "jgroups.mping.mcast_port": "port",
}
# Stack attributes and their kind: port = 1-65535, any_port = 0-65535 (0: any free port), range = >= 0.
_ATTRIBUTES = {
    "mcast_addr": "address",
    "mcast_group_addr": "address",
    "mcast_port": "port",
    "bind_port": "any_port",
    "external_port": "any_port",
    "port_range": "range",
}
_FACTORY_PROPERTIES = {
    "multicastGroupAddress": "address",
    "multicastGroupPort": "port",
    "port": "any_port",
    "remoteObjectPort": "any_port",
}


class AddressDecl(NamedTuple):
    """A place where an address or port is written: the kind of value, what to call it in a
    message, its value, where it is, the finding's subject."""

    kind: str  # address, port, any_port, range
    what: str
    value: str
    at: Label
    subject: str
    confidence: Confidence


_SOCKET_PORT = "ehcache.socket.start.port"


def _candidate_keys(settings: Mapping[str, Setting]) -> list[str]:
    """The keys ``_setting_kind`` may accept, in the settings' order (nodes hold ~1,200 keys)."""
    keys = keys_with_prefix(settings, "multicast.group.")
    if _SOCKET_PORT in settings:
        keys.append(_SOCKET_PORT)
        if len(keys) > 1:  # restore the settings' order between the two families
            position = {k: i for i, k in enumerate(settings)}
            keys.sort(key=position.__getitem__)
    return keys


def _setting_kind(key: str) -> str | None:
    """Portal properties checked where they are set (their own line)."""
    if key.startswith("multicast.group.address["):
        return "address"
    if key.startswith("multicast.group.port[") or key == _SOCKET_PORT:
        return "port"
    return None


def _node_relative(node: Node, file: str) -> str:
    prefix = node.path.rstrip("/") + "/"
    return file[len(prefix) :] if file.startswith(prefix) else file


def _entries(text: str, separator: str) -> list[tuple[str, str]]:
    out = []
    for item in text.split(","):
        key, sep, value = item.partition(separator)
        if sep and key.strip():
            out.append((key.strip(), value.strip()))
    return out


def _split_settings(node: Node) -> Iterator[AddressDecl]:
    """Addresses and ports inside list-valued properties (``k=v,...`` or ``k:v,...``); entries that
    come from a ${...} placeholder are checked at the property they name."""
    lists = [(k, "=", _FACTORY_PROPERTIES) for k in (*_PROVIDER_PROPERTY_KEYS, *_LISTENER_PROPERTY_KEYS)]
    lists.append((CHANNEL_SYSTEM_PROPERTIES, ":", _JGROUPS_SYSTEM))
    for key, separator, kinds in lists:
        setting = node.setting(key)
        if setting is None or setting.confidence is Confidence.UNRESOLVED:
            continue
        values = _entries(setting.value, separator)
        raws = _entries(setting.raw, separator)
        for index, (name, value) in enumerate(values):
            kind = kinds.get(name)
            if kind is None or (key in _LISTENER_PROPERTY_KEYS) != (name in ("port", "remoteObjectPort")):
                continue
            raw = raws[index][1] if len(raws) == len(values) and raws[index][0] == name else value
            if "${" in raw:
                continue
            yield AddressDecl(
                kind, f"{name} in {key}", value, label(node, setting), f"{key}:{name}", setting.confidence
            )


def _checked_elsewhere(name: str) -> bool:
    """Whether the value behind ${name} is checked where it is set (its own property or -D flag)."""
    return _setting_kind(name) is not None or name in _JGROUPS_SYSTEM


def _system_value(node: Node, name: str) -> tuple[str, str] | None:
    """The system property JGroups would read: cluster.link.channel.system.properties entries
    (set by Liferay before the channels start) beat -D flags."""
    setting = node.setting(CHANNEL_SYSTEM_PROPERTIES)
    if setting is not None and setting.confidence is not Confidence.UNRESOLVED:
        for key, value in _entries(setting.value, ":"):
            if key == name:
                return value, CHANNEL_SYSTEM_PROPERTIES
    flag = node.system_property(name)
    if flag is not None and flag.value is not None and not flag.unresolved:
        return flag.value, f"-D{name}"
    return None


def _stack_decls(node: Node, ref: Reference, family: str) -> Iterator[AddressDecl]:
    stack = ref.jgroups
    if stack is None or ref.kind not in ("inline", "file"):
        return
    where = f"the inline stack of {ref.key}" if ref.kind == "inline" else ref.setting.value.strip()
    for protocol in stack.protocols:
        for attr in protocol.attributes:
            kind = _ATTRIBUTES.get(attr.name)
            if kind is None:
                continue
            what = f"{protocol.name} {attr.name} in {where}"
            at = stack_label(node, ref, protocol, attr)
            if ref.kind == "inline":
                subject = f"{ref.key}:{protocol.name}.{attr.name}"
                match = re.search(INLINE_PLACEHOLDER.format(name=re.escape(attr.name)), ref.setting.raw)
                if match:
                    name = match.group(1)[2:-1]
                    if _setting_kind(name) is not None:
                        continue  # checked at that property
                    what += f" (= {match.group(1)})"
                yield AddressDecl(kind, what, attr.value, at, subject, ref.setting.confidence)
                continue
            subject = f"{_node_relative(node, ref.origin.file)}:{protocol.name}.{attr.name}"
            split = split_placeholder(attr.value)
            if split is None:
                if "${" not in attr.value:
                    yield AddressDecl(kind, what, attr.value, at, subject, Confidence.EXPLICIT)
                continue
            name, default = split
            inner = name if default is None else f"{name}:{default}"
            setting = node.setting(inner) if not family.startswith("6.") else None
            if setting is not None and setting.confidence is not Confidence.UNRESOLVED:
                if not _checked_elsewhere(inner):
                    yield AddressDecl(
                        kind,
                        f"{what} (= ${{{inner}}}, {setting.key} = {setting.value.strip()})",
                        setting.value,
                        at,
                        subject,
                        setting.confidence,
                    )
                continue
            system = _system_value(node, name)
            if system is not None:
                if name not in _JGROUPS_SYSTEM:
                    yield AddressDecl(
                        kind,
                        f"{what} (= {attr.value.strip()}, from {system[1]})",
                        system[0],
                        at,
                        subject,
                        Confidence.EXPLICIT,
                    )
                continue
            if default is not None:
                yield AddressDecl(
                    kind, f"{what} (default of {attr.value.strip()})", default, at, subject, Confidence.EXPLICIT
                )


def _ehcache_decls(node: Node, ref: Reference) -> Iterator[AddressDecl]:
    config = ref.ehcache
    if config is None or ref.kind != "file" or not ref.origin.file:
        return
    for factory in (*config.peer_providers, *config.peer_listeners):
        listener = factory.kind == "cacheManagerPeerListenerFactory"
        at = Label(
            node=node.name,
            file=ref.origin.file,
            line=factory.properties_line or factory.line,
            column=factory.properties_column or factory.column,
        )
        for name, kind in _FACTORY_PROPERTIES.items():
            if listener != (name in ("port", "remoteObjectPort")):
                continue
            value = factory.get(name)
            if value is None:
                continue
            what = f"{name} of <{factory.kind}> in {ref.setting.value.strip()}"
            subject = f"{_node_relative(node, ref.origin.file)}:{factory.kind}.{name}"
            split = split_placeholder(value)
            if split is not None:  # Ehcache substitutes ${name} from system properties
                flag = node.system_property(split[0])
                if flag is None or flag.value is None or flag.unresolved:
                    continue
                what += f" (= {value}, from -D{split[0]})"
                value = flag.value
            elif "${" in value:
                continue
            yield AddressDecl(kind, what, value, at, subject, Confidence.EXPLICIT)


def address_declarations(node: Node, family: str) -> list[AddressDecl]:
    """Every place of this node that sets a multicast address or a port: portal properties,
    JGroups -D flags, list-valued properties, JGroups stacks (inline or XML; Liferay's built-in
    stacks only hold placeholders) and Ehcache files. A value taken from a placeholder is checked
    once, where it is set; unresolved values are skipped. Built once per node within a run."""
    return list(_address_declarations(node, family))


@per_object
def _address_declarations(node: Node, family: str) -> tuple[AddressDecl, ...]:
    out: list[AddressDecl] = []
    for key in _candidate_keys(node.settings):
        setting = node.settings[key]
        kind = _setting_kind(key)
        if kind is not None and setting.confidence is not Confidence.UNRESOLVED:
            out.append(AddressDecl(kind, key, setting.value, label(node, setting), key, setting.confidence))
    for flag in node.jvm_flags:
        kind = _JGROUPS_SYSTEM.get(flag.name)
        if flag.is_system_property and kind is not None and flag.value is not None and not flag.unresolved:
            out.append(
                AddressDecl(
                    kind,
                    f"-D{flag.name}",
                    flag.value,
                    label_at(node, flag.origin),
                    f"-D{flag.name}",
                    Confidence.EXPLICIT,
                )
            )
    out.extend(_split_settings(node))
    seen: set[tuple[str, str]] = set()
    for ref in node.references:
        if ref.kind == "file":
            if (ref.origin.file, "jgroups" if ref.jgroups is not None else "ehcache") in seen:
                continue
            seen.add((ref.origin.file, "jgroups" if ref.jgroups is not None else "ehcache"))
        if ref.key.startswith(CHANNEL_PREFIX):
            out.extend(_stack_decls(node, ref, family))
        else:
            out.extend(_ehcache_decls(node, ref))
    return tuple(out)
