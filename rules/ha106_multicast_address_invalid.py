"""HA106 multicast-address-invalid: a multicast address that is not in 224.0.0.0/4 or ff00::/8."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import NamedTuple

from linter.ruleapi import (
    ERROR,
    Confidence,
    Context,
    Finding,
    Label,
    Node,
    Reference,
    label,
    label_at,
    rule,
    split_placeholder,
    stack_label,
)

# ----------------------------------------------------------------------------- where addresses and ports are set
# The same block is in ha106 and ha107 (rules import nothing but linter.ruleapi).

_SYSTEM_PROPERTIES = "cluster.link.channel.system.properties"
_CHANNEL_PREFIX = "cluster.link.channel.properties."
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
_INLINE_PLACEHOLDER = r"(?:^|[(;])\s*{name}\s*=\s*(\$\{{[^}}]*\}})\s*(?=[;)]|$)"


class _Decl(NamedTuple):
    """A place where an address or port is written: the kind of value, what to call it in a
    message, its value, where it is, the finding's subject."""

    kind: str  # address, port, any_port, range
    what: str
    value: str
    at: Label
    subject: str
    confidence: Confidence


def _setting_kind(key: str) -> str | None:
    """Portal properties checked where they are set (their own line)."""
    if key.startswith("multicast.group.address["):
        return "address"
    if key.startswith("multicast.group.port[") or key == "ehcache.socket.start.port":
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


def _split_settings(node: Node) -> Iterator[_Decl]:
    """Addresses and ports inside list-valued properties (``k=v,...`` or ``k:v,...``); entries that
    come from a ${...} placeholder are checked at the property they name."""
    lists = [(k, "=", _FACTORY_PROPERTIES) for k in (*_PROVIDER_PROPERTY_KEYS, *_LISTENER_PROPERTY_KEYS)]
    lists.append((_SYSTEM_PROPERTIES, ":", _JGROUPS_SYSTEM))
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
            yield _Decl(kind, f"{name} in {key}", value, label(node, setting), f"{key}:{name}", setting.confidence)


def _checked_elsewhere(name: str) -> bool:
    """Whether the value behind ${name} is checked where it is set (its own property or -D flag)."""
    return _setting_kind(name) is not None or name in _JGROUPS_SYSTEM


def _system_value(node: Node, name: str) -> tuple[str, str] | None:
    """The system property JGroups would read: cluster.link.channel.system.properties entries
    (set by Liferay before the channels start) beat -D flags."""
    setting = node.setting(_SYSTEM_PROPERTIES)
    if setting is not None and setting.confidence is not Confidence.UNRESOLVED:
        for key, value in _entries(setting.value, ":"):
            if key == name:
                return value, _SYSTEM_PROPERTIES
    flag = node.system_property(name)
    if flag is not None and flag.value is not None and not flag.unresolved:
        return flag.value, f"-D{name}"
    return None


def _stack_decls(node: Node, ref: Reference, family: str) -> Iterator[_Decl]:
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
                match = re.search(_INLINE_PLACEHOLDER.format(name=re.escape(attr.name)), ref.setting.raw)
                if match:
                    name = match.group(1)[2:-1]
                    if _setting_kind(name) is not None:
                        continue  # checked at that property
                    what += f" (= {match.group(1)})"
                yield _Decl(kind, what, attr.value, at, subject, ref.setting.confidence)
                continue
            subject = f"{_node_relative(node, ref.origin.file)}:{protocol.name}.{attr.name}"
            split = split_placeholder(attr.value)
            if split is None:
                if "${" not in attr.value:
                    yield _Decl(kind, what, attr.value, at, subject, Confidence.EXPLICIT)
                continue
            name, default = split
            inner = name if default is None else f"{name}:{default}"
            setting = node.setting(inner) if not family.startswith("6.") else None
            if setting is not None and setting.confidence is not Confidence.UNRESOLVED:
                if not _checked_elsewhere(inner):
                    yield _Decl(
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
                    yield _Decl(
                        kind,
                        f"{what} (= {attr.value.strip()}, from {system[1]})",
                        system[0],
                        at,
                        subject,
                        Confidence.EXPLICIT,
                    )
                continue
            if default is not None:
                yield _Decl(
                    kind, f"{what} (default of {attr.value.strip()})", default, at, subject, Confidence.EXPLICIT
                )


def _ehcache_decls(node: Node, ref: Reference) -> Iterator[_Decl]:
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
            yield _Decl(kind, what, value, at, subject, Confidence.EXPLICIT)


def _declarations(node: Node, family: str) -> list[_Decl]:
    """Every place of this node that sets a multicast address or a port: portal properties,
    JGroups -D flags, list-valued properties, JGroups stacks (inline or XML; Liferay's built-in
    stacks only hold placeholders) and Ehcache files. A value taken from a placeholder is checked
    once, where it is set; unresolved values are skipped."""
    out: list[_Decl] = []
    for key, setting in node.settings.items():
        kind = _setting_kind(key)
        if kind is not None and setting.confidence is not Confidence.UNRESOLVED:
            out.append(_Decl(kind, key, setting.value, label(node, setting), key, setting.confidence))
    for flag in node.jvm_flags:
        kind = _JGROUPS_SYSTEM.get(flag.name)
        if flag.is_system_property and kind is not None and flag.value is not None and not flag.unresolved:
            out.append(
                _Decl(
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
        if ref.key.startswith(_CHANNEL_PREFIX):
            out.extend(_stack_decls(node, ref, family))
        else:
            out.extend(_ehcache_decls(node, ref))
    return out


# ----------------------------------------------------------------------------- the rule


def _problem(value: str) -> str | None:
    """Why a value cannot be a multicast group, or None. Host names other than localhost are
    resolved at start-up and are not judged here."""
    text = value.strip()
    if not text:
        return "is empty: Java resolves an empty host name to the loopback address, not to a multicast group"
    host = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    if host.lower() == "localhost":
        return "is the loopback host, not a multicast group"
    if re.fullmatch(r"[0-9.]+", host):
        parts = host.split(".")
        if len(parts) != 4 or any(not p or int(p) > 255 for p in parts):
            return "is not a valid IPv4 address (four numbers from 0 to 255)"
        if not 224 <= int(parts[0]) <= 239:
            return "is not an IPv4 multicast address (224.0.0.0/4; Liferay's defaults use 239.255.0.x)"
        return None
    if ":" in host:
        try:
            address = ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return "is not a valid IPv6 address"
        if not address.is_multicast:
            return "is not an IPv6 multicast address (ff00::/8; Liferay's samples use ff0e::8:8:x)"
    return None


@rule(
    id="HA106",
    name="multicast-address-invalid",
    severity=ERROR,
    scope="node",
    versions="all",
    tags=("cluster-link", "multicast", "ehcache"),
    summary="A multicast group address (portal property, JGroups stack, -D flag or Ehcache discovery) is not an "
    "IPv4 224.0.0.0/4 or IPv6 ff00::/8 address.",
    rationale=(
        "A multicast group must be a class D IPv4 address (224.0.0.0/4) or an IPv6 ff00::/8 address. JGroups "
        "refuses any other mcast_addr when it creates the multicast socket ('mcast_addr (...) is not a valid "
        "multicast address'), so the channel does not start; Ehcache's RMI discovery cannot join such a group. "
        'The value is checked where it is written: multicast.group.address["X"] properties, mcast_addr / '
        "mcast_group_addr of UDP and MPING in inline or XML stacks (a ${...} placeholder is checked at the "
        "property or flag it names, a JGroups ${name:default} default in the stack), -Djgroups.udp.mcast_addr / "
        "-Djgroups.mping.mcast_addr, cluster.link.channel.system.properties entries, *.peerProviderProperties "
        "and the multicastGroupAddress of Ehcache files. Unresolved placeholders and host names (resolved at "
        "start-up) are not judged; 'localhost' and empty values are."
    ),
    fix="Use an administratively scoped multicast address such as 239.255.x.y (IPv6: ff0e::...), the same on "
    "every node of the cluster and different for every channel.",
    sources=(
        "JGroups org.jgroups.util.Util.createMulticastSocket: IllegalArgumentException 'mcast_addr (...) is not "
        "a valid multicast address' when !isMulticastAddress() (JGroups Util.java, v1.247 2009, read through the "
        "code index for this rule)",
        "RFC 5771 (IPv4 multicast 224.0.0.0/4) and RFC 4291 (IPv6 multicast ff00::/8): liferay-ha-facts.md §2.3 "
        "(marked INFERENCE there; the JGroups check above confirms that other addresses fail)",
        "ehcache-jgroups-facts.md A.6 (multicastGroupAddress outside 224.0.0.0/4 cannot be joined) and B.3",
        "portal.properties 6.2.5/7.4 Multicast section: defaults 239.255.0.1-5, IPv6 samples ff0e::8:8:1-3",
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    for decl in _declarations(node, ctx.version):
        if decl.kind != "address":
            continue
        problem = _problem(decl.value)
        if problem is None:
            continue
        value = decl.value.strip()
        yield Finding(
            f"{decl.what} is {value!r}, which {problem}",
            replace(decl.at, text=f"{node.name}: {value!r}"),
            help="use a multicast address such as 239.255.x.y",
            confidence=decl.confidence,
            subject=decl.subject,
        )
