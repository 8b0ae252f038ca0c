"""OSGi configurations for rules: the parsed ``.config``/``.cfg`` files and Liferay's rules for them
(which files are configurations; ``configuration.override.*`` portal properties)."""

from __future__ import annotations

from linter.liferay.osgi import OVERRIDE_PREFIX, is_osgi_file
from linter.sources.osgi_config import OsgiConfig, OsgiEntry

__all__ = ["OVERRIDE_PREFIX", "OsgiConfig", "OsgiEntry", "is_osgi_file"]
