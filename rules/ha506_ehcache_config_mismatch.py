"""HA506 ehcache-config-mismatch: nodes replicate different caches, or with different settings."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator

from linter.ruleapi import ERROR, Cluster, Confidence, Context, Finding, Node, Origin, Setting, agreement, rule
from linter.ruleapi.cluster_link import cluster_link_enabled
from linter.ruleapi.ehcache import (
    EHCACHE_CLUSTER_REPLICATOR,
    EHCACHE_HIBERNATE,
    EHCACHE_MANAGERS,
    EHCACHE_MULTI_VM,
    EHCACHE_REPLICATION_FLAG,
    HIBERNATE_SECOND_LEVEL,
    CacheFile,
    CacheView,
    cache_file,
    setting_true,
    short_class,
)
from linter.ruleapi.memo import keys_with_prefix

MAX_CACHES = 10  # per cache file: more differing caches are summarised in the last finding
REPLICATOR_DEFAULTS = {  # RMICacheReplicatorFactory defaults (the JGroups and Liferay replicators take the same keys)
    "replicatePuts": "true",
    "replicatePutsViaCopy": "true",
    "replicateUpdates": "true",
    "replicateUpdatesViaCopy": "true",
    "replicateRemovals": "true",
    "replicateAsynchronously": "true",
    "asynchronousReplicationIntervalMillis": "1000",
    "asynchronousReplicationMaximumBatchSize": "1000",
}
REPLICATOR_PREFIX = "ehcache.replicator.properties."


def _mode(node: Node, key: str, cache_file: CacheFile | None) -> str | None:
    if cache_file is None:
        if key == EHCACHE_HIBERNATE and not setting_true(node, HIBERNATE_SECOND_LEVEL):
            return "none: the Hibernate second-level cache is off"
        return None  # no file to judge (unresolved, missing, Ehcache 3): HA003/HA508
    if cache_file.cluster_link:
        return "Cluster Link (Liferay's replicator on every cache)"
    classes = {r.class_name for v in cache_file.caches for r in v.replicators}
    if not classes:
        return "no replication"
    kinds = set()
    for name in classes:
        if name == EHCACHE_CLUSTER_REPLICATOR:
            kinds.add("Cluster Link")
        elif "JGroups" in name:
            kinds.add("JGroups")
        elif "RMI" in name:
            kinds.add("RMI")
        else:
            kinds.add(short_class(name))
    return " + ".join(sorted(kinds)) + " replication from the cache file"


def _mode_setting(node: Node, key: str, cache_file: CacheFile | None) -> Setting | None:
    if cache_file is None:
        return node.setting(HIBERNATE_SECOND_LEVEL)
    if cache_file.cluster_link:
        return node.setting(EHCACHE_REPLICATION_FLAG)
    return node.setting(key)


def _signature(view: CacheView | None) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    if view is None:
        return ()
    out = []
    for replicator in view.replicators:
        settings = dict(REPLICATOR_DEFAULTS)
        settings.update(
            {
                k: v.strip().lower() if v.strip().lower() in ("true", "false") else v.strip()
                for k, v in replicator.properties.items()
            }
        )
        changed = tuple(sorted((k, v) for k, v in settings.items() if REPLICATOR_DEFAULTS.get(k) != v))
        out.append((replicator.class_name, changed))
    return tuple(sorted(out))


def _show_signature(value: Hashable) -> str:
    if not value:
        return "not replicated"
    assert isinstance(value, tuple)
    parts = []
    for class_name, changed in value:
        options = ", ".join(f"{k}={v}" for k, v in changed)
        parts.append(f"{short_class(class_name)}" + (f" ({options})" if options else " (defaults)"))
    return "replicated by " + " + ".join(parts)


def _view(cache_file: CacheFile, name: str) -> tuple[CacheView | None, bool]:
    """The cache as the node gets it: declared, or created at run time from defaultCache."""
    default = None
    for view in cache_file.caches:
        if view.name == name:
            return view, True
        if view.name == "defaultCache":
            default = view
    return default, False


def _cache_setting(node: Node, cache_file: CacheFile, name: str) -> Setting:
    view, declared = _view(cache_file, name)
    shown = _show_signature(_signature(view))
    ref = cache_file.ref
    if ref.kind == "file" and view is not None:
        # the declared cache, or the defaultCache it is created from at run time
        origin = Origin(ref.origin.file, view.cache.line, view.cache.column)
        return Setting(name, shown, shown, origin, Confidence.EXPLICIT if declared else Confidence.DEFAULT)
    return ref.setting


def _check_file(cluster: Cluster, version: str, key: str) -> Iterator[Finding]:
    files = {node.name: cache_file(node, version, key) for node in cluster.nodes}
    modes = {node.name: _mode(node, key, files[node.name]) for node in cluster.nodes}
    found = list(
        agreement(
            cluster,
            lambda n: modes[n.name],
            lambda n: _mode_setting(n, key, files[n.name]),
            what=f"How the {EHCACHE_MANAGERS[key]} replicates ({key})",
            subject=f"{key}:mode",
            help="use the same cache files and the same ehcache.cluster.link.replication.enabled on every node",
            skip=lambda n: modes[n.name] is None,
        )
    )
    if found:
        yield from found
        return
    present = {name: f for name, f in files.items() if f is not None and not f.cluster_link}
    if len(present) < 2:
        return
    names = sorted({v.name for f in present.values() for v in f.caches}, key=lambda n: (n != "defaultCache", n))
    differing = [n for n in names if len({_signature(_view(f, n)[0]) for f in present.values()}) > 1]
    for index, name in enumerate(differing[:MAX_CACHES]):
        more = len(differing) - MAX_CACHES
        suffix = f" (and {more} more caches differ)" if index == MAX_CACHES - 1 and more > 0 else ""
        yield from _check_cache(cluster, key, present, name, suffix)


def _check_cache(
    cluster: Cluster, key: str, present: dict[str, CacheFile], name: str, suffix: str
) -> Iterator[Finding]:
    def value_of(node: Node) -> Hashable:
        return _signature(_view(present[node.name], name)[0])

    def setting_of(node: Node) -> Setting | None:
        return _cache_setting(node, present[node.name], name)

    for finding in agreement(
        cluster,
        value_of,
        setting_of,
        what=f"Replication of cache {name} ({key})",
        show=_show_signature,
        subject=f"{key}:{name}",
        help="deploy the same cache file on every node",
        skip=lambda n: n.name not in present,
    ):
        yield finding._replace(message=finding.message + suffix)


def _replicator_value(node: Node, key: str) -> str:
    """The replicator properties as written (order and blanks ignored)."""
    setting = node.setting(key)
    if setting is None:
        return "not set (ehcache.replicator.properties.default applies)"
    value = ",".join(sorted(p.strip() for p in setting.value.split(",") if p.strip()))
    return value or "empty (the replicator's own defaults)"


def _check_7x(cluster: Cluster) -> Iterator[Finding]:
    def skip(node: Node) -> bool:
        return not cluster_link_enabled(node)

    keys = sorted({k for n in cluster.nodes if not skip(n) for k in keys_with_prefix(n.settings, REPLICATOR_PREFIX)})
    for key in keys:
        yield from _agree_setting(cluster, key, skip)


def _agree_setting(cluster: Cluster, key: str, skip: Callable[[Node], bool]) -> Iterator[Finding]:
    def value_of(node: Node) -> Hashable:
        return _replicator_value(node, key)

    def setting_of(node: Node) -> Setting | None:
        return node.setting(key)

    yield from agreement(
        cluster,
        value_of,
        setting_of,
        what=f"Cache replication settings ({key})",
        subject=key,
        help=f"set the same {key} on every node",
        skip=skip,
    )


@rule(
    id="HA506",
    name="ehcache-config-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="all",
    tags=("ehcache", "cache", "drift"),
    summary="Nodes replicate their caches differently: another transport, other replicated caches, or other "
    "replication settings.",
    rationale=(
        "Cache replication only works between nodes that agree on it. On 6.x the effective cache files (after "
        "Liferay's Cluster Link takeover) must use the same transport on every node (RMI, JGroups or Cluster Link "
        "never talk to each other), replicate the same caches, and replicate each cache the same way "
        "(replicatePuts, replicateUpdatesViaCopy, ...): a cache that replicates on one node but is local on "
        "another silently diverges. On 7.x Liferay injects replication itself when Cluster Link is on, and the "
        "per-cache settings come from ehcache.replicator.properties.* (compared between nodes with Cluster Link "
        "on). Caches a file does not declare are compared as they are created at run time, from defaultCache."
    ),
    fix="Deploy the same cache files and the same ehcache.* properties on every node.",
    # facts: ehcache-jgroups-facts.md A.5, S-7X-CFG
    sources=(
        (
            "Ehcache 2.8 documentation, 'RMI Replicated Caching' (replicated cache names, replicator class and mode "
            "must agree between peers): https://www.ehcache.org/documentation/2.8/replication/"
            "rmi-replicated-caching.html"
        ),
        (
            "Liferay 6.2 source, EhcacheConfigurationUtil.java (Cluster Link takeover on 6.1/6.2): https://"
            "github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/com/liferay/portal/cache/ehcache/"
            "EhcacheConfigurationUtil.java"
        ),
        (
            "Liferay 7.4 source, portal-cache-ehcache (cache replication settings): https://github.com/liferay/"
            "liferay-portal/tree/7.4.3.112-ga112/modules/apps/portal-cache/portal-cache-ehcache-impl"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    if ctx.version.startswith("6."):
        for key in (EHCACHE_MULTI_VM, EHCACHE_HIBERNATE):
            yield from _check_file(cluster, ctx.version, key)
    else:
        yield from _check_7x(cluster)
