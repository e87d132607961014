"""``guidekit init``: scaffold a new guideline project from a template."""

from __future__ import annotations

from pathlib import Path

import click

from guidekit.commands import CONTEXT_SETTINGS

TEMPLATES = ("classification", "ner", "detection")


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--template",
    "-t",
    type=click.Choice(TEMPLATES),
    default="classification",
    show_default=True,
    help="Kind of guideline to start from.",
)
@click.option("--id", "guideline_id", help="Guideline id (default: the folder name).")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty.")
def init(directory: Path, template: str, guideline_id: str | None, force: bool) -> int:
    """Create a guideline project in DIRECTORY from a commented template.

    The scaffold checks clean and shows every concept of the format with comments:
    brief, record, tasks and classes with definitions, boundaries, examples, negatives and
    edge cases, rules, acceptance criteria, governance, scope and delivery.
    """
    from guidekit.scaffold import scaffold

    written = scaffold(directory, template, guideline_id=guideline_id, force=force)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"next: guidekit check {directory}")
    return 0
