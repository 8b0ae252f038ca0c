"""OSGi configurations for rules: the parsed ``.config``/``.cfg`` files and Liferay's rules for them
(which files are configurations; ``configuration.override.*`` portal properties; the keys each
configuration interface declares)."""

from __future__ import annotations

from linter.liferay.osgi import OVERRIDE_PREFIX, is_osgi_file
from linter.liferay.osgi_pids import PidKeys, is_framework_key, pid_keys, pids_declaring
from linter.sources.osgi_config import OsgiConfig, OsgiEntry

__all__ = [
    "OVERRIDE_PREFIX",
    "OsgiConfig",
    "OsgiEntry",
    "PidKeys",
    "is_framework_key",
    "is_osgi_file",
    "pid_keys",
    "pids_declaring",
]
