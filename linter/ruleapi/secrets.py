"""Secrets in rules: which keys hold one, and a digest to compare them across nodes without
ever showing them (the value and the digest never go into a finding). :func:`without_secret_values`
is the guard the engine applies to every finding: a finding about a secret-named key never shows
that key's values, whatever the rule wrote."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator

from linter.diagnostics import Label
from linter.liferay.env import property_key
from linter.model import Cluster
from linter.redact import MASK, is_secret_key

__all__ = ["is_secret_key", "secret_digest", "without_secret_values"]

_SECRET_KEY = os.urandom(32)
try:
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - an interpreter built without _blake2
    from hashlib import blake2b as _blake2b


def secret_digest(value: str | None) -> str | None:
    """A keyed digest to compare secrets across nodes. The key is random per run, so the digest
    means nothing outside this process; never put it (or the value) in a finding. Keyed BLAKE2b
    (a MAC by design) from ``_blake2``: ``hmac``/``hashlib`` load OpenSSL, ~4 ms of every start."""
    if value is None:
        return None
    return _blake2b(value.encode("utf-8", "surrogatepass"), key=_SECRET_KEY, digest_size=32).hexdigest()


def _values_of(cluster: Cluster, key: str) -> Iterator[str]:
    """Every value ``key`` has anywhere in the cluster: each occurrence in a properties file, the
    effective setting, LIFERAY_* variables that set it, OSGi entries of that name."""
    for node in cluster.nodes:
        setting = node.setting(key)
        if setting is not None:
            yield setting.value
        for source in node.properties:
            for entry in source.file.entries:
                if entry.key == key:
                    yield entry.value
        for var in node.env:
            if var.value is not None and var.name.startswith("LIFERAY_"):
                decoded = property_key(var.name)
                if var.name == key or (decoded is not None and decoded.key == key):
                    yield var.value
        for config in node.osgi:
            for osgi_entry in config.entries:
                if osgi_entry.key == key:
                    yield osgi_entry.text


def without_secret_values(
    message: str, at: Label, related: tuple[Label, ...], help: str | None, subject: str, cluster: Cluster
) -> tuple[str, Label, tuple[Label, ...], str | None]:
    """A finding's texts with every value of its subject replaced by the mask when the subject is a
    secret-named key (HA704 quoting ``auth.token.check.enabled='...'``, or any rule that would)."""
    if not subject or not is_secret_key(subject):
        return message, at, related, help
    # longest first (a value inside another); values of one or two characters and the words of help
    # texts (key=true) would mask unrelated text: the redaction of key=value pairs covers those
    found = {v.strip() for v in _values_of(cluster, subject)} - {"true", "false"}
    values = sorted((v for v in found if len(v) >= 3), key=len, reverse=True)
    if not values:
        return message, at, related, help

    def scrub(text: str) -> str:
        for value in values:
            text = text.replace(value, MASK)
        return text

    def scrub_label(label: Label) -> Label:
        origin = scrub(label.origin) if label.origin is not None else None
        return dataclasses.replace(label, text=scrub(label.text), origin=origin)

    return (
        scrub(message),
        scrub_label(at),
        tuple(scrub_label(r) for r in related),
        scrub(help) if help is not None else None,
    )
