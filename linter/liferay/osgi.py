"""OSGi configuration as Liferay deploys it: which files are configurations, and the portal
properties that override them.

Liferay reads ``osgi/configs/*.config`` (and ``.cfg``) files; the reader also picks up ``.cfg``
files elsewhere in a node, which belong to other tools. From 7.2 (FP14+), 7.3 (FP1+) and 7.4 a
``configuration.override.<pid>_<key>`` portal property holds a .config value that wins over the
files (liferay-learn 'Using Configuration Files'; liferay-ha-facts.md §1.4).
"""

from __future__ import annotations

OVERRIDE_PREFIX = "configuration.override."


def is_osgi_file(path: str) -> bool:
    """A file in an osgi/configs folder, or a .config anywhere; a .cfg elsewhere in the node (haproxy.cfg,
    ...) is some other tool's file that the reader also picks up."""
    return "/osgi/configs/" in "/" + path.replace("\\", "/") or path.endswith(".config")
