"""``guidekit check``: validate a guideline project (and, with ``--base``, its version)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._common import display_root, emit, output_option, relocate
from guidekit.diagnostics.model import Diagnostic
from guidekit.diagnostics.render import FORMATS


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--base",
    metavar="REV",
    help="Also compare with this git revision (`REV` or `REV:path`) and fail when the "
    "version bump is smaller than the changes require, or the content changed and the "
    "version did not. `auto`: the fork point from the default branch on a feature branch, "
    "the last release tag on the default branch itself.",
)
@click.option(
    "--changed",
    is_flag=True,
    help="PATHS are changed files (as pre-commit passes them): check each guideline project "
    "they belong to, and skip files that belong to none.",
)
@click.option(
    "--summary",
    is_flag=True,
    help="Show each warning code once, with how many times it occurs (errors in full): a "
    "generated 5,000-class guideline fits on one screen.",
)
@output_option(FORMATS)
def check(
    paths: tuple[Path, ...],
    strict: bool,
    base: str | None,
    changed: bool,
    summary: bool,
    fmt: str,
    output: Path | None,
) -> int:
    """Check the guideline projects in PATHS (default: the current folder).

    A path is a project folder, its guideline.yaml, or any file inside a project (the project
    is found by walking up to the nearest guideline.yaml), so one call checks every project
    of a repository. Loads every file with exact locations, checks structure, meaning and
    style, and reports every problem found. On a terminal each problem shows its source line,
    coloured (set NO_COLOR for plain text, FORCE_COLOR for colour in a pipe). Exit code 0 when
    clean, 1 when errors were found (warnings count as errors with --strict).
    """
    from guidekit.commands._projects import projects

    chosen, stray = projects(paths or (Path("."),), changed=changed)
    if changed and not chosen:
        click.echo(f"no guideline project among {len(stray)} changed files", err=True)
        return 0
    if len(chosen) == 1:
        diags, subject, ok = _check_one(chosen[0], strict, base, fmt)
        if summary and fmt == "text":
            rest = sum(d.severity.value != "error" for d in diags)
            subject += f" ({rest:,} warnings and notes in all, each code shown once below)"
        _emit(_summarised(diags) if summary else diags, fmt, subject, output)
        return 0 if ok else 1
    results = [_check_one(project, strict, base, fmt) for project in chosen]
    if summary:
        results = [(_summarised(d), subject, ok) for d, subject, ok in results]
    if fmt == "text":
        from guidekit.diagnostics.render import render, use_color

        if output is None and use_color(sys.stdout):
            for diags, subject, _ in results:
                _emit(diags, fmt, subject, None)
        else:
            emit("".join(render(d, fmt, subject=subject) for d, subject, _ in results), output)
    else:  # one document for machine formats
        every = [d for diags, _, _ in results for d in diags]
        _emit(every, fmt, f"{len(chosen)} guidelines", output)
    return 0 if all(ok for _, _, ok in results) else 1


def _check_one(
    project: Path, strict: bool, base: str | None, fmt: str
) -> tuple[list[Diagnostic], str, bool]:
    from guidekit.compiler.pipeline import compile_guideline
    from guidekit.diagnostics.model import has_errors

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
    return diags, subject, result.guideline is not None and not has_errors(diags)


def _summarised(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Errors in full; each other code once, at its first place, saying how many more."""
    from dataclasses import replace

    from guidekit.diagnostics.model import Severity

    counts: dict[str, int] = {}
    for d in diags:
        if d.severity is not Severity.ERROR:
            counts[d.code] = counts.get(d.code, 0) + 1
    out: list[Diagnostic] = []
    seen: set[str] = set()
    for d in diags:
        if d.severity is Severity.ERROR:
            out.append(d)
        elif d.code not in seen:
            seen.add(d.code)
            more = counts[d.code] - 1
            out.append(
                replace(d, message=f"{d.message} (and {more:,} more like it)") if more else d
            )
    return out


def _emit(diags: list[Diagnostic], fmt: str, subject: str, output: Path | None) -> None:
    from guidekit.diagnostics.render import FileLines, render, render_text, use_color

    if fmt == "text" and output is None and use_color(sys.stdout):
        text = render_text(diags, subject=subject, color=True, read_line=FileLines())
        click.echo(text, nl=False, color=True)  # click would strip colour on a non-terminal
    else:
        emit(render(diags, fmt, subject=subject), output)
