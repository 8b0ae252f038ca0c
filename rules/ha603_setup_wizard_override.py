"""HA603 setup-wizard-override: portal-setup-wizard.properties overrides a cluster-relevant key of
portal-ext.properties."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Context, Finding, Node, OriginKind, Setting, label, rule
from linter.ruleapi.secrets import is_secret_key
from linter.ruleapi.text import LazyPattern

WIZARD = "portal-setup-wizard.properties"
# Keys whose node-local override splits the cluster (facts §2-§7.1); node-local keys excluded.
_RELEVANT = LazyPattern(
    r"(cluster\.link\.|multicast\.|jdbc\.|dl\.store\.|dl\.hook\.|jcr\.|lucene\.|index\.|ehcache\.|net\.sf\.ehcache\."
    r"|hibernate\.|counter\.|spring\.|web\.server\.|session\.timeout|org\.quartz\.).*|company\.default\.web\.id"
    r"|scheduler\.enabled"
)
_NODE_LOCAL = LazyPattern(
    r"cluster\.link\.bind\.addr.*|cluster\.link\.channel\.logic\.name\..*|cluster\.link\.autodetect\.address"
    r"|web\.server\.display\.node|counter\.data\.center\.deployment\.id|lucene\.dir"
)


def _wizard_files(node: Node) -> set[str]:
    """The setup-wizard file and the files it includes (read in its place in the chain)."""
    files = {s.file.path for s in node.properties if s.role == WIZARD}
    changed = True
    while changed:
        changed = False
        for s in node.properties:
            if s.included_by in files and s.file.path not in files:
                files.add(s.file.path)
                changed = True
    return files


@rule(
    id="HA603",
    name="setup-wizard-override",
    severity=WARNING,
    scope="node",
    versions=">=6.1",
    tags=("drift", "properties"),
    summary="portal-setup-wizard.properties overrides a cluster-relevant key that portal-ext.properties sets.",
    rationale=(
        "From 6.1 the setup wizard writes portal-setup-wizard.properties, and Liferay reads it after "
        "portal-ext.properties, so its values win. A node installed with the wizard keeps, for example, the "
        "database URL typed in the wizard, and the cluster-wide portal-ext.properties that the admin keeps in "
        "sync no longer applies on that node. Reported for cluster-relevant keys (Cluster Link, multicast, "
        "database, store, search, caches, counters, scheduler, web server, session timeout, default company) "
        "when the wizard's value differs from the one it overrides and no environment variable overrides it "
        "in turn; node-local keys (bind addresses, logic names) are fine in the wizard file."
    ),
    fix="Remove the key from portal-setup-wizard.properties (or delete the file's cluster settings) so that "
    "portal-ext.properties applies.",
    # facts: liferay-ha-facts.md §1.1
    sources=(
        (
            "Liferay 6.2 portal.properties (section 'Properties Override': portal-ext.properties, and then "
            "portal-setup-wizard.properties): https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/"
            "src/portal.properties"
        ),
        (
            "Liferay 7.4 portal.properties (section 'Properties Override': portal-ext.properties, and then "
            "portal-setup-wizard.properties): https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/"
            "portal-impl/src/portal.properties"
        ),
        (
            "Liferay Learn, 'Portal Properties' (the setup wizard file): https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/reference/portal-properties"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    wizard = _wizard_files(node)
    if not wizard:
        return
    for key in sorted(node.settings):
        if not _RELEVANT.fullmatch(key) or _NODE_LOCAL.fullmatch(key):
            continue
        setting = node.setting(key)
        if setting is None or setting.origin.kind is not OriginKind.FILE or setting.origin.file not in wizard:
            continue
        overridden: Setting | None = next(
            (
                s
                for s in reversed(setting.overridden)
                if s.origin.kind is OriginKind.FILE and s.origin.file not in wizard
            ),
            None,
        )
        if overridden is None or overridden.raw.strip() == setting.raw.strip():
            continue
        where = f"{overridden.origin.file.rsplit('/', 1)[-1]}:{overridden.origin.line}"
        if is_secret_key(key):
            what = f"sets {key} to another value than {where} (a secret, not shown)"
        else:
            what = f"sets {key}={setting.raw.strip()!r}, which overrides {where} ({overridden.raw.strip()!r})"
        yield Finding(
            f"{WIZARD} on {node.name} {what}: Liferay reads the setup-wizard file after portal-ext.properties, "
            "so this node does not use the cluster's value",
            label(node, setting, "wins over portal-ext.properties"),
            (label(node, overridden, "overridden"),),
            help=f"remove {key} from {WIZARD}",
            subject=key,
        )
