"""Liferay version families and how a node's version is told from evidence.

Families: 6.0, 6.1, 6.2, 7.0, 7.1, 7.2, 7.3, 7.4 (7.4 includes DXP 7.4 updates and the
2023.Q1+ quarterly releases, which share the master code line; facts §0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FAMILIES = ("6.0", "6.1", "6.2", "7.0", "7.1", "7.2", "7.3", "7.4")

_QUARTERLY = re.compile(r"^(20\d\d)\.q[1-4]", re.IGNORECASE)
_NUMERIC = re.compile(r"^\s*(?:dxp|portal|ce|ee)?\s*[-_ ]?(\d+)\.(\d+)")


def parse_version(text: str) -> str | None:
    """Map a version string (``7.4``, ``7.4.3.112-ga112``, ``2024.q1.2``, ``6.2 EE SP14``,
    ``6.2.5``) to its family, or None when it names no known family."""
    t = text.strip().lower()
    if _QUARTERLY.match(t):
        return "7.4"
    m = _NUMERIC.match(t)
    if not m:
        return None
    family = f"{int(m.group(1))}.{int(m.group(2))}"
    return family if family in FAMILIES else None


def family_key(family: str) -> tuple[int, int]:
    major, minor = family.split(".")
    return int(major), int(minor)


def is_6x(family: str | None) -> bool:
    return family is not None and family.startswith("6.")


@dataclass(frozen=True, slots=True)
class VersionRange:
    """An inclusive range of families, e.g. ``>=7.0``, ``6.1-6.2``, ``7.4``, ``all``."""

    low: str = "6.0"
    high: str = "7.4"

    @classmethod
    def parse(cls, spec: str) -> VersionRange:
        s = spec.strip().lower().replace(" ", "")
        if s in ("", "all", "*"):
            return cls()
        if s.startswith(">="):
            return cls(low=_family(s[2:]))
        if s.startswith("<="):
            return cls(high=_family(s[2:]))
        if s.endswith("+"):
            return cls(low=_family(s[:-1]))
        if s.endswith(".x") and s[:-2].isdigit():
            fams = [f for f in FAMILIES if f.startswith(s[:-1])]
            return cls(low=fams[0], high=fams[-1])
        if "-" in s:
            a, b = s.split("-", 1)
            return cls(low=_family(a), high=_family(b))
        f = _family(s)
        return cls(low=f, high=f)

    def __contains__(self, family: object) -> bool:
        if not isinstance(family, str) or family not in FAMILIES:
            return False
        return family_key(self.low) <= family_key(family) <= family_key(self.high)

    def __str__(self) -> str:
        if (self.low, self.high) == ("6.0", "7.4"):
            return "all"
        if self.low == self.high:
            return self.low
        if self.high == "7.4":
            return f">={self.low}"
        return f"{self.low}-{self.high}"


def _family(text: str) -> str:
    f = parse_version(text)
    if f is None:
        raise ValueError(f"unknown Liferay version {text!r} (expected one of {', '.join(FAMILIES)})")
    return f
