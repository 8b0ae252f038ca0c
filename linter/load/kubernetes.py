"""Kubernetes manifests (plain YAML, e.g. ``helm template`` output): Liferay pods as nodes.

A Deployment, StatefulSet, DaemonSet or Pod whose pod template runs a Liferay container is a
set of nodes (``replicas`` expand: StatefulSet pods are ``name-0``…, others ``name-1``…). A node
gets the container's ``env`` (``value``, ``configMapKeyRef``; ``envFrom`` ConfigMaps), JVM options
from ``LIFERAY_JVM_OPTS``/``JAVA_OPTS``/``CATALINA_OPTS`` and ``args``, and the ConfigMap or Secret
entries mounted into the container, read where Liferay looks for them. Findings point into the
manifest: a ConfigMap's literal block keeps its lines.

Secret values are never read into the model: an environment value taken from a Secret is
``${env.NAME}`` (known only at run time); a Secret mounted as a file is not read. Helm chart
sources (Go templates) are not rendered: render them with ``helm template`` first.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from typing import NamedTuple

from linter.load.deployment import (
    DeployedNode,
    Deployment,
    NoNodes,
    Unreadable,
    infer_home,
    mounts_liferay_configuration,
    unseen_image,
)
from linter.load.dockerfile import OFFICIAL_HOME, is_official_image, liferay_image, names_liferay
from linter.origin import Origin, OriginKind, Problem, ProblemKind
from linter.sources.env_file import EnvVar
from linter.sources.files import Limits, read_bytes
from linter.sources.jvm_flags import JvmFlag, flags_in_value
from linter.sources.tree import (
    Blob,
    MountSpec,
    MountTree,
    Source,
    image_mount_root,
    image_mounts,
    shadowed_mount_notes,
)
from linter.sources.yaml_safe import YNode, block_content, parse_yaml

WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod")
_TEMPLATE = re.compile(r"\{\{-?\s")
_MAX_FILES = 500


class _Doc(NamedTuple):
    display: str
    text: str
    node: YNode


def manifest_files(directory: Path, depth: int = 3) -> list[Path]:
    """YAML files in a directory and its subdirectories down to ``depth`` (sorted, no hidden
    directories, no links followed, at most a few hundred files)."""
    found: list[Path] = []
    base = str(directory).rstrip(os.sep).count(os.sep)
    for root, dirs, files in os.walk(directory):
        level = root.rstrip(os.sep).count(os.sep) - base
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if level < depth else []
        found += [Path(root) / f for f in sorted(files) if f.endswith((".yaml", ".yml"))]
        if len(found) > _MAX_FILES:
            break
    return found[:_MAX_FILES]


def is_manifest(data: bytes) -> bool:
    """A YAML document that declares a Kubernetes kind (cheap test, before parsing)."""
    return re.search(rb"(?m)^kind:\s*\S", data) is not None and re.search(rb"(?m)^apiVersion:", data) is not None


def is_helm_template(data: bytes) -> bool:
    return _TEMPLATE.search(data.decode("utf-8", "replace")) is not None


def read_manifests(
    files: list[Path], display_of: dict[Path, str], limits: Limits, name: str | None = None
) -> list[Deployment] | NoNodes | Problem | Unreadable:
    """Liferay workloads in a set of manifest files, one cluster per namespace; the problems that
    kept every file from being read when no workload could be."""
    docs: list[_Doc] = []
    problems: list[Problem] = []
    helm: list[tuple[str, int]] = []
    for path in files:
        display = display_of[path]
        data = read_bytes(path, display, limits)
        if isinstance(data, Problem):
            problems.append(data)
            continue
        if is_helm_template(data):
            match = _TEMPLATE.search(data.decode("utf-8", "replace"))
            line = data[: match.start()].count(b"\n") + 1 if match is not None else 1
            helm.append((display, line))
            continue
        parsed = parse_yaml(data, display)
        problems.extend(parsed.problems)
        for document in parsed.documents:
            if document.text("kind") == "List":
                listed = document.get("items")
                docs += [_Doc(display, parsed.text, item) for item in listed.items()] if listed else []
            elif isinstance(document.value, dict):
                docs.append(_Doc(display, parsed.text, document))
    first = display_of[files[0]] if files else ""
    config_maps = _index(docs, "ConfigMap")
    secrets = _index(docs, "Secret")
    by_namespace: dict[str, list[DeployedNode]] = {}
    notes: dict[str, list[str]] = {}
    for doc in docs:
        if doc.node.text("kind") not in WORKLOADS:
            continue
        namespace = _namespace(doc.node)
        for node in _workload_nodes(doc, config_maps, secrets, namespace, problems, notes.setdefault(namespace, [])):
            by_namespace.setdefault(namespace, []).append(node)
    if not by_namespace:
        if helm:
            return Problem(
                ProblemKind.UNREADABLE,
                "Helm chart template (Go template syntax), not rendered by liferay-ha-lint: run "
                "`helm template` and check its output",
                Origin(helm[0][0], helm[0][1], 1),
            )
        if problems:  # what could not be read is the finding, not "no Liferay here"
            return Unreadable(tuple(dict.fromkeys(problems)))
        return NoNodes(
            "no Deployment, StatefulSet, DaemonSet or Pod runs Liferay in these manifests (a liferay/portal "
            "or liferay/dxp image, LIFERAY_* variables, or mounts into /opt/liferay)",
            Origin(first),
        )
    root = files[0].parent
    out: list[Deployment] = []
    for namespace, nodes in by_namespace.items():
        cluster_name = name or nodes[0].name.rsplit("-", 1)[0]  # a directory's name, or the first workload's
        if len(by_namespace) > 1:
            cluster_name = f"{cluster_name}@{namespace}"
        out.append(
            Deployment(cluster_name, root, first, tuple(nodes), tuple(problems), tuple(notes.get(namespace, ())))
        )
        problems = []
    return out


def _namespace(node: YNode) -> str:
    metadata = node.get("metadata")
    return (metadata.text("namespace") if metadata else None) or "default"


def _index(docs: list[_Doc], kind: str) -> dict[tuple[str, str], _Doc]:
    out: dict[tuple[str, str], _Doc] = {}
    for doc in docs:
        if doc.node.text("kind") == kind:
            metadata = doc.node.get("metadata")
            name = metadata.text("name") if metadata else None
            if name:
                out[(_namespace(doc.node), name)] = doc
    return out


def _is_liferay(container: YNode) -> bool:
    if liferay_image(container.text("image")):
        return True
    env = container.get("env")
    if env and any((item.text("name") or "").startswith("LIFERAY_") for item in env.items()):
        return True
    mounts = container.get("volumeMounts")
    if mounts and any(mounts_liferay_configuration(m.text("mountPath") or "") for m in mounts.items()):
        return True
    return names_liferay(container.text("name") or "")


CLUSTER_LABEL = "liferay-ha-lint/cluster"


def _declared_cluster(metadata: YNode | None) -> str | None:
    """The cluster a workload says it belongs to: its ``liferay-ha-lint/cluster`` label or annotation."""
    for section in ("labels", "annotations"):
        found = metadata.get(section) if metadata is not None else None
        value = found.text(CLUSTER_LABEL) if found is not None else None
        if value:
            return value
    return None


def _workload_nodes(
    doc: _Doc,
    config_maps: dict[tuple[str, str], _Doc],
    secrets: dict[tuple[str, str], _Doc],
    namespace: str,
    problems: list[Problem],
    notes: list[str] | None = None,
) -> list[DeployedNode]:
    kind = doc.node.text("kind")
    metadata = doc.node.get("metadata")
    name = (metadata.text("name") if metadata else None) or "liferay"
    cluster = _declared_cluster(metadata)
    spec = doc.node.get("spec")
    if spec is None:
        return []
    pod = spec if kind == "Pod" else spec.at("template", "spec")
    if pod is None:
        return []
    containers = [c for c in pod.seq("containers") if _is_liferay(c)]
    if not containers:
        return []
    host_network = (pod.text("hostNetwork") or "").lower() == "true"
    networks = frozenset({"host" if host_network else f"Kubernetes namespace {namespace}"})
    container = containers[0]
    display = doc.display
    problems.extend(_misshapen(display, spec, pod, container, kind))
    env: list[EnvVar] = []
    for env_from in container.seq("envFrom"):
        prefix = env_from.text("prefix") or ""
        ref = env_from.get("configMapRef")
        if ref is not None and ref.text("name"):
            cm = config_maps.get((namespace, ref.text("name") or ""))
            if cm is not None:
                data = cm.node.get("data")
                for key, value in data.mapping().items() if data else []:
                    origin = value.origin(cm.display)._replace(kind=OriginKind.ENV, detail=prefix + key)
                    env.append(EnvVar(prefix + key, value.scalar, origin))
        secret_ref = env_from.get("secretRef")
        if secret_ref is not None and secret_ref.text("name"):
            secret = secrets.get((namespace, secret_ref.text("name") or ""))
            if secret is not None:
                for section in ("data", "stringData"):
                    entries = secret.node.get(section)
                    for key, entry in (entries.mapping() if entries is not None else {}).items():
                        origin = entry.origin(secret.display)._replace(kind=OriginKind.ENV, detail=prefix + key)
                        env.append(EnvVar(prefix + key, "${env." + prefix + key + "}", origin))
    for item in container.seq("env"):
        var = item.text("name")
        if not var:
            continue
        value_node = item.get("value")
        value_from = item.get("valueFrom")
        if value_node is not None:
            origin = value_node.origin(display)._replace(
                line=item.line, column=item.column, kind=OriginKind.ENV, detail=var
            )
            env.append(EnvVar(var, value_node.scalar or "", origin))
        elif value_from is not None:
            origin = Origin(display, item.line, item.column, kind=OriginKind.ENV, detail=var)
            cm_ref = value_from.get("configMapKeyRef")
            env_value = "${env." + var + "}"  # a Secret, a field of the pod: known at run time only
            if cm_ref is not None:
                cm = config_maps.get((namespace, cm_ref.text("name") or ""))
                cm_data = cm.node.get("data") if cm is not None else None
                cm_entry = cm_data.get(cm_ref.text("key") or "") if cm_data is not None else None
                if cm is not None and cm_entry is not None and cm_entry.scalar is not None:
                    env_value = cm_entry.scalar
                    origin = cm_entry.origin(cm.display)._replace(kind=OriginKind.ENV, detail=var)
            env.append(EnvVar(var, env_value, origin))
    env = _expand_references(env, problems)
    flags: list[JvmFlag] = []
    for key in ("command", "args"):
        for arg in container.seq(key):
            text = arg.scalar or ""
            if text.startswith(("-D", "-X")) or " -D" in text:
                flags += flags_in_value(text, display, arg.line, arg.column)
    image = container.text("image")
    image_node = container.get("image")
    image_origin = image_node.origin(display) if image_node is not None else None
    env_home = next((v.value for v in env if v.name == "LIFERAY_HOME" and v.value), None)
    mount_paths = [m.text("mountPath") or "" for m in container.seq("volumeMounts")]
    home = env_home or (OFFICIAL_HOME if is_official_image(container.text("image")) else infer_home(mount_paths))
    volumes = {v.text("name"): v for v in pod.seq("volumes")}
    claim_templates = {
        metadata.text("name")
        for template in spec.seq("volumeClaimTemplates")
        if (metadata := template.get("metadata")) is not None
    }
    tree_mounts: list[tuple[str, Source]] = []
    shared: list[MountSpec] = []
    for mount in container.seq("volumeMounts"):
        target = mount.text("mountPath")
        volume_name = mount.text("name") or ""
        if not target:
            continue
        sub_path = mount.text("subPath") or ""
        origin = mount.origin(display)
        volume = volumes.get(volume_name)
        if volume is None:
            if volume_name in claim_templates:
                shared.append(
                    MountSpec(target, f"claim template {volume_name}", f"pvc:{namespace}/{volume_name}", origin, True)
                )
            else:
                problems.append(
                    Problem(
                        ProblemKind.UNRESOLVED_REFERENCE,
                        f"volumeMount names volume {volume_name!r}, which the pod does not define",
                        origin,
                    )
                )
            continue
        source = _volume_source(volume, config_maps, namespace, sub_path, problems, origin)
        if source is not None:
            tree_mounts += image_mounts(target, source, home)
        identity, label, per_pod = _volume_identity(volume, namespace)
        shared.append(MountSpec(target, label, identity + (f"/{sub_path}" if sub_path else ""), origin, per_pod))
    targets = [t for t, _ in tree_mounts] + [m.target for m in shared]
    if notes is not None:
        notes.extend(shadowed_mount_notes(shared, targets))
    tree = MountTree(home, tree_mounts, image_mount_root(targets))
    replicas_text = spec.text("replicas") if kind not in ("Pod", "DaemonSet") else "1"
    replicas = int(replicas_text) if replicas_text and replicas_text.isdigit() else 1
    replicas = max(0, min(replicas, 1000))
    start = 0 if kind == "StatefulSet" else 1
    out: list[DeployedNode] = []
    for index in range(start, start + replicas):
        pod_name = name if kind == "Pod" else f"{name}-{index}"
        mounts = tuple(spec.for_node(pod_name) for spec in shared)
        evidence = ((image, image_origin),) if image and image_origin else ()
        out.append(
            DeployedNode(
                pod_name,
                tree,
                tuple(env),
                tuple(flags),
                (),
                (display,),
                mounts,
                image,
                image_origin,
                evidence,
                cluster,
                networks,
                unseen_image(image, False),
            )
        )
    return out


_LISTS = ("env", "envFrom", "volumeMounts", "command", "args")


def _misshapen(display: str, spec: YNode, pod: YNode, container: YNode, kind: str | None) -> list[Problem]:
    """A field the reader uses that has the wrong type is said (MALFORMED), not passed over: a
    Kubernetes API server would reject the manifest, so the node's settings here are incomplete."""
    wrong: list[tuple[str, YNode, str]] = []
    for key in _LISTS:
        node = container.get(key)
        if node is not None and node.value is not None and not isinstance(node.value, list):
            wrong.append((f"containers[].{key}", node, "a list"))
    for key, node in (("volumes", pod.get("volumes")), ("volumeClaimTemplates", spec.get("volumeClaimTemplates"))):
        if node is not None and node.value is not None and not isinstance(node.value, list):
            wrong.append((key, node, "a list"))
    for where, items in (
        ("containers[].env", container.seq("env")),
        ("containers[].volumeMounts", container.seq("volumeMounts")),
        ("volumes", pod.seq("volumes")),
    ):
        wrong += [(f"an entry of {where}", item, "a mapping") for item in items if not isinstance(item.value, dict)]
    replicas = spec.get("replicas") if kind not in ("Pod", "DaemonSet") else None
    if replicas is not None and replicas.value is not None and not (replicas.scalar or "").isdigit():
        wrong.append(("replicas", replicas, "a whole number"))
    return [
        Problem(ProblemKind.MALFORMED, f"Kubernetes manifest: {what} must be {expected}; ignored", node.origin(display))
        for what, node, expected in wrong
    ]


def _volume_source(
    volume: YNode,
    config_maps: dict[tuple[str, str], _Doc],
    namespace: str,
    sub_path: str,
    problems: list[Problem],
    origin: Origin,
) -> Source | None:
    cm_ref = volume.get("configMap")
    if cm_ref is None:
        return None  # claims, emptyDir, Secrets (never read): no file content we can see
    cm = config_maps.get((namespace, cm_ref.text("name") or ""))
    if cm is None:
        problems.append(
            Problem(
                ProblemKind.UNRESOLVED_REFERENCE,
                f"ConfigMap {cm_ref.text('name')!r} is mounted but not in the manifests given: its files are unknown",
                origin,
            )
        )
        return None
    data = cm.node.get("data")
    entries = data.mapping() if data else {}
    items = cm_ref.get("items")
    names: list[tuple[str, str]] = (
        [(i.text("key") or "", i.text("path") or "") for i in items.items()] if items else [(k, k) for k in entries]
    )
    folder: list[tuple[str, Blob]] = []
    for key, file_name in names:
        value = entries.get(key)
        if value is None:
            continue
        display = f"{cm.display}"
        folder.append((posixpath.normpath(file_name), Blob(block_content(cm.text, value, file_name), display)))
    if sub_path:
        blob = next((b for n, b in folder if n == sub_path), None)
        return Source(blob=blob) if blob is not None else None
    return Source(folder=tuple(folder))


def _volume_identity(volume: YNode, namespace: str) -> tuple[str, str, bool]:
    """(identity, label, per-pod) of a pod volume: a claim or NFS export is shared by every pod
    that mounts it; emptyDir, hostPath and the like are each pod's own."""
    claim = volume.get("persistentVolumeClaim")
    if claim is not None:
        name = claim.text("claimName") or "?"
        return f"pvc:{namespace}/{name}", f"claim {name}", False
    nfs = volume.get("nfs")
    if nfs is not None:
        where = f"{nfs.text('server')}:{nfs.text('path')}"
        return f"nfs:{where}", f"NFS {where}", False
    for kind in ("configMap", "secret"):
        ref = volume.get(kind)
        if ref is not None:
            name = ref.text("name") or ref.text("secretName") or "?"
            return f"{kind}:{namespace}/{name}", f"{kind} {name}", True
    kinds = [k for k in volume.mapping() if k != "name"]
    kind = kinds[0] if kinds else "volume"
    return f"{kind}:{volume.text('name')}", f"{kind} {volume.text('name')}", True


_REFERENCE = re.compile(r"\$\$|\$\((\w+)\)")
MAX_EXPANDED_VALUE = 1 << 20  # characters of one env value once its $(NAME) references are replaced
MAX_EXPANDED_TOTAL = 16 << 20  # characters of all of a container's expanded values


def _expand_references(env: list[EnvVar], problems: list[Problem]) -> list[EnvVar]:
    """Kubernetes' ``$(NAME)`` in an env value: replaced by a variable defined earlier in the
    list; ``$$`` is a literal ``$``; a reference to nothing known stays as written. A value that
    would grow past the budgets above (references that double at each step) is left as written,
    and refused in ``problems``."""
    known: dict[str, str] = {}
    out: list[EnvVar] = []
    budget = MAX_EXPANDED_TOTAL
    for var in env:
        value = var.value
        if value is not None and "$" in value:
            size = len(value)
            for m in _REFERENCE.finditer(value):
                size += len(known.get(m.group(1) or "", ""))
            if size > min(MAX_EXPANDED_VALUE, budget):
                what = f"over {MAX_EXPANDED_VALUE} characters" if size > MAX_EXPANDED_VALUE else "over the budget"
                problems.append(
                    Problem(
                        ProblemKind.REFUSED,
                        f"$(...) references in {var.name} not expanded: the value would grow {what}"
                        + ("" if size > MAX_EXPANDED_VALUE else f" of {MAX_EXPANDED_TOTAL} characters per container"),
                        var.origin,
                    )
                )
            else:
                budget -= size

                def repl(m: re.Match[str]) -> str:
                    if m.group(0) == "$$":
                        return "$"
                    return known.get(m.group(1), m.group(0))

                value = _REFERENCE.sub(repl, value)
        if value is not None:
            known[var.name] = value
        out.append(var._replace(value=value))
    return out
