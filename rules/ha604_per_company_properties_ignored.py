"""HA604 per-company-properties-ignored: portal-<companyId>.properties on 7.3+."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Context, Finding, Label, Node, label_at, rule
from linter.ruleapi.text import LazyPattern

_PER_COMPANY = LazyPattern(r"portal-(\d+|\$\{easyconf:companyId\})\.properties")


def _unread_files(node: Node) -> tuple[str, ...]:
    """Properties files present in the node's Liferay home or class path that its chain does not load.

    The model does not list them yet (requested as ``Node.unread_files``); until it does, only
    explicit includes are checked."""
    files = getattr(node, "unread_files", ())
    return tuple(f for f in files if isinstance(f, str))


@rule(
    id="HA604",
    name="per-company-properties-ignored",
    severity=WARNING,
    scope="node",
    versions=">=7.3",
    tags=("properties",),
    summary="A portal-<companyId>.properties file is used on Liferay 7.3+, which no longer applies it per "
    "virtual instance.",
    rationale=(
        "Up to 7.2 the default include chain ended with portal-${easyconf:companyId}.properties, so "
        "portal-20116.properties held the settings of virtual instance 20116. liferay-learn states that the "
        "per-virtual-instance properties file feature was removed in DXP 7.3: such a file left in Liferay home "
        "is not read at all, and one named in include-and-override is applied to every instance, not only to "
        "its company. Per-company values now go in LIFERAY_PROPS_BY_COMPANY_<companyId> (a properties text) "
        "or in instance-scoped configuration."
    ),
    fix="Move the settings to portal-ext.properties (for all instances), to instance settings, or to "
    "LIFERAY_PROPS_BY_COMPANY_<companyId>; remove the portal-<companyId>.properties file and its include.",
    # facts: liferay-ha-facts.md §1.1; read in: petershin/liferay-learn, shared/corpus/liferay
    sources=(
        (
            "Liferay Learn, 'Portal Properties' ('As of DXP 7.3, the per-virtual instance portal properties file "
            "feature has been removed'): https://learn.liferay.com/w/dxp/installation-and-upgrades/reference/"
            "portal-properties"
        ),
        (
            "Liferay 6.2 portal.properties (include-and-override=portal-${easyconf:companyId}.properties): https://"
            "github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/portal.properties"
        ),
        (
            "Liferay source (7.4 line), EnvPropertiesUtil.java (LIFERAY_PROPS_BY_COMPANY_<companyId>): https://"
            "github.com/liferay/liferay-portal/blob/master/portal-kernel/src/com/liferay/portal/kernel/util/"
            "EnvPropertiesUtil.java"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    for source in node.properties:
        if source.role == "builtin":
            continue
        for entry in source.file.occurrences("include-and-override"):
            for item in entry.value.split(","):
                name = item.strip().rsplit("/", 1)[-1]
                m = _PER_COMPANY.fullmatch(name)
                if m is None:
                    continue
                if m.group(1).isdigit():
                    effect = (
                        f"so it is applied to every virtual instance, not only to company {m.group(1)}: Liferay "
                        f"{ctx.version} no longer applies per-company properties files per instance"
                    )
                else:
                    effect = f"a per-company file that Liferay {ctx.version} no longer applies"
                yield Finding(
                    f"include-and-override names {item.strip()}, {effect} (removed in 7.3)",
                    label_at(node, entry.origin, "per-company properties"),
                    help="move per-company values to LIFERAY_PROPS_BY_COMPANY_<companyId> or instance settings",
                    subject=name,
                )
    for path in _unread_files(node):
        name = path.rsplit("/", 1)[-1]
        m = _PER_COMPANY.fullmatch(name)
        if m is None or not m.group(1).isdigit():
            continue
        yield Finding(
            f"{name} is in {node.name}'s Liferay home, but Liferay {ctx.version} does not read per-company "
            f"properties files (removed in 7.3): the settings for company {m.group(1)} are ignored",
            Label(node=node.name, file=path, text="not read"),
            help="move per-company values to LIFERAY_PROPS_BY_COMPANY_<companyId> or instance settings",
            subject=name,
        )
