"""Java ``.properties`` reader with exact positions, in two dialects.

``Dialect.LIFERAY`` reproduces how Liferay loads portal properties: Apache Commons
Configuration 1.x ``PropertiesConfiguration`` (its ``PropertiesReader``):

* every physical line is trimmed (Java ``String.trim``: all chars <= U+0020);
* blank and comment lines (``#``/``!`` after trimming) are skipped, *also inside a
  backslash-continued value*, which is how Liferay's shipped files comment out list entries;
* a line continues when it ends with an odd number of backslashes;
* key and value are split at the first unescaped ``=``, ``:`` or whitespace;
* a key repeated in one file accumulates: Liferay sees the values joined with commas;
* a value is a list split at unescaped commas (only when the first comma is not at index 0,
  as ``PropertyConverter.flatten`` does), each element trimmed;
* a property still continued at end of file is dropped (``readProperty`` returns null);
* the key ``include`` loads another file instead of defining a property.

``Dialect.LIFERAY`` is that reader as Liferay patches it (liferay-portal
``modules/third-party/org-apache-commons-configuration``, LPS-94307 and LPS-102832, shipped as
``commons-configuration 1.10.LIFERAY-PATCHED``): only the first ``=`` separates key and value, a
line without ``=`` defines nothing usable (an empty key). ``Dialect.COMMONS`` is the stock reader
(``=``, ``:`` or whitespace, per its ``PROPERTY_PATTERN``), which Liferay 6.x loads through EasyConf
and which 7.0/7.1 still shipped.

``Dialect.JAVA`` reproduces ``java.util.Properties.load(Reader)`` exactly (JDK 17
``LineReader`` and ``loadConvert``): comment lines only at the start of a logical line, trailing
whitespace kept, the last duplicate wins.

Both dialects are checked against the real implementations by differential tests
(``tests/test_properties_differential.py``).
"""

from __future__ import annotations

import codecs
import re
import sys
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import NamedTuple

from linter.origin import Origin, Problem, ProblemKind
from linter.sources.files import DEFAULT_LIMITS, Limits, read_bytes, unreadable


class Dialect(str, Enum):
    LIFERAY = "liferay"  # Liferay's patched Commons Configuration 1.10 (7.2+): only '=' separates
    COMMONS = "commons"  # stock Commons Configuration 1.x (6.x, 7.0, 7.1): '=', ':' or whitespace
    JAVA = "java"  # java.util.Properties


class PropertyEntry(NamedTuple):
    """One occurrence of a key in a file.

    ``value`` is the unescaped text of this occurrence (for the Liferay dialect before list
    splitting); ``origin`` points at the key and, through ``value_line``/``value_column``,
    at the value.
    """

    key: str
    value: str
    origin: Origin
    raw: str = ""  # the logical line as written (continuations joined), for snippets

    @property
    def line(self) -> int:
        return self.origin.line or 0


class Comment(NamedTuple):
    line: int
    text: str  # the comment line with leading whitespace removed, marker included


@dataclass(frozen=True, slots=True)
class PropertiesFile:
    path: str
    dialect: Dialect
    encoding: str
    entries: tuple[PropertyEntry, ...] = ()
    comments: tuple[Comment, ...] = ()
    includes: tuple[PropertyEntry, ...] = ()  # Commons ``include=`` directives
    problems: tuple[Problem, ...] = ()
    decode_error_lines: tuple[int, ...] = ()  # lines holding bytes invalid for the encoding
    has_bom: bool = False

    def occurrences(self, key: str) -> tuple[PropertyEntry, ...]:
        """Every entry of ``key``, in file order (a scan: callers ask about a few keys per file, and
        an index kept per file cost 5 MB in a 1,000-node audit)."""
        return tuple(entry for entry in self.entries if entry.key == key)

    def keys(self) -> list[str]:
        """Keys in first-occurrence order."""
        return list(dict.fromkeys(e.key for e in self.entries))

    def values(self) -> dict[str, str]:
        """What the loader makes of the file: key -> effective string value."""
        if self.dialect is Dialect.JAVA:
            return {e.key: e.value for e in self.entries}
        out: dict[str, list[str]] = {}
        for entry in self.entries:
            out.setdefault(entry.key, []).extend(commons_list(entry.value))
        return {k: ",".join(v) for k, v in out.items()}

    def value_of(self, key: str) -> str | None:
        return self.joined(self.occurrences(key))

    def joined(self, occ: Sequence[PropertyEntry]) -> str | None:
        """The value the loader makes of these entries of one key (``value_of`` for entries in hand)."""
        if not occ:
            return None
        if self.dialect is Dialect.JAVA:
            return occ[-1].value
        parts: list[str] = []
        for entry in occ:
            parts.extend(commons_list(entry.value))
        return ",".join(parts)


# ----------------------------------------------------------------------------- helpers

_LINE_SPLIT = re.compile(r"\r\n|\r|\n")
_JAVA_WS = " \t\f"


_JAVA_TRIMMED = "".join(map(chr, range(0x21)))  # what String.trim removes: every char <= U+0020


def _java_trim_left(s: str) -> int:
    """Index of the first char > U+0020 (``String.trim``), or len(s)."""
    return len(s) - len(s.lstrip(_JAVA_TRIMMED))


def _java_trim(s: str) -> str:
    return s.strip(_JAVA_TRIMMED)


_SHARED_UP_TO = 256


def _shared(text: str) -> str:
    """One copy of a short text in the whole run: the nodes of a cluster mostly hold the same
    keys, values, lines and comments (a 1,000-node audit held 150,000 copies of 300 texts)."""
    return sys.intern(text) if len(text) <= _SHARED_UP_TO else text


def _trailing_backslashes(s: str) -> int:
    return len(s) - len(s.rstrip("\\"))


class _Segments:
    """Maps an index in a logical line back to (line, column) of the physical source."""

    __slots__ = ("places", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.places: list[tuple[int, int]] = []  # (line, column of first char) 1-based

    def add(self, offset: int, line: int, column: int) -> None:
        self.starts.append(offset)
        self.places.append((line, column))

    def locate(self, index: int) -> tuple[int, int]:
        k = bisect_right(self.starts, index) - 1
        if k < 0:
            k = 0
        line, col = self.places[k]
        return line, col + (index - self.starts[k])


class _UnicodeError(ValueError):
    pass


def _join_surrogates(s: str) -> str:
    """Java strings are UTF-16: two ``\\u`` escapes forming a surrogate pair are one character.
    Lone surrogates stay as they are."""
    if not any("\ud800" <= c <= "\udfff" for c in s):
        return s
    return s.encode("utf-16-be", "surrogatepass").decode("utf-16-be", "surrogatepass")


def _java_load_convert(s: str) -> str:
    """``Properties.loadConvert``: ``\\uXXXX``, ``\\t\\r\\n\\f``; any other ``\\x`` is ``x``."""
    if "\\" not in s:
        return s
    out: list[str] = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        i += 1
        if c != "\\":
            out.append(c)
            continue
        if i >= n:  # cannot happen for text produced by the line reader; keep it literal
            out.append("\\")
            break
        c = s[i]
        i += 1
        if c == "u":
            if i > n - 4:
                raise _UnicodeError("malformed \\uxxxx escape")
            digits = s[i : i + 4]
            if not all(d in "0123456789abcdefABCDEF" for d in digits):
                raise _UnicodeError(f"malformed \\uxxxx escape \\u{digits}")
            out.append(chr(int(digits, 16)))
            i += 4
        elif c == "t":
            out.append("\t")
        elif c == "r":
            out.append("\r")
        elif c == "n":
            out.append("\n")
        elif c == "f":
            out.append("\f")
        else:
            out.append(c)
    return _join_surrogates("".join(out))


_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "r": "\r", "f": "\f", "t": "\t", "n": "\n", "b": "\b"}


def _parse_hex(digits: str) -> int:
    """``Integer.parseInt(digits, 16)`` incl. its sign handling; ValueError if invalid."""
    body = digits[1:] if digits[:1] in "+-" else digits
    if not body or not all(d in "0123456789abcdefABCDEF" for d in body):
        raise _UnicodeError(f"malformed \\u escape \\u{digits}")
    value = int(body, 16)
    return -value if digits[0] == "-" else value


def _commons_unescape(s: str, delimiter: str | None) -> str:
    """Commons ``unescapeJava`` (lang 2.6 for keys, configuration 1.10 for values).

    With a ``delimiter`` an escaped delimiter is kept escaped for the list splitter.
    A ``\\u`` escape cut short at the end of the string is dropped.
    """
    if "\\" not in s:
        return s
    out: list[str] = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        i += 1
        if c != "\\":
            out.append(c)
            continue
        if i >= n:
            out.append("\\")
            break
        c = s[i]
        i += 1
        if c == "u":
            digits = s[i : i + 4]
            i += 4
            if len(digits) < 4:
                break  # unterminated unicode at end of string: silently dropped
            out.append(chr(_parse_hex(digits) & 0xFFFF))
        elif delimiter is not None and c == delimiter and c not in _ESCAPES:
            out.append("\\")
            out.append(c)
        else:
            out.append(_ESCAPES.get(c, c))
    return _join_surrogates("".join(out))


def commons_list(value: str, delimiter: str = ",") -> list[str]:
    """``PropertyConverter.flatten`` + ``split(s, delimiter, trim=true)``."""
    if value.find(delimiter) <= 0:
        return [value]
    parts: list[str] = []
    token: list[str] = []
    in_escape = False
    for c in value:
        if in_escape:
            if c != delimiter and c != "\\":
                token.append("\\")
            token.append(c)
            in_escape = False
        elif c == delimiter:
            parts.append(_java_trim("".join(token)))
            token = []
        elif c == "\\":
            in_escape = True
        else:
            token.append(c)
    if in_escape:
        token.append("\\")
    parts.append(_java_trim("".join(token)))
    return parts


# ----------------------------------------------------------------------------- dialects


@dataclass
class _Builder:
    display: str
    entries: list[PropertyEntry] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    includes: list[PropertyEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, kind: ProblemKind, message: str, line: int, column: int = 1) -> None:
        self.problems.append(Problem(kind, message, Origin(self.display, line, column)))


def _make_entry(
    b: _Builder,
    key: str,
    value: str,
    segs: _Segments,
    value_index: int,
    logical: str,
    end: tuple[int, int],
) -> PropertyEntry:
    line, col = segs.locate(0)
    vline, vcol = segs.locate(value_index) if value_index < len(logical) else end
    origin = Origin(
        file=b.display,
        line=line,
        column=col,
        end_line=end[0],
        end_column=end[1],
        value_line=vline,
        value_column=vcol if value_index < len(logical) else end[1] + 1,
    )
    return PropertyEntry(key=_shared(key), value=_shared(value), origin=origin, raw=_shared(logical))


def _end_of(segs: _Segments, logical: str) -> tuple[int, int]:
    if not logical:
        return segs.places[-1] if segs.places else (1, 1)
    line, col = segs.locate(len(logical) - 1)
    return line, col


def _parse_java(lines: list[str], b: _Builder, crlf_before_last: bool) -> None:
    """``crlf_before_last``: the text ends with CRLF (Java's reader then sees no EOF right
    after the CR, which matters for a lone backslash on the last line)."""
    n = len(lines)
    i = 0
    while i < n:
        text = lines[i]
        i += 1
        start = 0
        while start < len(text) and text[start] in _JAVA_WS:
            start += 1
        if start >= len(text):
            continue
        if text[start] in "#!":
            b.comments.append(Comment(i, _shared(text[start:])))
            continue
        segs = _Segments()
        parts: list[str] = []
        length = 0
        cur, cur_line, cur_col = text[start:], i, start + 1
        at_eof_after_backslash = False
        while True:
            if _trailing_backslashes(cur) % 2 == 1:
                piece = cur[:-1]
                segs.add(length, cur_line, cur_col)
                parts.append(piece)
                length += len(piece)
                if i >= n or (i == n - 1 and not lines[i] and not crlf_before_last):
                    at_eof_after_backslash = True
                    break  # EOF: the trailing backslash is dropped, even if nothing is left
                nxt = lines[i]
                s = 0
                while s < len(nxt) and nxt[s] in _JAVA_WS:
                    s += 1
                if length == 0:
                    break  # a lone backslash: the next line starts afresh
                i += 1
                if s >= len(nxt):
                    break  # a blank line ends the logical line
                cur, cur_line, cur_col = nxt[s:], i, s + 1
                continue
            segs.add(length, cur_line, cur_col)
            parts.append(cur)
            length += len(cur)
            break
        logical = "".join(parts)
        if not logical and not at_eof_after_backslash:
            continue
        # key/value split (Properties.load0)
        limit = len(logical)
        key_len = 0
        value_start = limit
        has_sep = False
        preceding_backslash = False
        while key_len < limit:
            c = logical[key_len]
            if c in "=:" and not preceding_backslash:
                value_start = key_len + 1
                has_sep = True
                break
            if c in _JAVA_WS and not preceding_backslash:
                value_start = key_len + 1
                break
            preceding_backslash = (not preceding_backslash) if c == "\\" else False
            key_len += 1
        while value_start < limit:
            c = logical[value_start]
            if c not in _JAVA_WS:
                if not has_sep and c in "=:":
                    has_sep = True
                else:
                    break
            value_start += 1
        line, _col = segs.locate(0)
        try:
            key = _java_load_convert(logical[:key_len])
            value = _java_load_convert(logical[value_start:])
        except _UnicodeError as exc:
            b.problem(ProblemKind.MALFORMED, f"{exc}: java.util.Properties refuses the whole file", line)
            continue
        b.entries.append(_make_entry(b, key, value, segs, value_start, logical, _end_of(segs, logical)))


# PropertiesReader.PROPERTY_PATTERN of Commons Configuration 1.10, with Java's character
# classes spelled out: ``\s`` is [ \t\n\x0B\f\r] and ``.`` excludes line terminators.
_J_WS = " \t\n\x0b\f\r"
_J_DOT = "[^\n\r\u0085\u2028\u2029]"
_COMMONS_PROPERTY = re.compile(rf"((?:[^{_J_WS}\\=:]|\\{_J_DOT})*)([{_J_WS}]*([{_J_WS}]+|[=:])[{_J_WS}]*)({_J_DOT}*)")


def _commons_split(logical: str) -> tuple[str, str, int] | None:
    """``PropertiesReader.doParseProperty``: (escaped key, raw value, value index) or None
    when the line does not match (Commons then records an empty key with an empty value)."""
    m = _COMMONS_PROPERTY.fullmatch(logical)
    if m is None:
        return None
    return m.group(1), m.group(4), m.start(4)


def _liferay_split(logical: str) -> tuple[str, str, int] | None:
    """Liferay's patched ``doParseProperty``: split at the first ``=``, trim both sides."""
    index = logical.find("=")
    if index < 0:
        return None
    return logical[:index], logical[index + 1 :], index + 1


def _key_and_value(logical: str, patched: bool) -> tuple[str, str, int]:
    """The trimmed key and value texts of a logical line (escapes still in) and the index where
    the value starts."""
    split = _liferay_split(logical) if patched else _commons_split(logical)
    key_text, value_text, value_start = split if split is not None else ("", "", len(logical))
    return _java_trim(key_text), _java_trim(value_text), value_start + _java_trim_left(value_text)


def _add(b: _Builder, entry: PropertyEntry) -> None:
    (b.includes if entry.key.lower() == "include" else b.entries).append(entry)


def _simple_line(text: str, lineno: int, b: _Builder, patched: bool) -> None:
    """A line without any backslash (no continuation, no escape): the general path below, with
    positions counted directly (most lines of real files)."""
    start = _java_trim_left(text)
    if start >= len(text):
        return
    if text[start] in "#!":
        b.comments.append(Comment(lineno, _shared(text[start:])))
        return
    logical = _java_trim(text)
    key, value, value_index = _key_and_value(logical, patched)
    column = start + 1
    end = (lineno, column + len(logical) - 1) if logical else (lineno, column)
    in_value = value_index < len(logical)
    origin = Origin(
        file=b.display,
        line=lineno,
        column=column,
        end_line=end[0],
        end_column=end[1],
        value_line=lineno if in_value else end[0],
        value_column=column + value_index if in_value else end[1] + 1,
    )
    _add(b, PropertyEntry(key=_shared(key), value=_shared(value), origin=origin, raw=_shared(logical)))


def _parse_commons(lines: list[str], b: _Builder, patched: bool) -> None:
    n = len(lines)
    i = 0
    while i < n:
        if "\\" not in lines[i]:
            _simple_line(lines[i], i + 1, b, patched)
            i += 1
            continue
        segs = _Segments()
        parts: list[str] = []
        length = 0
        complete = False
        first_line = 0
        while i < n:
            text = lines[i]
            i += 1
            start = _java_trim_left(text)
            if start >= len(text) or text[start] in "#!":
                if start < len(text):
                    b.comments.append(Comment(i, _shared(text[start:])))
                continue
            if not first_line:
                first_line = i
            line = _java_trim(text)
            if _trailing_backslashes(line) % 2 == 1:
                piece = line[:-1]
                segs.add(length, i, start + 1)
                parts.append(piece)
                length += len(piece)
                continue
            segs.add(length, i, start + 1)
            parts.append(line)
            length += len(line)
            complete = True
            break
        if not complete:
            if first_line:
                b.problem(
                    ProblemKind.MALFORMED,
                    "the last property ends with a continuation backslash at end of file; Liferay's loader drops it",
                    first_line,
                )
            break
        logical = "".join(parts)
        key_text, value_text, value_index = _key_and_value(logical, patched)
        line_no = segs.locate(0)[0]
        try:
            key = _commons_unescape(key_text, None)
            value = _commons_unescape(value_text, ",")
        except _UnicodeError as exc:
            b.problem(ProblemKind.MALFORMED, f"{exc}: Liferay's loader fails on this file", line_no)
            continue
        _add(b, _make_entry(b, key, value, segs, value_index, logical, _end_of(segs, logical)))


# ----------------------------------------------------------------------------- API


def dialect_for(version: str | None) -> Dialect:
    """Liferay's loader for a version family (INFERENCE for 7.0/7.1: the patch LPS-94307 dates
    from 2019 and older 7.x dependency lists still name stock 1.10)."""
    if version is not None and (version.startswith("6") or version in ("7.0", "7.1")):
        return Dialect.COMMONS
    return Dialect.LIFERAY


def encoding_for(version: str | None) -> str:
    """Liferay 7.x reads properties as UTF-8, 6.x (and unknown old versions) as ISO-8859-1."""
    if version is not None and version.startswith("6"):
        return "iso-8859-1"
    return "utf-8"


def _cont(b: int) -> bool:
    return (b & 0xC0) == 0x80


def _java_malformed_length(data: bytes, i: int) -> int:
    """How many bytes the JDK's UTF-8 decoder replaces with one U+FFFD at ``data[i]``.

    Mirrors ``sun.nio.cs.UTF_8.Decoder`` (malformedN, isMalformed3/4 and the end-of-input
    rule: an incomplete sequence at the end is one malformed unit)."""
    b1 = data[i]
    rest = len(data) - i
    if 0xC2 <= b1 <= 0xDF:
        return 1 if rest >= 2 else rest
    if 0xE0 <= b1 <= 0xEF:
        if rest < 3:
            if rest > 1 and ((b1 == 0xE0 and (data[i + 1] & 0xE0) == 0x80) or not _cont(data[i + 1])):
                return 1
            return rest
        b2 = data[i + 1]
        return 1 if (b1 == 0xE0 and (b2 & 0xE0) == 0x80) or not _cont(b2) else (2 if not _cont(data[i + 2]) else 3)
    if 0xF0 <= b1 <= 0xF7:
        if rest < 4:
            b2 = data[i + 1] if rest > 1 else 0x80
            if rest > 1 and (
                (b1 == 0xF0 and not 0x90 <= b2 <= 0xBF) or (b1 == 0xF4 and (b2 & 0xF0) != 0x80) or not _cont(b2)
            ):
                return 1
            if rest > 2 and not _cont(data[i + 2]):
                return 2
            return rest
        b2 = data[i + 1]
        if (
            b1 > 0xF4
            or (b1 == 0xF0 and not 0x90 <= b2 <= 0xBF)
            or (b1 == 0xF4 and (b2 & 0xF0) != 0x80)
            or not _cont(b2)
        ):
            return 1
        if not _cont(data[i + 2]):
            return 2
        return 3
    return 1


def _java_replace(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    return "\ufffd", exc.start + _java_malformed_length(exc.object, exc.start)


codecs.register_error("liferay-ha-lint-java-replace", _java_replace)


def _decode(data: bytes, encoding: str) -> tuple[str, tuple[int, ...]]:
    if encoding.replace("_", "-").lower() in ("iso-8859-1", "latin-1", "latin1"):
        return data.decode("latin-1"), ()
    try:
        return data.decode(encoding), ()
    except UnicodeDecodeError:
        pass
    handler = "liferay-ha-lint-java-replace" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else "replace"
    text = data.decode(encoding, errors=handler)
    bad: list[int] = []
    for lineno, raw in enumerate(_LINE_SPLIT.split(data.decode("latin-1")), start=1):
        try:
            raw.encode("latin-1").decode(encoding)
        except UnicodeDecodeError:
            bad.append(lineno)
    return text, tuple(bad)


def parse_properties(
    data: bytes | str,
    display: str = "<memory>",
    *,
    encoding: str = "utf-8",
    dialect: Dialect = Dialect.LIFERAY,
) -> PropertiesFile:
    """Parse properties text. Never raises on content; problems are reported in the result."""
    if isinstance(data, bytes):
        text, bad_lines = _decode(data, encoding)
    else:
        text, bad_lines = data, ()
    has_bom = text.startswith("\ufeff")
    b = _Builder(display)
    lines = _LINE_SPLIT.split(text)
    if dialect is Dialect.JAVA:
        _parse_java(lines, b, text.endswith("\r\n"))
    else:
        _parse_commons(lines, b, patched=dialect is Dialect.LIFERAY)
    return PropertiesFile(
        path=display,
        dialect=dialect,
        encoding=encoding,
        entries=tuple(b.entries),
        comments=tuple(b.comments),
        includes=tuple(b.includes),
        problems=tuple(b.problems),
        decode_error_lines=bad_lines,
        has_bom=has_bom,
    )


def read_properties(
    path: Path,
    display: str | None = None,
    *,
    encoding: str = "utf-8",
    dialect: Dialect = Dialect.LIFERAY,
    limits: Limits = DEFAULT_LIMITS,
) -> PropertiesFile:
    """Read a properties file from disk; unreadable files give an empty result with an ``UNREADABLE`` problem."""
    shown = display if display is not None else str(path)
    data = read_bytes(path, shown, limits)
    if isinstance(data, Problem):
        return PropertiesFile(path=shown, dialect=dialect, encoding=encoding, problems=(data,))
    return parse_properties(data, shown, encoding=encoding, dialect=dialect)


__all__ = [
    "Comment",
    "Dialect",
    "PropertiesFile",
    "PropertyEntry",
    "commons_list",
    "dialect_for",
    "encoding_for",
    "parse_properties",
    "read_properties",
    "unreadable",
]
