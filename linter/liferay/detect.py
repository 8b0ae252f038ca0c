"""Telling a node's Liferay version family from the evidence in its files.

Each clue narrows the set of possible families; the result is the newest family left, with
every clue reported so a user can see why. Clues weigh differently: what the image or the bundle
is (an image tag, a Dockerfile's base image, the bundle's folder name) outweighs what only Liferay
7 can read (OSGi ``.config`` files, ``LIFERAY_*`` variables), which outweighs a single property
key or a JGroups stack (a stale key left in a file is a mistake to report, not a vote). Clues
(facts §1.4, §2.2, §4.1, §5.2, §6.1):

* image tags of the official images (``liferay/portal:7.4.3.112-ga112``, ``liferay/dxp:2025.q1.0-lts``)
  and of other images whose repository names Liferay (``...:7.1.10-dxp-28``, ``...:CE-6.2.5``,
  ``...:7-ce-ga5`` for Liferay Portal 7.0 CE GA5, a repository ``liferay7``);

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
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Generic, NamedTuple, TypeVar

from linter.liferay.releases import parse_release
from linter.liferay.versions import FAMILIES, family_key
from linter.origin import Origin

K = TypeVar("K", bound=Hashable)
ALL = frozenset(FAMILIES)
SIX = frozenset(f for f in FAMILIES if f.startswith("6."))
SEVEN = frozenset(f for f in FAMILIES if f.startswith("7."))


def _range(low: str, high: str) -> frozenset[str]:
    return frozenset(f for f in FAMILIES if family_key(low) <= family_key(f) <= family_key(high))


class Weight(IntEnum):
    """How much a clue counts: heavier clues are applied first, and a lighter clue that contradicts
    them is reported as a contradiction instead of changing the version."""

    KEY = 1  # a property key or value, a JGroups stack: files can be stale
    STRUCTURE = 2  # OSGi .config files, LIFERAY_* variables: only Liferay 7 reads them
    BUNDLE = 3  # the image tag, the Dockerfile's base image, the bundle's folder name
    DECLARED = 4  # the user says so (a manifest's liferay-version for the node)


class Clue(NamedTuple):
    families: frozenset[str]
    reason: str  # e.g. "osgi/configs/...elasticsearch7...config: Elasticsearch 7 connector"
    weight: Weight = Weight.KEY
    origin: Origin | None = None  # where the evidence is, when it is one place in a file
    release: str | None = None  # the 7.4-family release it names (an image tag, a folder name)


_PID_CLUES = (
    # the Elasticsearch 8 connector is bundled from 2026.Q1 (learn.liferay.com "Connecting to Elasticsearch"):
    # a 7.4 family clue; the exact release still comes from an image tag, a folder or --liferay-version
    (
        "com.liferay.portal.search.elasticsearch8.",
        _range("7.4", "7.4"),
        "Elasticsearch 8 connector PID (Liferay 2026.Q1 or later)",
    ),
    ("com.liferay.portal.search.opensearch2.", _range("7.4", "7.4"), "OpenSearch 2 connector PID (2025.Q1 or later)"),
    ("com.liferay.portal.search.elasticsearch7.", _range("7.2", "7.4"), "Elasticsearch 7 connector PID"),
    ("com.liferay.portal.search.elasticsearch6.", _range("7.1", "7.2"), "Elasticsearch 6 connector PID"),
    ("com.liferay.portal.search.elasticsearch.", _range("7.0", "7.0"), "Elasticsearch 2.x connector PID (7.0)"),
)


def clues_from_pid(pid: str, where: str) -> list[Clue]:
    for prefix, families, reason in _PID_CLUES:
        if pid.startswith(prefix):
            return [Clue(families, f"{where}: {reason}", Weight.STRUCTURE, Origin(where))]
    if pid.startswith("com.liferay."):
        return [Clue(SEVEN, f"{where}: OSGi configuration file", Weight.STRUCTURE, Origin(where))]
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
        out.append(Clue(_range(family, family), f"{where}: liferay.home {home} names Liferay {family}", Weight.BUNDLE))
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
    return Clue(SEVEN, f"{where}: LIFERAY_* portal-property environment variables (7.x)", Weight.STRUCTURE)


_QUARTERLY_FOLDER = re.compile(r"(?:liferay|dxp|portal)[^/\\]*?[-_](20\d\d\.q[1-4](?:\.\d+)?(?:-lts)?)", re.IGNORECASE)


def clue_from_home(home: str, where: str) -> list[Clue]:
    """The bundle's folder name as a clue (``/opt/liferay-ce-portal-7.2.0-ga1`` -> 7.2,
    ``liferay-dxp-tomcat-2025.q1.0-lts`` -> 7.4, release 2025.q1.0-lts)."""
    name = home.rstrip("/").rsplit("/", 1)[-1]
    quarterly = _QUARTERLY_FOLDER.search(name)
    if quarterly is not None:
        return [Clue(_range("7.4", "7.4"), f"{where}: bundle folder {home}", Weight.BUNDLE, None, quarterly.group(1))]
    family = family_in_path(name)
    if family is None:
        return []
    release = parse_release(name[name.find("7.4") :]) if family == "7.4" else None
    text = release.text if release is not None else None
    return [Clue(_range(family, family), f"{where}: bundle folder {home}", Weight.BUNDLE, None, text)]


_OFFICIAL_REPOSITORIES = ("liferay/portal", "liferay/dxp", "liferay/portal-snapshot", "liferay/dxp-snapshot")
_QUARTERLY_TAG = re.compile(r"^(20\d\d)\.q[1-4]", re.IGNORECASE)
_NUMBER_TAG = re.compile(r"^(\d+)\.(\d+)(?:[.\-_]|$)")
_SEVEN_CE_TAG = re.compile(r"^7-ce-ga\d", re.IGNORECASE)  # Liferay Portal 7 CE GAn = 7.0
_NAMED_TAG = re.compile(r"(?:^|[-_])(?:ce|ee|dxp|portal)[-_](\d)\.(\d)(?:[.\-_]|$)", re.IGNORECASE)
_REPOSITORY_FAMILY = re.compile(r"liferay[-_]?(?:portal|dxp)?[-_]?([67])$", re.IGNORECASE)


def split_image(image: str) -> tuple[str, str | None]:
    """(repository without registry host and docker.io, tag) of an image reference."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    tag = None
    if ":" in last:
        name, tag = name.rsplit(":", 1)
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]  # a registry host
    repository = "/".join(parts).lower()
    return repository.removeprefix("library/"), tag


def is_official_repository(image: str) -> bool:
    return split_image(image)[0] in _OFFICIAL_REPOSITORIES


def clues_from_image(image: str, where: str, origin: Origin | None = None) -> list[Clue]:
    """What an image reference says about the Liferay version inside: the tag of an official image,
    or of any image whose repository names Liferay, and a repository named ``liferay7``."""
    repository, tag = split_image(image)
    official = repository in _OFFICIAL_REPOSITORIES
    if not official and "liferay" not in repository:
        return []
    if tag:
        family: str | None = None
        if _QUARTERLY_TAG.match(tag):
            family = "7.4"
        elif _SEVEN_CE_TAG.match(tag):
            family = "7.0"
        else:
            m = _NUMBER_TAG.match(tag) or _NAMED_TAG.search(tag)
            if m is not None:
                family = f"{int(m.group(1))}.{int(m.group(2))}"
        if family in FAMILIES:
            release = parse_release(tag) if family == "7.4" and official else None
            text = release.text if release is not None else None
            return [Clue(_range(family, family), f"{where}: image {image}", Weight.BUNDLE, origin, text)]
    m = _REPOSITORY_FAMILY.search(repository.rsplit("/", 1)[-1])
    if m is not None:
        families = SEVEN if m.group(1) == "7" else SIX
        return [Clue(families, f"{where}: image {image} (a Liferay {m.group(1)} repository)", Weight.STRUCTURE, origin)]
    return []


class Detection(NamedTuple):
    family: str | None
    evidence: tuple[str, ...]
    conflicts: tuple[str, ...] = ()
    candidates: frozenset[str] = ALL
    origin: Origin | None = None  # where the heaviest clue applied is
    release: str | None = None  # the release the heaviest clue that names one names (7.4 family)


def decide(clues: Iterable[Clue]) -> Detection:
    """Intersect the clues, heaviest first; a clue that contradicts the heavier ones is reported,
    not applied."""
    candidates = ALL
    used: list[str] = []
    conflicts: list[str] = []
    origin: Origin | None = None
    release: str | None = None
    for clue in sorted(clues, key=lambda c: -c.weight):
        narrowed = candidates & clue.families
        if narrowed:
            candidates = narrowed
            used.append(clue.reason)
            origin = origin or clue.origin
            release = release or clue.release
        else:
            conflicts.append(clue.reason)
    if not used:
        return Detection(None, (), tuple(conflicts))
    family = max(candidates, key=family_key)
    return Detection(
        family, tuple(dict.fromkeys(used)), tuple(conflicts), candidates, origin, release if family == "7.4" else None
    )


@dataclass(frozen=True)
class NodeVersions(Generic[K]):
    """The version of each node and of the cluster as a whole."""

    cluster: Detection
    nodes: dict[K, Detection]  # by the key the clues were given under
    split: bool  # the nodes' own strong evidence names different versions


def decide_nodes(clues: Mapping[K, list[Clue]]) -> NodeVersions[K]:
    """One version per node from its own clues. When the nodes' strong evidence (image, bundle,
    OSGi configs) agrees, every node gets the version all clues together give (a node without
    evidence of its own is on its cluster's version); when it does not, each node keeps its own and
    the cluster's version is the one most nodes run (the newest on a tie)."""
    together = decide(c for node_clues in clues.values() for c in node_clues)
    strong = {name: decide(c for c in node_clues if c.weight >= Weight.STRUCTURE) for name, node_clues in clues.items()}
    sets = [d.candidates for d in strong.values() if d.family is not None]
    common = frozenset.intersection(*sets) if sets else ALL
    if common:
        # one family; the release (7.4) stays each node's own, or the cluster's when it names none
        nodes = {}
        for name, node_clues in clues.items():
            mine = decide(node_clues)
            if mine.family is not None and mine.candidates <= together.candidates:
                nodes[name] = mine._replace(family=together.family)  # its own evidence, as narrow as the cluster's
            elif mine.release and together.family == "7.4":
                nodes[name] = together._replace(release=mine.release)
            else:
                nodes[name] = together
        return NodeVersions(together, nodes, False)
    own = {name: decide(node_clues) for name, node_clues in clues.items()}
    counts: dict[str, int] = {}
    for name, detection in own.items():
        if strong[name].family is not None and detection.family is not None:
            counts[detection.family] = counts.get(detection.family, 0) + 1
    majority = max(counts, key=lambda f: (counts[f], family_key(f)))
    cluster = next(d for name, d in own.items() if d.family == majority and strong[name].family is not None)
    nodes = {name: (d if strong[name].family is not None else cluster) for name, d in own.items()}
    return NodeVersions(cluster, nodes, True)
