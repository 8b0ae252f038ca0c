"""HA606 company-web-id-mismatch: company.default.web.id differs between nodes."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Cluster, Context, Finding, Node, agreement, rule

KEY = "company.default.web.id"


def _value(node: Node) -> str:
    setting = node.setting(KEY)
    return setting.value.strip() if setting is not None else ""


@rule(
    id="HA606",
    name="company-web-id-mismatch",
    severity=WARNING,
    scope="cluster",
    versions="all",
    tags=("drift", "company"),
    summary="company.default.web.id differs between the nodes of a cluster.",
    rationale=(
        "company.default.web.id (default liferay.com in every version) names the default virtual instance, "
        "which lives in the database all nodes share. A node with another web id looks up, or creates at "
        "start-up, a different default company than the others, so requests served by it see another portal "
        "instance. No guide states this for clusters; it follows from the key's role, hence warning."
    ),
    fix="Set the same company.default.web.id on every node (usually leave the default liferay.com everywhere).",
    # facts: liferay-ha-facts.md §7.1; read in: shared/corpus/liferay
    sources=(
        (
            "Liferay 7.4 portal.properties (company.default.web.id=liferay.com): https://github.com/liferay/"
            "liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (nodes share one database "
            "and its companies): https://github.com/liferay/liferay-docs/blob/0b22f2fc/userGuide/en/chapters/"
            "20-configuring-for-high-availability.markdown"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    yield from agreement(
        cluster,
        _value,
        lambda n: n.setting(KEY),
        what=f"{KEY} (the default virtual instance)",
        show=lambda v: repr(v),
        subject=KEY,
        help=f"set the same {KEY} on every node",
    )
