"""Which portal properties name the Cluster Link channels and the Ehcache files (facts: Liferay's
``portal.properties``, ``cluster.link.channel.properties.*`` and ``ehcache.*.config.location``)."""

from __future__ import annotations

import re

from linter.origin import Setting

CHANNEL_CONTROL = "cluster.link.channel.properties.control"
_CHANNEL_TRANSPORT = re.compile(r"cluster\.link\.channel\.properties\.transport\.\d+")
CACHE_KEYS = (
    "ehcache.multi.vm.config.location",
    "ehcache.single.vm.config.location",
    "net.sf.ehcache.configurationResourceName",
)


def channel_keys(settings: dict[str, Setting]) -> list[str]:
    keys = [CHANNEL_CONTROL] if CHANNEL_CONTROL in settings else []
    prefix = "cluster.link.channel.properties.transport."
    transports = (k for k in settings if k.startswith(prefix) and _CHANNEL_TRANSPORT.fullmatch(k))
    keys += sorted(transports, key=lambda k: int(k.rsplit(".", 1)[1]))
    return keys
