"""OSGi configuration files: Felix ``.config`` (typed) and ``.cfg`` (plain properties).

``.config`` syntax follows Apache Felix ConfigAdmin's ``ConfigurationHandler`` as Liferay
documents it (liferay-learn "Using Configuration Files", facts §1.4): ``key="value"``, optional
one-letter type marker (``B"true"``, ``I"5"``, ``L``, ``D``, ``F``, ``S``, ``X``, ``C``; lower-case
for primitives), arrays ``key=["a","b"]`` and collections ``key=("a","b")`` whose items may span
lines joined by a trailing backslash, ``#`` comment lines. The file name is the PID plus
``.config``; a factory configuration is ``<factoryPid>~<name>`` or ``<factoryPid>-<name>``.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from linter.origin import Origin, Problem, ProblemKind
from linter.sources.files import DEFAULT_LIMITS, Limits, read_bytes
from linter.sources.properties import Dialect, parse_properties

OsgiValue = str | int | float | bool | tuple[str | int | float | bool, ...]

_MARKERS = "TILFDXSCBtilfdxscb"
_WS = " \t\r\n\f"
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r"}


class OsgiEntry(NamedTuple):
    key: str
    value: OsgiValue
    text: str  # canonical text of the value for comparison and display (e.g. B"true", ["a","b"])
    marker: str  # type marker letter, "" when absent
    origin: Origin
    raw: str = ""  # the value exactly as written (marker, quotes, spaces and continuations included)


class OsgiConfig(NamedTuple):
    path: str
    pid: str  # full PID incl. factory sub-name, from the file name
    factory_pid: str | None
    entries: tuple[OsgiEntry, ...]
    problems: tuple[Problem, ...] = ()
    comments: tuple[tuple[int, str], ...] = ()
    location: str = ""  # where the node has the file (osgi/configs/x.config); its display path may be a manifest

    @property
    def where(self) -> str:
        """The file's path in the node: its name decides the PID and whether it is OSGi's."""
        return self.location or self.path

    def get(self, key: str) -> OsgiEntry | None:
        for entry in reversed(self.entries):
            if entry.key == key:
                return entry
        return None

    @property
    def base_pid(self) -> str:
        return self.factory_pid or self.pid


def pid_from_filename(name: str) -> tuple[str, str | None]:
    stem = name.rsplit(".", 1)[0]
    for sep in ("~", "-"):
        if sep in stem:
            factory, _, _sub = stem.partition(sep)
            return stem, factory
    return stem, None


class _ConfigSyntaxError(Exception):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.pos = pos


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line_starts = [0]
        for i, c in enumerate(text):
            if c == "\n":
                self.line_starts.append(i + 1)

    def where(self, pos: int) -> tuple[int, int]:
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, pos - self.line_starts[lo] + 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_ws(self, newlines: bool = True) -> None:
        t = self.text
        while self.pos < len(t):
            c = t[self.pos]
            if c == "\\" and self.pos + 1 < len(t) and t[self.pos + 1] in "\r\n":
                self.pos += 2
                if t[self.pos - 1] == "\r" and self.peek() == "\n":
                    self.pos += 1
            elif c in " \t\f" or (newlines and c in "\r\n"):
                self.pos += 1
            else:
                break

    def quoted(self) -> str:
        start = self.pos
        assert self.peek() == '"'
        self.pos += 1
        out: list[str] = []
        t = self.text
        while self.pos < len(t):
            c = t[self.pos]
            self.pos += 1
            if c == '"':
                return "".join(out)
            if c == "\\":
                if self.pos >= len(t):
                    break
                e = t[self.pos]
                self.pos += 1
                if e == "u":
                    digits = t[self.pos : self.pos + 4]
                    if len(digits) < 4 or any(d not in "0123456789abcdefABCDEF" for d in digits):
                        raise _ConfigSyntaxError("malformed \\u escape in a quoted value", self.pos - 2)
                    out.append(chr(int(digits, 16)))
                    self.pos += 4
                elif e in "\r\n":
                    continue
                else:
                    out.append(_SIMPLE_ESCAPES.get(e, e))
            elif c in "\r\n":
                raise _ConfigSyntaxError("unterminated quoted value", start)
            else:
                out.append(c)
        raise _ConfigSyntaxError("unterminated quoted value", start)


def _convert(raw: str, marker: str, pos: int) -> str | int | float | bool:
    kind = marker.upper()
    if kind in ("", "T"):
        return raw
    if kind == "B":
        return raw.lower() == "true"  # Boolean.valueOf semantics
    if kind == "C":
        if len(raw) != 1:
            raise _ConfigSyntaxError(f'C"{raw}" is not a single character', pos)
        return raw
    try:
        if kind in ("I", "L", "S", "X"):
            return int(raw.strip())
        return float(raw.strip())
    except ValueError:
        raise _ConfigSyntaxError(f'{marker}"{raw}" is not a valid {kind} value', pos) from None


def _canonical(marker: str, value: OsgiValue, raw_items: list[str] | str, bracket: str) -> str:
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    if isinstance(raw_items, list):
        inner = ",".join(q(s) for s in raw_items)
        return f"{marker}{bracket[0]}{inner}{bracket[1]}"
    return f"{marker}{q(raw_items)}"


def parse_config_text(text: str, display: str) -> OsgiConfig:
    pid, factory = pid_from_filename(Path(display).name)
    sc = _Scanner(text)
    entries: list[OsgiEntry] = []
    problems: list[Problem] = []
    comments: list[tuple[int, str]] = []
    t = text
    while True:
        sc.skip_ws()
        if sc.pos >= len(t):
            break
        start = sc.pos
        line, col = sc.where(start)
        if t[start] == "#":
            end = t.find("\n", start)
            end = len(t) if end < 0 else end
            comments.append((line, t[start:end].rstrip("\r")))
            sc.pos = end
            continue
        eol = t.find("\n", start)
        eol = len(t) if eol < 0 else eol
        try:
            key_end = start
            while key_end < len(t) and t[key_end] not in "=" + _WS:
                key_end += 1
            key = t[start:key_end]
            sc.pos = key_end
            sc.skip_ws(newlines=False)
            if not key or sc.peek() != "=":
                raise _ConfigSyntaxError("expected key=value", start)
            sc.pos += 1
            sc.skip_ws(newlines=False)
            value_pos = sc.pos
            marker = ""
            if sc.peek() and sc.peek() in _MARKERS and sc.pos + 1 < len(t) and t[sc.pos + 1] in '"[(':
                marker = sc.peek()
                sc.pos += 1
            opener = sc.peek()
            value: OsgiValue
            if opener == '"':
                raw = sc.quoted()
                value = _convert(raw, marker, value_pos)
                canonical = _canonical(marker, value, raw, "")
            elif opener in "[(":
                closer = "]" if opener == "[" else ")"
                sc.pos += 1
                items: list[str] = []
                converted: list[str | int | float | bool] = []
                while True:
                    sc.skip_ws()
                    c = sc.peek()
                    if c == closer:
                        sc.pos += 1
                        break
                    if c != '"':
                        raise _ConfigSyntaxError(
                            f"expected a quoted item or {closer!r} in the list", sc.pos if c else value_pos
                        )
                    raw_item = sc.quoted()
                    items.append(raw_item)
                    converted.append(_convert(raw_item, marker, sc.pos))
                    sc.skip_ws()
                    c = sc.peek()
                    if c == ",":
                        sc.pos += 1
                    elif c != closer:
                        raise _ConfigSyntaxError(f"expected ',' or {closer!r} in the list", sc.pos if c else value_pos)
                value = tuple(converted)
                canonical = _canonical(marker, value, items, opener + closer)
            else:
                raise _ConfigSyntaxError('a .config value must be quoted ("..."), a list [...] or (...)', value_pos)
            end_line, end_col = sc.where(max(sc.pos - 1, value_pos))
            vline, vcol = sc.where(value_pos)
            sc.skip_ws(newlines=False)
            if sc.peek() not in ("", "\r", "\n", "#"):
                raise _ConfigSyntaxError("unexpected text after the value", sc.pos)
            origin = Origin(display, line, col, end_line, end_col, vline, vcol)
            entries.append(OsgiEntry(key, value, canonical, marker, origin, t[value_pos : sc.pos]))
        except _ConfigSyntaxError as exc:
            eline, ecol = sc.where(min(exc.pos, len(t)))
            problems.append(Problem(ProblemKind.MALFORMED, f".config syntax: {exc}", Origin(display, eline, ecol)))
            sc.pos = max(eol, sc.pos)
            nl = t.find("\n", sc.pos) if sc.pos < len(t) and t[sc.pos] != "\n" else sc.pos
            sc.pos = len(t) if nl < 0 else nl
    return OsgiConfig(display, pid, factory, tuple(entries), tuple(problems), tuple(comments))


def parse_cfg_text(text: str, display: str) -> OsgiConfig:
    pid, factory = pid_from_filename(Path(display).name)
    props = parse_properties(text, display, dialect=Dialect.JAVA)
    entries = tuple(OsgiEntry(e.key, e.value, e.value, "", e.origin, e.value) for e in props.entries)
    comments = tuple((c.line, c.text) for c in props.comments)
    return OsgiConfig(display, pid, factory, entries, props.problems, comments)


def osgi_config_from(data: bytes | Problem, name: str, display: str, location: str = "") -> OsgiConfig:
    """The configuration in a file called ``name`` (its PID comes from the name), already read."""
    pid, factory = pid_from_filename(name)
    if isinstance(data, Problem):
        return OsgiConfig(display, pid, factory, (), (data,), location=location or name)
    text = data.decode("utf-8", errors="replace")
    parsed = parse_cfg_text(text, display) if name.endswith(".cfg") else parse_config_text(text, display)
    # the PID comes from the file's own name (a ConfigMap entry is displayed as its manifest)
    return parsed._replace(pid=pid, factory_pid=factory, location=location or name)


def read_osgi_config(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> OsgiConfig:
    return osgi_config_from(read_bytes(path, display, limits), path.name, display)
