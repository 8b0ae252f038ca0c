"""Releases inside the 7.4 family: DXP updates (``7.4.13-u112``), Portal CE GA builds
(``7.4.3.112-ga112``) and the quarterly releases (``2025.q1.12-lts``, ``2026.q1``), with what
changed between them for a cluster.

Liferay documents every quarterly release as a new major version ("Liferay DXP Product Delivery
Method"); the HA-relevant gates, each with the release that first has it:

* the Elasticsearch 8 connector (``elasticsearch8`` PIDs) replaces Elasticsearch 7 from 2026.Q1
  (learn.liferay.com "Connecting to Elasticsearch": "for Liferay DXP 2026.Q1+ ... elasticsearch8
  ... for Liferay 7.3-2025.Q4 ... elasticsearch7");
* the OpenSearch 2 connector exists from 2025.Q1 (learn.liferay.com "Installing OpenSearch");
* JGroups 5.5 and the ``jgroups/secure/sym_encrypt/`` default stacks replace JGroups 4.1.7: master
  switched between June and August 2026, so the first such release is 2026.Q3 or 2026.Q4 (not
  settled: ``JGROUPS5_UNSETTLED`` holds the releases where it is unknown, and no rule may raise an
  error on them). Nodes on JGroups 4 and 5 never see each other (JGroups ``TP.versionMatch``).

GA/U updates of 7.4 predate every quarterly release for these gates (Elasticsearch 7, JGroups 4,
no OpenSearch connector).
"""

from __future__ import annotations

import re
from typing import NamedTuple

_QUARTERLY = re.compile(
    r"^(?P<year>20\d\d)[.\-_ ]?q(?P<quarter>[1-4])(?:\.(?P<patch>\d+))?(?P<rest>.*)$", re.IGNORECASE
)
_UPDATE = re.compile(r"^7\.4(?:\.\d+)?[.\-_ ]?u(?P<n>\d+)\b", re.IGNORECASE)
_GA = re.compile(r"^7\.4(?:\.\d+){0,2}[.\-_ ]?ga(?P<n>\d+)\b", re.IGNORECASE)
_CE_NUMBER = re.compile(r"^7\.4\.3\.(?P<n>\d+)\b")


class Release(NamedTuple):
    """One release of the 7.4 family, ordered: updates (year 0) before quarterly releases, which
    order by year, quarter and patch (-1: the patch is not known)."""

    year: int
    quarter: int
    patch: int
    lts: bool
    slim: bool
    text: str  # as written

    @property
    def quarterly(self) -> bool:
        return self.year > 0

    @property
    def name(self) -> str:
        """How Liferay names it: ``2025.Q1 LTS``, ``7.4 U112``, ``7.4 GA112``."""
        if self.quarterly:
            return f"{self.year}.Q{self.quarter}" + (" LTS" if self.lts else "")
        kind = "GA" if "ga" in self.text.lower() or self.text.startswith("7.4.3.") else "U"
        return f"7.4 {kind}{self.patch}"

    def at_least(self, year: int, quarter: int) -> bool:
        return self.quarterly and (self.year, self.quarter) >= (year, quarter)


def parse_release(text: str) -> Release | None:
    """A 7.4-family release from a version text or image tag, or None when the text names none
    (``7.4``, ``latest``, another family)."""
    t = text.strip()
    m = _QUARTERLY.match(t)
    if m is not None:
        rest = (m.group("rest") or "").lower()
        patch = int(m.group("patch")) if m.group("patch") is not None else -1
        return Release(int(m.group("year")), int(m.group("quarter")), patch, "lts" in rest, "slim" in rest, t)
    m = _UPDATE.match(t) or _GA.match(t) or _CE_NUMBER.match(t)
    if m is not None:
        return Release(0, 0, int(m.group("n")), False, "slim" in t.lower(), t)
    return None


ELASTICSEARCH8_FROM = (2026, 1)
OPENSEARCH_FROM = (2025, 1)
# JGroups 5 is certain from here on (INFERENCE from master's switch in mid 2026); 2026.Q3 is unsettled
JGROUPS5_FROM = (2026, 4)
JGROUPS5_UNSETTLED = ((2026, 3),)


def search_connector(release: Release | None) -> str | None:
    """The Elasticsearch connector a 7.4-family release bundles (``elasticsearch7`` or
    ``elasticsearch8``), None when the release is not known."""
    if release is None:
        return None
    return "elasticsearch8" if release.at_least(*ELASTICSEARCH8_FROM) else "elasticsearch7"


def jgroups_major(release: Release | None) -> int | None:
    """The JGroups major version a release bundles: 4 or 5, None when not known or not settled."""
    if release is None:
        return None
    if release.quarterly and (release.year, release.quarter) in JGROUPS5_UNSETTLED:
        return None
    return 5 if release.at_least(*JGROUPS5_FROM) else 4


def boundary(a: Release, b: Release) -> str | None:
    """What two releases cannot share in one cluster, when they are on both sides of a gate."""
    if search_connector(a) != search_connector(b):
        return (
            f"{a.name} and {b.name} bundle different search connectors ({search_connector(a)} and "
            f"{search_connector(b)}: the 2026.Q1 switch)"
        )
    ja, jb = jgroups_major(a), jgroups_major(b)
    if ja is not None and jb is not None and ja != jb:
        return f"{a.name} and {b.name} bundle JGroups {ja} and {jb}, whose nodes never see each other"
    return None
