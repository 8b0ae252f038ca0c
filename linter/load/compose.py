"""docker-compose files: every service that runs Liferay is a node (replicas expand).

What a node gets from its service, with the compose file's line as origin: ``environment``
(list and mapping forms), ``env_file``, JVM options from ``LIFERAY_JVM_OPTS``/``JAVA_OPTS``/
``CATALINA_OPTS`` and ``command``/``entrypoint``, and the files bound into the container
(``volumes``) or copied by the service's Dockerfile (``COPY``/``ADD``), seen where Liferay looks
for them. ``${VAR}``, ``${VAR:-default}`` and ``${VAR-default}`` are interpolated from the
project's ``.env`` file, never from the auditing machine's environment; a variable nothing
defines is left to the environment compose will run in, written ``${env.VAR}`` (Liferay's own
syntax for a run-time environment value), so the value counts as unresolved, not as empty.

Several files given together merge as ``docker compose -f a -f b`` does: services by name,
``environment`` by variable, ``volumes`` by target, other keys replaced.
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
    infer_home,
    mounts_liferay_configuration,
    unseen_image,
)
from linter.load.dockerfile import (
    OFFICIAL_HOME,
    Dockerfile,
    is_official_image,
    liferay_image,
    names_liferay,
    parse_dockerfile,
)
from linter.origin import Origin, OriginKind, Problem, ProblemKind
from linter.sources.env_file import EnvVar, parse_compose_env_text
from linter.sources.files import Limits, audit_roots, read_bytes, within
from linter.sources.input_names import COMPOSE_NAMES, find_compose_file, looks_like_compose, override_for
from linter.sources.jvm_flags import JvmFlag, flags_in_value
from linter.sources.tree import MountSpec, MountTree, Source, image_mount_root, image_mounts, shadowed_mount_notes
from linter.sources.yaml_safe import YNode, parse_yaml

__all__ = ["COMPOSE_NAMES", "find_compose_file", "looks_like_compose", "override_for", "read_compose"]
_INTERPOLATION = re.compile(r"\$\$|\$\{(\w+)(?:(:?[-?+])([^}]*))?\}|\$(\w+)")


def interpolate(text: str, variables: dict[str, str]) -> str:
    def repl(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        name = m.group(1) or m.group(4)
        op, arg = m.group(2), m.group(3) or ""
        value = variables.get(name)
        if op in (":-", "-"):
            if value is None or (op == ":-" and value == ""):
                return interpolate(arg, variables)
            return value
        if op in (":+", "+"):
            return interpolate(arg, variables) if value not in (None, "") or (op == "+" and value is not None) else ""
        # nothing defines it here: the value comes from the environment compose runs in
        return value if value is not None else "${env." + name + "}"

    return _INTERPOLATION.sub(repl, text)


class _Reader:
    def __init__(self, files: list[Path], display_of: dict[Path, str], limits: Limits) -> None:
        self.files = files
        self.display_of = display_of
        self.problems: list[Problem] = []
        self.notes: list[str] = []  # what is not read and need not be: data bound from the host
        self.project_dir = files[0].parent
        # nothing outside the compose project is read (env files, .env, Dockerfiles, bound files)
        self.limits = limits._replace(roots=audit_roots([self.project_dir]))
        self.variables: dict[str, str] = {}
        self.networks: dict[str, str] = {}  # top-level networks: external ones by their real name, else ""
        dotenv = self.project_dir / ".env"
        if os.path.lexists(dotenv):
            data = read_bytes(dotenv, _display(dotenv), self.limits)
            if isinstance(data, Problem):
                if not within(dotenv, self.project_dir):
                    data = Problem(
                        ProblemKind.REFUSED,
                        ".env is a link out of the compose project; not read (its variables are unknown)",
                        Origin(display_of[files[0]]),
                    )
                self.problems.append(data)
            else:
                parsed = parse_compose_env_text(data.decode("utf-8", errors="replace"), str(dotenv))
                self.variables = {v.name: v.value for v in parsed.variables if v.value is not None}

    def text(self, node: YNode | None) -> str | None:
        if node is None or node.scalar is None:
            return None
        return interpolate(node.scalar, self.variables)


class _Service(NamedTuple):
    name: str
    nodes: list[tuple[str, YNode]]  # (display of the file, the service's mapping) in merge order


def read_compose(
    files: list[Path], display_of: dict[Path, str], limits: Limits, profiles: frozenset[str] = frozenset()
) -> Deployment | NoNodes | Problem:
    """The Liferay nodes of a compose project made of ``files`` (later files override). Services in
    a profile run only when one of their profiles is active (``profiles``, or ``COMPOSE_PROFILES``
    in the project's ``.env``; ``*`` activates all), as with ``docker compose --profile``."""
    reader = _Reader(files, display_of, limits)
    services: dict[str, _Service] = {}
    project = None
    for path in files:
        display = display_of[path]
        data = read_bytes(path, display, limits)
        if isinstance(data, Problem):
            reader.problems.append(data)
            continue
        parsed = parse_yaml(data, display)
        reader.problems.extend(parsed.problems)
        if not parsed.documents:
            continue
        doc = parsed.documents[0]
        project = reader.text(doc.get("name")) or project
        declared = doc.get("networks")
        for net_name, net in declared.mapping().items() if declared is not None else []:
            external = (
                (reader.text(net.get("external")) or "").lower() in ("true", "yes") if net.scalar is None else False
            )
            reader.networks[net_name] = (
                f"network {reader.text(net.get('name')) or net_name}" if external and net.scalar is None else ""
            )
        services_node = doc.get("services")
        for service_name, service_node in services_node.mapping().items() if services_node is not None else []:
            services.setdefault(service_name, _Service(service_name, [])).nodes.append((display, service_node))
    name = project or _project_name(reader.project_dir)
    active = profiles | {p.strip() for p in reader.variables.get("COMPOSE_PROFILES", "").split(",") if p.strip()}
    nodes: list[DeployedNode] = []
    for service in services.values():
        if not _is_liferay(reader, service):
            continue
        in_profiles = _profiles(reader, service)
        if in_profiles and "*" not in active and not (active & set(in_profiles)):
            reader.notes.append(
                f"{display_of[files[0]]}: service {service.name} runs only with profile "
                f"{' or '.join(in_profiles)}, which is not active: not checked (pass --profile "
                f"{in_profiles[0]} as to docker compose)"
            )
            continue
        nodes.extend(_service_nodes(reader, service, name))
    display = display_of[files[0]]
    if not nodes and reader.problems:
        return reader.problems[0]  # the file could not be read or parsed: say that, not "no service"
    if not nodes:
        return NoNodes(
            "no service runs Liferay (a liferay/portal or liferay/dxp image, LIFERAY_* variables, mounts "
            "into /opt/liferay, or x-liferay-ha-lint: {node: true} on the service)",
            Origin(display),
        )
    return Deployment(
        name,
        reader.project_dir,
        display,
        tuple(nodes),
        tuple(reader.problems),
        tuple(dict.fromkeys(reader.notes)),
    )


def _project_name(directory: Path) -> str:
    name = re.sub(r"[^a-z0-9_-]", "", directory.resolve().name.lower())
    return name or "compose"


def _merged(service: _Service, key: str) -> list[tuple[str, YNode]]:
    return [(display, node.get(key)) for display, node in service.nodes if node.get(key) is not None]  # type: ignore[misc]


def _last(service: _Service, key: str) -> tuple[str, YNode] | None:
    found = _merged(service, key)
    return found[-1] if found else None


def _marker(service: _Service) -> YNode | None:
    found = _last(service, "x-liferay-ha-lint")
    return found[1] if found else None


def _profiles(reader: _Reader, service: _Service) -> list[str]:
    found = _last(service, "profiles")
    return [t for item in found[1].items() if (t := reader.text(item))] if found else []


def _networks(reader: _Reader, service: _Service, project: str) -> frozenset[str]:
    """Where a service's multicast can reach: the machine's network with ``network_mode: host``,
    else the project's own networks (``default`` when it names none; an external network by its
    name, which other projects can join too), as Compose creates them."""
    mode = _last(service, "network_mode")
    if mode is not None and (reader.text(mode[1]) or "") == "host":
        return frozenset({"host"})
    found = _last(service, "networks")
    names = (
        [t for item in found[1].items() if (t := reader.text(item))] or list(found[1].mapping())
        if found is not None
        else ["default"]
    )
    return frozenset(reader.networks.get(n) or f"compose project {project}, network {n}" for n in names)


def _cluster_name(reader: _Reader, service: _Service) -> str | None:
    """The cluster a service's nodes belong to, as ``x-liferay-ha-lint: {cluster: NAME}`` says."""
    marker = _marker(service)
    return reader.text(marker.get("cluster")) if marker is not None else None


class _Build(NamedTuple):
    context: Path
    dockerfile: Path
    args: dict[str, str]  # build.args: ARG values the build is given


def _build(reader: _Reader, service: _Service) -> _Build | None:
    found = _last(service, "build")
    if found is None:
        return None
    _display_of_file, build = found
    base = reader.project_dir
    context_text = reader.text(build) if build.scalar is not None else reader.text(build.get("context"))
    context = (base / (context_text or ".")).resolve()
    dockerfile = reader.text(build.get("dockerfile")) if build.scalar is None else None
    args: dict[str, str] = {}
    given = build.get("args") if build.scalar is None else None
    if given is not None:
        if given.items():
            for item in given.items():
                arg, sep, text = (reader.text(item) or "").partition("=")
                if sep:
                    args[arg] = text
        else:
            for arg, node in given.mapping().items():
                given_text = reader.text(node)
                if given_text is not None:
                    args[arg] = given_text
    return _Build(context, context / (dockerfile or "Dockerfile"), args)


def _dockerfile(reader: _Reader, build: _Build) -> Dockerfile | Problem | None:
    """The service's Dockerfile as read (None when it is missing or outside the project)."""
    if not build.dockerfile.is_file() or not within(build.dockerfile, reader.project_dir):
        return None
    display = _display(build.dockerfile)
    data = read_bytes(build.dockerfile, display, reader.limits)
    if isinstance(data, Problem):
        return data
    return parse_dockerfile(data.decode("utf-8", errors="replace"), display, build.context, build.args)


def _image(reader: _Reader, service: _Service) -> str | None:
    found = _last(service, "image")
    return reader.text(found[1]) if found else None


def _is_liferay(reader: _Reader, service: _Service) -> bool:
    marker = _marker(service)
    if marker is not None and marker.get("node") is not None:
        return (reader.text(marker.get("node")) or "").lower() in ("true", "yes", "on", "1")
    if liferay_image(_image(reader, service)):
        return True
    build = _build(reader, service)
    if build is not None:
        parsed = _dockerfile(reader, build)
        if isinstance(parsed, Dockerfile) and liferay_image(parsed.image):
            return True
    for _display, env in _merged(service, "environment"):
        names = [i.scalar.split("=", 1)[0] for i in env.items() if i.scalar] if env.items() else list(env.mapping())
        if any(n.startswith("LIFERAY_") for n in names):
            return True
    for _display, volumes in _merged(service, "volumes"):
        for item in volumes.items():
            target = _volume_parts(reader, item)[1]
            if target and mounts_liferay_configuration(target):
                return True
    return names_liferay(service.name)


def _volume_parts(reader: _Reader, item: YNode) -> tuple[str | None, str | None, str]:
    """(source, target, type) of a short or long volume entry."""
    if item.scalar is not None:
        text = reader.text(item) or ""
        parts = text.split(":")
        if len(parts) >= 2 and len(parts[0]) == 1 and parts[0].isalpha():  # C:\\...
            parts = [parts[0] + ":" + parts[1], *parts[2:]]
        if len(parts) == 1:
            return None, parts[0], "volume"
        short_source, short_target = parts[0], parts[1]
        kind = "bind" if short_source.startswith((".", "/", "~")) or "\\" in short_source else "volume"
        return short_source, short_target, kind
    source = reader.text(item.get("source"))
    target = reader.text(item.get("target"))
    kind = reader.text(item.get("type")) or ("bind" if source and source.startswith((".", "/", "~")) else "volume")
    return source, target, kind


def _env_vars(reader: _Reader, service: _Service) -> list[EnvVar]:
    merged: dict[str, EnvVar] = {}
    for display, env_file_node in _merged(service, "env_file"):
        entries = env_file_node.items() or [env_file_node]
        for entry in entries:
            rel = reader.text(entry) if entry.scalar is not None else reader.text(entry.get("path"))
            if not rel:
                continue
            path = reader.project_dir / rel
            if not within(path, reader.project_dir):
                reader.problems.append(
                    Problem(
                        ProblemKind.REFUSED,
                        "env_file lies outside the compose project (links resolved); not read",
                        entry.origin(display),
                    )
                )
                continue
            env_display = reader.display_of.get(path) or _display(path)
            data = read_bytes(path, env_display, reader.limits)
            if isinstance(data, Problem):
                required = entry.get("required")
                if required is None or (reader.text(required) or "true").lower() != "false":
                    reader.problems.append(data._replace(origin=entry.origin(display)))
                continue
            parsed = parse_compose_env_text(data.decode("utf-8", errors="replace"), env_display)
            reader.problems.extend(parsed.problems)
            for var in parsed.variables:
                passed = "${env." + var.name + "}"
                merged[var.name] = var._replace(value=var.value if var.value is not None else passed)
    for display, env in _merged(service, "environment"):
        if env.items():
            for item in env.items():
                if item.scalar is None:
                    continue
                name, sep, _value = item.scalar.partition("=")
                # a bare NAME passes the variable of the environment compose runs in: unknown here
                value = interpolate(_value, reader.variables) if sep else "${env." + name + "}"
                origin = Origin(
                    display,
                    item.line,
                    item.column,
                    item.end_line,
                    max(item.end_column - 1, 1),
                    item.line if sep else None,
                    item.column + len(name) + 1 if sep else None,
                    kind=OriginKind.ENV,
                    detail=name,
                )
                merged[name] = EnvVar(name, value, origin)
        else:
            for name, value_node in env.mapping().items():
                mapped = reader.text(value_node) if value_node.value is not None else "${env." + name + "}"
                origin = value_node.origin(display)._replace(kind=OriginKind.ENV, detail=name)
                merged[name] = EnvVar(name, mapped, origin)
    return list(merged.values())


def _display(path: Path) -> str:
    from linter.paths import display_path

    return display_path(path)


def _service_nodes(reader: _Reader, service: _Service, project: str) -> list[DeployedNode]:
    problems: list[Problem] = []
    files = list(dict.fromkeys(display for display, _ in service.nodes))
    env: list[EnvVar] = []
    mounts_in: list[tuple[str, Source]] = []
    image = _image(reader, service)
    image_origin = None
    found_image = _last(service, "image")
    if found_image is not None:
        image_origin = found_image[1].origin(found_image[0])
    evidence: list[tuple[str, Origin]] = [(image, image_origin)] if image and image_origin else []
    build = _build(reader, service)
    built = False
    if build is not None:
        parsed = _dockerfile(reader, build)
        if parsed is None and not build.dockerfile.is_file():
            found_build = _last(service, "build")
            where = found_build[1].origin(found_build[0]) if found_build else Origin(files[0])
            problems.append(
                Problem(
                    ProblemKind.UNREADABLE,
                    f"the service is built from {_display(build.dockerfile)}, which is not here: the files and "
                    "environment the image adds are unknown",
                    where,
                )
            )
        elif isinstance(parsed, Problem):
            problems.append(parsed)
        elif parsed is not None:
            built = parsed.image is not None
            files.append(parsed.path)
            problems.extend(parsed.problems)
            reader.notes.extend(parsed.notes)
            env.extend(parsed.env)
            if parsed.image is not None and parsed.image_origin is not None:
                # the built image runs on the Dockerfile's base image (compose's image: only names the result)
                image, image_origin = parsed.image, parsed.image_origin
                evidence.insert(0, (parsed.image, parsed.image_origin))
            for copy in parsed.copies:
                if within(copy.source, reader.project_dir):
                    mounts_in.append((copy.target, Source(host=copy.source, host_display=_display(copy.source))))
    env_vars = {v.name: v for v in env}
    env_vars.update({v.name: v for v in _env_vars(reader, service)})
    files += [f for f in dict.fromkeys(v.origin.file for v in env_vars.values()) if f and f not in files]
    home = (env_vars["LIFERAY_HOME"].value if "LIFERAY_HOME" in env_vars else None) or None
    volume_entries: list[tuple[str, YNode]] = []
    by_target: dict[str, int] = {}
    for display, volumes in _merged(service, "volumes"):
        for item in volumes.items():
            target = _volume_parts(reader, item)[1]
            if target in by_target:
                volume_entries[by_target[target]] = (display, item)
            else:
                by_target[target or f"?{len(volume_entries)}"] = len(volume_entries)
                volume_entries.append((display, item))
    targets = [_volume_parts(reader, item)[1] or "" for _, item in volume_entries] + [t for t, _ in mounts_in]
    if home is None:
        home = OFFICIAL_HOME if is_official_image(image) else infer_home(targets)
    mounts: list[tuple[str, Source]] = list(mounts_in)
    shared: list[MountSpec] = []
    for display, item in volume_entries:
        source, target, kind = _volume_parts(reader, item)
        if not target:
            continue
        origin = item.origin(display)
        if kind == "bind" and source:
            host = Path(os.path.expanduser(source)) if source.startswith("~") else reader.project_dir / source
            if source.startswith("~") or not within(host, reader.project_dir):
                if _is_data(target, home):  # data, not configuration: nothing to read for the rules
                    reader.notes.append(
                        f"{origin.describe()}: {source} (at {target}) is data bound from outside the compose "
                        "project; not read"
                    )
                else:
                    problems.append(
                        Problem(
                            ProblemKind.UNREADABLE,
                            f"{source} is bound from outside the compose project; not read",
                            origin,
                        )
                    )
                shared.append(MountSpec(target, source, "host:" + os.path.abspath(host), origin, False))
                continue
            for sub_target, sub in image_mounts(target, Source(host=host, host_display=_display(host)), home):
                mounts.append((sub_target, sub))
            shared.append(MountSpec(target, source, "host:" + os.path.realpath(host), origin, False))
        elif kind == "volume" and source:
            shared.append(MountSpec(target, f"volume {source}", f"volume:{project}/{source}", origin, False))
        else:
            shared.append(MountSpec(target, f"{kind} volume", f"{kind}:{target}", origin, True))
    command_flags: list[JvmFlag] = []
    for key in ("entrypoint", "command"):
        found = _last(service, key)
        if found is None:
            continue
        display, node = found
        texts = [node] if node.scalar is not None else node.items()
        for text_node in texts:
            text = reader.text(text_node) or ""
            if text.startswith(("-D", "-X")) or " -D" in text or " -X" in text:
                command_flags += flags_in_value(text, display, text_node.line, text_node.column)
    replicas = _replicas(reader, service)
    targets = [t for t, _ in mounts] + [spec.target for spec in shared]
    reader.notes.extend(shadowed_mount_notes(shared, targets))
    tree = MountTree(home, mounts, image_mount_root(targets))
    out: list[DeployedNode] = []
    for index in range(1, replicas + 1):
        node_name = service.name if replicas == 1 else f"{service.name}-{index}"
        node_mounts = tuple(spec.for_node(node_name) for spec in shared)
        out.append(
            DeployedNode(
                node_name,
                tree,
                tuple(env_vars.values()),
                tuple(command_flags),
                tuple(problems),
                tuple(files),
                node_mounts,
                image,
                image_origin,
                tuple(evidence),
                _cluster_name(reader, service),
                _networks(reader, service, project),
                unseen_image(image, built),
            )
        )
    return out


def _replicas(reader: _Reader, service: _Service) -> int:
    count = 1
    for key in ("scale",):
        found = _last(service, key)
        if found is not None and (reader.text(found[1]) or "").isdigit():
            count = int(reader.text(found[1]) or 1)
    found = _last(service, "deploy")
    if found is not None:
        replicas = reader.text(found[1].get("replicas"))
        if replicas is not None and replicas.isdigit():
            count = int(replicas)
    return max(0, min(count, 1000))


# where a Liferay home keeps data, not configuration: Documents and Media, the embedded database
# and search index, logs (the rules read mounts of these from the mount list, never their content)
_DATA_FOLDERS = ("data", "logs")


def _is_data(target: str, home: str) -> bool:
    """Whether a container path holds a node's data rather than its configuration."""
    path = posixpath.normpath(target)
    if "document_library" in path.split("/"):
        return True
    base = posixpath.normpath(home)
    if not path.startswith(base.rstrip("/") + "/"):
        return False
    return path[len(base) + 1 :].split("/", 1)[0] in _DATA_FOLDERS
