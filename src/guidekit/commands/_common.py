"""Options and helpers shared by commands."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click

from guidekit.diagnostics.model import Diagnostic, Location

F = TypeVar("F", bound=Callable[..., Any])


def output_option(formats: Sequence[str], default: str = "text") -> Callable[[F], F]:
    def decorate(f: F) -> F:
        f = click.option(
            "--format",
            "fmt",
            type=click.Choice(list(formats)),
            default=default,
            show_default=True,
            help="Report format.",
        )(f)
        f = click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write the report to this file instead of standard output.",
        )(f)
        return f

    return decorate


def emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        from guidekit import outputs

        outputs.write_file(output, text)


def display_root(path: str | os.PathLike[str]) -> str:
    """How to spell a project's files in reports: relative to the working directory."""
    p = Path(path)
    try:
        if p.is_file():
            p = p.parent
    except (OSError, ValueError):  # a name too long for the file system: reported elsewhere
        pass
    text = os.path.normpath(str(p))
    return "" if text == "." else text.replace(os.sep, "/")


def relocate(diagnostics: Sequence[Diagnostic], prefix: str) -> list[Diagnostic]:
    """Prefix each project-relative file with ``prefix`` so editors can open it."""
    if not prefix:
        return list(diagnostics)

    def moved(loc: Location) -> Location:
        f = loc.file
        if f and not os.path.isabs(f) and not f.startswith(prefix + "/"):
            return replace(loc, file=f"{prefix}/{f}")
        return loc

    out = []
    for d in diagnostics:
        related = tuple(replace(r, location=moved(r.location)) for r in d.related)
        out.append(replace(d, location=moved(d.location), related=related))
    return out
