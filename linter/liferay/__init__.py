"""Liferay version knowledge: defaults, versions, env decoding, value semantics."""
