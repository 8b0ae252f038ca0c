"""Ehcache 2's schema as Liferay's cache files use it: the children and attributes ``ehcache.xsd``
allows under each element, the order of the root's children, and the properties each factory
class Liferay's files name understands (Ehcache 2.x ``ehcache.xsd`` and the factory sources:
https://www.ehcache.org/ehcache.xml, https://github.com/ehcache/ehcache2; Liferay's
``portal-cache-ehcache`` factories delegate to Ehcache's RMI classes and take the same keys)."""

from __future__ import annotations

# ehcache.xsd of Ehcache 2.x (facts A.1, the 2.x schema text): children allowed under each element and
# attributes each element takes. "*" marks terracottaConfig's free-form tc-config.
_FACTORY = frozenset({"class", "properties", "propertySeparator"})
_CACHE_ATTRIBUTES = frozenset(
    {
        "name",
        "diskExpiryThreadIntervalSeconds",
        "diskSpoolBufferSizeMB",
        "diskPersistent",
        "diskAccessStripes",
        "eternal",
        "maxElementsInMemory",
        "maxEntriesLocalHeap",
        "clearOnFlush",
        "memoryStoreEvictionPolicy",
        "overflowToDisk",
        "timeToIdleSeconds",
        "timeToLiveSeconds",
        "maxElementsOnDisk",
        "maxEntriesLocalDisk",
        "maxEntriesInCache",
        "transactionalMode",
        "statistics",
        "copyOnRead",
        "copyOnWrite",
        "logging",
        "cacheLoaderTimeoutMillis",
        "overflowToOffHeap",
        "maxMemoryOffHeap",
        "maxBytesLocalHeap",
        "maxBytesLocalOffHeap",
        "maxBytesLocalDisk",
    }
)
_CACHE_CHILDREN = (
    "cacheEventListenerFactory",
    "cacheExtensionFactory",
    "cacheLoaderFactory",
    "cacheDecoratorFactory",
    "bootstrapCacheLoaderFactory",
    "cacheExceptionHandlerFactory",
    "pinning",
    "terracotta",
    "cacheWriter",
    "copyStrategy",
    "searchable",
    "elementValueComparator",
    "sizeOfPolicy",
    "persistence",
)
ROOT_ORDER = (
    "diskStore",
    "sizeOfPolicy",
    "transactionManagerLookup",
    "cacheManagerEventListenerFactory",
    "managementRESTService",
    "cacheManagerPeerProviderFactory",
    "cacheManagerPeerListenerFactory",
    "terracottaConfig",
    "defaultCache",
    "cache",
)
SCHEMA: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "ehcache": (
        frozenset(
            {
                "name",
                "updateCheck",
                "monitoring",
                "dynamicConfig",
                "defaultTransactionTimeoutInSeconds",
                "maxBytesLocalHeap",
                "maxBytesLocalOffHeap",
                "maxBytesLocalDisk",
            }
        ),
        ROOT_ORDER,
    ),
    "diskStore": (frozenset({"path"}), ()),
    "sizeOfPolicy": (frozenset({"maxDepth", "maxDepthExceededBehavior"}), ()),
    "transactionManagerLookup": (_FACTORY, ()),
    "cacheManagerEventListenerFactory": (_FACTORY, ()),
    "managementRESTService": (
        frozenset(
            {
                "enabled",
                "bind",
                "securityServiceLocation",
                "securityServiceTimeout",
                "sslEnabled",
                "needClientAuth",
                "sampleHistorySize",
                "sampleIntervalSeconds",
                "sampleSearchIntervalSeconds",
            }
        ),
        (),
    ),
    "cacheManagerPeerProviderFactory": (_FACTORY, ()),
    "cacheManagerPeerListenerFactory": (_FACTORY, ()),
    "terracottaConfig": (frozenset({"url", "rejoin", "wanEnabledTSA"}), ("tc-config",)),
    "tc-config": (frozenset(), ("*",)),
    "defaultCache": (_CACHE_ATTRIBUTES, _CACHE_CHILDREN),
    "cache": (_CACHE_ATTRIBUTES, _CACHE_CHILDREN),
    "cacheEventListenerFactory": (_FACTORY | {"listenFor"}, ()),
    "cacheExtensionFactory": (_FACTORY, ()),
    "cacheLoaderFactory": (_FACTORY, ()),
    "cacheDecoratorFactory": (_FACTORY, ()),
    "bootstrapCacheLoaderFactory": (_FACTORY, ()),
    "cacheExceptionHandlerFactory": (_FACTORY, ()),
    "pinning": (frozenset({"store"}), ()),
    "terracotta": (
        frozenset(
            {
                "clustered",
                "coherentReads",
                "localKeyCache",
                "localKeyCacheSize",
                "orphanEviction",
                "orphanEvictionPeriod",
                "copyOnRead",
                "coherent",
                "consistency",
                "synchronousWrites",
                "concurrency",
                "localCacheEnabled",
                "compressionEnabled",
                "valueMode",
                "storageStrategy",
                "cacheXA",
            }
        ),
        ("nonstop",),
    ),
    "nonstop": (
        frozenset({"enabled", "immediateTimeout", "timeoutMillis", "searchTimeoutMillis"}),
        ("timeoutBehavior",),
    ),
    "timeoutBehavior": (frozenset({"type", "properties", "propertySeparator"}), ()),
    "cacheWriter": (
        frozenset(
            {
                "writeMode",
                "notifyListenersOnException",
                "minWriteDelay",
                "maxWriteDelay",
                "rateLimitPerSecond",
                "writeCoalescing",
                "writeBatching",
                "writeBatchSize",
                "retryAttempts",
                "retryAttemptDelaySeconds",
                "writeBehindConcurrency",
                "writeBehindMaxQueueSize",
            }
        ),
        ("cacheWriterFactory",),
    ),
    "cacheWriterFactory": (_FACTORY, ()),
    "copyStrategy": (frozenset({"class"}), ()),
    "elementValueComparator": (frozenset({"class"}), ()),
    "searchable": (frozenset({"keys", "values", "allowDynamicIndexing"}), ("searchAttribute",)),
    "searchAttribute": (frozenset({"name", "expression", "class", "type", "properties", "propertySeparator"}), ()),
    "persistence": (frozenset({"strategy", "synchronousWrites"}), ()),
}

# Properties the factories Liferay files use understand (Ehcache 2 sources, facts A.3, A.4). Liferay's own
# factories delegate to Ehcache's RMI classes by default and take the same keys.
_REPLICATOR_KEYS = frozenset(
    {
        "replicatePuts",
        "replicatePutsViaCopy",
        "replicateUpdates",
        "replicateUpdatesViaCopy",
        "replicateRemovals",
        "replicateAsynchronously",
        "asynchronousReplicationIntervalMillis",
        "asynchronousReplicationMaximumBatchSize",
    }
)
BOOLEAN_PROPERTIES = frozenset(k for k in _REPLICATOR_KEYS if k.startswith("replicate")) | {"bootstrapAsynchronously"}
_BOOTSTRAP_KEYS = frozenset({"bootstrapAsynchronously", "maximumChunkSizeBytes"})
KNOWN_PROPERTIES: dict[str, frozenset[str]] = {
    "net.sf.ehcache.distribution.RMICacheManagerPeerProviderFactory": frozenset(
        {"peerDiscovery", "multicastGroupAddress", "multicastGroupPort", "timeToLive", "hostName", "rmiUrls"}
    ),
    "net.sf.ehcache.distribution.RMICacheManagerPeerListenerFactory": frozenset(
        {"hostName", "port", "remoteObjectPort", "socketTimeoutMillis"}
    ),
    "net.sf.ehcache.distribution.RMICacheReplicatorFactory": _REPLICATOR_KEYS,
    "net.sf.ehcache.distribution.jgroups.JGroupsCacheReplicatorFactory": _REPLICATOR_KEYS,
    "com.liferay.portal.cache.ehcache.LiferayCacheEventListenerFactory": _REPLICATOR_KEYS,
    "net.sf.ehcache.distribution.RMIBootstrapCacheLoaderFactory": _BOOTSTRAP_KEYS,
    "com.liferay.portal.cache.ehcache.LiferayBootstrapCacheLoaderFactory": _BOOTSTRAP_KEYS,
    "com.liferay.portal.cache.ehcache.LiferayCacheManagerPeerProviderFactory": frozenset({"portalPropertyKey"}),
    "com.liferay.portal.cache.ehcache.RMICacheManagerPeerProviderFactory": frozenset({"portalPropertyKey"}),
    "net.sf.ehcache.distribution.jgroups.JGroupsCacheManagerPeerProviderFactory": frozenset({"connect", "file"}),
    "com.liferay.portal.cache.ehcache.JGroupsCacheManagerPeerProviderFactory": frozenset(
        {"clusterName", "channelProperties"}
    ),
}
