"""HA705 encoding: bytes the version's properties loader misreads."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Context, Finding, Label, Node, OriginKind, rule
from linter.ruleapi.text import LazyPattern

# UTF-8 multi-byte sequences as they look after an ISO-8859-1 decoding (lead byte, then
# continuation bytes U+0080-U+00BF): what a Liferay 6.x node sees instead of the intended text.
_MOJIBAKE = LazyPattern(
    r"[\u00c2-\u00df][\u0080-\u00bf]|[\u00e0-\u00ef][\u0080-\u00bf]{2}|[\u00f0-\u00f4][\u0080-\u00bf]{3}"
)
_LATIN1_BOM = "\u00ef\u00bb\u00bf"
_MAX_LINES = 20  # per file; one finding per line, the rest summarised


def _intended(text: str) -> str:
    """The UTF-8 text the bytes were meant to be."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def _line_label(node: Node, file: str, line: int, text: str) -> Label:
    return Label(node=node.name, file=file, line=line, column=1, text=text)


@rule(
    id="HA705",
    name="encoding",
    severity=WARNING,
    scope="node",
    versions="all",
    tags=("hygiene", "properties"),
    summary="A properties file holds bytes the version's loader misreads (invalid UTF-8 on 7.x, UTF-8 on 6.x, "
    "a byte-order mark).",
    rationale=(
        "Liferay 7.x loads every properties file as UTF-8 (ClassLoaderAggregateProperties overrides Commons "
        "Configuration's ISO-8859-1 default): bytes that are not valid UTF-8, typically a file saved as "
        "ISO-8859-1 or Windows-1252 with accented characters, become U+FFFD replacement characters in keys "
        "and values. Liferay 6.x reads the files as ISO-8859-1, so UTF-8 text (é written as two bytes) arrives "
        "as mojibake ('Ã©'). A UTF-8 byte-order mark is not stripped by the loader: it sticks to the first "
        "key (or turns a first comment line into a key), so that setting is lost. Only lines that belong to a "
        "property are reported; comments do not matter."
    ),
    fix="Save the file as UTF-8 without BOM on 7.x; on 6.x write non-ASCII characters as \\uXXXX escapes.",
    # facts: liferay-ha-facts.md §1.2, §1.5; read in: amosfong/liferay-portal-basics
    sources=(
        (
            "Liferay 7.4 source, ClassLoaderAggregateProperties.java (7.4 reads properties files as UTF-8): https://"
            "github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/com/liferay/portal/configuration/"
            "ClassLoaderAggregateProperties.java"
        ),
        (
            "Apache Commons Configuration 1.10, PropertiesConfiguration (default encoding ISO-8859-1): https://"
            "commons.apache.org/proper/commons-configuration/javadocs/v1.10/apidocs/org/apache/commons/configuration/"
            "PropertiesConfiguration.html"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    six = ctx.version.startswith("6.")
    for source in node.properties:
        if source.role == "builtin":
            continue
        file = source.file
        entries = [e for e in file.entries if e.origin.kind is OriginKind.FILE]
        first = entries[0] if entries else None
        bom_key = first is not None and first.key.startswith(("\ufeff", _LATIN1_BOM))
        if file.has_bom or bom_key:
            what = (
                f"so the first key is read as {first.key!r} and that setting is lost"
                if first is not None and first.origin.line == 1 and bom_key
                else "so the first line is not what Liferay reads"
            )
            yield Finding(
                f"{file.path.rsplit('/', 1)[-1]} starts with a UTF-8 byte-order mark, which Liferay's loader "
                f"does not strip, {what}",
                _line_label(node, file.path, 1, "byte-order mark"),
                help="save the file as UTF-8 without BOM",
                subject=f"{file.path.rsplit('/', 1)[-1]}:bom",
            )
        property_lines: dict[int, str] = {}
        for entry in entries:
            start = entry.origin.line or 0
            end = entry.origin.end_line or start
            for line in range(start, end + 1):
                property_lines.setdefault(line, entry.key)
        name = file.path.rsplit("/", 1)[-1]
        if not six:
            bad = [line for line in file.decode_error_lines if line in property_lines]
            for line in bad[:_MAX_LINES]:
                key = property_lines[line]
                yield Finding(
                    f"line {line} of {name} ({key}) holds bytes that are not valid UTF-8; Liferay "
                    f"{ctx.version} reads properties files as UTF-8 and turns them into U+FFFD, so the value "
                    "is garbled (the file was probably saved as ISO-8859-1 or Windows-1252)",
                    _line_label(node, file.path, line, "invalid UTF-8"),
                    help="save the file as UTF-8 (or write the characters as \\uXXXX escapes)",
                    subject=f"{name}:{key}",
                )
            if len(bad) > _MAX_LINES:
                yield Finding(
                    f"{len(bad) - _MAX_LINES} more lines of {name} hold bytes that are not valid UTF-8",
                    _line_label(node, file.path, bad[_MAX_LINES], "invalid UTF-8"),
                    help="save the file as UTF-8",
                    subject=f"{name}:more-invalid-utf8",
                )
            continue
        reported = 0
        for entry in entries:
            if entry is first and bom_key:
                text = entry.key[len(_LATIN1_BOM) :] + "=" + entry.value
            else:
                text = entry.key + "=" + entry.value
            match = _MOJIBAKE.search(text)
            if match is None:
                continue
            reported += 1
            if reported > _MAX_LINES:
                continue
            seen = match.group(0)
            yield Finding(
                f"{entry.key} in {name} holds UTF-8 text ({_intended(seen)!r}); Liferay {ctx.version} reads "
                f"properties files as ISO-8859-1 and sees {seen!r} instead",
                _line_label(node, file.path, entry.origin.line or 1, "UTF-8 read as ISO-8859-1"),
                help=f"write the character as \\u{ord(_intended(seen)[0]):04x} (or save the file as ISO-8859-1)",
                subject=f"{name}:{entry.key}",
            )
