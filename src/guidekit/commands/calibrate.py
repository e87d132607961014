"""``guidekit calibrate``: agreement on a pilot batch, and edge cases to decide."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._common import emit, output_option
from guidekit.commands._quality import REPORT_FORMATS
from guidekit.commands.agreement import agreement_options, run

if TYPE_CHECKING:
    from guidekit.quality.stats import Level, Weights


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("project", type=click.Path(path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@agreement_options
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Items with the most disagreement per task.",
)
@click.option(
    "--suggest-edge-cases",
    "suggest",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write edge-case entries (decision left open) for the top disagreements to this YAML file.",
)
@output_option(REPORT_FORMATS)
def calibrate(
    project: Path,
    files: tuple[Path, ...],
    tasks: tuple[str, ...],
    split: str | None,
    bootstrap: int,
    seed: int,
    confidence: float,
    weights: Weights,
    level: Level | None,
    iou: tuple[float, ...],
    input_format: str | None,
    top: int,
    suggest: Path | None,
    fmt: str,
    output: Path | None,
) -> int:
    """Calibrate annotators on a pilot batch in FILES.

    Reports agreement per class, the labels annotators confuse with each other, and the
    items with the most disagreement. With --suggest-edge-cases it writes those items as
    edge-case entries with the competing labels and the decision left open, ready to review
    and paste into the taxonomy; `guidekit check` flags them until they are decided (GK408).
    """
    from guidekit import outputs
    from guidekit.commands._quality import display
    from guidekit.quality.calibrate import pair_confusion, render_yaml, suggestions
    from guidekit.quality.output import render
    from guidekit.quality.report import Report

    guideline, annotations, results = run(
        project,
        files,
        tasks,
        split,
        bootstrap,
        seed,
        confidence,
        weights,
        level,
        iou,
        input_format,
        top,
    )
    report = Report("Calibration", f"{guideline.id} {guideline.version}", agreement=results)
    report.confusions = {r.task: pair_confusion(r)[:10] for r in results if r.coincidence}
    if suggest is not None:
        suggested = suggestions(guideline, annotations, results, top)
        source = ", ".join(display(f) for f in files)
        outputs.write_file(suggest, render_yaml(guideline, suggested, source))
        count = sum(len(e) for _, e in suggested)
        click.echo(f"wrote {count} edge-case suggestion(s) to {display(suggest)}", err=True)
    emit(render(report, fmt), output)
    return 0
