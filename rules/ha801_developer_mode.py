"""HA801 developer-mode: a production node runs with Liferay's developer settings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from linter.ruleapi import WARNING, Context, Finding, Node, OriginKind, label, label_at, rule
from linter.ruleapi.keys import liferay_default, official_image


class _Switch(NamedTuple):
    key: str
    bad: str  # the developer value (compared lower-case, trimmed); "*" = any non-empty value
    why: str
    families: str = "all"  # "6" or "7" to limit to a major version


_SWITCHES: tuple[_Switch, ...] = (
    _Switch("theme.css.fast.load", "false", "every theme CSS file is served separately and unpacked"),
    _Switch("theme.images.fast.load", "false", "theme images are not served as sprites"),
    _Switch("javascript.fast.load", "false", "JavaScript is served as separate, unbundled files"),
    _Switch("combo.check.timestamp", "true", "every combo request checks file timestamps on disk"),
    _Switch("layout.template.cache.enabled", "false", "layout templates are parsed on every request"),
    _Switch(
        "index.on.startup",
        "true",
        "the node reindexes everything at every start ('Do not set this to true on production systems')",
    ),
    _Switch(
        "upgrade.database.auto.run",
        "true",
        "the node runs database upgrades by itself at start-up; with several nodes on one database only one "
        "node should upgrade, with the others stopped",
        "7",
    ),
    _Switch(
        "schema.module.build.auto.upgrade",
        "true",
        "modules upgrade their database schema automatically at deployment",
        "7",
    ),
    _Switch("template.engine.cache.enabled", "false", "templates are recompiled on every use", "7"),
    _Switch("json.service.serialize.throwable", "true", "JSON web services return stack traces to clients", "7"),
    _Switch(
        "velocity.engine.resource.manager.cache.enabled",
        "false",
        "Velocity templates are reloaded on every use",
        "6",
    ),
    _Switch(
        "module.framework.properties.osgi.console",
        "*",
        "the Gogo shell listens on this address: anyone who reaches it controls the OSGi container",
        "7",
    ),
)
_DEVELOPER_FILE = "portal-developer.properties"
_GOGO = "module.framework.properties.osgi.console"
# the official images' Dockerfile (liferay/liferay-docker templates/bundle/Dockerfile; added by 9a73684f,
# 2019-11-11): every 7.3 and 7.4 image has it; a 7.0-7.2 image tag may predate it (not reported)
_IMAGE_GOGO_ENV = "LIFERAY_MODULE_PERIOD_FRAMEWORK_PERIOD_PROPERTIES_PERIOD_OSGI_PERIOD_CONSOLE"
_IMAGE_GOGO = "0.0.0.0:11311"


def _applies(switch: _Switch, family: str) -> bool:
    return switch.families == "all" or family.startswith(switch.families + ".")


def _is_bad(switch: _Switch, value: str) -> bool:
    v = value.strip().lower()
    if switch.bad == "*":
        return bool(v)
    return v == switch.bad


@rule(
    id="HA801",
    name="developer-mode",
    severity=WARNING,
    scope="node",
    versions="all",
    tags=("production", "tuning"),
    summary="A node includes portal-developer.properties or sets developer switches (fast load off, reindex or "
    "auto upgrade at start-up, Gogo shell open, ...).",
    rationale=(
        "Liferay ships portal-developer.properties for development: it turns the CSS/JavaScript/image fast "
        "load and template caches off, checks combo timestamps and, in 7.x, runs database and schema upgrades "
        "automatically and opens the Gogo shell. A production node that includes it (include-and-override="
        "portal-developer.properties) or sets such values is slower and, with automatic upgrades or a reindex "
        "at every start, dangerous in a cluster whose nodes share one database and one index. Only values set "
        "explicitly are reported (Liferay's defaults are the production values); the switches that come from "
        "an included portal-developer.properties are reported once, at the include. The official images "
        "(liferay/dxp, liferay/portal) set the Gogo shell themselves: their Dockerfile has "
        f"ENV {_IMAGE_GOGO_ENV}={_IMAGE_GOGO} (all interfaces; EXPOSE 11311), so a node running one, whose own "
        "environment and files leave the key unset, gets the same warning at the image; setting the variable "
        "empty closes the shell and is not reported. Images: 7.3, 7.4 and the quarterly releases (the ENV came "
        "on 2019-11-11; 7.0-7.2 images, some built before, are not reported)."
    ),
    fix="Remove the include of portal-developer.properties and the developer values from production nodes; on "
    f"the official images set {_IMAGE_GOGO_ENV}= (empty) in the container's environment.",
    # facts: liferay-ha-facts.md §7.3
    sources=(
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (section 'Properties File "
            "Changes': theme.css.fast.load, javascript.fast.load): https://github.com/liferay/liferay-docs/blob/"
            "0b22f2fc/userGuide/en/chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay source, portal-developer.properties: https://github.com/liferay/liferay-portal/blob/"
            "7.4.3.112-ga112/portal-impl/src/portal-developer.properties"
        ),
        (
            "Liferay Learn, 'Portal Properties' (include-and-override=portal-developer.properties): https://"
            "learn.liferay.com/w/dxp/installation-and-upgrades/reference/portal-properties"
        ),
        (
            "Liferay 7.4 portal.properties (upgrade.database.auto.run, index.on.startup): https://github.com/liferay/"
            "liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
        (
            "Liferay Learn, 'Clustering for High Availability': https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/setting-up-liferay/clustering-for-high-availability"
        ),
        (
            "Liferay Docker image, Dockerfile (ENV LIFERAY_MODULE_PERIOD_FRAMEWORK_PERIOD_PROPERTIES_PERIOD_OSGI_"
            "PERIOD_CONSOLE=0.0.0.0:11311, EXPOSE 11311): https://github.com/liferay/liferay-docker/blob/1ffa5e00/"
            "templates/bundle/Dockerfile"
        ),
        (
            "Liferay Docker image, the commit that bound the Gogo shell to 0.0.0.0 (2019-11-11): https://github.com/"
            "liferay/liferay-docker/commit/9a73684f8ce7c64e61ce7bd74ed50809803669d6"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    family = ctx.version
    developer_files: set[str] = set()
    for source in node.properties:
        # Liferay's own file inside portal-impl.jar; a user file of that name (liferay-learn's example of
        # an environment file) is judged by its values like any other file.
        if _DEVELOPER_FILE not in source.file.path or source.role != "builtin":
            continue
        if source.included_by is None:
            continue
        developer_files.add(source.file.path)
        including = next((s for s in node.properties if s.file.path == source.included_by), None)
        at = None
        if including is not None:
            for entry in including.file.occurrences("include-and-override"):
                if _DEVELOPER_FILE in entry.value:
                    at = label_at(node, entry.origin, "developer settings included")
        if at is None:
            continue
        order = {sw.key: i for i, sw in enumerate(_SWITCHES) if _applies(sw, family)}
        bad = {
            sw.key
            for sw in _SWITCHES
            if _applies(sw, family) and (st := node.setting(sw.key)) and _is_bad(sw, st.value)
        }
        from_file = [
            s
            for s in node.settings.values()
            if s.origin.file == source.file.path and s.origin.kind in (OriginKind.BUILTIN, OriginKind.FILE)
        ]
        from_file.sort(key=lambda s: (s.key not in bad, order.get(s.key, len(order)), s.key))
        effective = [f"{s.key}={s.value}" for s in from_file]
        listed = ", ".join(effective[:6]) + (f" and {len(effective) - 6} more" if len(effective) > 6 else "")
        shown = f": it sets {listed}" if effective else ""
        yield Finding(
            f"{node.name} includes {_DEVELOPER_FILE} (include-and-override), Liferay's developer settings{shown}; "
            "do not use it on production nodes",
            at,
            help=f"remove include-and-override={_DEVELOPER_FILE}",
            subject=_DEVELOPER_FILE,
        )
    for switch in _SWITCHES:
        if not _applies(switch, family):
            continue
        setting = node.setting(switch.key)
        if setting is None or setting.origin.kind in (OriginKind.DEFAULT, OriginKind.BUILTIN, OriginKind.COMPUTED):
            continue
        if setting.origin.file in developer_files or not _is_bad(switch, setting.value):
            continue
        default = liferay_default(family, switch.key)
        was = f" (Liferay default {default!r})" if default not in (None, "") else ""
        yield Finding(
            f"developer setting on {node.name}: {switch.key}={setting.value.strip()}{was}: {switch.why}",
            label(node, setting, "developer setting"),
            help=f"remove {switch.key} (or set the production value)",
            subject=switch.key,
        )
    yield from _image_gogo_shell(node, family)


def _image_gogo_shell(node: Node, family: str) -> Iterator[Finding]:
    """M17: the official image opens the Gogo shell on every interface unless the node overrides it."""
    if family not in ("7.3", "7.4"):
        return
    setting = node.setting(_GOGO)
    if setting is not None and setting.origin.kind not in (OriginKind.DEFAULT, OriginKind.BUILTIN):
        return  # the node's own value: judged above (an empty value closes the shell)
    image = official_image(node)
    if image is None:
        return
    name, origin = image
    yield Finding(
        f"developer setting on {node.name}: the official image {name} sets {_IMAGE_GOGO_ENV}={_IMAGE_GOGO} "
        f"({_GOGO}) and nothing on the node overrides it: the Gogo shell listens on every interface of the "
        "container, and anyone who reaches port 11311 controls the OSGi container",
        label_at(node, origin, "image with the Gogo shell on 0.0.0.0:11311"),
        help=f"set {_IMAGE_GOGO_ENV}= (empty) in the container's environment",
        subject=_GOGO,
    )
