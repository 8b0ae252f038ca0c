"""Secret detection and masking: the report is masked once, before any reporter sees it.

A value is secret when its key (property, OSGi key, env var, XML attribute, JVM flag) matches one
of the secret-key patterns, or when it is a password parameter or user information inside a URL.
Masked values never reveal length or content.

The patterns are data: :data:`DEFAULT_SECRET_KEYS` (passwords, secrets, credentials, access keys,
auth values, keystores, private keys, tokens, API keys), extended, never replaced, by the
``secret-keys`` list of the configuration. The CLI installs the configured extension once per run
with :func:`set_extra_secret_keys` and resets it with :func:`reset_secret_keys` when the run ends;
every masking path (the report, once, by :func:`mask_report` at the end of the engine; rules
through ``is_secret_key``; ``show``; ``explain``) reads the one active set.

Pattern syntax (the same for the defaults and the configuration):

- a *fragment*, found anywhere in the key, case-insensitively; ``.``, ``_`` and ``-`` each match
  any one of ``.``, ``_``, ``-`` or nothing (``private.key`` matches ``privateKey``,
  ``private_key``, ``PRIVATE-KEY``); ``*`` matches any run of characters, ``?`` one character;
- ``re:`` followed by a Python regular expression, searched in the key case-insensitively
  (anchor it with ``^``/``$`` to match whole keys).

A ``LIFERAY_*`` environment variable is also tested under the portal property it sets
(``LIFERAY_ACME_PERIOD_TOKEN`` as ``acme.token``) and a JVM flag ``-Dname`` as ``name``, so one
pattern covers every spelling of a key.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence

from linter.diagnostics import Diagnostic, Label, Report
from linter.liferay.env import property_key

MASK = "********"
REGEX_PREFIX = "re:"

DEFAULT_SECRET_KEYS: tuple[str, ...] = (
    "pass",  # password, passwd, passphrase, *_PASSWORD
    "secret",
    "credential",
    "access.key",
    "auth.value",
    "keystore",
    "private.key",
    "token",
    "api.key",
    "aes256.key",  # GCSStoreConfiguration aes256Key: the customer-supplied encryption key
    "account.key",  # GCSStoreConfiguration serviceAccountKey; AccountKey= in Azure connection strings
    "connection.string",  # AzureStoreConfiguration connectionString (holds the account key)
)

_SEPARATORS = "._-"


def _fragment_regex(fragment: str) -> str:
    out: list[str] = []
    for c in fragment:
        if c in _SEPARATORS:
            out.append("[._-]?")
        elif c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        else:
            out.append(re.escape(c))
    return "".join(out)


class SecretKeys:
    """A compiled set of secret-key patterns; :meth:`matches` tells whether a key is secret."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns: tuple[str, ...] = tuple(patterns)
        fragments: list[str] = []
        regexes: list[re.Pattern[str]] = []
        for pattern in self.patterns:
            problem = pattern_error(pattern)
            if problem is not None:
                raise ValueError(problem)
            if pattern.startswith(REGEX_PREFIX):
                regexes.append(re.compile(pattern[len(REGEX_PREFIX) :], re.IGNORECASE))
            else:
                fragments.append(_fragment_regex(pattern))
        self._fragments = re.compile("|".join(fragments), re.IGNORECASE) if fragments else None
        self._regexes = tuple(regexes)

    def _match(self, key: str) -> bool:
        if self._fragments is not None and self._fragments.search(key):
            return True
        return any(r.search(key) for r in self._regexes)

    def matches(self, key: str) -> bool:
        if self._match(key):
            return True
        if key.startswith("-D"):  # a JVM system property, as a rule or a flag line names it
            return self._match(key[2:].removesuffix("="))
        decoded = property_key(key) if key.startswith("LIFERAY_") else None
        return decoded is not None and self._match(decoded.key)


def pattern_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable secret-key pattern, or None when it is."""
    if pattern.startswith(REGEX_PREFIX):
        body = pattern[len(REGEX_PREFIX) :]
        if not body:
            return f'"{pattern}": empty regular expression'
        try:
            compiled = re.compile(body, re.IGNORECASE)
        except re.error as exc:
            return f'"{pattern}": bad regular expression: {exc}'
        if compiled.search(""):
            return f'"{pattern}": matches the empty string, so every key would be secret'
        return None
    if not pattern.strip(_SEPARATORS + "*?"):
        return f'"{pattern}": a fragment needs at least one letter or digit'
    return None


_DEFAULT = SecretKeys(DEFAULT_SECRET_KEYS)
_active = _DEFAULT


def set_extra_secret_keys(patterns: Sequence[str]) -> None:
    """Make ``patterns`` secret as well as the defaults, until :func:`reset_secret_keys`.
    ValueError on a bad pattern (the configuration checks them first)."""
    global _active
    _active = SecretKeys((*DEFAULT_SECRET_KEYS, *patterns)) if patterns else _DEFAULT


def reset_secret_keys() -> None:
    """Back to the default patterns only."""
    global _active
    _active = _DEFAULT


def secret_key_patterns() -> tuple[str, ...]:
    """The patterns in force: the defaults, then the configured extension."""
    return _active.patterns


def is_secret_key(key: str) -> bool:
    return _active.matches(key)


def mask_value(key: str, value: str) -> str:
    """The value as it may be shown for this key."""
    if is_secret_key(key):
        return MASK if value else value
    return mask_inline(value)


# A value as written after ``name=``: SQL Server's {braced} form (``}}`` escapes a brace, ``;`` may
# appear inside), quoted (also with escaped quotes, as a flag inside a double-quoted shell string),
# or up to the next separator of URLs, JDBC properties and lists.
_VALUE = (
    r"\{(?:[^}]|\}\})*\}?"
    r"|\\\"(?:(?!\\\").)*(?:\\\")?"
    r"|'(?:[^'\\]|\\.)*'?"
    r'|"(?:[^"\\]|\\.)*"?'
    r"|[^&;,\s'\")\]}]*"
)
# name=value: query parameters (?token=, &apiKey=), JDBC properties (;password=, :password=), JVM
# flags (-Dname=) and a rule quoting key=value; masked when the name is a secret key (or pwd)
_NAME = re.compile(r"(?<![\w.\-\[\]])((?:-D)?[A-Za-z_][\w.\-\[\]]*)=")
_VALUE_AT = re.compile(_VALUE)
_SHORT_PASSWORD_NAMES = frozenset({"pwd", "pw"})
_PLAIN_WORDS = frozenset({"true", "false"})  # help text writes key=true; a rule quotes a value as 'x'
# scheme://user:password@host: the password runs to the last @ of the authority (an @ inside it)
_URL_USERINFO = re.compile(r"(//[^/@:\s'\"]*:)([^/\s'\"]*)(@)")
# Oracle thin: jdbc:oracle:thin:user/password@host:1521/svc (or @//host...)
_ORACLE_USERINFO = re.compile(r"(?i)(jdbc:oracle:\w+:[^/@:\s'\"]*/)([^\s'\"]*)(@)")


def _mask_pairs(text: str) -> str:
    out: list[str] = []
    at = 0
    for m in _NAME.finditer(text):
        name = m.group(1)
        if m.start() < at or not (name.lower() in _SHORT_PASSWORD_NAMES or is_secret_key(name)):
            continue  # inside a value masked already, or not a secret: its value is searched too
        value = _VALUE_AT.match(text, m.end())
        shown = value.group() if value else ""
        if not shown or shown in _PLAIN_WORDS:
            continue
        quote = shown[0] if shown[0] in "'\"" and len(shown) > 1 and shown[-1] == shown[0] else ""
        out += [text[at : m.end()], quote, MASK, quote]  # a quoted value stays quoted
        at = m.end() + len(shown)
    out.append(text[at:])
    return "".join(out)


def mask_inline(text: str) -> str:
    """Mask credentials inside free text: the value of every ``name=value`` whose name is a secret
    key (query parameters, JDBC properties such as SQL Server's ``password={...}`` and DB2's
    ``:password=...;``, JVM flags, a rule quoting a key and its value), and the password of URL
    user information (``//user:p@ss@host``, Oracle's ``user/password@``)."""
    if "=" in text:
        text = _mask_pairs(text)
    if "@" in text:
        text = _ORACLE_USERINFO.sub(lambda m: m.group(1) + MASK + m.group(3), text)
        text = _URL_USERINFO.sub(lambda m: m.group(1) + MASK + m.group(3), text)
    return text


_PROPERTY_LINE = re.compile(r"^(\s*)([^=:\s#!][^=]*?)(\s*[=:]\s*)(.*)$")
_XML_ATTRIBUTE = re.compile(r"""([\w.:-]+)(\s*=\s*)(["'])(.*?)(\3)""")
# -Dname=value, the value quoted or not, or the whole flag quoted ("-Dname=a b")
_FLAG = re.compile(r"(\\?[\"'])?(-D[\w.\[\]-]+=)")
_ENV_LINE = re.compile(r"^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(=)(.*)$")
_KEY_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|(.))")
_KEY_END = re.compile(r"(?<!\\)(?:\\\\)*[=:\s]")
_ESCAPED_CONTROL = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def _properties_key(line: str) -> tuple[str, int] | None:
    """The decoded key of a ``.properties`` line as ``java.util.Properties`` reads it (escapes such as
    ``p\\u0061ssword`` decoded; ``=``, ``:`` or whitespace ends it, so the 6.x ``key value`` form
    counts) and where its value starts; None for a blank or comment line."""
    body = line.lstrip(" \t\f")
    if not body or body[0] in "#!":
        return None
    start = len(line) - len(body)
    end = _KEY_END.search(body)
    raw = body if end is None else body[: end.end() - 1]
    at = start + len(raw)
    rest = line[at:]
    stripped = rest.lstrip(" \t\f")
    if stripped[:1] in ("=", ":"):
        stripped = stripped[1:].lstrip(" \t\f")
    key = _KEY_ESCAPE.sub(
        lambda m: chr(int(m.group(1), 16)) if m.group(1) else _ESCAPED_CONTROL.get(m.group(2), m.group(2)), raw
    )
    return key, len(line) - len(stripped)


def _mask_flags(line: str) -> str:
    out: list[str] = []
    at = 0
    for m in _FLAG.finditer(line):
        if m.start() < at:
            continue  # inside a value already masked
        quote, flag = m.group(1), m.group(2)
        value_start = m.end()
        if quote:  # "-Dname=a b": the value runs to the closing quote
            close = line.find(quote, value_start)
            value_end = len(line) if close < 0 else close
        else:
            value = re.match(_VALUE, line[value_start:])
            value_end = value_start + (len(value.group()) if value else 0)
        out.append(line[at:value_start])
        secret = is_secret_key(flag) and value_end > value_start
        out.append(MASK if secret else line[value_start:value_end])
        at = value_end
    out.append(line[at:])
    return "".join(out)


def mask_line(line: str) -> str:
    """Mask secret values in one source line of any supported format (for snippets)."""
    m = _ENV_LINE.match(line)
    if m and is_secret_key(m.group(2)):
        return m.group(1) + m.group(2) + m.group(3) + (MASK if m.group(4) else "")
    if not line.lstrip().startswith("<"):
        m = _PROPERTY_LINE.match(line)
        if m and is_secret_key(m.group(2)):
            return m.group(1) + m.group(2) + m.group(3) + (MASK if m.group(4) else "")
        found = _properties_key(line)
        if found is not None and is_secret_key(found[0]):
            return line[: found[1]] + (MASK if found[1] < len(line.rstrip()) else "")
    line = _XML_ATTRIBUTE.sub(
        lambda a: (
            a.group(1)
            + a.group(2)
            + a.group(3)
            + (MASK if is_secret_key(a.group(1)) and a.group(4) else a.group(4))
            + a.group(5)
        ),
        line,
    )
    return mask_inline(_mask_flags(line))


# ----------------------------------------------------------------------------- the report, once


def _carried(label: Label, line: str, masked: str) -> tuple[int, int]:
    """The label's span moved onto the masked line (the columns keep pointing into the real file).
    An end inside a masked value moves to the end of the mask, a start inside one to its start, so
    the underline never tells how long the secret was."""
    import difflib  # only for lines that masking changed

    start, end = label.span_in(line)
    new_start, new_end = start, end
    for op, a0, a1, b0, b1 in difflib.SequenceMatcher(None, line, masked, autojunk=False).get_opcodes():
        if op == "equal":
            if a0 <= start < a1 or (start == a1 == len(line)):
                new_start = b0 + (start - a0)
            if a0 < end <= a1:
                new_end = b0 + (end - a0)
        else:
            if a0 <= start < a1:
                new_start = b0
            if a0 < end <= a1:
                new_end = b1
    new_start = min(new_start, len(masked))
    return new_start, max(min(new_end, len(masked)), new_start)


def _mask_label(label: Label) -> Label:
    line = label.snippet.rstrip("\r\n") if label.snippet is not None else None
    masked = mask_line(line) if line is not None else None
    return dataclasses.replace(
        label,
        text=mask_inline(label.text),
        origin=mask_inline(label.origin) if label.origin is not None else None,
        snippet=masked,
        span=_carried(label, line, masked) if line is not None and masked is not None and masked != line else None,
    )


def mask_diagnostic(d: Diagnostic) -> Diagnostic:
    """Every text of a finding as it may be shown: message, help, each label's text, origin and
    source line."""
    return dataclasses.replace(
        d,
        message=mask_inline(d.message),
        help=mask_inline(d.help) if d.help is not None else None,
        primary=_mask_label(d.primary),
        related=tuple(_mask_label(r) for r in d.related),
    )


def mask_report(report: Report) -> Report:
    """The report as every reporter receives it: findings and notes masked (the engine's last step;
    reporters mask nothing again)."""
    return report._replace(
        diagnostics=tuple(mask_diagnostic(d) for d in report.diagnostics),
        notes=tuple(mask_inline(n) for n in report.notes),
    )
