"""``guidekit check``: validate a guideline project."""

from __future__ import annotations

from pathlib import Path

import click

from guidekit.commands._common import display_root, emit, output_option, relocate
from guidekit.render import FORMATS


@click.command()
@click.argument("project", default=".", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@output_option(FORMATS)
def check(project: Path, strict: bool, fmt: str, output: Path | None) -> int:
    """Check the guideline project in PROJECT (default: the current folder).

    Loads every file with exact locations, checks structure, meaning and style, and reports
    every problem found. Exit code 0 when clean, 1 when errors were found (warnings count as
    errors with --strict).
    """
    from guidekit.compiler import compile_guideline
    from guidekit.diagnostics import has_errors
    from guidekit.render import render

    result = compile_guideline(project, strict=strict)
    diags = relocate(result.diagnostics, display_root(project))
    subject = result.guideline.id if result.guideline else str(project)
    if result.guideline is not None and fmt == "text":
        subject = f"{result.guideline.id} {result.guideline.version}"
    emit(render(diags, fmt, subject=subject), output)
    return 1 if result.guideline is None or has_errors(diags) else 0
