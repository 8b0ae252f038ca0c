"""HA610 liferay-version-mismatch: the nodes of one cluster run different Liferay versions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from linter.ruleapi import (
    ERROR,
    WARNING,
    Cluster,
    Context,
    Finding,
    Label,
    Node,
    Origin,
    OriginKind,
    label_at,
    node_names,
    outliers,
    rule,
)
from linter.ruleapi.releases import boundary, parse_release


def _evidence(node: Node) -> str:
    """The heaviest piece of evidence for the node's version, without the file it is in."""
    first = node.version_source.removeprefix("evidence: ").split("; ", 1)[0]
    return first.rsplit(": ", 1)[-1] if ": " in first else first


def _label(node: Node) -> Label:
    text = f"Liferay {node.version}"
    if node.version_origin is not None and node.version_origin.line is not None:
        return label_at(node, node.version_origin, text)
    return label_at(node, Origin(file=node.path, kind=OriginKind.COMPUTED, detail=_evidence(node)), text)


@rule(
    id="HA610",
    since="0.2.0",
    name="liferay-version-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="all",
    tags=("version", "upgrade"),
    summary="The nodes of one cluster run different Liferay versions, or different 7.4 releases.",
    rationale=(
        "Every node of a cluster shares one database, whose schema belongs to one Liferay version: a node of "
        "another version refuses to start on it or upgrades it under the others. Liferay versions also ship "
        "different JGroups generations (JGroups 3 up to 7.1, JGroups 4 from 7.2 SP1/GA2, JGroups 5 in the "
        "2026 quarterly releases), whose nodes cannot join one Cluster Link channel. Each node's version is "
        "taken from its own evidence, heaviest first: the image tag or Dockerfile base image, the bundle's "
        "folder name, OSGi configuration files, then property keys; the finding names the evidence of each "
        "side. A directory that holds two separate clusters (a 6.2 and a 7.4 setup) gets this finding too: "
        "check each cluster directory on its own. Within 7.4 the release counts too (image tags such as "
        "2025.q1.12-lts and 2026.q1.3-lts, DXP updates, CE GA builds): Liferay treats each quarterly release as "
        "a new major version; nodes on both sides of the 2026.Q1 switch from the Elasticsearch 7 to the "
        "Elasticsearch 8 connector, or of the JGroups 4 to 5 switch (mid 2026), are an error; other release or "
        "patch differences a warning (the same patch level is required, but the nodes may still meet)."
    ),
    fix=(
        "Run one Liferay version on every node (the same image tag or bundle), or, if these are different "
        "clusters, check each one on its own (one directory, compose project or manifest cluster per cluster)."
    ),
    sources=(
        "Liferay Help Center, 'Installing DXP in a Clustered Environment': patch levels are identical for each "
        "node, https://help.liferay.com/hc/pt/articles/360017801591",
        "Liferay Learn, 'Configuring Unicast over TCP': JGroups 4 from DXP 7.2 SP1 / Portal 7.2 GA2 rejects "
        "JGroups 3 stacks, https://learn.liferay.com/w/dxp/installation-and-upgrades/setting-up-liferay/"
        "clustering-for-high-availability/configuring-unicast-over-tcp",
        "Liferay Learn, 'Connecting to Elasticsearch': elasticsearch8 for DXP 2026.Q1+, elasticsearch7 for 7.3 to "
        "2025.Q4, https://learn.liferay.com/w/dxp/search/installing-and-upgrading-a-search-engine/elasticsearch/"
        "connecting-to-elasticsearch",
        "JGroups TP.versionMatch drops messages from another major.minor version, https://github.com/belaban/"
        "JGroups/blob/jgroups-5.5.6.Final/src/org/jgroups/protocols/TP.java",
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    groups: dict[str, list[Node]] = defaultdict(list)
    for node in cluster.nodes:
        if node.version is not None:
            groups[node.version].append(node)
    for version, nodes, others, tie in outliers(groups):
        related = tuple(_label(n) for _, ns in others for n in ns)
        rest = "; ".join(f"{node_names(ns)} {'runs' if len(ns) == 1 else 'run'} {v}" for v, ns in others)
        for node in nodes:
            yield Finding(
                f"{node.name} runs Liferay {version} ({_evidence(node)}), but {rest}"
                + (" (as many nodes on each)" if tie else "")
                + ": nodes of different Liferay versions cannot form one cluster",
                _label(node),
                related,
                help="run the same Liferay version on every node, or check separate clusters one by one",
                subject=f"version:{version}",
            )
    if len(groups) == 1:
        yield from _releases(cluster)


def _releases(cluster: Cluster) -> Iterator[Finding]:
    """Nodes of one family on different 7.4-family releases (two image tags, a half-done rolling
    upgrade): an error across the search connector or JGroups switch, a warning otherwise."""
    groups: dict[str, list[Node]] = defaultdict(list)
    for node in cluster.nodes:
        if node.release is not None:
            groups[node.release].append(node)
    for text, nodes, others, tie in outliers(groups):
        mine = parse_release(text)
        if mine is None:
            continue
        crossing = [b for v, _ in others if (theirs := parse_release(v)) is not None and (b := boundary(mine, theirs))]
        related = tuple(_label(n) for _, ns in others for n in ns)
        rest = "; ".join(f"{node_names(ns)} {'runs' if len(ns) == 1 else 'run'} {v}" for v, ns in others)
        why = (
            crossing[0]
            if crossing
            else "Liferay requires the same release and patch level on every node of a cluster (one schema)"
        )
        for node in nodes:
            yield Finding(
                f"{node.name} runs {text} ({_evidence(node)}), but {rest}"
                + (" (as many nodes on each)" if tie else "")
                + f": {why}",
                _label(node),
                related,
                help="run the same release (the same image tag) on every node; finish the rolling upgrade",
                subject=f"release:{text}",
                severity=None if crossing else WARNING,
            )
