"""HA803 jvm-options-drift: heap, GC or other JVM options differ between nodes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterator
from dataclasses import dataclass

from linter.ruleapi import INFO, Cluster, Confidence, Context, Finding, Node, Origin, Setting, agreement, rule
from linter.ruleapi.jvm import JvmFlag, size_bytes
from linter.ruleapi.secrets import is_secret_key, secret_digest
from linter.ruleapi.text import KeyGlobs, LazyPattern

# Options that name the node itself or its own paths (facts §7.2: jgroups.bind_addr per node;
# initial_hosts is HA111's; JMX/RMI host names, dump and log paths, app-server node names).
NODE_SPECIFIC = (
    "-Djgroups.bind_addr",
    "-Djgroups.external_addr",
    "-Djgroups.tcpping.initial_hosts",
    "-Djava.rmi.server.hostname",
    "-Dcom.sun.management.jmxremote.*",
    "-Djboss.node.name",
    "-Djboss.server.*",
    "-Djboss.bind.address*",
    "-Dweblogic.Name",
    "-Dcatalina.*",
    "-Djava.io.tmpdir",
    "-Dliferay.home",
    "-XX:HeapDumpPath",
    "-XX:ErrorFile",
    "-Xloggc:*",
    "-Xlog:*",
)


@dataclass(frozen=True)
class Options:
    exclude: tuple[str, ...] = ()  # more option names (globs, e.g. "-Dnewrelic.*") never compared
    compare_node_specific: bool = False  # also compare the built-in node-specific options


def _size(value: str | None) -> str | None:
    found = size_bytes(value)
    return str(found) if found is not None else None


def _identity(flag: JvmFlag) -> tuple[str, str]:
    """(option name, comparable value) of a flag."""
    text = flag.text
    if flag.is_system_property:
        return f"-D{flag.name}", flag.value or ""
    if flag.name in ("-Xmx", "-Xms", "-Xss", "-Xmn"):
        return flag.name, _size(flag.value) or (flag.value or "")
    if text.startswith(("-XX:+", "-XX:-")):
        return "-XX:" + text[5:], text[4]
    if text.startswith("-XX:") and "=" in text:
        return flag.name, flag.value or ""
    return text, "present"


_COLLECTOR = LazyPattern(r"-XX:([+-])Use(\w+?)(?:Old)?GC")
GARBAGE_COLLECTOR = "garbage-collector"


def _options(node: Node) -> dict[str, tuple[str, JvmFlag]]:
    out: dict[str, tuple[str, JvmFlag]] = {}
    collectors: dict[str, JvmFlag] = {}
    for flag in node.jvm_flags:
        if flag.unresolved:
            continue
        m = _COLLECTOR.fullmatch(flag.text)
        if m:  # the collector is one choice, however many flags select it
            if m.group(1) == "+":
                collectors[m.group(2)] = flag
            else:
                collectors.pop(m.group(2), None)
            continue
        name, value = _identity(flag)
        out[name] = (value, flag)  # the JVM uses the last occurrence
    if collectors:
        last = max(collectors.values(), key=lambda f: (f.origin.file, f.origin.line or 0, f.origin.column or 0))
        out[GARBAGE_COLLECTOR] = (",".join(sorted(collectors)), last)
    return out


def _jvm_file(node: Node) -> str:
    for flag in node.jvm_flags:
        if flag.origin.file:
            return flag.origin.file
    return node.path


@rule(
    id="HA803",
    name="jvm-options-drift",
    severity=INFO,
    scope="cluster",
    versions="all",
    tags=("production", "jvm", "drift"),
    summary="Heap, garbage collector or other JVM options differ between nodes.",
    rationale=(
        "Nodes behind one load balancer should run with the same heap, collector and JVM options; otherwise "
        "one node pauses, runs out of memory or behaves differently under the same load, which is hard to "
        "diagnose. Options are compared by name (the last occurrence counts, as in the JVM; -Xmx sizes in "
        "bytes, -XX:+/-Flag as on/off), nodes without any known JVM options are skipped, and options that "
        "name the node itself (-Djgroups.bind_addr, JMX/RMI host names, dump and log paths, ...) are not "
        "compared. Values of secret-looking options are compared without being shown. Tuning advice, hence "
        "info."
    ),
    fix="Use the same setenv.sh / LIFERAY_JVM_OPTS on every node, keeping only node-specific -D flags apart.",
    # facts: liferay-ha-facts.md §7.3, §7.2
    sources=(
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (JVM tuning advice): https://"
            "github.com/liferay/liferay-docs/blob/0b22f2fc/userGuide/en/chapters/"
            "20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay Learn, 'Configuring Unicast over TCP' (-Djgroups.bind_addr is set per node): https://"
            "learn.liferay.com/w/dxp/installation-and-upgrades/setting-up-liferay/clustering-for-high-availability/"
            "configuring-unicast-over-tcp"
        ),
    ),
    options=Options,
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    options: Options = ctx.options or Options()
    patterns = KeyGlobs((*options.exclude, *(() if options.compare_node_specific else NODE_SPECIFIC)))
    nodes = [n for n in cluster.nodes if any(not f.unresolved for f in n.jvm_flags)]
    if len(nodes) < 2:
        return
    per_node = {n.name: _options(n) for n in nodes}
    names = sorted({name for opts in per_node.values() for name in opts})
    for name in names:
        if not patterns.matches(name):
            yield from _compare(cluster, name, per_node)


def _compare(cluster: Cluster, name: str, per_node: dict[str, dict[str, tuple[str, JvmFlag]]]) -> Iterator[Finding]:
    secret = is_secret_key(name)

    def value_of(node: Node) -> Hashable:
        found = per_node[node.name].get(name)
        if found is None:
            return None
        return secret_digest(found[0]) if secret else found[0]

    values = Counter(value_of(n) for n in cluster.nodes if n.name in per_node)
    if len(values) < 2:
        return
    secret_names = {v: f"value {chr(ord('A') + i)}" for i, (v, _) in enumerate(values.most_common())}
    texts: dict[Hashable, str] = {}
    for node in cluster.nodes:
        found = per_node.get(node.name, {}).get(name)
        if found is not None:
            texts.setdefault(value_of(node), found[1].text)

    def show(value: Hashable) -> str:
        if value is None:
            return "the JVM default" if name == GARBAGE_COLLECTOR else "no such option"
        if secret:
            return f"{secret_names[value]} (secret, not shown)"
        if name == GARBAGE_COLLECTOR:
            return " ".join(f"-XX:+Use{c}GC" for c in str(value).split(","))
        return texts[value]

    def setting_of(node: Node) -> Setting:
        found = per_node[node.name].get(name)
        if found is None:  # the whole file that sets the node's JVM options
            return Setting(name, "", "", Origin(file=_jvm_file(node)), Confidence.EXPLICIT)
        flag = found[1]
        return Setting(name, flag.text, flag.text, flag.origin, Confidence.EXPLICIT)

    yield from agreement(
        cluster,
        value_of,
        setting_of,
        what="The garbage collector" if name == GARBAGE_COLLECTOR else f"JVM option {name}",
        show=show,
        subject=name,
        help="use the same JVM options on every node",
        skip=lambda n: n.name not in per_node,
    )
