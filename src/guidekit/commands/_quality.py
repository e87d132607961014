"""Helpers shared by the quality commands: load the guideline, read files, pick tasks."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from guidekit import ir
from guidekit.diagnostics.codes import diag
from guidekit.errors import GuidekitError

if TYPE_CHECKING:
    from guidekit.quality.ratings import Annotations

REPORT_FORMATS = ("text", "markdown", "json", "html")
DELIVERY_FORMATS = ("jsonl", "csv", "parquet")


def load_guideline(project: Path) -> ir.Guideline:
    from guidekit.compiler.pipeline import load

    return load(project)


def pick_tasks(guideline: ir.Guideline, names: Sequence[str]) -> list[ir.Task]:
    if not names:
        return list(guideline.tasks.values())
    out = []
    for name in names:
        task = guideline.tasks.get(name)
        if task is None:
            raise GuidekitError(
                diag(
                    "GK608",
                    f"'{name}' is not a task of guideline '{guideline.id}'",
                    hint=f"tasks: {', '.join(guideline.tasks)}",
                )
            )
        out.append(task)
    return out


def warn(diagnostics: Sequence[object], limit: int = 20) -> None:
    """Print reading problems to standard error (the first ``limit``, then a count)."""
    items = list(diagnostics)
    for d in items[:limit]:
        click.echo(str(d), err=True)
    if len(items) > limit:
        click.echo(f"... and {len(items) - limit} more", err=True)


def display(path: str | os.PathLike[str]) -> str:
    return os.path.normpath(str(path)).replace(os.sep, "/")


def read(
    guideline: ir.Guideline,
    paths: Sequence[Path],
    fmt: str | None = None,
    split: str | None = None,
) -> Annotations:
    from guidekit.commands._input import resolve
    from guidekit.quality.ratings import read_annotations

    fmt, readers = resolve(list(paths), fmt)
    return read_annotations(
        guideline, [display(p) for p in paths], format=fmt, split=split, readers=readers
    )


def guideline_label(guideline: ir.Guideline) -> str:
    return f"{guideline.id} {guideline.version}"
