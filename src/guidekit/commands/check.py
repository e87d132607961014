"""``guidekit check``: validate a guideline project (and, with ``--base``, its version)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from guidekit.commands._common import display_root, emit, output_option, relocate
from guidekit.diagnostics.render import FORMATS


@click.command()
@click.argument("project", default=".", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--base",
    metavar="REV",
    help="Also compare with this git revision (`REV` or `REV:path`) and fail when the "
    "version bump is smaller than the changes require, or the content changed and the "
    "version did not.",
)
@output_option(FORMATS)
def check(project: Path, strict: bool, base: str | None, fmt: str, output: Path | None) -> int:
    """Check the guideline project in PROJECT (default: the current folder).

    Loads every file with exact locations, checks structure, meaning and style, and reports
    every problem found. On a terminal each problem shows its source line, coloured (set
    NO_COLOR for plain text, FORCE_COLOR for colour in a pipe). Exit code 0 when clean, 1
    when errors were found (warnings count as errors with --strict).
    """
    from guidekit.compiler.pipeline import compile_guideline
    from guidekit.diagnostics.model import has_errors
    from guidekit.diagnostics.render import FileLines, render, render_text, use_color

    result = compile_guideline(project, strict=strict)
    diags = list(result.diagnostics)
    subject = result.guideline.id if result.guideline else str(project)
    if result.guideline is not None and fmt == "text":
        subject = f"{result.guideline.id} {result.guideline.version}"
    if base is not None and result.guideline is not None:
        from guidekit.versioning.base import check_base
        from guidekit.versioning.report import summary_line

        checked = check_base(project, result.guideline, base)
        diags += checked.diagnostics
        if checked.diff is not None and fmt == "text":
            required = checked.diff.required
            needs = f", requires a {required.value} bump" if required else ""
            subject += f" (since {checked.base_label}: {summary_line(checked.diff)}{needs})"
    diags = relocate(diags, display_root(project))
    if fmt == "text" and output is None and use_color(sys.stdout):
        text = render_text(diags, subject=subject, color=True, read_line=FileLines())
        click.echo(text, nl=False, color=True)  # click would strip colour on a non-terminal
    else:
        emit(render(diags, fmt, subject=subject), output)
    return 1 if result.guideline is None or has_errors(diags) else 0
