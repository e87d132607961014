"""``guidekit explain``: what a diagnostic code means, from the code registry."""

from __future__ import annotations

import difflib
import textwrap

import click

from guidekit.commands import CONTEXT_SETTINGS


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("code")
def explain(code: str) -> int:
    """Explain a diagnostic CODE such as GK202: its title, severity and what it means.

    Exit code 0 for a known code (or an old alias of one), 2 for an unknown code, with the
    closest known codes.
    """
    from guidekit.diagnostics.codes import ALIASES, CODES, lookup

    wanted = code.strip().upper()
    if wanted.isdigit():
        wanted = "GK" + wanted
    if wanted not in CODES and wanted not in ALIASES:
        close = difflib.get_close_matches(wanted, [*CODES, *ALIASES], n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise click.BadParameter(f"'{code}' is not a guidekit code{hint}", param_hint="CODE")
    info = lookup(wanted)
    lines = [f"{info.code}: {info.title}", f"severity: {info.severity.value}"]
    if info.aliases:
        lines.append(f"formerly: {', '.join(info.aliases)}")
    if wanted != info.code:
        lines.append(f"{wanted} is an old name of {info.code}")
    lines += ["", textwrap.fill(info.doc, width=88)]
    fix = getattr(info, "hint", None)  # the registry may carry a fix-it hint per code
    if fix:
        lines += ["", textwrap.fill(f"hint: {fix}", width=88, subsequent_indent="  ")]
    click.echo("\n".join(lines))
    return 0
