"""Which portal properties name the Cluster Link channels and the Ehcache files (facts: Liferay's
``portal.properties``, ``cluster.link.channel.properties.*`` and ``ehcache.*.config.location``)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from linter.origin import Setting, Settings
from linter.patterns import KeyGlobs

# Keys whose value differs between the nodes of a healthy cluster by design: bind addresses,
# logic names, autodetection, the Liferay home and hot-deploy folders, the app server's own address,
# per-data-centre counters, a per-node index folder and the read-only switch of nodes that share one
# (Liferay's clustering guides: each node binds its own address and names its own channels).
NODE_SPECIFIC = (
    "cluster.link.bind.addr*",
    "cluster.link.channel.logic.name.*",
    "cluster.link.autodetect.address",
    "liferay.home",
    "auto.deploy.*",
    "web.server.display.node",
    "portal.instance.*",
    "counter.data.center.deployment.id",
    "lucene.dir",
    "index.read.only",  # 6.x: one writer and read-only nodes on a shared index directory
    "-Djgroups.bind_addr",  # the JVM flags that give each node its own address (show's JVM rows)
    "-Djgroups.external_addr",
)

NODE_SPECIFIC_GLOBS = KeyGlobs(NODE_SPECIFIC)

CHANNEL_CONTROL = "cluster.link.channel.properties.control"
_CHANNEL_TRANSPORT = re.compile(r"cluster\.link\.channel\.properties\.transport\.\d+")
CACHE_KEYS = (
    "ehcache.multi.vm.config.location",
    "ehcache.single.vm.config.location",
    "net.sf.ehcache.configurationResourceName",
)


def channel_keys(settings: Mapping[str, Setting]) -> list[str]:
    keys = [CHANNEL_CONTROL] if CHANNEL_CONTROL in settings else []
    prefix = "cluster.link.channel.properties.transport."
    candidates = settings.with_prefix(prefix) if isinstance(settings, Settings) else settings
    transports = (k for k in candidates if k.startswith(prefix) and _CHANNEL_TRANSPORT.fullmatch(k))
    keys += sorted(transports, key=lambda k: int(k.rsplit(".", 1)[1]))
    return keys


# On the JGroups 5 releases Liferay gives a SYM_ENCRYPT stack without a keystore the key
# AES(SHA-256(channel name)) when the channel's cluster.link.channel.properties.* value starts with
# this (liferay/liferay-portal@6cfe4873 JGroupsClusterChannelFactory; releases-2024-2026 §2.3).
SYM_ENCRYPT_LOCATION = "jgroups/secure/sym_encrypt/"
CHANNEL_NAME_PREFIX = "cluster.link.channel.name."
CHANNEL_PROPERTIES_PREFIX = "cluster.link.channel.properties."


def channel_name_seeds_key(settings: Mapping[str, Setting], key: str) -> bool:
    """Whether ``key`` is a channel name (``cluster.link.channel.name.control``) whose channel runs
    a sym_encrypt stack, so that the name is key material and never printed."""
    if not key.startswith(CHANNEL_NAME_PREFIX):
        return False
    stack = settings.get(CHANNEL_PROPERTIES_PREFIX + key[len(CHANNEL_NAME_PREFIX) :])
    return stack is not None and stack.value.strip().startswith(SYM_ENCRYPT_LOCATION)
