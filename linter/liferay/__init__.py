"""Liferay knowledge, and nothing else: version families and detection, default portal properties
per version (generated from Liferay's ``portal.properties``), built-in resources, ``LIFERAY_*``
decoding, ``GetterUtil`` booleans, legacy and known keys, the Ehcache schema. No module here reads
a node's files or builds a finding."""
