"""The ``handbook`` target of ``guidekit build``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from guidekit import ir
from guidekit.generators import Output


def generate(
    guideline: ir.Guideline,
    out: Path,
    *,
    audience: str | None = None,
    site: bool = True,
    **_: Any,
) -> Output:
    """Write the handbook's mkdocs project to ``out`` and build the site into ``out/site``."""
    from guidekit.handbook import build_handbook

    result = build_handbook(guideline, out, audience=audience, site=site)
    who = f" for {audience}" if audience else ""
    note = f"{result.pages} pages{who}"
    if result.site is not None:
        note += f"; site in {result.site}"
    return Output("handbook", out, result.files, note)
