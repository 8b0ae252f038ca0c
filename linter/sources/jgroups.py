"""JGroups protocol stacks, from XML files or Liferay 6.x inline strings (facts: Part B).

One model serves both forms: a :class:`JGroupsStack` is the ordered list of protocols,
transport first, as JGroups lists them bottom-up [S-JG-TCP36], [S-JG-UDP36]. Liferay's
``cluster.link.channel.properties.*`` value is either an inline old-style string
``UDP(k=v;k=v):PING(...):...`` or an XML file/resource name [S-DL-PROPS]. ``${...}``
placeholders are kept as written; the resolver substitutes them later (Liferay substitutes
portal properties in 7.4+ stacks [S-LR-JDBCPING], JGroups resolves ``${sysprop:default}``
from system properties [S-JG-TCP36]).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from linter.origin import Origin, Problem, ProblemKind
from linter.sources.files import DEFAULT_LIMITS, Limits, read_bytes

if TYPE_CHECKING:  # lxml is imported only when an XML file is actually parsed
    from linter.sources.xml_safe import XmlDocument, XmlElement

JGROUPS_NAMESPACE = "urn:org:jgroups"

# Discovery protocols by base name: JGroups names some by package (``dns.DNS_PING``,
# ``kubernetes.KUBE_PING``, ``org.jgroups.aws.s3.NATIVE_S3_PING``) [S-JG-TCP36], [S-S0B-CTRL].
DISCOVERY = frozenset(
    {
        "PING",
        "MPING",
        "TCPPING",
        "TCPGOSSIP",
        "JDBC_PING",
        "JDBC_PING2",
        "FILE_PING",
        "S3_PING",
        "NATIVE_S3_PING",
        "AWS_PING",
        "DNS_PING",
        "KUBE_PING",
        "RACKSPACE_PING",
        "GOOGLE_PING",
        "GOOGLE_PING2",
        "AZURE_PING",
        "SWIFT_PING",
        "BPING",
        "MULTI_PING",
        "SHARED_LOOPBACK_PING",
        "LOCAL_PING",
    }
)

_PROTOCOL_PACKAGE = "org.jgroups.protocols."


def base_name(protocol: str) -> str:
    """``pbcast.NAKACK2`` -> ``NAKACK2``; ``org.jgroups.protocols.TCP`` -> ``TCP``."""
    return protocol.rsplit(".", 1)[-1]


def _short_name(protocol: str) -> str:
    """Drop JGroups' default package, the way JGroups resolves protocol names."""
    return protocol[len(_PROTOCOL_PACKAGE) :] if protocol.startswith(_PROTOCOL_PACKAGE) else protocol


class ProtocolAttr(NamedTuple):
    """``name=value`` of a protocol. ``line``/``column`` locate the name, ``value_line``/
    ``value_column`` the value."""

    name: str
    value: str
    line: int
    column: int
    value_line: int = 0
    value_column: int = 0


class Protocol(NamedTuple):
    """One protocol of a stack; ``line``/``column`` locate its name (``<`` of an XML element)."""

    name: str
    attributes: tuple[ProtocolAttr, ...]
    line: int
    column: int
    element: XmlElement | None = None

    @property
    def base(self) -> str:
        return base_name(self.name)

    def attr(self, name: str, *aliases: str) -> ProtocolAttr | None:
        """The attribute ``name`` (or the first alias present, e.g. JGroups 3.x field names such
        as ``mcast_group_addr`` for ``mcast_addr`` [S-JG-PH]); the last one wins if repeated."""
        for wanted in (name, *aliases):
            found = None
            for attribute in self.attributes:
                if attribute.name == wanted:
                    found = attribute
            if found is not None:
                return found
        return None

    def get(self, name: str, *aliases: str) -> str | None:
        attribute = self.attr(name, *aliases)
        return attribute.value if attribute is not None else None


class JGroupsStack(NamedTuple):
    display: str
    source: Literal["xml", "inline"]
    protocols: tuple[Protocol, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.protocols)

    @property
    def transport(self) -> Protocol | None:
        """The first protocol: JGroups lists the stack bottom-up, transport first."""
        return self.protocols[0] if self.protocols else None

    @property
    def transport_kind(self) -> str | None:
        """``UDP``, ``TCP``, ``TCP_NIO2`` or whatever the first protocol is called (package
        ``org.jgroups.protocols.`` dropped); ``None`` for an empty stack."""
        transport = self.transport
        return _short_name(transport.name) if transport is not None else None

    @property
    def discovery(self) -> Protocol | None:
        """The first discovery protocol (PING, MPING, TCPPING, JDBC_PING, dns.DNS_PING, ...)."""
        for protocol in self.protocols:
            if protocol.base in DISCOVERY:
                return protocol
        return None

    def protocol(self, name: str) -> Protocol | None:
        """The first protocol called ``name``; a name without package also matches by base
        name (``NAKACK2`` finds ``pbcast.NAKACK2``)."""
        for protocol in self.protocols:
            if protocol.name == name or _short_name(protocol.name) == name:
                return protocol
        if "." not in name:
            for protocol in self.protocols:
                if protocol.base == name:
                    return protocol
        return None

    def attr(self, protocol: str, name: str, *aliases: str) -> ProtocolAttr | None:
        found = self.protocol(protocol)
        return found.attr(name, *aliases) if found is not None else None


# ----------------------------------------------------------------------------- XML


def read_jgroups_xml(doc: XmlDocument) -> JGroupsStack:
    """The stack of a JGroups XML file: root ``<config>`` (namespace ``urn:org:jgroups`` or
    none), one child element per protocol, in order [S-JG-TCP36]. Comments are not protocols."""
    root = doc.root
    problems = list(doc.problems)
    if root.tag != "config" or root.namespace not in (None, JGROUPS_NAMESPACE):
        where = f"{{{root.namespace}}}{root.tag}" if root.namespace else root.tag
        problems.append(
            Problem(
                ProblemKind.MALFORMED,
                f'not a JGroups stack: the root element is <{where}>, expected <config xmlns="urn:org:jgroups">',
                Origin(file=doc.display, line=root.start_line, column=root.column),
            )
        )
        return JGroupsStack(doc.display, "xml", (), tuple(problems))
    protocols = tuple(
        Protocol(
            name=child.tag,
            attributes=tuple(
                ProtocolAttr(a.name, a.value, a.line, a.column, a.value_line, a.value_column) for a in child.attributes
            ),
            line=child.start_line,
            column=child.column,
            element=child,
        )
        for child in root.children
    )
    return JGroupsStack(doc.display, "xml", protocols, tuple(problems))


def load_jgroups_xml(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> JGroupsStack:
    data = read_bytes(path, display, limits)
    from linter.sources.xml_safe import parse_xml

    doc = parse_xml(data, display, limits) if not isinstance(data, Problem) else data
    if isinstance(doc, Problem):
        return JGroupsStack(display, "xml", (), (doc,))
    return read_jgroups_xml(doc)


# ----------------------------------------------------------------------------- inline strings


def is_stack_inline(value: str) -> bool:
    """``True`` for an inline ``UDP(...):PING(...)`` string, ``False`` for a file or resource
    name (one that ends with ``.xml`` or has no ``(``) [S-DL-PROPS]."""
    stripped = value.strip()
    return "(" in stripped and not stripped.lower().endswith(".xml")


def _placeholder_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every terminated ``${...}`` (nested braces counted). An unterminated
    ``${`` is literal text, as it is for Liferay's and JGroups' substitution."""
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while True:
        start = text.find("${", i)
        if start < 0:
            return spans
        depth = 0
        j = start + 1
        end = -1
        while j < n:
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
                if depth == 0:
                    end = j + 1
                    break
            j += 1
        if end < 0:
            i = start + 2
            continue
        spans.append((start, end))
        i = end


@dataclass(slots=True)
class _InlineParser:
    text: str
    display: str
    line: int
    column: int
    problems: list[Problem] = field(default_factory=list)

    def origin(self, index: int) -> Origin:
        return Origin(file=self.display, line=self.line, column=self.column + index)

    def problem(self, message: str, index: int) -> None:
        self.problems.append(Problem(ProblemKind.MALFORMED, f"inline JGroups stack: {message}", self.origin(index)))

    def split(self, start: int, end: int, separator: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Split ``text[start:end]`` at ``separator`` outside parentheses and placeholders."""
        pieces: list[tuple[int, int]] = []
        depth = 0
        piece_start = start
        span_at = dict(spans)
        i = start
        while i < end:
            if i in span_at:
                i = span_at[i]
                continue
            c = self.text[i]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            elif c == separator and depth == 0:
                pieces.append((piece_start, i))
                piece_start = i + 1
            i += 1
        pieces.append((piece_start, end))
        return pieces

    def attributes(self, start: int, end: int, spans: list[tuple[int, int]], protocol: str) -> list[ProtocolAttr]:
        attrs: list[ProtocolAttr] = []
        pieces = self.split(start, end, ";", spans)
        while pieces and not self.text[pieces[-1][0] : pieces[-1][1]].strip():
            pieces.pop()  # Java's String.split drops trailing empty strings
        for a, b in pieces:
            piece = self.text[a:b]
            eq = piece.find("=")
            if eq < 0:
                self.problem(f"'=' not found in {piece.strip()!r} of {protocol}", a)
                continue
            raw_name = piece[:eq]
            name = raw_name.strip()
            lead = len(raw_name) - len(raw_name.lstrip())
            attrs.append(
                ProtocolAttr(
                    name=name,
                    value=piece[eq + 1 :],
                    line=self.line,
                    column=self.column + a + lead,
                    value_line=self.line,
                    value_column=self.column + a + eq + 1,
                )
            )
        return attrs

    def parens(self, start: int, end: int, spans: list[tuple[int, int]]) -> tuple[int, int]:
        """Offsets of the first ``(`` outside placeholders in ``text[start:end]`` and of its
        matching ``)`` (``-1`` when absent)."""
        span_at = dict(spans)
        depth = 0
        open_at = -1
        i = start
        while i < end:
            if i in span_at:
                i = span_at[i]
                continue
            c = self.text[i]
            if c == "(":
                if depth == 0 and open_at < 0:
                    open_at = i
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0 and open_at >= 0:
                    return open_at, i
            i += 1
        return open_at, -1

    def protocol(self, start: int, end: int, spans: list[tuple[int, int]]) -> Protocol | None:
        open_at, close_at = self.parens(start, end, spans)
        head = self.text[start : open_at if open_at >= 0 else end]
        name = head.strip()
        name_at = start + len(head) - len(head.lstrip())
        if not name:
            self.problem("empty protocol name", start)
            return None
        attrs: list[ProtocolAttr] = []
        if open_at >= 0:
            if close_at < 0:
                self.problem(f"'(' of {name} is never closed", open_at)
                return None
            trailing = self.text[close_at + 1 : end]
            if trailing.strip():
                self.problem(f"unexpected text {trailing.strip()!r} after the attributes of {name}", close_at + 1)
            attrs = self.attributes(open_at + 1, close_at, spans, name)
        return Protocol(name=name, attributes=tuple(attrs), line=self.line, column=self.column + name_at)

    def balanced(self, spans: list[tuple[int, int]]) -> bool:
        depth = 0
        span_at = dict(spans)
        i = 0
        while i < len(self.text):
            if i in span_at:
                i = span_at[i]
                continue
            c = self.text[i]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth < 0:
                    self.problem("unbalanced parentheses: ')' without '('", i)
                    return False
            i += 1
        if depth > 0:
            self.problem("unbalanced parentheses: '(' never closed", len(self.text))
            return False
        return True


def parse_inline_stack(text: str, display: str, line: int = 1, column: int = 1) -> JGroupsStack:
    """Parse a Liferay 6.x inline stack ``UDP(a=1;b=2):PING(...):FD_SOCK:...`` [S-DL-PROPS].

    Protocols are split at ``:`` and attributes at ``;`` outside parentheses and outside
    ``${...}`` (values may hold ``:`` in IPv6 addresses or ``["..."]`` keys); an attribute is
    ``name=value`` split at the first ``=``. Unbalanced parentheses make the whole string a
    ``MALFORMED`` problem with no protocols. ``line``/``column`` are where the value starts; every
    position is reported on that line at ``column`` + offset in ``text``: for a value
    continued over several lines in a properties file this is an estimate.
    """
    parser = _InlineParser(text, display, line, column)
    spans = _placeholder_spans(text)
    if not text.strip():
        parser.problem("empty stack", 0)
        return JGroupsStack(display, "inline", (), tuple(parser.problems))
    if not parser.balanced(spans):
        return JGroupsStack(display, "inline", (), tuple(parser.problems))
    pieces = parser.split(0, len(text), ":", spans)
    if len(pieces) > 1 and not text[pieces[-1][0] : pieces[-1][1]].strip():
        pieces.pop()  # a trailing ':' ends the list
    protocols = [p for a, b in pieces if (p := parser.protocol(a, b, spans)) is not None]
    return JGroupsStack(display, "inline", tuple(protocols), tuple(parser.problems))


# ----------------------------------------------------------------------------- initial_hosts


class HostPort(NamedTuple):
    """One ``host[port]`` of ``TCPPING.initial_hosts`` [S-JG-TCPPING36], [S-JG-PC36].

    ``port`` is ``None`` when the ``[port]`` part is missing or not a number (JGroups then
    fails at start-up); ``raw`` is the entry as written (trimmed)."""

    host: str
    port: int | None
    raw: str = ""


class Unresolved(NamedTuple):
    """``initial_hosts`` holds a ``${...}`` placeholder: the hosts depend on a system property
    (``jgroups.tcpping.initial_hosts``) and are not guessed here. ``prop``/``default`` are set
    when the whole value is one placeholder (see :func:`split_placeholder`)."""

    value: str
    prop: str | None = None
    default: str | None = None


def split_placeholder(value: str) -> tuple[str, str | None] | None:
    """``${name:default}`` -> ``(name, default)``, ``${name}`` -> ``(name, None)``; ``None``
    when ``value`` (trimmed) is not exactly one placeholder. The default is everything after
    the first ``:`` [S-JG-TCP36], so ``${jgroups.bind_addr:::1}`` gives ``"::1"``."""
    stripped = value.strip()
    spans = _placeholder_spans(stripped)
    if len(spans) != 1 or spans[0] != (0, len(stripped)):
        return None
    inner = stripped[2:-1]
    colon = inner.find(":")
    if colon < 0:
        return inner, None
    return inner[:colon], inner[colon + 1 :]


def _host_port(token: str) -> HostPort:
    open_at = token.find("[")
    if open_at < 0:
        return HostPort(token, None, token)
    close_at = token.find("]", open_at)
    port_text = token[open_at + 1 : close_at if close_at >= 0 else len(token)].strip()
    port = int(port_text) if port_text.isascii() and port_text.isdigit() and len(port_text) <= 5 else None
    return HostPort(token[:open_at].strip(), port, token)


def parse_initial_hosts(value: str) -> list[HostPort] | Unresolved:
    """``host1[7800],host2[7800]`` -> host/port pairs, like JGroups' comma tokenizer (empty
    entries skipped, blanks trimmed) [S-JG-PC36]. A value holding ``${...}`` gives
    :class:`Unresolved` instead: it is not guessed."""
    if _placeholder_spans(value):
        split = split_placeholder(value)
        if split is None:
            return Unresolved(value)
        return Unresolved(value, split[0], split[1])
    hosts: list[HostPort] = []
    for token in value.split(","):
        token = token.strip()
        if token:
            hosts.append(_host_port(token))
    return hosts


__all__ = [
    "DISCOVERY",
    "JGROUPS_NAMESPACE",
    "HostPort",
    "JGroupsStack",
    "Protocol",
    "ProtocolAttr",
    "Unresolved",
    "base_name",
    "is_stack_inline",
    "load_jgroups_xml",
    "parse_initial_hosts",
    "parse_inline_stack",
    "read_jgroups_xml",
    "split_placeholder",
]
