"""The annotator handbook: a mkdocs-material site generated from the guideline's IR.

>>> from guidekit.handbook import build_handbook
>>> build_handbook("guidelines/support-tickets", "out/handbook")    # doctest: +SKIP

Pages: a home page with the data brief, a quick reference per task, a page per class
(definition, boundaries, attributes, examples drawn as highlighted text or SVG overlays,
negatives, edge cases), the edge-case log, rules, acceptance criteria, scope, governance, a
glossary, the changelog and "what changed since version X" (from the guideline's git history),
and a printable view. ``audience`` builds the handbook for one audience of the governance
block: nothing above its clearance is rendered, so nothing can reach the site.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from guidekit import ir
from guidekit.handbook.changes import Changes, HistorySource
from guidekit.handbook.project import Handbook, render_handbook, write_project
from guidekit.handbook.results import Results
from guidekit.handbook.sitebuild import ENGINES, Engine, build_site

__all__ = [
    "ENGINES",
    "BuildResult",
    "Changes",
    "Engine",
    "Handbook",
    "build_handbook",
    "build_site",
    "render_handbook",
    "write_handbook",
    "write_project",
]


@dataclass(frozen=True)
class BuildResult:
    """Where a handbook was written: the mkdocs project, (when built) the static site, and
    the history its pages show."""

    project: Path
    site: Path | None
    pages: int
    files: tuple[Path, ...]
    changes: Changes | None = None


def build_handbook(
    guideline: ir.Guideline | str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    audience: str | None = None,
    site: bool = True,
    since: str | None = None,
    history: HistorySource = "auto",
    tags: str = "*",
    force: bool = False,
    engine: Engine = "mkdocs",
) -> BuildResult:
    """Write the handbook of ``guideline`` (an IR or a project path) as a mkdocs project in
    ``out`` and, unless ``site`` is false, build it to ``out/site`` with mkdocs (strict).

    The changelog, the "what changed since" page (since ``since``, default: the previous
    release) and the classes' "changed in" notes come from the git history of the
    guideline's folder: from ``tags`` matching a pattern, its ``commits``, or ``auto`` (tags
    when any tag holds a version, else commits); ``none`` (or a folder outside git) records
    no history.

    ``out`` is an output folder of :mod:`guidekit.outputs`: new, empty or written by
    guidekit before (``force`` writes into any folder, replacing only guidekit's files).

    Raises :class:`~guidekit.errors.GuidekitError` for a guideline with errors, an unknown
    audience (GK011), an output folder guidekit did not write (GK010), a failed build (GK012)
    or a ``since`` version the history does not hold (GK013).

    ``engine`` builds the site with ``mkdocs`` (Material for MkDocs) or ``zensical`` (the
    extra ``guidekit[zensical]``): the same project, the same pages.
    """
    from guidekit import outputs

    out = Path(out)

    def write(stage: Path) -> BuildResult:
        return write_handbook(
            guideline,
            stage,
            audience=audience,
            site=site,
            since=since,
            history=history,
            tags=tags,
            engine=engine,
        )

    result, files = outputs.publish(out, "handbook", write, force=force)
    built = out / result.site.relative_to(result.project) if result.site is not None else None
    return BuildResult(out, built, result.pages, tuple(files), result.changes)


def write_handbook(
    guideline: ir.Guideline | str | os.PathLike[str],
    folder: str | os.PathLike[str],
    *,
    audience: str | None = None,
    site: bool = True,
    since: str | None = None,
    history: HistorySource = "auto",
    tags: str = "*",
    questions: Mapping[str, Sequence[tuple[str, str, str]]] | None = None,
    results: Results | None = None,
    engine: Engine = "mkdocs",
) -> BuildResult:
    """What :func:`build_handbook` does, into a new or empty ``folder`` (a staging folder of
    :mod:`guidekit.outputs`; the ``handbook`` build target writes through this)."""
    from guidekit.handbook.changes import read

    if not isinstance(guideline, ir.Guideline):
        from guidekit.compiler.pipeline import load

        guideline = load(guideline)
    out = Path(folder)
    changes = read(guideline, audience=audience, since=since, source=history, tags=tags)
    hb = render_handbook(
        guideline, audience=audience, changes=changes, questions=questions, results=results
    )
    files = write_project(hb, out)
    built = build_site(out, engine=engine) if site else None
    return BuildResult(out, built, len(hb.pages), tuple(files), changes)
