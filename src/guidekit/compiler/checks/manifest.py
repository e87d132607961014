"""Manifest: the guideline's own version is a semantic version."""

from __future__ import annotations

from guidekit.compiler.checks._context import CheckContext
from guidekit.spec import version


def check_version(ctx: CheckContext) -> None:
    if version.parse(ctx.g.version) is None:
        ctx.add(
            "GK304",
            f"version '{ctx.g.version}' is not a semantic version",
            ctx.top("version"),
            hint="write MAJOR.MINOR.PATCH, e.g. 1.0.0",
        )
