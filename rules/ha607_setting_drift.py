"""HA607 setting-drift: a key of the must-agree list differs between nodes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterator
from dataclasses import dataclass

from linter.ruleapi import WARNING, Cluster, Context, Finding, Node, agreement, rule
from linter.ruleapi.keys import NODE_SPECIFIC, set_anywhere
from linter.ruleapi.secrets import is_secret_key, secret_digest
from linter.ruleapi.text import KeyGlobs

# Keys that must agree on every node (facts §2-§7.1): everything the HA1xx-HA5xx rules read, the
# default company, counters, session cookie and timeout behaviour, the web server the portal
# generates URLs for, and the cluster-wide scheduler and session replication switches.
MUST_AGREE = (
    "cluster.link.*",
    "multicast.*",
    "jdbc.*",
    "spring.configs",
    "spring.infrastructure.configs",
    "dl.store.*",
    "dl.hook.*",
    "jcr.*",
    "lucene.*",
    "index.*",
    "ehcache.*",
    "net.sf.ehcache.*",
    "hibernate.cache.*",
    "counter.*",
    "company.default.web.id",
    "session.timeout*",
    "session.cookie*",
    "session.enable.persistent.cookies",
    "web.server.*",
    "portlet.session.replicate.enabled",
    "scheduler.enabled",
    "org.quartz.*",
)
# Node-local by design (facts §7.2): NODE_SPECIFIC in linter.liferay.keys, shared with show and
# the HTML report's drift matrix.
# Keys a dedicated rule compares (its finding is more precise; HA607 stays silent on them).
DEDICATED = (
    ("cluster.link.enabled", "HA102"),
    ("cluster.link.channel.properties.*", "HA103/HA115/HA119"),
    ("cluster.link.channel.name.*", "HA108"),
    ("cluster.link.auth.*", "HA115"),
    ("multicast.group.address*", "HA104"),
    ("multicast.group.port*", "HA104"),
    ("jdbc.*.url", "HA203"),
    ("jdbc.*.jndi.name", "HA203"),
    ("jdbc.*.driverClassName", "HA201/HA203"),
    ("jdbc.read.*", "HA204"),
    ("jdbc.write.*", "HA204"),
    ("counter.jdbc.prefix", "HA204"),
    ("jdbc.*.username", "HA205"),
    ("jdbc.*.password", "HA205"),
    ("dl.store.impl", "HA301"),
    ("dl.hook.impl", "HA301"),
    ("dl.store.file.system.root.dir", "HA302"),
    ("dl.store.advanced.file.system.root.dir", "HA302"),
    ("dl.hook.file.system.root.dir", "HA302"),
    ("dl.store.s3.bucket.name", "HA302"),
    ("dl.hook.s3.bucket.name", "HA302"),
    ("dl.store.cmis.repository.url", "HA302"),
    ("dl.hook.cmis.repository.url", "HA302"),
    ("jcr.jackrabbit.repository.root", "HA302"),
    ("lucene.replicate.write", "HA402"),
    ("ehcache.replicator.properties.*", "HA506"),
    ("ehcache.multi.vm.config.location", "HA506"),
    ("ehcache.single.vm.config.location", "HA506"),
    ("net.sf.ehcache.configurationResourceName", "HA506"),
    ("ehcache.multi.vm.config.location.peerProviderProperties", "HA507"),
    ("net.sf.ehcache.configurationResourceName.peerProviderProperties", "HA507"),
    ("company.default.web.id", "HA606"),
)
_MAX_SHOWN = 100


@dataclass(frozen=True)
class Options:
    must_agree: tuple[str, ...] = MUST_AGREE  # keys or globs (* and ?) that must be equal on every node
    keys: tuple[str, ...] = ()  # more keys or globs that must agree
    node_specific: tuple[str, ...] = NODE_SPECIFIC  # keys or globs that may differ by design
    exclude: tuple[str, ...] = ()  # more keys or globs never compared


def _short(value: str) -> str:
    return repr(value if len(value) <= _MAX_SHOWN else value[: _MAX_SHOWN - 1] + "…")


def _items(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _list_views(values: list[str]) -> dict[str, str]:
    """For comma lists, a description of each value by what sets it apart from the others."""
    if not any(len(_items(v)) >= 3 or len(v) > _MAX_SHOWN for v in values):
        return {}
    sets = [set(_items(v)) for v in values]
    union = set().union(*sets)
    common = set.intersection(*sets)
    out: dict[str, str] = {}
    for value, items in zip(values, sets, strict=True):
        parts = [f"{len(_items(value))} entries"]
        extra = sorted(items - common)
        missing = sorted(union - items)
        if extra:
            parts.append("with " + ", ".join(extra[:3]) + (f" and {len(extra) - 3} more" if len(extra) > 3 else ""))
        if missing:
            parts.append(
                "without " + ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
            )
        if not extra and not missing:
            parts.append("in another order")
        out[value] = "a list of " + ", ".join(parts)
    return out


def _compare(cluster: Cluster, key: str) -> Iterator[Finding]:
    settings = {n.name: n.setting(key) for n in cluster.nodes}
    raws = {s.raw.strip() if s is not None else None for s in settings.values()}
    if len(raws) < 2:
        return  # written the same way everywhere (placeholders may resolve per node by design)
    secret = is_secret_key(key)

    def value_of(node: Node) -> Hashable:
        s = settings[node.name]
        if s is None:
            return None
        return secret_digest(s.value.strip()) if secret else s.value.strip()

    values = Counter(value_of(n) for n in cluster.nodes)
    if len(values) < 2:
        return
    names = {v: f"value {chr(ord('A') + i)}" for i, (v, _) in enumerate(values.most_common())}

    lists = _list_views([str(v) for v in values if v is not None]) if not secret else {}

    def show(value: Hashable) -> str:
        if value is None:
            return "no value"
        if secret:
            return f"{names[value]} (secret, not shown)"
        return lists.get(str(value)) or _short(str(value))

    yield from agreement(
        cluster,
        value_of,
        lambda n: settings[n.name],
        what=key,
        show=show,
        subject=key,
        help=f"set the same {key} on every node",
    )


@rule(
    id="HA607",
    name="setting-drift",
    severity=WARNING,
    scope="cluster",
    versions="all",
    tags=("drift",),
    summary="A setting that must be the same on every node (configurable list) differs between nodes.",
    rationale=(
        "Nodes of one cluster share the database, the document store, the search index and the caches, and "
        "a load balancer sends users to any of them: keys that shape those (cluster.link.*, jdbc.*, dl.store.*, "
        "lucene.*/index.*, ehcache.*, counter.*, session cookie and timeout keys, web.server.*, the scheduler "
        "switch, ...) must agree, or the nodes behave differently and fail over badly. The list is the "
        "must_agree option (globs), extended by keys; node_specific keys (bind addresses, logic names, "
        "autodetection, liferay.home, hot-deploy folders, the app server's own address) and exclude are never "
        "compared. Keys that a dedicated rule compares (cluster.link.enabled HA102, channel stacks and names "
        "HA103/HA108/HA115, multicast groups HA104, database target, driver and credentials HA201/HA203/HA205, "
        "read/write data sources HA204, store "
        "HA301/HA302, lucene.replicate.write HA402, Ehcache files and replicator properties HA506/HA507, "
        "company.default.web.id HA606) "
        "are left to those rules. Effective values are compared; a key written identically on every node is "
        "not reported even when its ${...} placeholders resolve per node. Secrets are compared as digests."
    ),
    fix="Give the key the same value on every node (a shared portal-ext.properties or the same environment variables).",
    # facts: liferay-ha-facts.md §7.1
    sources=(
        (
            "Liferay Portal 6.1 User Guide, 'Configuring Liferay for High Availability': https://github.com/liferay/"
            "liferay-docs/blob/0360235e/userGuide/en/chapters/19-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability': https://github.com/liferay/"
            "liferay-docs/blob/0b22f2fc/userGuide/en/chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay DXP 7.0 deployment guide, 'Liferay Clustering': https://github.com/liferay/liferay-docs/blob/"
            "007b7482/discover/deployment/articles-dxp/03-configuring-liferay/03-liferay-clustering.markdown"
        ),
        (
            "Liferay Learn, 'Clustering for High Availability': https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/setting-up-liferay/clustering-for-high-availability"
        ),
        (
            "Liferay Learn, 'Using Configuration Files' (section 'Configuration Files and Clustering'): https://"
            "learn.liferay.com/w/dxp/system-administration/configuring-liferay/configuration-files-and-factories/"
            "using-configuration-files"
        ),
        (
            "Liferay Learn, 'Configuring Cluster Link' (settings that are per node): https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/setting-up-liferay/clustering-for-high-availability/configuring-cluster-link"
        ),
        (
            "Liferay Learn, 'Configuring Unicast over TCP' (settings that are per node): https://learn.liferay.com/w/"
            "dxp/installation-and-upgrades/setting-up-liferay/clustering-for-high-availability/"
            "configuring-unicast-over-tcp"
        ),
    ),
    options=Options,
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    options: Options = ctx.options or Options()
    include = KeyGlobs((*options.must_agree, *options.keys))
    skip = KeyGlobs((*options.node_specific, *options.exclude, *(p for p, _ in DEDICATED)))
    first, *others = cluster.nodes
    for key in sorted(set_anywhere(cluster.nodes)):  # a default shared by every node cannot differ
        if not include.matches(key) or skip.matches(key):
            continue  # tested first: one test per key, where the next one looks at every node
        setting = first.settings.get(key)
        if setting is not None and all(n.settings.get(key) is setting for n in others):
            continue  # the same Setting object everywhere: an untouched shared default
        yield from _compare(cluster, key)
