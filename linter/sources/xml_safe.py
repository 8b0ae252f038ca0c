"""Hardened XML reading into our own immutable, positioned tree.

Every configuration XML (Ehcache, JGroups, Tomcat, ...) goes through :func:`parse_xml`. The
parser is lxml with entity substitution, DTD loading, DTD validation and network access off
and libxml2's size limits on (``huge_tree=False``), as ARCHITECTURE.md §8 demands. On top of
that a document is *refused* (a ``REFUSED`` problem, never an exception) when it declares a DTD
(internal subset or external identifier), declares or references entities, uses XInclude, or
nests deeper than :attr:`Limits.max_xml_depth`. XInclude is never processed. Malformed XML is
a ``MALFORMED`` problem with lxml's line and column.

Positions. lxml's ``sourceline`` for an element is the line where its start tag *ends*
(libxml2 records the line after reading the attributes); it is kept as :attr:`XmlElement.line`.
For the start of the tag and for attribute positions the decoded text is scanned with a small
tokenizer: in a document lxml accepted, every ``<`` outside comments, CDATA, processing
instructions and the DOCTYPE starts a tag, so the n-th start tag in the text is the n-th
element in document order (checked by name; when the check fails positions degrade to the
element's line and column 1). Lines count ``\\r\\n``, ``\\r`` and ``\\n`` as one line end,
as XML's end-of-line handling does; columns are 1-based characters.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from lxml import etree

from linter.origin import Origin, Problem, ProblemKind
from linter.paths import forget_after_run
from linter.sources.files import DEFAULT_LIMITS, Limits, unreadable

XINCLUDE_NAMESPACES = frozenset({"http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude"})
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"


_ENTITY_TYPE: type = getattr(etree, "_Entity")  # noqa: B009 (absent from lxml-stubs)


def _sourceline(node: etree._Element) -> int:
    """lxml's ``sourceline`` (the stubs leave it untyped); 1 when unknown."""
    line: Any = getattr(node, "sourceline", None)
    return line if isinstance(line, int) and line > 0 else 1


# ----------------------------------------------------------------------------- model


class XmlComment(NamedTuple):
    """An XML comment: the line where ``<!--`` starts and the text between the markers."""

    line: int
    text: str


class XmlAttribute(NamedTuple):
    """One attribute as written: ``name`` is the qualified name (``xsi:schemaLocation``),
    ``value`` the value after XML normalisation (entities replaced, newlines and tabs turned
    into spaces). ``line``/``column`` locate the name, ``value_line``/``value_column`` the
    first character inside the quotes."""

    name: str
    value: str
    line: int
    column: int
    value_line: int = 0
    value_column: int = 0


class XmlElement(NamedTuple):
    """An element of our immutable tree (comments, PIs and text nodes are not children).

    ``tag`` is the local name, ``namespace`` the namespace URI or ``None``. ``line`` is lxml's
    ``sourceline`` (end of the start tag), ``start_line``/``column`` locate the ``<``.
    ``preceding_comments`` are the comments directly before the element (only whitespace in
    between), nearest last.
    """

    tag: str
    namespace: str | None
    attributes: tuple[XmlAttribute, ...]
    children: tuple[XmlElement, ...]
    line: int
    start_line: int
    column: int = 1
    preceding_comments: tuple[XmlComment, ...] = ()
    text: str | None = None

    def attr(self, name: str) -> XmlAttribute | None:
        """The attribute with this (qualified, as written) name, or ``None``."""
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        return None

    def get(self, name: str, default: str | None = None) -> str | None:
        attribute = self.attr(name)
        return attribute.value if attribute is not None else default

    def iter(self, tag: str | None = None) -> Iterator[XmlElement]:
        """This element and its descendants in document order, optionally only local name ``tag``."""
        stack: list[XmlElement] = [self]
        while stack:
            element = stack.pop()
            if tag is None or element.tag == tag:
                yield element
            stack.extend(reversed(element.children))

    def children_named(self, tag: str) -> tuple[XmlElement, ...]:
        return tuple(child for child in self.children if child.tag == tag)

    def origin(self, display: str) -> Origin:
        return Origin(file=display, line=self.start_line, column=self.column)


class XmlDocument(NamedTuple):
    """A parsed document: ``display`` path, ``root`` element and every comment in the file
    (document order, for inline suppressions). ``problems`` holds non-fatal findings of the
    reader (none today; fatal ones are returned instead of a document)."""

    display: str
    root: XmlElement
    comments: tuple[XmlComment, ...] = ()
    encoding: str = "UTF-8"
    problems: tuple[Problem, ...] = ()


# ----------------------------------------------------------------------------- text scanning


class _Lines:
    """Offset -> (line, column) on normalised text."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.starts.extend(m.end() for m in re.finditer("\n", text))

    def locate(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


@dataclass(slots=True)
class _StartTag:
    qname: str
    offset: int
    attributes: list[tuple[str, int, int]]  # (qualified name, name offset, value offset)


@dataclass(slots=True)
class _Scan:
    tags: list[_StartTag] = field(default_factory=list)
    comments: list[tuple[int, str]] = field(default_factory=list)  # (offset, text)
    doctype_offset: int | None = None
    entity_decl_offset: int | None = None


_NAME = re.compile(r"[^\s/>=]+")
_ATTRIBUTE = re.compile(r"\s*([^\s=/>]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
_TAG_END = re.compile(r"\s*/?>")


def _skip_doctype(text: str, pos: int) -> int:
    """End offset of a ``<!DOCTYPE ...>`` starting at ``pos`` (quotes and ``[...]`` aware)."""
    depth = 0
    quote = ""
    i = pos + 2
    n = len(text)
    while i < n:
        c = text[i]
        if quote:
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
        elif c == ">" and depth <= 0:
            return i + 1
        i += 1
    return -1


def _scan(text: str) -> _Scan | None:
    """Tokenize a well-formed document's markup; ``None`` if something unexpected turns up."""
    result = _Scan()
    pos = 0
    n = len(text)
    while True:
        lt = text.find("<", pos)
        if lt < 0:
            return result
        if text.startswith("<!--", lt):
            end = text.find("-->", lt + 4)
            if end < 0:
                return None
            result.comments.append((lt, text[lt + 4 : end]))
            pos = end + 3
        elif text.startswith("<![CDATA[", lt):
            end = text.find("]]>", lt + 9)
            if end < 0:
                return None
            pos = end + 3
        elif text.startswith("<?", lt):
            end = text.find("?>", lt + 2)
            if end < 0:
                return None
            pos = end + 2
        elif text.startswith("<!", lt):
            if result.doctype_offset is None:
                result.doctype_offset = lt
            end = _skip_doctype(text, lt)
            if end < 0:
                return None
            entity = text.find("<!ENTITY", lt, end)
            if entity >= 0 and result.entity_decl_offset is None:
                result.entity_decl_offset = entity
            pos = end
        elif text.startswith("</", lt):
            end = text.find(">", lt + 2)
            if end < 0:
                return None
            pos = end + 1
        else:
            name = _NAME.match(text, lt + 1)
            if name is None:
                return None
            tag = _StartTag(name.group(), lt, [])
            pos = name.end()
            while pos < n:
                closing = _TAG_END.match(text, pos)
                if closing is not None:
                    pos = closing.end()
                    break
                attribute = _ATTRIBUTE.match(text, pos)
                if attribute is None:
                    return None
                tag.attributes.append((attribute.group(1), attribute.start(1), attribute.start(2) + 1))
                pos = attribute.end()
            else:
                return None
            result.tags.append(tag)


def _decode(data: bytes, encoding: str | None) -> str:
    """The document text with XML end-of-line normalisation (BOM dropped)."""
    codec = (encoding or "utf-8").lower()
    if codec in ("utf-8", "utf8"):
        codec = "utf-8-sig"
    try:
        text = data.decode(codec, errors="replace")
    except LookupError:
        text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ----------------------------------------------------------------------------- conversion


def _qname(element: etree._Element) -> str:
    local = etree.QName(element).localname
    return f"{element.prefix}:{local}" if element.prefix else local


def _clark(qname: str, nsmap: dict[str | None, str]) -> str:
    if ":" not in qname:
        return qname
    prefix, local = qname.split(":", 1)
    if prefix == "xml":
        return f"{{{XML_NAMESPACE}}}{local}"
    namespace = nsmap.get(prefix)
    return f"{{{namespace}}}{local}" if namespace else qname


def _written_name(key: str, element: etree._Element) -> str:
    """``{ns}local`` -> ``prefix:local`` using the element's namespace map."""
    if not key.startswith("{"):
        return key
    namespace, local = key[1:].split("}", 1)
    if namespace == XML_NAMESPACE:
        return f"xml:{local}"
    for prefix, uri in element.nsmap.items():
        if uri == namespace and prefix:
            return f"{prefix}:{local}"
    return local


@dataclass(slots=True)
class _Context:
    lines: _Lines
    tags: dict[int, _StartTag]  # id(lxml element) -> its start tag (when the scan matched)
    comment_lines: dict[int, XmlComment]  # id(lxml comment) -> comment
    # lxml hands out one proxy object per node only while a reference to it is alive: keep
    # them alive so that the ids above stay valid during the conversion.
    keepalive: list[etree._Element] = field(default_factory=list)


def _attributes(element: etree._Element, tag: _StartTag | None, ctx: _Context) -> tuple[XmlAttribute, ...]:
    values: dict[str, str] = {str(k): str(v) for k, v in element.attrib.items()}
    out: list[XmlAttribute] = []
    if tag is not None:
        nsmap: dict[str | None, str] = dict(element.nsmap)
        for qname, name_offset, value_offset in tag.attributes:
            if qname == "xmlns" or qname.startswith("xmlns:"):
                continue
            key = _clark(qname, nsmap)
            if key not in values:
                continue
            line, column = ctx.lines.locate(name_offset)
            value_line, value_column = ctx.lines.locate(value_offset)
            out.append(XmlAttribute(qname, values.pop(key), line, column, value_line, value_column))
    line = _sourceline(element)
    for key, value in values.items():  # anything the scan did not place
        out.append(XmlAttribute(_written_name(key, element), value, line, 1, line, 1))
    return tuple(out)


def _preceding_comments(element: etree._Element, ctx: _Context) -> tuple[XmlComment, ...]:
    found: list[XmlComment] = []
    node = element.getprevious()
    while node is not None and isinstance(node, etree._Comment):
        if node.tail is not None and node.tail.strip():
            break
        comment = ctx.comment_lines.get(id(node))
        if comment is None:
            comment = XmlComment(_sourceline(node), str(node.text or ""))
        found.append(comment)
        node = node.getprevious()
    found.reverse()
    return tuple(found)


def _convert(element: etree._Element, ctx: _Context) -> XmlElement:
    tag = ctx.tags.get(id(element))
    line = _sourceline(element)
    if tag is not None:
        start_line, column = ctx.lines.locate(tag.offset)
    else:
        start_line, column = line, 1
    qname = etree.QName(element)
    children = tuple(_convert(child, ctx) for child in element.iterchildren(etree.Element))
    return XmlElement(
        tag=qname.localname,
        namespace=qname.namespace,
        attributes=_attributes(element, tag, ctx),
        children=children,
        line=line,
        start_line=start_line,
        column=column,
        preceding_comments=_preceding_comments(element, ctx),
        text=element.text,
    )


def _all_comments(root: etree._Element) -> list[etree._Element]:
    before = [n for n in root.itersiblings(preceding=True) if isinstance(n, etree._Comment)]
    before.reverse()
    inside = [n for n in root.iter(etree.Comment)]
    after = [n for n in root.itersiblings() if isinstance(n, etree._Comment)]
    return before + inside + after


def _context(root: etree._Element, scan: _Scan | None, lines: _Lines) -> tuple[_Context, tuple[XmlComment, ...]]:
    ctx = _Context(lines, {}, {})
    elements = list(root.iter(etree.Element))
    if scan is not None and len(scan.tags) == len(elements):
        pairs = list(zip(elements, scan.tags, strict=True))
        if all(_qname(el) == tag.qname for el, tag in pairs):
            ctx.tags = {id(el): tag for el, tag in pairs}
    nodes = _all_comments(root)
    ctx.keepalive = elements + nodes
    comments: list[XmlComment] = []
    if scan is not None and len(scan.comments) == len(nodes):
        for node, (offset, text) in zip(nodes, scan.comments, strict=True):
            comment = XmlComment(lines.locate(offset)[0], text)
            ctx.comment_lines[id(node)] = comment
            comments.append(comment)
    else:
        for node in nodes:
            text = str(node.text or "")
            # lxml reports a comment's last line; step back over its own line breaks
            comment = XmlComment(max(1, _sourceline(node) - text.count("\n")), text)
            ctx.comment_lines[id(node)] = comment
            comments.append(comment)
    return ctx, tuple(comments)


# ----------------------------------------------------------------------------- checks


# attributes of one element: lxml reads attribute values in time quadratic in their number (100k
# attributes on one element took a minute); real Ehcache/JGroups elements have a few dozen
MAX_XML_ATTRIBUTES = 1000


def _refused(display: str, message: str, line: int | None = None, column: int | None = None) -> Problem:
    return Problem(ProblemKind.REFUSED, f"refused XML: {message}", Origin(file=display, line=line, column=column))


def _depth_violation(root: etree._Element, limit: int) -> etree._Element | None:
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > limit:
            return element
        stack.extend((child, depth + 1) for child in element.iterchildren(etree.Element))
    return None


def _has_internal_subset(text: str, scan: _Scan) -> bool:
    if scan.doctype_offset is None:
        return False
    end = _skip_doctype(text, scan.doctype_offset)
    return "[" in text[scan.doctype_offset : end if end > 0 else len(text)]


def _hostile(
    root: etree._Element, text: str, lines: _Lines, scan: _Scan | None, display: str, limits: Limits
) -> Problem | None:
    """The first reason to refuse this document, or ``None``."""
    docinfo = root.getroottree().docinfo
    doctype_at: tuple[int | None, int | None] = (1, 1)
    if scan is not None and scan.doctype_offset is not None:
        doctype_at = lines.locate(scan.doctype_offset)
    if scan is not None and scan.entity_decl_offset is not None:
        return _refused(display, "the document declares entities (<!ENTITY>)", *lines.locate(scan.entity_decl_offset))
    system_url: Any = getattr(docinfo, "system_url", None)  # typed as system_id in the stubs
    if system_url or docinfo.public_id:
        return _refused(display, "the DOCTYPE refers to an external DTD", *doctype_at)
    dtd: Any = docinfo.internalDTD  # the stubs lack DTD.iterentities / iterelements
    if (dtd is not None and (list(dtd.iterentities()) or list(dtd.iterelements()))) or (
        scan is not None and _has_internal_subset(text, scan)
    ):
        return _refused(display, "the document has a DOCTYPE with an internal subset", *doctype_at)
    for node in root.iter():
        if isinstance(node, _ENTITY_TYPE):
            name = getattr(node, "name", "")
            return _refused(display, f"entity reference &{name}; (entities are never expanded)", _sourceline(node))
        if isinstance(node.tag, str) and etree.QName(node).namespace in XINCLUDE_NAMESPACES:
            return _refused(display, "XInclude elements are not processed", _sourceline(node))
        if len(node.keys()) > MAX_XML_ATTRIBUTES:  # keys(), unlike values(), is linear in lxml
            return _refused(display, f"an element with more than {MAX_XML_ATTRIBUTES} attributes", _sourceline(node))
    too_deep = _depth_violation(root, limits.max_xml_depth)
    if too_deep is not None:
        return _refused(display, f"elements nested deeper than {limits.max_xml_depth} levels", _sourceline(too_deep))
    return None


_ENTITY_MARKERS = (b"<!ENTITY", "<!ENTITY".encode("utf-16-le"), "<!ENTITY".encode("utf-16-be"))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
        remove_blank_text=False,
        recover=False,
        # Do not pass collect_ids=False: with lxml 6 / libxml2 2.14 it makes libxml2 try to load
        # the external DTD subset (refused only thanks to no_network; a local path is opened).
    )


def _syntax_problem(display: str, exc: etree.XMLSyntaxError) -> Problem:
    line, column = exc.position if exc.position else (None, None)
    message = str(exc.msg or exc)
    message = re.sub(r", line \d+, column \d+$", "", message)
    if "Excessive depth" in message or "XML_PARSE_HUGE" in message:
        return _refused(display, f"{message} (nesting limit)", line or None, column or None)
    if "Detected an entity reference loop" in message or "amplification" in message.lower():
        return _refused(display, message, line or None, column or None)
    origin = Origin(file=display, line=line or None, column=column or None)
    return Problem(ProblemKind.MALFORMED, f"malformed XML: {message}", origin)


# Documents already made, by content: the nodes of a cluster mostly hold byte-identical copies of
# the same XML (Liferay's own files, a stack copied to every node). The tree is immutable and
# holds no file name, so one tree serves every copy; only the display name differs.
_MADE: dict[tuple[bytes, int, int], XmlDocument] = {}
_MADE_MAX_ENTRIES = 256
_MADE_MAX_BYTES = 64 << 20
_made_bytes = 0


def forget_documents() -> None:
    """Let go of the documents kept by content: at the end of a run, so that a process running
    several (tests, a long-lived caller) does not hold the last run's trees (hundreds of MB for a
    few large files)."""
    global _made_bytes
    _MADE.clear()
    _made_bytes = 0


forget_after_run(forget_documents)


def parse_xml(data: bytes, display: str, limits: Limits = DEFAULT_LIMITS) -> XmlDocument | Problem:
    """Parse ``data`` safely into an :class:`XmlDocument`, or return the one problem that stops it.

    Never raises on content. See the module docstring for what is refused (``REFUSED``) and how
    positions are computed. Content parsed before (any file name) is not parsed again.
    """
    global _made_bytes
    key = (data, limits.max_xml_depth, limits.max_file_size)
    made = _MADE.get(key)
    if made is not None:
        return made._replace(display=display)
    parsed = _parse_xml(data, display, limits)
    if isinstance(parsed, XmlDocument) and not parsed.problems:  # problems name the file
        if len(_MADE) >= _MADE_MAX_ENTRIES or _made_bytes + len(data) > _MADE_MAX_BYTES:
            _MADE.clear()
            _made_bytes = 0
        _MADE[key] = parsed
        _made_bytes += len(data)
    return parsed


def _parse_xml(data: bytes, display: str, limits: Limits) -> XmlDocument | Problem:
    if len(data) > limits.max_file_size:
        return unreadable(display, f"XML is {len(data)} bytes, over the {limits.max_file_size}-byte limit")
    for marker in _ENTITY_MARKERS:
        at = data.find(marker)
        if at >= 0:
            line = data.count(b"\n", 0, at) + 1 if marker == _ENTITY_MARKERS[0] else None
            return _refused(display, "the document declares entities (<!ENTITY>)", line)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        return _syntax_problem(display, exc)
    except (etree.LxmlError, ValueError, LookupError, UnicodeError) as exc:
        return Problem(ProblemKind.MALFORMED, f"malformed XML: {exc}", Origin(file=display))
    if root is None:
        return Problem(ProblemKind.MALFORMED, "malformed XML: no root element", Origin(file=display))
    docinfo = root.getroottree().docinfo
    text = _decode(data, docinfo.encoding)
    scan = _scan(text)
    lines = _Lines(text)
    hostile = _hostile(root, text, lines, scan, display, limits)
    if hostile is not None:
        return hostile
    ctx, comments = _context(root, scan, lines)
    return XmlDocument(
        display=display,
        root=_convert(root, ctx),
        comments=comments,
        encoding=str(docinfo.encoding or "UTF-8"),
    )


__all__ = [
    "XmlAttribute",
    "XmlComment",
    "XmlDocument",
    "XmlElement",
    "parse_xml",
]
