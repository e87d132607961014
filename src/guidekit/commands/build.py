"""``guidekit build``: generate artifacts from a guideline (minimal: schema and models)."""

from __future__ import annotations

from pathlib import Path

import click

TARGETS = ("schema", "models")


@click.command()
@click.argument("project", default=".", type=click.Path(path_type=Path))
@click.option(
    "--target",
    "-t",
    "targets",
    type=click.Choice(TARGETS),
    multiple=True,
    required=True,
    help="What to build: schema (JSON Schema of a delivery record), models (pydantic module).",
)
@click.option(
    "--output",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder to write into.",
)
def build(project: Path, targets: tuple[str, ...], out_dir: Path) -> int:
    """Build artifacts for the guideline in PROJECT (default: the current folder)."""
    from guidekit.compiler import load
    from guidekit.generators.jsonschema import write_schema
    from guidekit.generators.models import write_models

    guideline = load(project)
    writers = {"schema": write_schema, "models": write_models}
    for target in dict.fromkeys(targets):
        for path in writers[target](guideline, out_dir):
            click.echo(str(path))
    return 0
