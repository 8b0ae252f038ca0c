"""liferay-ha-lint: a config linter and policy checker for Liferay Portal clusters."""

from __future__ import annotations

__version__ = "0.2.0"
