"""HA608 deployed-plugins-drift: the plugins deployed on the nodes differ."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterator

from linter.ruleapi import WARNING, Cluster, Confidence, Context, Finding, Node, Origin, Setting, agreement, rule
from linter.ruleapi.mounts import Plugin

# node kinds whose deployed plugins we can see: a directory (a live home, a bundle) or an archive;
# a container's plugins mostly come from its image, which the deployment files do not show
_SEEN = (None, "archive")


def _show(value: Hashable) -> str:
    if value is None:
        return "no such file"
    text = str(value)
    return "deployed, content unreadable" if text == "?" else f"sha256 {text[:12]}"


@rule(
    id="HA608",
    name="deployed-plugins-drift",
    severity=WARNING,
    scope="cluster",
    versions="all",
    tags=("drift", "deploy"),
    summary="The plugins deployed on the nodes (osgi/modules, osgi/war, osgi/marketplace, deploy/) differ: "
    "a plugin is missing on some nodes or its content differs.",
    rationale=(
        "A hot-deployed plugin is installed only on the node whose deploy folder received it: Liferay's "
        "clustering guides ask to deploy every plugin to every node (each node has its own hot-deploy "
        "folder, and nothing copies plugins between nodes). A module present on some nodes only, or built "
        "differently on each, makes the nodes run different code: pages and services work on one node and "
        "fail on another, and cache or cluster messages between different module versions may not be "
        "understood. Files are matched by name across osgi/modules, osgi/war, osgi/marketplace and deploy/ "
        "(a plugin waiting in deploy/ is compared with its installed copy), and their content by SHA-256. "
        "Only nodes whose files are visible are compared: live Liferay homes, bundles and archives; a "
        "container's plugins usually come from its image."
    ),
    fix="Deploy the same plugin files to every node (the same build), or remove them everywhere.",
    # facts: liferay-ha-facts.md §7.2; RULES.md HA608
    sources=(
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (section 'Hot Deploy': "
            "plugins must be deployed to each node): https://github.com/liferay/liferay-docs/blob/0b22f2fc/userGuide/"
            "en/chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay DXP 7.0 deployment guide, 'Liferay Clustering': https://github.com/liferay/liferay-docs/blob/"
            "007b7482/discover/deployment/articles-dxp/03-configuring-liferay/03-liferay-clustering.markdown"
        ),
        (
            "Liferay Learn, 'Clustering for High Availability': https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/setting-up-liferay/clustering-for-high-availability"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    nodes = [n for n in cluster.nodes if n.deployment in _SEEN]
    if len(nodes) < 2 or not any(n.plugins for n in nodes):
        return
    by_name: dict[str, dict[str, Plugin]] = defaultdict(dict)
    for node in nodes:
        for plugin in node.plugins:
            by_name[plugin.name].setdefault(node.name, plugin)
    seen = {n.name for n in nodes}
    for name in sorted(by_name):
        present = by_name[name]

        def value_of(node: Node, present: dict[str, Plugin] = present) -> Hashable:
            plugin = present.get(node.name)
            return None if plugin is None else (plugin.digest or "?")

        def setting_of(node: Node, present: dict[str, Plugin] = present, name: str = name) -> Setting:
            plugin = present.get(node.name)
            if plugin is None:
                origin = Origin(file=node.path, detail=f"{name} not deployed")
                return Setting(name, "", "", origin, Confidence.EXPLICIT)
            value = plugin.digest or "?"
            return Setting(name, value, value, plugin.origin, Confidence.EXPLICIT)

        yield from agreement(
            cluster,
            value_of,
            setting_of,
            what=f"deployed plugin {name}",
            show=_show,
            subject=name,
            help=f"deploy the same {name} to every node, or remove it everywhere",
            skip=lambda n, seen=seen: n.name not in seen,  # type: ignore[misc]
        )
