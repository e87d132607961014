"""``guidekit serve``: preview the handbook, rebuilt whenever a guideline file changes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from guidekit.commands import CONTEXT_SETTINGS

if TYPE_CHECKING:
    from guidekit.handbook.changes import HistorySource
    from guidekit.handbook.sitebuild import Engine


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("project", default=".", type=click.Path(exists=True, path_type=Path))
@click.option("--audience", "-a", help="Preview the handbook of one audience.")
@click.option(
    "--dev-addr",
    "-d",
    default="127.0.0.1:8000",
    show_default=True,
    metavar="HOST:PORT",
    help="Address to serve on.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.option(
    "--since",
    metavar="VERSION",
    help="The version the 'What changed since' page compares with (default: the previous release).",
)
@click.option(
    "--history",
    type=click.Choice(["auto", "tags", "commits", "none"]),
    default="auto",
    show_default=True,
    help="Where the changelog reads versions from: git tags, the commits of the guideline's "
    "folder, tags when any tag holds a version, or nowhere.",
)
@click.option(
    "--tags",
    "tag_pattern",
    default="*",
    show_default=True,
    metavar="GLOB",
    help="Only tags matching this pattern are versions.",
)
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="The static-site engine of the preview: mkdocs (Material for MkDocs) or zensical "
    "(`pip install 'guidekit[zensical]'`).",
)
def serve(
    project: Path,
    audience: str | None,
    dev_addr: str,
    open_browser: bool,
    since: str | None,
    history: HistorySource,
    tag_pattern: str,
    engine: Engine,
) -> int:
    """Preview the handbook of the guideline in PROJECT in a browser.

    Builds the handbook with mkdocs' development server and rebuilds it (reloading the page)
    whenever a file of the guideline changes. While the guideline has errors the preview shows
    them instead of the handbook. With `--engine zensical` the handbook is written as a project
    that `zensical serve` serves, rewritten whenever the guideline changes; while the
    guideline has errors they are shown in the terminal and the last good handbook stays.
    Stop with Ctrl+C or SIGTERM: the temporary folder is removed either way.
    """
    from guidekit.handbook.preview import serve as run
    from guidekit.handbook.sitebuild import INSTALL, engine_available

    if not engine_available(engine):  # before any work
        raise click.UsageError(f"{engine} is not installed: {INSTALL[engine]}")

    run(
        project,
        audience=audience,
        dev_addr=dev_addr,
        open_browser=open_browser,
        since=since,
        history=history,
        tags=tag_pattern,
        engine=engine,
    )
    return 0
