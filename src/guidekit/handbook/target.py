"""The ``handbook`` target of ``guidekit build``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidekit import ir
from guidekit.generators import Output

if TYPE_CHECKING:
    from guidekit.handbook.changes import HistorySource
    from guidekit.handbook.sitebuild import Engine


def generate(
    guideline: ir.Guideline,
    out: Path,
    *,
    audience: str | None = None,
    site: bool = True,
    zip_site: bool = False,
    since: str | None = None,
    history: HistorySource = "auto",
    tags: str = "*",
    questions: Mapping[str, Sequence[tuple[str, str, str]]] | None = None,
    results: Sequence[Path] = (),
    engine: Engine = "mkdocs",
    **_: Any,
) -> Output:
    """Write the handbook's mkdocs project to ``out`` and build the site into ``out/site``;
    the history pages come from git (``history``, ``tags``), compared with ``since``."""
    from guidekit.handbook import write_handbook
    from guidekit.handbook.results import load_results

    result = write_handbook(
        guideline,
        out,
        audience=audience,
        site=site,
        since=since,
        history=history,
        tags=tags,
        questions=questions,
        results=load_results(results) if results else None,
        engine=engine,
    )
    who = f" for {audience}" if audience else ""
    note = f"{result.pages} pages{who}"
    changes = result.changes
    if changes is not None and changes.recorded:
        n = len(changes.releases)
        note += f"; {n} version{'s' if n != 1 else ''} from git {changes.source}"
        if changes.since is not None:
            note += f", changes since {changes.since}"
    files = result.files
    if result.site is not None:
        note += f"; site in {result.site}" + (f" (built by {engine})" if engine != "mkdocs" else "")
        if zip_site:
            name = "-".join(
                [
                    guideline.id,
                    str(guideline.version),
                    *([audience] if audience else []),
                    "handbook",
                ]
            )
            archive = out / f"{name}.zip"
            pack(result.site, archive, name)
            files = tuple(sorted((*files, archive)))
            note += f"; archive {archive.name}"
    return Output("handbook", out, files, note)


#: Every entry of the archive carries this time, so the same site gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def pack(site: Path, archive: Path, top: str) -> None:
    """``site`` as a zip archive whose one top folder is ``top``: sorted entries, fixed times
    and modes, so the archive is byte-identical for the same site."""
    import zipfile

    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{top}/{path.relative_to(site).as_posix()}", ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())
