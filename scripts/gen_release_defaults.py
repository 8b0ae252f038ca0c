#!/usr/bin/env python3
"""Generate ``linter/liferay/data/portal-releases.json``: the portal.properties defaults that differ
between quarterly releases of the 7.4 family, as change sets on the 7.4 base table
(``portal-7.4.json``, liferay-portal master of 2024-12-04). A release's table is the base with every
change set up to it applied in release order (``linter.liferay.defaults.release_defaults``).

Where the base sits: every value Liferay's pages give for 2024.Q1 and 2024.Q3 is already the
base's (``CONFIRMED_IN_BASE``, checked on every run: generation fails if the base disagrees), and
every "old default" the 2025.Q2 and 2025.Q4 pages give is the base's too. So the base stands for
the releases up to 2025.Q1, and only the later releases get change sets. A release before its first
change set, an unknown release and the other families keep the base table.

What was read, and what could not be:
* Liferay Learn's "20xx.Qn Default Setting and Feature Flag Changes" pages (``LEARN`` below), as
  stored copies of learn.liferay.com. Each stored copy holds the beginning of the page only: the
  2025.Q2, 2024.Q3 and 2026.Q2 tables are complete; the 2024.Q1, 2025.Q3 and 2025.Q4 tables end
  where the copy ends (``NOTES``: rows after that key were not read, so a change listed there is
  missing here). Rows whose default the page gives as "See setting" / "See property" carry no value:
  they are listed in ``NOTES`` as "changed, value not given", never guessed. "Removed property"
  rows remove the key from the release's table.
* No page is stored for 2024.Q2, 2024.Q4, 2025.Q1, 2026.Q1 and 2026.Q3 (Learn's search listings
  name them, the pages themselves were not available); those releases get no change set of their
  own. No release tag of liferay/liferay-portal (``2025.q1.0-lts``, ``2026.q1.0-lts``...) could be
  read: the code index holds master and fork snapshots, not tags, and the liferay-learn repository
  is over the snapshot size limit.
* The JGroups 5 change set (sym_encrypt default stacks) is read from liferay-portal master at the
  commits named in it; its first release is ``JGROUPS5_FROM`` and 2026.Q3 stays unsettled
  (``JGROUPS5_UNSETTLED``: never applied there).

No Cluster Link, Ehcache, ``dl.store.*``, JDBC pool, Lucene, index, session or ``web.server.*``
default is listed as changed in the rows read; the HA-relevant rows are ``company.mx.update``
(2025.Q4, new) and the ``module.framework.*`` rows (values not given).

Usage: ``python scripts/gen_release_defaults.py [--out linter/liferay/data]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from linter.liferay.releases import JGROUPS5_FROM, JGROUPS5_UNSETTLED  # noqa: E402

_JG5_PROPERTIES = "liferay/liferay-portal@6cfe4873:portal-impl/src/portal.properties"
_JG5_TEST = (
    "liferay/liferay-portal@be475683:modules/apps/portal-cache/portal-cache-test/src/testIntegration/java/"
    "com/liferay/portal/cache/internal/test/ClusterSymEncryptTest.java (asserts both defaults)"
)

_LEARN = "https://learn.liferay.com/w/dxp/self-hosted-installation-and-upgrades/upgrading-liferay/deprecations-and-breaking-changes-reference"
_ADMIN = "com/liferay/portlet/admin/dependencies"
REMOVED = None  # "Removed property" on Liferay's page: the key leaves the release's table

# release -> (page URL, {key: new default, or REMOVED}) as the page's table gives them
LEARN: dict[tuple[int, int], tuple[str, dict[str, str | None]]] = {
    (2024, 1): (
        f"{_LEARN}/2024-deprecations-and-breaking-changes/2024-q1-default-setting-and-feature-flag-changes",
        {
            "admin.email.password.unchangeable.body": f"{_ADMIN}/email_password_unchangeable_body.tmpl",
            "admin.email.password.unchangeable.subject": f"{_ADMIN}/email_password_unchangeable_subject.tmpl",
            "com.liferay.portal.servlet.filters.cache.CacheFilter": REMOVED,
            "counter.increment.object.field.auto.increment": "1",
            "direct.servlet.context.reload": "false",
            "dl.file.entry.processors": REMOVED,
            "ehcache.replicator.properties.com.liferay.portal.servlet.filters.cache.CacheUtil": REMOVED,
            "hibernate.jdbc.batch_size": "2000",
            "layout.static.portlets.all": REMOVED,
            "module.framework.portal.war.dir": "${module.framework.base.dir}/portal-war",
        },
    ),
    (2024, 3): (
        f"{_LEARN}/2024-deprecations-and-breaking-changes/2024-q3-default-setting-and-feature-flag-changes",
        {
            "analytics.cloud.client.js.version": "PROD",
            "template.engine.freemarker.company.restrict": "true",
        },
    ),
    (2025, 2): (
        "https://learn.liferay.com/w/dxp/installation-and-upgrades/upgrading-liferay/reference/"
        "deprecations-and-breaking-changes/2025-deprecations-and-breaking-changes/2025-q2-default-setting-and-feature-flag-changes",
        {
            "analytics.cloud.domain.allowed": "liferay.com",
            "analytics.cloud.mock.enabled": "false",
            "announcements.entry.page.delta.values": "20,40,60",
            "auto.deploy.custom.portlet.xml": REMOVED,
            "blogs.entry.page.delta.values": "20,40,60",
            "search.container.page.delta.values": "20,40,60",
            "spring.hibernate.configuration.proxy.factory.preload.classloader.classes": REMOVED,
        },
    ),
    (2025, 3): (
        f"{_LEARN}/2025-deprecations-and-breaking-changes/2025-q3-default-setting-and-feature-flag-changes",
        {
            "analytics.cloud.configuration.delete.on.startup": "false",
            "analytics.cloud.configuration.delete.on.startup[localhost]": "false",
            "analytics.cloud.domain.allowed": REMOVED,
            "dl.file.entry.raw.metadata.processor.excluded.mime.types": REMOVED,
            "upgrade.database.dl.storage.check.disabled": "false",
            "upgrade.database.preupgrade.data.cleanup.blacklist": "",
        },
    ),
    (2025, 4): (
        f"{_LEARN}/2025-deprecations-and-breaking-changes/2025-q4-default-setting-and-feature-flag-changes",
        {
            "cms.broken.links.checker.enabled": "true",
            "com.liferay.portal.servlet.filters.absoluteredirects.AbsoluteRedirectsFilter": REMOVED,
            "company.mx.update": "true",
            "database.partition.enabled": "false",
            "database.partition.schema.name.prefix": "lpartition_",
            "database.partition.thread.pool.enabled": "true",
            "discussion.comments.allowed.content": "a[href];em;i;li;ol;p;span[class];strong;u;ul",
            "mail.audit.trail": REMOVED,
            "mail.batch.size": REMOVED,
            "mail.mx.update": REMOVED,
            "mail.send.blacklist": REMOVED,
            "mail.session.mail": REMOVED,
        },
    ),
    (2026, 2): (
        f"{_LEARN}/2026-deprecations-and-breaking-changes/2026-q2-default-setting-and-feature-flag-changes",
        {
            "company.default.name": "Liferay",
            "dsr.dev.env.enabled": "true",
            "layout.friendly.url.public.servlet.mapping.enabled": "true",
            "upgrade.log.progress.interval": "300000",
        },
    ),
}

# Releases whose Learn changes the base table already holds (checked, not applied).
CONFIRMED_IN_BASE = ((2024, 1), (2024, 3))

# What each page lists without a value, and where its stored copy ends.
NOTES: dict[str, object] = {
    "2024.Q1": {
        "changed, value not given": [
            "hot.deploy.listeners",
            "invoker.filter.chain.cache.query.string.ignored.keys",
            "invoker.filter.chain.cache.skip.query.string.uris",
            "locales",
            "module.framework.auto.deploy.dirs",
        ],
        "not read": "rows after module.framework.portal.war.dir (the stored copies end there)",
    },
    "2024.Q3": {
        "changed, value not given": [
            "invoker.filter.chain.cache.query.string.ignored.keys",
            "invoker.filter.chain.cache.skip.query.string.uris",
            "module.framework.properties.felix.cm.config.plugins",
        ],
    },
    "2025.Q2": {
        "changed, value not given": [
            "locales",
            "locales.beta",
            "module.framework.web.generator.default.servlet.packages",
            "module.framework.web.generator.excluded.paths",
            "virtual.hosts.ignore.paths",
        ],
    },
    "2025.Q3": {
        "changed, value not given": [
            "locales",
            "locales.beta",
            "mime.types.content.disposition.inline",
            "module.framework.properties.felix.cm.config.plugins",
            "module.framework.properties.org.osgi.framework.bootdelegation",
            "module.framework.web.generator.default.servlet.packages",
            "module.framework.web.generator.jsp.compiler.dependencies",
            "system.role.Publications.Admin.description",
            "system.role.Publications.Editor.description",
            "system.role.Publications.Publisher.description",
            "system.role.Publications.Viewer.description",
        ],
        "not read": "rows after upgrade.database.preupgrade.data.cleanup.blacklist (the stored copy, "
        "a Japanese rendering of the page, ends there)",
    },
    "2025.Q4": {
        "changed, value not given": ["admin.obfuscated.properties"],
        "not read": "rows after mail.session.mail (the stored copy ends there; its cell reads 'Removed')",
    },
    "2026.Q2": {
        "changed, value not given": ["jsonws.web.service.parameter.type.whitelist.class.names"],
    },
    "no page stored": ["2024.Q2", "2024.Q4", "2025.Q1", "2026.Q1", "2026.Q3", "2026.Q4"],
}

# name -> (first release (year, quarter), label, {key: (value, source)}), releases never applied to
JGROUPS5: tuple[tuple[int, int], str, dict[str, tuple[str, str]]] = (
    JGROUPS5_FROM,
    "JGroups 5 code line",
    {
        "cluster.link.channel.properties.control": (
            "jgroups/secure/sym_encrypt/udp_control.xml",
            f"{_JG5_PROPERTIES}; {_JG5_TEST}",
        ),
        "cluster.link.channel.properties.transport.0": (
            "jgroups/secure/sym_encrypt/udp_transport.xml",
            f"{_JG5_PROPERTIES}; {_JG5_TEST}",
        ),
        "cluster.link.jmx.enabled": ("false", _JG5_PROPERTIES),
    },
)


def _name(release: tuple[int, int]) -> str:
    return f"{release[0]}.Q{release[1]}"


def _check_base() -> None:
    base = json.loads((REPO / "linter" / "liferay" / "data" / "portal-7.4.json").read_text(encoding="utf-8"))
    values = base["values"]
    for release in CONFIRMED_IN_BASE:
        url, keys = LEARN[release]
        for key, value in keys.items():
            found = values.get(key)
            have = None if found is None else str(found[0])
            if have != value:
                raise SystemExit(f"{_name(release)} ({url}): {key} is {value!r}, the 7.4 base has {have!r}")


def table() -> dict[str, object]:
    _check_base()
    deltas: dict[str, object] = {}
    for release, (url, keys) in sorted(LEARN.items()):
        if release in CONFIRMED_IN_BASE:
            continue
        deltas[_name(release)] = {
            "from": list(release),
            "label": f"{_name(release)} Default Setting and Feature Flag Changes",
            "values": {k: {"value": v, "source": url} for k, v in sorted(keys.items()) if v is not REMOVED},
            "removed": {k: {"source": url} for k, v in sorted(keys.items()) if v is REMOVED},
        }
    first, label, keys5 = JGROUPS5
    deltas["jgroups5"] = {
        "from": list(first),
        "label": label,
        "values": {key: {"value": value, "source": source} for key, (value, source) in sorted(keys5.items())},
        "removed": {},
        "unsettled": [list(r) for r in JGROUPS5_UNSETTLED],
    }
    return {
        "base": "portal-7.4.json",
        "confirmed_in_base": {_name(r): LEARN[r][0] for r in CONFIRMED_IN_BASE},
        "deltas": deltas,
        "notes": NOTES,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "linter" / "liferay" / "data")
    args = parser.parse_args(argv)
    target = args.out / "portal-releases.json"
    target.write_text(json.dumps(table(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
