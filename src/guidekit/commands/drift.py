"""``guidekit drift``: compare a labelling tool's live config with the guideline."""

from __future__ import annotations

from pathlib import Path

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._common import emit, output_option


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("project", type=click.Path(path_type=Path))
@click.option(
    "--labelstudio",
    "labelstudio",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="A Label Studio labeling config (XML) or project JSON exported from the tool.",
)
@click.option(
    "--cvat",
    "cvat",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="CVAT labels JSON, as the project's Raw label editor shows it.",
)
@click.option(
    "--brat",
    "brat",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="A BRAT annotation.conf.",
)
@output_option(("text", "json", "github", "junit", "sarif"))
def drift(
    project: Path,
    labelstudio: tuple[Path, ...],
    cvat: tuple[Path, ...],
    brat: tuple[Path, ...],
    fmt: str,
    output: Path | None,
) -> int:
    """Report where a tool's live config no longer matches the guideline in PROJECT.

    Finds labels added in the tool (GK810), classes missing from it (GK811), labels renamed
    to an alias or display name (GK812), and tasks, controls, attributes or keypoints that
    were added, removed or changed (GK813). Exit code 0 when the tool matches, 1 on any
    drift (or bad input), 2 when no tool config is given.
    """
    from guidekit.bridges.drift import brat_drift, cvat_drift, labelstudio_drift
    from guidekit.compiler.pipeline import load
    from guidekit.diagnostics.render import render

    if not labelstudio and not cvat and not brat:
        raise click.UsageError(
            "give at least one tool config: --labelstudio FILE, --cvat FILE or --brat FILE"
        )
    guideline = load(project)
    diagnostics = []
    for path in labelstudio:
        diagnostics += labelstudio_drift(guideline, path)
    for path in cvat:
        diagnostics += cvat_drift(guideline, path)
    for path in brat:
        diagnostics += brat_drift(guideline, path)
    subject = f"{guideline.id} {guideline.version}"
    emit(render(diagnostics, fmt, subject=subject), output)
    return 1 if diagnostics else 0
