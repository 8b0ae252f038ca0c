"""Secrets in rules: which keys hold one, and a digest to compare them across nodes without
ever showing them (the value and the digest never go into a finding)."""

from __future__ import annotations

import os

from linter.redact import is_secret_key

__all__ = ["is_secret_key", "secret_digest"]

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
