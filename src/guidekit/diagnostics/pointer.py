"""JSON Pointers (RFC 6901): the one place that escapes a key into a pointer."""

from __future__ import annotations


def escape(key: object) -> str:
    """One reference token: ``~`` becomes ``~0`` and ``/`` becomes ``~1``."""
    return str(key).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """The key a reference token names (the inverse of :func:`escape`)."""
    return token.replace("~1", "/").replace("~0", "~")


def join(*parts: object) -> str:
    """A pointer from keys and indexes (``join("a", 0, "b/c")`` -> ``/a/0/b~1c``)."""
    return "".join("/" + escape(p) for p in parts)
