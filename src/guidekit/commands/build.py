"""``guidekit build``: generate artefacts (handbook, schemas, ...) from a guideline."""

from __future__ import annotations

from pathlib import Path

import click

from guidekit.commands._common import display_root, relocate
from guidekit.generators import names


class _Targets(click.Choice[str]):
    """The registered targets, read when the command line is parsed (so targets registered
    after import, as in tests, are accepted too)."""

    def __init__(self) -> None:
        super().__init__(names())

    @property
    def choices(self) -> tuple[str, ...]:  # a tuple, as click.Choice stores them
        return tuple(names())

    @choices.setter
    def choices(self, _: object) -> None:
        pass


@click.command()
@click.argument("project", default=".", type=click.Path(path_type=Path))
@click.option(
    "--target",
    "-t",
    "targets",
    multiple=True,
    type=_Targets(),
    help="What to build (repeatable; default: every target).",
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
@click.option("--strict", is_flag=True, help="Refuse a guideline that has warnings.")
def build(
    project: Path,
    targets: tuple[str, ...],
    out: Path,
    audience: str | None,
    no_site: bool,
    since: str | None,
    history: str,
    tag_pattern: str,
    strict: bool,
) -> int:
    """Build artefacts of the guideline in PROJECT (default: the current folder).

    Generators read the compiled guideline only, and write the same bytes for the same
    guideline. Exit code 0 when everything was built, 1 when the guideline has errors or a
    target failed.
    """
    from guidekit.compiler.pipeline import load
    from guidekit.errors import GuidekitError
    from guidekit.generators import generate

    chosen = list(dict.fromkeys(targets)) or names()
    try:
        guideline = load(project, strict=strict)
        for name in chosen:
            where = out if len(chosen) == 1 else out / name
            result = generate(
                name,
                guideline,
                where,
                audience=audience,
                site=not no_site,
                since=since,
                history=history,
                tags=tag_pattern,
            )
            note = f" ({result.note})" if result.note else ""
            click.echo(f"{name}: wrote {len(result.files)} files to {where}{note}")
    except GuidekitError as exc:
        raise GuidekitError(relocate(exc.diagnostics, display_root(project))) from None
    return 0
