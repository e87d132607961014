"""``guidekit schema``: print the format's meta-schema."""

from __future__ import annotations

from pathlib import Path

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._common import emit


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of standard output.",
)
def schema(output: Path | None) -> int:
    """Print the JSON Schema (2020-12) of the guideline format.

    Point your editor's YAML language server at it for completion and inline errors:
    add `# yaml-language-server: $schema=guideline.schema.json` at the top of guideline.yaml.
    """
    from guidekit.spec.reference import meta_schema_json

    emit(meta_schema_json(), output)
    return 0
