"""Telling a node's Liferay version family from the evidence in its files.

Each clue narrows the set of possible families; the result is the newest family left, with
every clue reported so a user can see why. Clues (facts §1.4, §2.2, §4.1, §5.2, §6.1):

* Elasticsearch connector PIDs: ``elasticsearch`` (7.0), ``elasticsearch6`` (7.1-7.2),
  ``elasticsearch7`` (7.2-7.4); any ``com.liferay.*`` OSGi ``.config`` means 7.x;
* ``dl.hook.impl`` only exists in 6.0; store classes ``com.liferay.documentlibrary.util.*``
  (6.0), ``com.liferay.portlet.documentlibrary.store.*`` (6.1-6.2), ``com.liferay.portal.store.*``
  (7.x);
* ``ehcache.cluster.link.replication.enabled``, ``lucene.replicate.write`` and
  ``net.sf.ehcache.configurationResourceName`` are 6.x keys; ``cluster.link.channel.logic.name.*``
  and the ``jgroups/secure/`` stacks are 7.4; ``setup.wizard.enabled`` exists from 6.1;
* ``LIFERAY_*`` portal-property environment variables are a 7.x feature.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from linter.liferay.versions import FAMILIES, family_key

ALL = frozenset(FAMILIES)
SIX = frozenset(f for f in FAMILIES if f.startswith("6."))
SEVEN = frozenset(f for f in FAMILIES if f.startswith("7."))


def _range(low: str, high: str) -> frozenset[str]:
    return frozenset(f for f in FAMILIES if family_key(low) <= family_key(f) <= family_key(high))


class Clue(NamedTuple):
    families: frozenset[str]
    reason: str  # e.g. "osgi/configs/...elasticsearch7...config: Elasticsearch 7 connector"


_PID_CLUES = (
    ("com.liferay.portal.search.elasticsearch7.", _range("7.2", "7.4"), "Elasticsearch 7 connector PID"),
    ("com.liferay.portal.search.elasticsearch6.", _range("7.1", "7.2"), "Elasticsearch 6 connector PID"),
    ("com.liferay.portal.search.elasticsearch.", _range("7.0", "7.0"), "Elasticsearch 2.x connector PID (7.0)"),
)


def clues_from_pid(pid: str, where: str) -> list[Clue]:
    for prefix, families, reason in _PID_CLUES:
        if pid.startswith(prefix):
            return [Clue(families, f"{where}: {reason}")]
    if pid.startswith("com.liferay."):
        return [Clue(SEVEN, f"{where}: OSGi configuration file")]
    return []


_HOME_VERSION = re.compile(r"(?:liferay|dxp|portal)[^/\\]*?[-_](\d)\.(\d)(?:[.\-_]|$)", re.IGNORECASE)


def family_in_path(path: str) -> str | None:
    """The version family a bundle's folder name carries (``liferay-ce-portal-7.2.0-ga1`` -> 7.2)."""
    m = _HOME_VERSION.search(path)
    family = f"{m.group(1)}.{m.group(2)}" if m else None
    return family if family in FAMILIES else None


def clues_from_properties(values: dict[str, str], where: str) -> list[Clue]:
    out: list[Clue] = []
    home = values.get("liferay.home", "")
    family = family_in_path(home)
    if family is not None:
        out.append(Clue(_range(family, family), f"{where}: liferay.home {home} names Liferay {family}"))
    if "dl.hook.impl" in values:
        out.append(Clue(_range("6.0", "6.0"), f"{where}: dl.hook.impl (6.0 key)"))
    store = values.get("dl.store.impl", "")
    if store.startswith("com.liferay.portlet.documentlibrary.store."):
        out.append(Clue(_range("6.1", "6.2"), f"{where}: dl.store.impl {store.rsplit('.', 1)[-1]} (6.1-6.2 class)"))
    elif store.startswith("com.liferay.portal.store."):
        out.append(Clue(SEVEN, f"{where}: dl.store.impl in com.liferay.portal.store (7.x class)"))
    for key in (
        "ehcache.cluster.link.replication.enabled",
        "lucene.replicate.write",
        "net.sf.ehcache.configurationResourceName",
    ):
        if key in values:
            out.append(Clue(SIX, f"{where}: {key} (6.x key)"))
            break
    if any(k.startswith("cluster.link.channel.logic.name.") for k in values):
        out.append(Clue(_range("7.4", "7.4"), f"{where}: cluster.link.channel.logic.name.* (7.4 key)"))
    for key, value in values.items():
        if key.startswith("cluster.link.channel.properties.") and "jgroups/secure/" in value:
            out.append(Clue(_range("7.4", "7.4"), f"{where}: {key} names a jgroups/secure/ stack (7.4)"))
            break
    if "setup.wizard.enabled" in values:
        out.append(Clue(_range("6.1", "7.4"), f"{where}: setup.wizard.enabled (6.1+)"))
    if any(k.startswith("jdbc.default.") and k.endswith(("maximumPoolSize", "minimumIdle")) for k in values):
        out.append(Clue(SEVEN, f"{where}: HikariCP pool keys (7.x)"))
    return out


_JGROUPS3_PROTOCOLS = ("MERGE2", "UNICAST", "UNICAST2", "FD_SIMPLE")
_JGROUPS3_ATTRIBUTES = ("singleton_name", "timer_type", "enable_bundling", "max_bundle_timeout")


def clues_from_stack(protocols: Iterable[str], attributes: set[str], where: str) -> list[Clue]:
    """A JGroups stack written for JGroups 2.x/3.x (MERGE2, UNICAST2, singleton_name ...) points to
    Liferay 6.x-7.1: Liferay 7.2 SP1 / GA2 moved to JGroups 4.1.1, which rejects them (facts B.3,
    liferay-learn 'Configuring Unicast over TCP'). Weak evidence: a stale file is also a mistake."""
    names = set(protocols)
    marker = next((p for p in _JGROUPS3_PROTOCOLS if p in names), None) or next(
        (a for a in _JGROUPS3_ATTRIBUTES if a in attributes), None
    )
    if marker is None:
        return []
    return [Clue(_range("6.0", "7.1"), f"{where}: {marker} (JGroups 3.x and older, Liferay up to 7.1)")]


def clue_from_env(where: str) -> Clue:
    return Clue(SEVEN, f"{where}: LIFERAY_* portal-property environment variables (7.x)")


class Detection(NamedTuple):
    family: str | None
    evidence: tuple[str, ...]
    conflicts: tuple[str, ...] = ()


def decide(clues: Iterable[Clue]) -> Detection:
    """Intersect the clues; a clue that contradicts the others is reported, not applied."""
    candidates = ALL
    used: list[str] = []
    conflicts: list[str] = []
    for clue in clues:
        narrowed = candidates & clue.families
        if narrowed:
            candidates = narrowed
            used.append(clue.reason)
        else:
            conflicts.append(clue.reason)
    if not used:
        return Detection(None, (), tuple(conflicts))
    return Detection(max(candidates, key=family_key), tuple(dict.fromkeys(used)), tuple(conflicts))
