"""Decoding of ``LIFERAY_*`` environment variables into portal property keys.

Exactly ``EnvPropertiesUtil.decode`` and ``loadEnvOverrides`` of liferay-portal
(portal-kernel ``com/liferay/portal/kernel/util/EnvPropertiesUtil.java``, liferay/liferay-portal
@36254b5e; facts §1.3): the name after the prefix is lower-cased; text between a pair of
underscores is looked up, upper-cased, among the ``char`` constants of petra's ``CharPool``
with their underscores removed; failing that it is read as a decimal code point; failing
that it is kept literally, underscores included. ``include-and-override`` is ignored.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

PREFIX = "LIFERAY_"

# petra-string CharPool char constants (names without underscores -> char).
CHAR_POOL: dict[str, str] = {
    "AMPERSAND": "&",
    "APOSTROPHE": "'",
    "ARABICDECIMALSEPARATOR": "\u066b",
    "AT": "@",
    "BACKSLASH": "\\",
    "CARET": "^",
    "CLOSEBRACKET": "]",
    "CLOSECURLYBRACE": "}",
    "CLOSEPARENTHESIS": ")",
    "COLON": ":",
    "COMMA": ",",
    "DASH": "-",
    "DELETE": "\u007f",
    "DOLLAR": "$",
    "EQUAL": "=",
    "EXCLAMATION": "!",
    "FIGURESPACE": "\u2007",
    "FORWARDSLASH": "/",
    "GREATERTHAN": ">",
    "LESSTHAN": "<",
    "MINUS": "-",
    "NARROWNOBREAKSPACE": "\u202f",
    "NEWLINE": "\n",
    "NOBREAKSPACE": "\u00a0",
    "OPENBRACKET": "[",
    "OPENCURLYBRACE": "{",
    "OPENPARENTHESIS": "(",
    "PERCENT": "%",
    "PERIOD": ".",
    "PIPE": "|",
    "PLUS": "+",
    "POUND": "#",
    "PRIME": "`",
    "QUESTION": "?",
    "QUOTE": '"',
    "RAQUO": "\u00bb",
    "RETURN": "\r",
    "SEMICOLON": ";",
    "SLASH": "/",
    "SPACE": " ",
    "STAR": "*",
    "TAB": "\t",
    "TILDE": "~",
    "UNDERLINE": "_",
}
CHAR_POOL.update({f"LOWERCASE{c}": c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
CHAR_POOL.update({f"UPPERCASE{c}": c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
CHAR_POOL.update({f"NUMBER{d}": d for d in "0123456789"})


def _parse_int(value: str) -> int:
    """``GetterUtil.get(String, -1)``: trimmed decimal with optional sign, else -1."""
    v = value.strip()
    body = v[1:] if v[:1] in "+-" else v
    if not body or not body.isascii() or not body.isdigit():
        return -1
    n = int(body)
    n = -n if v[0] == "-" else n
    return n if -(2**31) <= n < 2**31 else -1


def _is_defined(code_point: int) -> bool:
    """``Character.isDefined``: an assigned Unicode code point."""
    if not 0 <= code_point <= 0x10FFFF:
        return False
    return unicodedata.category(chr(code_point)) != "Cn"


class Decoded(NamedTuple):
    key: str
    literal_tokens: tuple[str, ...]  # tokens kept literally because nothing decoded them


def decode(s: str) -> Decoded:
    """``EnvPropertiesUtil.decode`` on an already lower-cased name."""
    out: list[str] = []
    literal: list[str] = []
    open_underline = -1
    position = 0
    index = s.find("_")
    while index != -1:
        if open_underline == -1:
            out.append(s[position:index])
            open_underline = index
            position = index
        else:
            encoded = s[open_underline + 1 : index]
            char = CHAR_POOL.get(encoded.upper())
            if char is None:
                value = _parse_int(encoded)
                if _is_defined(value):
                    out.append(chr(value))
                else:
                    literal.append(encoded)
                    out.append(s[open_underline : index + 1])
            else:
                out.append(char)
            open_underline = -1
            position = index + 1
        index = s.find("_", index + 1)
    out.append(s[position:])
    return Decoded("".join(out), tuple(literal))


# Not single portal properties: LIFERAY_PROPS (a properties text for every company) and
# LIFERAY_PROPS_BY_COMPANY_<id> are read separately, and the container's own LIFERAY_CONTAINER_* /
# LIFERAY_DOCKER_* variables are never loaded (EnvPropertiesUtil callers and EnvPropertiesUtilTest,
# liferay/liferay-portal).
EXCLUDED_PREFIXES = ("LIFERAY_PROPS", "LIFERAY_CONTAINER_", "LIFERAY_DOCKER_")


def property_key(env_name: str) -> Decoded | None:
    """The portal property a ``LIFERAY_*`` variable sets, or None when it sets none.

    ``None`` for names without the prefix, for ``include-and-override``, which
    ``loadEnvOverrides`` skips, and for the prefixes Liferay excludes from decoding.
    """
    if not env_name.startswith(PREFIX) or env_name.startswith(EXCLUDED_PREFIXES):
        return None
    decoded = decode(env_name[len(PREFIX) :].lower())
    if decoded.key == "include-and-override":
        return None
    return decoded


# Not decoded as one portal property: the properties-text variables LIFERAY_PROPS and
# LIFERAY_PROPS_BY_COMPANY_<id> (EnvPropertiesUtil) and the Docker image's own variables.
NOT_PROPERTY_PREFIXES = ("LIFERAY_PROPS", "LIFERAY_CONTAINER_", "LIFERAY_DOCKER_")

# Secrets the official image reads from a file at start-up and exports under the variable named
# here, which Liferay then decodes (liferay/liferay-docker templates/bundle/resources/usr/local/
# bin/configure_liferay.sh: only these two _FILE variables are read).
FILE_VARIABLES = {
    "LIFERAY_JDBC_PERIOD_DEFAULT_PERIOD_PASSWORD_FILE": "LIFERAY_JDBC_PERIOD_DEFAULT_PERIOD_PASSWORD",
    "LIFERAY_JDBC_PERIOD_DEFAULT_PERIOD_USERNAME_FILE": "LIFERAY_JDBC_PERIOD_DEFAULT_PERIOD_USERNAME",
}

# Variables of the official Docker images that configure the container, not portal properties
# (learn.liferay.com "Configuring Containers"; the image's own scripts, liferay/liferay-docker
# templates/bundle: liferay_entrypoint.sh, configure_liferay.sh, Dockerfile). LIFERAY_CONTAINER_*
# and LIFERAY_DOCKER_* are excluded by prefix (NOT_PROPERTY_PREFIXES).
IMAGE_VARIABLES = frozenset(
    {
        *FILE_VARIABLES,
        "LIFERAY_TOMCAT_JVM_ROUTE",
        "LIFERAY_NETWORK_HOST_ADDRESSES",
        "LIFERAY_OPENSEARCH_ENABLED",
        "LIFERAY_OPENSEARCH_PASSWORD",
        "LIFERAY_SLIM",
        "LIFERAY_RELEASE_VERSION",
        "LIFERAY_PID",
        "LIFERAY_MOUNT_DIR",
        "LIFERAY_JVM_OPTS",
        "LIFERAY_JPDA_ENABLED",
        "LIFERAY_DISABLE_TRIAL_LICENSE",  # renamed, see RENAMED_IMAGE_VARIABLES
        "LIFERAY_CONTAINER_DISABLE_TRIAL_LICENSE",
        "LIFERAY_CONTAINER_STRUCTURED_LOGGING_ENABLED",
        "LIFERAY_HOME",
        "LIFERAY_PRODUCT_NAME",
        "LIFERAY_DOCKER_LOGGING",
        "LIFERAY_CONTAINER_KILL_ON_FAILURE",
        "LIFERAY_CONTAINER_STARTUP_LOCK_ENABLED",
        "LIFERAY_CONTAINER_STARTUP_LOCK_FILE",
        "LIFERAY_CONTAINER_STATUS_ENABLED",
        "LIFERAY_CONTAINER_STATUS_REQUEST_URL",
        "LIFERAY_CONTAINER_STATUS_REQUEST_TIMEOUT",
        "LIFERAY_CONTAINER_STATUS_ACTIVE_ONLY_ON_STARTUP",
        "LIFERAY_DOCKER_TEST_MODE",
        "LIFERAY_TOMCAT_ACCESS_LOG_ENABLED",
        "LIFERAY_TOMCAT_AJP_PORT",
        "LIFERAY_THREAD_DUMPS_DIRECTORY",
        "LIFERAY_THREAD_DUMP_PROBE_ENABLED",
        "LIFERAY_UPGRADE_ENABLED",
        "LIFERAY_PATCHING_DIR",
    }
)

# Image variables the official images renamed: old name -> (new name, when images stopped reading
# the old one). LIFERAY_DISABLE_TRIAL_LICENSE became LIFERAY_CONTAINER_DISABLE_TRIAL_LICENSE in
# liferay/liferay-docker commit 85fd2b6d (LPD-97137, 2026-07-10: configure_liferay.sh, Dockerfile);
# images built after it ignore the old name (liferay-releases-2024-2026.md §5).
RENAMED_IMAGE_VARIABLES = {
    "LIFERAY_DISABLE_TRIAL_LICENSE": ("LIFERAY_CONTAINER_DISABLE_TRIAL_LICENSE", "2026-07-10"),
}
