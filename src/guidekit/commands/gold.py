"""``guidekit gold``: precision, recall and F1 against a gold set."""

from __future__ import annotations

from pathlib import Path

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._common import emit, output_option
from guidekit.commands._input import INPUT_FORMATS
from guidekit.commands._ledger import Recording, record_options
from guidekit.commands._quality import REPORT_FORMATS


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("project", type=click.Path(path_type=Path))
@click.argument("gold_file", metavar="GOLD", type=click.Path(path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--task",
    "-t",
    "tasks",
    multiple=True,
    help="Score this task (repeatable; default: every task the gold set has values for).",
)
@click.option("--split", help="Only delivered records of this split.")
@click.option(
    "--iou",
    type=click.FloatRange(0, 1, min_open=True),
    default=0.5,
    show_default=True,
    help="IoU a box or polygon needs to match a gold region.",
)
@click.option(
    "--input-format",
    type=INPUT_FORMATS,
    help="Format of the files (default: from the file name).",
)
@output_option(REPORT_FORMATS)
@record_options
def gold(
    project: Path,
    gold_file: Path,
    files: tuple[Path, ...],
    tasks: tuple[str, ...],
    split: str | None,
    iou: float,
    input_format: str | None,
    fmt: str,
    output: Path | None,
    record: Recording | None,
) -> int:
    """Score the records in FILES against the gold set GOLD.

    GOLD is shaped like a delivery: one record per item, with the id field and the right
    value of each task it scores. Reports precision, recall and F1 per class, macro and
    micro averages, accuracy and the confusion matrix, overall and per annotator.
    """
    from guidekit.commands._quality import guideline_label, load_guideline, pick_tasks, read, warn
    from guidekit.errors import GuidekitError
    from guidekit.quality.gold import gold_index, score_task, supported
    from guidekit.quality.output import render
    from guidekit.quality.report import Report

    guideline = load_guideline(project)
    if record is not None:
        record.open(project)
    gold_records = read(guideline, [gold_file], input_format)
    index, problems = gold_index(guideline, gold_records.records)
    if problems or gold_records.diagnostics:
        raise GuidekitError([*gold_records.diagnostics, *problems])
    delivered = read(guideline, files, input_format, split)
    warn(delivered.diagnostics)
    chosen = pick_tasks(guideline, tasks)
    if not tasks:
        chosen = [
            t
            for t in chosen
            if supported(t) and any(a.data.get(t.id) is not None for a in index.values())
        ]
    reports = [score_task(guideline, t, index, delivered.records, iou=iou) for t in chosen]
    report = Report("Gold scores", guideline_label(guideline), gold=reports)
    emit(render(report, fmt), output)
    if record is not None:
        record.save(project, guideline, "gold", files, report.to_dict())
    return 0
