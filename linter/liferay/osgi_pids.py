"""The keys Liferay's configuration interfaces declare, by PID and version family.

A ``.config`` key that the PID's interface does not declare is ignored by OSGi without a word, so
a typo such as ``perationMode`` silently keeps the default. The table
(``data/osgi-pids.json``) was read from Liferay's own sources (each PID records its repository,
path and commit); a key is known when any recorded revision declares it, so a key that a fix pack
or update added or removed is not reported. Loaded on first use, never at import.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import NamedTuple

DATA_FILE = Path(__file__).resolve().parent / "data" / "osgi-pids.json"

# Keys the OSGi framework, Felix ConfigAdmin/FileInstall or Liferay's configuration admin add to a
# configuration themselves: never a configuration interface's key.
_FRAMEWORK_KEYS = frozenset(
    {
        "service.pid",
        "service.factoryPid",
        "service.bundleLocation",
        "service.ranking",
        "felix.fileinstall.filename",
        "component.name",
        "component.id",
        "configuration.cleaner.ignore",
        "companyId",
        "groupId",
    }
)
_FRAMEWORK_PREFIXES = ("service.", "felix.", "component.", "osgi.", ":", ".")


class PidKeys(NamedTuple):
    pid: str
    families: frozenset[str]
    keys: frozenset[str]
    sources: tuple[str, ...]  # "repository path @commit" of each revision read


@cache
def _table() -> dict[str, PidKeys]:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    out: dict[str, PidKeys] = {}
    for pid, entry in raw["pids"].items():
        keys: set[str] = set()
        sources: list[str] = []
        for source in entry["sources"]:
            keys.update(source["keys"])
            commit = f" @{source['commit'][:8]}" if source.get("commit") else ""
            sources.append(f"{source['repository']} {source['path']}{commit}")
        out[pid] = PidKeys(pid, frozenset(entry["families"]), frozenset(keys), tuple(sources))
    return out


def pid_keys(pid: str, family: str) -> PidKeys | None:
    """The keys the configuration interface of ``pid`` declares on ``family``, or None when the table
    does not cover that PID on that family (unknown is not wrong)."""
    found = _table().get(pid)
    if found is None or family not in found.families:
        return None
    return found


def pids_declaring(key: str, family: str) -> list[str]:
    """The PIDs (covered on ``family``, else on any family) whose interface declares ``key``."""
    table = _table()
    here = [p.pid for p in table.values() if key in p.keys and family in p.families]
    return sorted(here or (p.pid for p in table.values() if key in p.keys))


def is_framework_key(key: str) -> bool:
    """A property OSGi, Felix or Liferay's configuration admin manage themselves."""
    return key in _FRAMEWORK_KEYS or key.startswith(_FRAMEWORK_PREFIXES)
