"""Secret detection and masking, applied once where values are rendered (ARCHITECTURE §8).

A value is secret when its key (property, OSGi key, env var, XML attribute, JVM flag) names a
password, secret, credential, access key, auth value, keystore, private key or token, or when it
is a JDBC URL carrying a password parameter. Masked values never reveal length or content.
"""

from __future__ import annotations

import re

MASK = "********"
_SECRET_KEY = re.compile(
    r"(pass(word|wd|phrase)?|secret|credential|access[._-]?key|auth[._-]?value|keystore|private[._-]?key"
    r"|token|api[._-]?key|_PASSWORD|_SECRET)",
    re.IGNORECASE,
)
# password=..., user:pass@ in URLs
_URL_PASSWORD = re.compile(r"(?i)((?:password|passwd|pwd)=)([^&;,\s]*)")
_URL_USERINFO = re.compile(r"(//[^/@:\s]+:)([^@/\s]+)(@)")


def is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key))


def mask_value(key: str, value: str) -> str:
    """The value as it may be shown for this key."""
    if is_secret_key(key):
        return MASK if value else value
    return mask_inline(value)


def mask_inline(text: str) -> str:
    """Mask password parameters and URL credentials inside free text (JDBC URLs, flags)."""
    text = _URL_PASSWORD.sub(lambda m: m.group(1) + (MASK if m.group(2) else ""), text)
    return _URL_USERINFO.sub(lambda m: m.group(1) + MASK + m.group(3), text)


_PROPERTY_LINE = re.compile(r"^(\s*)([^=:\s#!][^=]*?)(\s*[=:]\s*)(.*)$")
_XML_ATTRIBUTE = re.compile(r"""([\w.:-]+)(\s*=\s*)(["'])(.*?)(\3)""")
_FLAG = re.compile(r"(-D[\w.\[\]\"-]+=)(\S+)")
_ENV_LINE = re.compile(r"^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(=)(.*)$")


def mask_line(line: str) -> str:
    """Mask secret values in one source line of any supported format (for snippets)."""
    m = _ENV_LINE.match(line)
    if m and is_secret_key(m.group(2)):
        return m.group(1) + m.group(2) + m.group(3) + (MASK if m.group(4) else "")
    m = _PROPERTY_LINE.match(line)
    if m and not line.lstrip().startswith("<") and is_secret_key(m.group(2)):
        return m.group(1) + m.group(2) + m.group(3) + (MASK if m.group(4) else "")
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
    line = _FLAG.sub(lambda f: f.group(1) + (MASK if is_secret_key(f.group(1)) else f.group(2)), line)
    return mask_inline(line)
