"""The plugin tests' ``install`` fixture, for a build target installed from outside."""

from __future__ import annotations

from plugins.conftest import install

__all__ = ["install"]
