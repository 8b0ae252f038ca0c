"""Value semantics of Liferay's ``GetterUtil``.

Source: portal-kernel ``com.liferay.portal.kernel.util.GetterUtil`` (liferay-ha-facts §7.4):
``getBoolean`` trims the value and compares it case-insensitively with
``BOOLEANS = {"true", "t", "y", "on", "1"}``; anything else, ``yes`` included, is false.
"""

from __future__ import annotations

BOOLEANS = frozenset({"true", "t", "y", "on", "1"})
_RECOGNISED_FALSE = frozenset({"false", "f", "n", "off", "0"})


def get_boolean(value: str | None, default: bool = False) -> bool:
    """``GetterUtil.getBoolean(value, default)``: null gives the default."""
    if value is None:
        return default
    return value.strip().lower() in BOOLEANS


def is_recognised_boolean(value: str) -> bool:
    """True when the value is a boolean a human would also read the way Liferay does."""
    v = value.strip().lower()
    return v in BOOLEANS or v in _RECOGNISED_FALSE
