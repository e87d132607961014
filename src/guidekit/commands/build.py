"""``guidekit build``: generate artefacts (handbook, schemas, ...) from a guideline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._choices import RegistryChoice
from guidekit.commands._common import display_root, relocate
from guidekit.generators import names


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("project", default=".", type=click.Path(path_type=Path))
@click.option(
    "--target",
    "-t",
    "targets",
    multiple=True,
    type=RegistryChoice(names),
    help="What to build (repeatable; default: every target but `pdf`, which needs headless "
    "Chromium and is built only when named).",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Output folder. With several targets, each gets a subfolder named after it.",
)
@click.option(
    "--audience",
    "-a",
    help="Build for one audience of the guideline's governance block: nothing above its "
    "clearance is written.",
)
@click.option(
    "--zip",
    "zip_site",
    is_flag=True,
    help="Handbook: also write the built site as one archive to send (it works unpacked, "
    "opened from disk, search included).",
)
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="Handbook, pdf: the static-site engine that builds the handbook: mkdocs "
    "(Material for MkDocs) or zensical (its successor; `pip install 'guidekit[zensical]'`).",
)
@click.option(
    "--no-site",
    is_flag=True,
    help="Handbook: write the mkdocs project (mkdocs.yml and Markdown) without building it.",
)
@click.option(
    "--since",
    metavar="VERSION",
    help="Handbook: the version the 'What changed since' page compares with (default: the "
    "previous release).",
)
@click.option(
    "--history",
    type=click.Choice(["auto", "tags", "commits", "none"]),
    default="auto",
    show_default=True,
    help="Handbook: where the changelog reads versions from: git tags, the commits of the "
    "guideline's folder, tags when any tag holds a version, or nowhere.",
)
@click.option(
    "--tags",
    "tag_pattern",
    default="*",
    show_default=True,
    metavar="GLOB",
    help="Handbook: only tags matching this pattern are versions (e.g. `support-tickets/v*` "
    "in a repository of several guidelines).",
)
@click.option(
    "--results",
    "results_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Handbook: the JSON report of `guidekit quiz score` or `guidekit eval` (repeatable): "
    "class pages show common mistakes and edge cases how often they were got right, for "
    "readers cleared for everything only.",
)
@click.option(
    "--questions",
    "questions_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Handbook: list the open questions of this file (`guidekit questions list --format "
    "json`) on each class page. Internal only: refused with --audience.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse a guideline that has warnings, and a tool config that leaves out or merges "
    "something (GK808).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into an output folder guidekit did not create: only guidekit's files are "
    "written or replaced; nothing else is changed or deleted.",
)
def build(
    project: Path,
    targets: tuple[str, ...],
    out: Path,
    audience: str | None,
    zip_site: bool,
    engine: str,
    no_site: bool,
    since: str | None,
    history: str,
    tag_pattern: str,
    questions_file: Path | None,
    results_files: tuple[Path, ...],
    strict: bool,
    force: bool,
) -> int:
    """Build artefacts of the guideline in PROJECT (default: the current folder).

    Generators read the compiled guideline only, and write the same bytes for the same
    guideline. The output folder must be new, empty or written by guidekit before (it holds
    `.guidekit-output.json`); files a previous build wrote and this one does not are removed,
    and nothing else. Exit code 0 when everything was built, 1 when the guideline has errors,
    a target failed or the output folder is not guidekit's.
    """
    if zip_site and no_site:
        raise click.UsageError("--zip packs the built site; it cannot be combined with --no-site")
    if questions_file is not None and audience is not None:
        raise click.UsageError(
            "--questions puts annotators' open questions in the internal handbook; it cannot "
            "be combined with --audience"
        )
    from guidekit.compiler.pipeline import load
    from guidekit.errors import GuidekitError
    from guidekit.generators import build as build_targets
    from guidekit.generators import defaults

    chosen = list(dict.fromkeys(targets)) or defaults()
    extra: dict[str, Any] = {}
    options: dict[str, str] = {}
    if "pdf" in chosen:  # before any work: the PDF needs a browser guidekit does not install
        from guidekit.handbook.pdf import INSTALL_HINT, find_chromium

        chromium = find_chromium()
        if chromium is None:
            raise click.UsageError(f"no Chromium found: {INSTALL_HINT}")
        options["chromium"] = chromium
    if engine != "mkdocs" and {"handbook", "pdf"} & set(chosen):
        from guidekit.handbook.sitebuild import INSTALL, engine_available

        if not no_site and not engine_available(engine):  # before any work
            raise click.UsageError(f"{engine} is not installed: {INSTALL[engine]}")
    try:
        if questions_file is not None:  # only then: plugin targets see the options as before
            extra["questions"] = open_questions(questions_file)
        guideline = load(project, strict=strict)
        results = build_targets(
            chosen,
            guideline,
            out,
            force=force,
            audience=audience,
            site=not no_site,
            zip_site=zip_site,
            engine=engine,
            since=since,
            history=history,
            tags=tag_pattern,
            results=results_files,
            **extra,
            **options,
        )
        dropped = []
        for name, result in zip(chosen, results, strict=True):
            note = f" ({result.note})" if result.note else ""
            click.echo(f"{name}: wrote {len(result.files)} files to {result.out}{note}")
            dropped += result.extra.get("diagnostics", [])
        if dropped:
            # what a tool config cannot carry (GK808) is named; --strict refuses it
            from guidekit.diagnostics.render import render

            shown = relocate(dropped, display_root(project))
            click.echo(render(shown, "text", subject=guideline.id), err=True, nl=False)
            if strict:
                click.echo("refused: --strict, and a tool config leaves something out", err=True)
                return 1
    except GuidekitError as exc:
        # the guideline's files are spelled from the project; the output folder as given
        ours = [d for d in exc.diagnostics if _in_output(d.location.file, out)]
        theirs = [d for d in exc.diagnostics if not _in_output(d.location.file, out)]
        raise GuidekitError([*relocate(theirs, display_root(project)), *ours]) from None
    return 0


def _in_output(file: str | None, out: Path) -> bool:
    if not file:
        return False
    path, root = Path(file), Path(out)
    return path == root or root in path.parents


def open_questions(path: Path) -> dict[str, list[tuple[str, str, str]]]:
    """``task/class`` → its open questions ``(id, date asked, text)``, from the JSON that
    ``guidekit questions list --format json`` writes."""
    import json

    from guidekit.diagnostics.codes import diag
    from guidekit.diagnostics.model import Location
    from guidekit.errors import GuidekitError

    where = Location(file=path.as_posix())
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GuidekitError(diag("GK046", f"cannot read the questions: {exc}", where)) from None
    if not isinstance(data, list) or not all(isinstance(q, dict) for q in data):
        raise GuidekitError(
            diag("GK046", "not a list of questions (guidekit questions list --format json)", where)
        )
    out: dict[str, list[tuple[str, str, str]]] = {}
    for q in data:
        if q.get("status") != "open":
            continue
        entry = (str(q.get("id", "")), str(q.get("asked_at") or "")[:10], str(q.get("text", "")))
        for c in q.get("classes") or []:
            out.setdefault(str(c), []).append(entry)
    return out
