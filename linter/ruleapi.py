"""The only module a rule file imports: the ``rule`` decorator, ``Finding``, ``Label`` and helpers.

A rule is metadata plus a pure generator. Node rules get one ``Node`` and a ``Context``; cluster
rules get the ``Cluster``. Rules never read files, the environment or the clock, and never
format output: they yield ``Finding``s whose labels point at origins; the engine stamps id,
severity and order, masks secrets and renders snippets.

    @rule(id="HA101", name="cluster-link-disabled", severity=ERROR, scope="node", ...)
    def check(node: Node, ctx: Context) -> Iterator[Finding]:
        ...
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, ParamSpec, TypeVar, cast, overload

from linter.diagnostics import Label, Severity
from linter.labels import label, label_at
from linter.liferay.getter import get_boolean, is_recognised_boolean
from linter.liferay.versions import VersionRange
from linter.model import Confidence, Origin, OriginKind, Setting
from linter.node import Cluster, Node

ERROR = Severity.ERROR
WARNING = Severity.WARNING
INFO = Severity.INFO

Scope = Literal["node", "cluster", "input", "engine"]
ID_PATTERN = re.compile(r"^HA\d{3}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

__all__ = [
    "ERROR",
    "INFO",
    "WARNING",
    "Cluster",
    "Confidence",
    "Context",
    "Finding",
    "Label",
    "Node",
    "Origin",
    "OriginKind",
    "Rule",
    "Setting",
    "Severity",
    "VersionRange",
    "agreement",
    "get_boolean",
    "is_recognised_boolean",
    "label",
    "label_at",
    "rule",
]


class Finding(NamedTuple):
    """What a rule reports. ``subject`` names what the finding is about (a property key, a PID,
    an element); together with the rule, cluster and nodes it makes the fingerprint."""

    message: str
    at: Label
    related: tuple[Label, ...] = ()
    help: str | None = None
    confidence: Confidence = Confidence.EXPLICIT
    subject: str = ""
    severity: Severity | None = None  # raises the rule's default for this finding (RULES.md "error for ...")


class Context(NamedTuple):
    """What a rule may know besides its node or cluster."""

    cluster: Cluster
    version: str  # the cluster's Liferay family, e.g. "7.4"
    options: Any  # an instance of the rule's options dataclass, or None
    audit: tuple[Cluster, ...] = ()  # every cluster of this run (for rules comparing clusters)

    @property
    def clustered(self) -> bool:
        """A cluster in the sense of RULES.md: two or more nodes."""
        return len(self.cluster.nodes) >= 2


CheckFn = Callable[..., Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    scope: Scope
    summary: str
    rationale: str
    fix: str
    sources: tuple[str, ...]
    versions: VersionRange = field(default_factory=VersionRange)
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    options: type | None = None
    since: str = "0.1.0"
    check: CheckFn | None = None
    module: str = ""  # file the rule came from (set by the loader)

    def default_options(self) -> Any:
        return self.options() if self.options is not None else None

    def option_fields(self) -> list[tuple[str, str, Any]]:
        if self.options is None:
            return []
        defaults = self.options()
        return [(f.name, str(f.type), getattr(defaults, f.name)) for f in dataclasses.fields(self.options)]


def rule(
    *,
    id: str,
    name: str,
    severity: Severity,
    scope: Scope,
    summary: str,
    rationale: str,
    fix: str,
    sources: Sequence[str],
    versions: str = "all",
    tags: Sequence[str] = (),
    aliases: Sequence[str] = (),
    options: type | None = None,
    since: str = "0.1.0",
) -> Callable[[CheckFn | None], Rule]:
    """Declare a rule; the decorated function becomes its check (validated by the loader)."""

    def wrap(fn: CheckFn | None) -> Rule:
        return Rule(
            id=id,
            name=name,
            severity=severity,
            scope=scope,
            summary=summary,
            rationale=rationale,
            fix=fix,
            sources=tuple(sources),
            versions=VersionRange.parse(versions),
            tags=tuple(tags),
            aliases=tuple(aliases),
            options=options,
            since=since,
            check=fn,
        )

    return wrap


def metadata_only(
    *,
    id: str,
    name: str,
    severity: Severity,
    scope: Scope,
    summary: str,
    rationale: str,
    fix: str,
    sources: Sequence[str],
    tags: Sequence[str] = (),
) -> Rule:
    """A rule whose findings the engine itself produces (input problems, internal errors)."""
    declare = rule(
        id=id,
        name=name,
        severity=severity,
        scope=scope,
        summary=summary,
        rationale=rationale,
        fix=fix,
        sources=sources,
        tags=tags,
    )
    return declare(None)


# ----------------------------------------------------------------------------- labels
# label_at and label live in linter.labels (the shared models in linter.liferay build labels too).


def _value_text(node: Node, value: str, setting: Setting | None) -> str:
    """Label text for a node's value: the origin is named only when the label has no line."""
    if (
        setting is not None
        and setting.origin.kind in (OriginKind.FILE, OriginKind.ENV, OriginKind.JVM)
        and setting.origin.line
    ):
        return f"{node.name}: {value}"
    return f"{node.name}: {value} ({describe_origin(setting)})"


def describe_origin(setting: Setting | None) -> str:
    if setting is None:
        return "not set"
    if setting.origin.kind is OriginKind.DEFAULT:
        return setting.origin.detail
    return setting.origin.describe()


def worst_confidence(settings: Iterable[Setting | None]) -> Confidence:
    values = [s.confidence for s in settings if s is not None]
    if Confidence.UNRESOLVED in values:
        return Confidence.UNRESOLVED
    if values and all(v is Confidence.DEFAULT for v in values):
        return Confidence.DEFAULT
    return Confidence.EXPLICIT


# ----------------------------------------------------------------------------- agreement and wording


def node_names(nodes: Sequence[Node], limit: int = 3) -> str:
    """Node names for a message: all of them up to ``limit``, else the first ones and how many more."""
    names = [n.name for n in nodes]
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


def and_list(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


V = TypeVar("V", bound=Hashable)
M = TypeVar("M")


@overload
def outliers(groups: Mapping[V, list[Node]]) -> Iterator[tuple[V, list[Node], list[tuple[V, list[Node]]], bool]]: ...


@overload
def outliers(
    groups: Mapping[V, list[M]], node_of: Callable[[M], Node]
) -> Iterator[tuple[V, list[M], list[tuple[V, list[M]]], bool]]: ...


def outliers(
    groups: Mapping[V, list[Any]], node_of: Callable[[Any], Node] | None = None
) -> Iterator[tuple[V, list[Any], list[tuple[V, list[Any]]], bool]]:
    """Members (nodes, or what ``node_of`` maps to a node) grouped by value, as (value, members, the
    other groups, tie) for every outlier group: each group but the majority, or on a tie (several
    largest groups) every group. Groups are ordered largest first, then by their first node's name;
    the other groups keep that order, so without a tie the first of them is the majority."""
    if len(groups) < 2:
        return

    def first(members: list[Any]) -> str:
        return (node_of(members[0]) if node_of is not None else members[0]).name

    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), first(kv[1])))
    top = len(ordered[0][1])
    tie = sum(1 for _, members in ordered if len(members) == top) > 1
    for value, members in ordered:
        if not tie and value == ordered[0][0]:
            continue
        yield value, members, [(v, ms) for v, ms in ordered if v != value], tie


def agreement(
    cluster: Cluster,
    value_of: Callable[[Node], Hashable],
    setting_of: Callable[[Node], Setting | None],
    *,
    what: str,
    show: Callable[[Hashable], str] = str,
    subject: str = "",
    help: str | None = None,
    skip: Callable[[Node], bool] = lambda n: False,
) -> Iterator[Finding]:
    """Every node must agree on ``value_of(node)``: group nodes by value, report each outlier
    group against the majority (primary = outliers, related = the majority), with each node's
    value and origin. On a tie every group is reported against the others. Nodes are grouped,
    never compared pairwise: what the findings of one outlier group share (the other groups'
    labels, the confidence) is built once per group, not once per node."""
    groups: dict[Hashable, list[Node]] = defaultdict(list)
    for node in cluster.nodes:
        if not skip(node):
            groups[value_of(node)].append(node)
    confidence: Confidence | None = None
    for value, nodes, others, tie in outliers(groups):
        if confidence is None:
            confidence = worst_confidence([setting_of(n) for n in cluster.nodes])
        shown = show(value)
        related = tuple(
            label(n, setting_of(n), _value_text(n, show(v), setting_of(n)), key=subject) for v, ns in others for n in ns
        )
        against = "; ".join(f"{node_names(ns)}: {show(v)}" for v, ns in others) if tie else ""
        for node in nodes:
            setting = setting_of(node)
            primary = label(node, setting, _value_text(node, shown, setting), key=subject)
            if tie:
                message = f"{what} differs between nodes (tie): {node.name} has {shown}; {against}"
            else:
                reference = others[0]  # the majority
                message = (
                    f"{what} differs between nodes: {node.name} has {shown}, "
                    f"{node_names(reference[1])} {'has' if len(reference[1]) == 1 else 'have'} {show(reference[0])}"
                )
            yield Finding(message, primary, related, help=help, confidence=confidence, subject=subject)


# ----------------------------------------------------------------------------- keys and files


def written_entries(node: Node) -> Iterator[PropertyEntry]:
    """The keys the node's own properties files write: each key's first entry in each file, without
    Liferay's built-in defaults and entries that do not come from a file line."""
    for source in node.properties:
        if source.role == "builtin":
            continue
        seen: set[str] = set()
        for entry in source.file.entries:
            key = entry.key
            if key in seen or not key or entry.origin.kind is not OriginKind.FILE:
                continue
            seen.add(key)
            yield entry


def key_glob(pattern: str) -> re.Pattern[str]:
    """A key glob of a rule option as a regex for ``fullmatch``: ``*`` is any run of characters (dots
    included), ``?`` one character, everything else literal (``[`` too: keys such as
    ``multicast.group.address["x"]`` hold brackets)."""
    return re.compile(_glob_regex(pattern))


def _glob_regex(pattern: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)


P = ParamSpec("P")
R = TypeVar("R")


def memoize(fn: Callable[P, R]) -> Callable[P, R]:
    """Remember the results of a pure function of hashable arguments for the whole process
    (bounded): the nodes of a cluster ask the same questions about the same keys."""
    return cast("Callable[P, R]", functools.lru_cache(maxsize=8192)(fn))


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled when first used: a rule module's patterns are built at
    import on every start although most runs never need most of them. After the first use the
    methods are the compiled pattern's own (bound on the instance), so hot loops pay nothing."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def compiled(self) -> re.Pattern[str]:
        regex = re.compile(self.pattern, self.flags)
        for name in ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer"):
            self.__dict__[name] = getattr(regex, name)
        self.__dict__["compiled"] = lambda: regex
        return regex

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)

    def subn(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> tuple[str, int]:
        return self.compiled().subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled().split(string, maxsplit)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled().findall(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)


class KeyGlobs:
    """Several key globs tested at once: ``matches(key)`` is ``any(key_glob(p).fullmatch(key) for p in
    patterns)``. A literal key is a set lookup and ``prefix*`` a prefix test (``*`` does not match a
    newline, as ``.*`` does not); only the other shapes share one regular expression, compiled on
    first use. Compiling a pattern per glob cost a rule pack ~10 ms on every start."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(patterns)
        self._literal: set[str] = set()
        prefixes: list[str] = []
        self._other: list[str] = []
        for p in self.patterns:
            if "*" not in p and "?" not in p:
                self._literal.add(p)
            elif p.endswith("*") and "*" not in p[:-1] and "?" not in p:
                prefixes.append(p[:-1])
            else:
                self._other.append(p)
        self._prefixes = tuple(prefixes)
        self._regex: re.Pattern[str] | None = None

    def matches(self, key: str) -> bool:
        if key in self._literal:
            return True
        if self._prefixes and key.startswith(self._prefixes):
            for prefix in self._prefixes:
                if key.startswith(prefix) and "\n" not in key[len(prefix) :]:
                    return True
        if not self._other:
            return False
        if self._regex is None:
            self._regex = re.compile("|".join(f"(?:{_glob_regex(p)})" for p in self._other))
        return self._regex.fullmatch(key) is not None


# ----------------------------------------------------------------------------- reader types for rules
# Rules import nothing but this module: the model and reader types they inspect are re-exported here.

from linter.labels import stack_label  # noqa: E402
from linter.liferay.defaults import liferay_default  # noqa: E402
from linter.liferay.versions import is_6x  # noqa: E402
from linter.redact import is_secret_key  # noqa: E402
from linter.references import CACHE_KEYS, Reference  # noqa: E402
from linter.sources.ehcache import Cache, EhcacheConfig, Factory  # noqa: E402
from linter.sources.jgroups import (  # noqa: E402
    HostPort,
    JGroupsStack,
    Protocol,
    ProtocolAttr,
    Unresolved,
    parse_initial_hosts,
    split_placeholder,
)
from linter.sources.jvm_flags import JvmFlag, size_bytes  # noqa: E402
from linter.sources.osgi_config import OsgiConfig, OsgiEntry  # noqa: E402
from linter.sources.properties import PropertyEntry, commons_list  # noqa: E402
from linter.suggest import edit_distance, nearest  # noqa: E402

__all__ += [
    "CACHE_KEYS",
    "Cache",
    "EhcacheConfig",
    "Factory",
    "HostPort",
    "JGroupsStack",
    "JvmFlag",
    "KeyGlobs",
    "LazyPattern",
    "OsgiConfig",
    "OsgiEntry",
    "PropertyEntry",
    "Protocol",
    "ProtocolAttr",
    "Reference",
    "Unresolved",
    "and_list",
    "channel_keys",
    "commons_list",
    "edit_distance",
    "is_6x",
    "is_secret_key",
    "key_glob",
    "liferay_default",
    "memoize",
    "nearest",
    "node_names",
    "outliers",
    "parse_initial_hosts",
    "secret_digest",
    "size_bytes",
    "split_placeholder",
    "stack_label",
    "written_entries",
]

_SECRET_KEY = os.urandom(32)
try:
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - an interpreter built without _blake2
    from hashlib import blake2b as _blake2b


def secret_digest(value: str | None) -> str | None:
    """A keyed digest to compare secrets across nodes. The key is random per run, so the digest
    means nothing outside this process; never put it (or the value) in a finding. Keyed BLAKE2b
    (a MAC by design) from ``_blake2``: ``hmac``/``hashlib`` load OpenSSL, ~4 ms of every start."""
    if value is None:
        return None
    return _blake2b(value.encode("utf-8", "surrogatepass"), key=_SECRET_KEY, digest_size=32).hexdigest()


# ----------------------------------------------------------------------------- shared Liferay models for rules
# Knowledge several rules need lives once in linter.liferay.* (those modules never import this one);
# rules reach it through these re-exports.

from linter.liferay.addresses import AddressDecl, address_declarations  # noqa: E402
from linter.liferay.caches import (  # noqa: E402
    EHCACHE_CLUSTER_REPLICATOR,
    EHCACHE_HIBERNATE,
    EHCACHE_MANAGERS,
    EHCACHE_MULTI_VM,
    EHCACHE_REPLICATION_FLAG,
    EHCACHE_RMI_PROVIDER,
    EHCACHE_SINGLE_VM,
    HIBERNATE_SECOND_LEVEL,
    CacheFile,
    CacheView,
    PeerProvider,
    Replicator,
    cache_file,
    cache_file_label,
    cache_file_name,
    cache_files,
    describe_cache_file,
    setting_true,
    short_class,
)
from linter.liferay.channels import (  # noqa: E402
    CHANNEL_PREFIX,
    CHANNEL_SYSTEM_PROPERTIES,
    CLUSTER_LINK_ENABLED,
    JGROUPS_3_FAMILIES,
    TCP_TRANSPORTS,
    ChannelValue,
    channel_attribute,
    channel_keys,
    channel_stacks,
    channel_system_properties,
    channel_system_property,
    cluster_channel_keys,
    cluster_link_enabled,
    jgroups_value,
    port_number,
)
from linter.liferay.jdbc import (  # noqa: E402
    EMBEDDED_DATABASES,
    JDBC_PREFIXES,
    JdbcUrl,
    jndi_setting,
    parse_jdbc,
    url_defined,
)
from linter.liferay.memo import keys_with_prefix  # noqa: E402
from linter.liferay.memo import per_object as per_run  # noqa: E402
from linter.liferay.multicast import (  # noqa: E402
    MulticastGroup,
    MulticastValue,
    group_text,
    multicast_groups,
    normal_address,
    normal_port,
)
from linter.liferay.osgi import OVERRIDE_PREFIX, is_osgi_file  # noqa: E402
from linter.liferay.placeholders import is_unresolved  # noqa: E402
from linter.liferay.search import (  # noqa: E402
    ES2,
    ES6,
    ES7,
    ES7_CONNECTION,
    ES_CONNECTOR_NAMES,
    ES_CONNECTORS_BY_FAMILY,
    ES_TRANSPORT_FAMILIES,
    SearchConfig,
    SearchValue,
    is_remote_mode,
    other_search_engine,
    remote_config_elsewhere,
    search_configs,
    search_items,
    search_summary,
    search_text,
    short_search_pid,
)
from linter.liferay.stores import (  # noqa: E402
    DEFAULT_STORE_ROOT_7X,
    FS_STORE_PIDS,
    StoreLocation,
    store_impl,
    store_impl_key,
    store_kind,
    store_location,
)

__all__ += [
    "CHANNEL_PREFIX",
    "CHANNEL_SYSTEM_PROPERTIES",
    "CLUSTER_LINK_ENABLED",
    "DEFAULT_STORE_ROOT_7X",
    "EHCACHE_CLUSTER_REPLICATOR",
    "EHCACHE_HIBERNATE",
    "EHCACHE_MANAGERS",
    "EHCACHE_MULTI_VM",
    "EHCACHE_REPLICATION_FLAG",
    "EHCACHE_RMI_PROVIDER",
    "EHCACHE_SINGLE_VM",
    "EMBEDDED_DATABASES",
    "ES2",
    "ES6",
    "ES7",
    "ES7_CONNECTION",
    "ES_CONNECTORS_BY_FAMILY",
    "ES_CONNECTOR_NAMES",
    "ES_TRANSPORT_FAMILIES",
    "FS_STORE_PIDS",
    "HIBERNATE_SECOND_LEVEL",
    "JDBC_PREFIXES",
    "JGROUPS_3_FAMILIES",
    "OVERRIDE_PREFIX",
    "TCP_TRANSPORTS",
    "AddressDecl",
    "CacheFile",
    "CacheView",
    "ChannelValue",
    "JdbcUrl",
    "MulticastGroup",
    "MulticastValue",
    "PeerProvider",
    "Replicator",
    "SearchConfig",
    "SearchValue",
    "StoreLocation",
    "address_declarations",
    "cache_file",
    "cache_file_label",
    "cache_file_name",
    "cache_files",
    "channel_attribute",
    "channel_stacks",
    "channel_system_properties",
    "channel_system_property",
    "cluster_channel_keys",
    "cluster_link_enabled",
    "describe_cache_file",
    "group_text",
    "is_osgi_file",
    "is_remote_mode",
    "is_unresolved",
    "jgroups_value",
    "jndi_setting",
    "keys_with_prefix",
    "multicast_groups",
    "normal_address",
    "normal_port",
    "other_search_engine",
    "parse_jdbc",
    "per_run",
    "port_number",
    "remote_config_elsewhere",
    "search_configs",
    "search_items",
    "search_summary",
    "search_text",
    "setting_true",
    "short_class",
    "short_search_pid",
    "store_impl",
    "store_impl_key",
    "store_kind",
    "store_location",
    "url_defined",
]

# ----------------------------------------------------------------------------- version knowledge for rules

from linter.liferay.defaults import known_keys as _known_keys  # noqa: E402
from linter.liferay.defaults import verify_properties as _verify_properties  # noqa: E402
from linter.liferay.env import IMAGE_VARIABLES, NOT_PROPERTY_PREFIXES, Decoded, property_key  # noqa: E402

__all__ += [
    "IMAGE_VARIABLES",
    "NOT_PROPERTY_PREFIXES",
    "Decoded",
    "LegacyKey",
    "known_keys",
    "legacy_key",
    "legacy_table_for",
    "property_key",
]


def known_keys(family: str) -> frozenset[str]:
    """Every key Liferay's ``portal.properties`` of the family defines (with a default)."""
    return _known_keys(family)


class LegacyKey(NamedTuple):
    """A row of Liferay's VerifyProperties table: ``kind`` is obsolete, renamed,
    migrated-to-system-property, modularized-to-osgi-config (or a system-* variant)."""

    kind: str
    old_key: str
    new_key: str
    module: str
    table: str  # which VerifyProperties it comes from ("6.2.5-ga6", "master-2024-12")


def legacy_table_for(family: str) -> str | None:
    """The VerifyProperties table that applies to a family: 6.2.5's for 6.2, master's (2024-12) for
    7.x (an approximation for 7.0-7.3, whose own tables were not saved), none for 6.0/6.1."""
    if family == "6.2":
        return "6.2.5-ga6"
    if family.startswith("7."):
        return "master-2024-12"
    return None


def legacy_key(family: str, key: str) -> LegacyKey | None:
    """Whether Liferay's VerifyProperties of the family lists ``key`` as obsolete, renamed,
    migrated or modularized (generated from verify-properties-legacy-keys.tsv)."""
    table = legacy_table_for(family)
    if table is None:
        return None
    index = _legacy_index(table)
    return index.get(key)


@functools.cache
def _legacy_index(table: str) -> dict[str, LegacyKey]:
    out: dict[str, LegacyKey] = {}
    for kind, rows in _verify_properties().get(table, {}).items():
        for old, new, module in rows:
            out.setdefault(old, LegacyKey(kind, old, new, module, table))
    return out


from linter.liferay.mounts import container_path, mount_at, shared_mount  # noqa: E402
from linter.tree import Mount, Plugin  # noqa: E402

__all__ += ["Mount", "Plugin", "container_path", "mount_at", "shared_mount"]
