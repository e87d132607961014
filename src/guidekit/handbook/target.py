"""The ``handbook`` target of ``guidekit build``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidekit import ir
from guidekit.generators import Output

if TYPE_CHECKING:
    from guidekit.handbook.changes import HistorySource


def generate(
    guideline: ir.Guideline,
    out: Path,
    *,
    audience: str | None = None,
    site: bool = True,
    since: str | None = None,
    history: HistorySource = "auto",
    tags: str = "*",
    **_: Any,
) -> Output:
    """Write the handbook's mkdocs project to ``out`` and build the site into ``out/site``;
    the history pages come from git (``history``, ``tags``), compared with ``since``."""
    from guidekit.handbook import write_handbook

    result = write_handbook(
        guideline,
        out,
        audience=audience,
        site=site,
        since=since,
        history=history,
        tags=tags,
    )
    who = f" for {audience}" if audience else ""
    note = f"{result.pages} pages{who}"
    changes = result.changes
    if changes is not None and changes.recorded:
        n = len(changes.releases)
        note += f"; {n} version{'s' if n != 1 else ''} from git {changes.source}"
        if changes.since is not None:
            note += f", changes since {changes.since}"
    if result.site is not None:
        note += f"; site in {result.site}"
    return Output("handbook", out, result.files, note)
