"""HA609 hot-deploy-folder-shared: several containers use one volume as their hot-deploy folder."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from linter.ruleapi import WARNING, Cluster, Context, Finding, Node, label_at, node_names, rule
from linter.ruleapi.mounts import Mount, container_path, mount_at

DEPLOY_DIR = "auto.deploy.deploy.dir"
IMAGE_DEPLOY = "/mnt/liferay/deploy"  # the official images link it to ${liferay.home}/deploy


def _deploy_mount(node: Node) -> tuple[Mount, str] | None:
    """The storage mounted as the node's hot-deploy folder, and the folder's path in the container."""
    setting = node.setting(DEPLOY_DIR)
    paths = [container_path(node, setting.value if setting is not None else "${liferay.home}/deploy")]
    paths.append(IMAGE_DEPLOY)
    for path in paths:
        if path is None:
            continue
        mount = mount_at(node, path)
        # a mount of a parent folder (all of /mnt/liferay) is not judged: its deploy folder may not exist
        if mount is not None and len(mount.target.rstrip("/")) >= len(path.rstrip("/")):
            return mount, path
    return None


@rule(
    id="HA609",
    name="hot-deploy-folder-shared",
    severity=WARNING,
    scope="cluster",
    versions="all",
    tags=("deploy", "containers"),
    summary="Several containers of a compose file or Kubernetes workload mount one volume, bind path or "
    "claim as their hot-deploy folder.",
    rationale=(
        "Liferay's auto-deploy scanner moves each file out of the hot-deploy folder (auto.deploy.deploy.dir, "
        "${liferay.home}/deploy by default, /opt/liferay/deploy in the official images, which also link "
        "/mnt/liferay/deploy to it) once it has deployed it. When several nodes watch one shared folder, the "
        "first node to scan takes the plugin away and the others never deploy it, so the nodes end up running "
        "different plugins (HA608). The clustering guides ask for a separate hot-deploy folder per node. "
        "Replicas of one compose service or Kubernetes Deployment share every named volume or claim they "
        "mount; a StatefulSet's volumeClaimTemplates give each pod its own."
    ),
    fix="Give each node its own hot-deploy folder (a per-pod claim, a volume per service, or no volume at "
    "all) and deploy plugins to every node, or bake them into the image.",
    # facts: liferay-ha-facts.md §7.2; RULES.md HA609
    sources=(
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' ('the hot deploy folder "
            "should be a separate folder for all the nodes'): https://github.com/liferay/liferay-docs/blob/0b22f2fc/"
            "userGuide/en/chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay DXP 7.0 deployment guide, 'Liferay Clustering': https://github.com/liferay/liferay-docs/blob/"
            "007b7482/discover/deployment/articles-dxp/03-configuring-liferay/03-liferay-clustering.markdown"
        ),
        (
            "Liferay Learn, 'Installing Apps and Other Artifacts to Containers' (/mnt/liferay/deploy is linked to /"
            "opt/liferay/deploy): https://learn.liferay.com/w/dxp/installation-and-upgrades/installing-liferay/"
            "using-liferay-docker-images/installing-apps-and-other-artifacts-to-containers"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    groups: dict[str, list[tuple[Node, Mount, str]]] = defaultdict(list)
    for node in cluster.nodes:
        if node.deployment not in ("compose", "kubernetes"):
            continue
        found = _deploy_mount(node)
        if found is not None:
            groups[found[0].identity].append((node, *found))
    for identity in sorted(groups):
        members = groups[identity]
        if len(members) < 2:
            continue
        first, mount, path = members[0]
        names = node_names([n for n, _m, _p in members], limit=4)
        related = tuple(label_at(n, m.origin, f"{n.name}: {m.source} at {m.target}") for n, m, _p in members[1:])
        yield Finding(
            f"{len(members)} nodes ({names}) use one {mount.source} as their hot-deploy folder ({path}): the "
            "first node to scan it moves each plugin away, so the others never deploy it",
            label_at(first, mount.origin, f"{first.name}: {mount.source} at {mount.target}"),
            related,
            help="give every node its own hot-deploy folder, and deploy each plugin to every node",
            subject=f"deploy:{identity}",
        )
