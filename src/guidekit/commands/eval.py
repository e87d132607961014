"""``guidekit eval``: score predictions on the evaluation set, per edge case."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._common import emit, output_option
from guidekit.commands._input import INPUT_FORMATS
from guidekit.commands._quality import REPORT_FORMATS


def _gc_paused(f: Callable[..., int]) -> Callable[..., int]:
    """Run the command with the cyclic garbage collector paused: reading a million records
    and key items, collections scanned them all again and again though every one is still in
    use (3.7 of 14 CPU-s of bench/eval_bench.py)."""

    @functools.wraps(f)
    def paused(*args: Any, **kwargs: Any) -> int:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return f(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@click.command("eval", context_settings=CONTEXT_SETTINGS)
@click.argument("project", type=click.Path(path_type=Path))
@click.argument("predictions", type=click.Path(path_type=Path))
@click.option(
    "--compare",
    "other",
    type=click.Path(path_type=Path),
    help="A second predictions file: which edge cases got better or worse (exact McNemar).",
)
@click.option(
    "--gold",
    "gold_file",
    type=click.Path(path_type=Path),
    help="A gold delivery whose records join the evaluation set as key items.",
)
@click.option("--task", "-t", "tasks", multiple=True, help="Score this task only (repeatable).")
@click.option(
    "--iou",
    type=click.FloatRange(0, 1, min_open=True),
    default=0.5,
    show_default=True,
    help="IoU a box or polygon needs to match a key region.",
)
@click.option(
    "--bootstrap",
    "samples",
    type=click.IntRange(0, 100_000),
    default=1000,
    show_default=True,
    help="Bootstrap samples for the F1 intervals (0: none).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Bootstrap seed.")
@click.option(
    "--input-format",
    type=INPUT_FORMATS,
    help="Format of the prediction and gold files (default: from the file).",
)
@output_option(REPORT_FORMATS)
@_gc_paused
def eval(
    project: Path,
    predictions: Path,
    other: Path | None,
    gold_file: Path | None,
    tasks: tuple[str, ...],
    iou: float,
    samples: int,
    seed: int,
    input_format: str | None,
    fmt: str,
    output: Path | None,
) -> int:
    """Score PREDICTIONS against the evaluation set of the guideline in PROJECT.

    PREDICTIONS is shaped like a delivery (any input format: JSON Lines, CSV, Parquet, Label
    Studio, COCO, Prodigy, ...): one record per item, with the id field and a value for each
    task. Reports precision, recall and F1 overall, per class, per split and per edge-case
    tag, with Wilson and bootstrap intervals and confusion matrices. Exits 1 when an
    `acceptance.edge_cases` threshold is not met.
    """
    from guidekit.commands._quality import (
        display,
        guideline_label,
        load_guideline,
        pick_tasks,
        read,
        warn,
    )
    from guidekit.diagnostics.codes import diag
    from guidekit.diagnostics.model import Location
    from guidekit.errors import GuidekitError
    from guidekit.quality import evaluation as E
    from guidekit.quality.eval_render import render

    guideline = load_guideline(project)
    gold_records = read(guideline, [gold_file], input_format) if gold_file else None
    if gold_records is not None and gold_records.diagnostics:
        raise GuidekitError(gold_records.diagnostics)
    key, problems = E.key_from(guideline, gold_records.records if gold_records else ())
    if problems:
        raise GuidekitError(problems)
    if not key:
        raise GuidekitError(
            diag(
                "GK608",
                f"guideline '{guideline.id}' has no evaluation items and no --gold was given: "
                "there is nothing to score against",
                hint="declare `evaluation: {items: [...]}` or `evaluation: {from: [edge_cases]}`",
            )
        )
    chosen = pick_tasks(guideline, tasks) if tasks else None

    def run(path: Path) -> tuple[list[E.TaskResult], list[dict[str, object]]]:
        pred = read(guideline, [path], input_format)
        screened = E.screen(guideline, key, pred.records)
        warn([*pred.diagnostics, *screened.diagnostics])
        results = E.score(
            guideline, key, screened.records, tasks=chosen, iou=iou, samples=samples, seed=seed
        )
        excluded: list[dict[str, object]] = []
        if pred.diagnostics:
            excluded.append(
                {
                    "what": "unreadable records",
                    "count": len(pred.diagnostics),
                    "why": "a line that is not a record, or a record without a usable id",
                }
            )
        if screened.unknown:
            excluded.append(
                {
                    "what": "predictions for unknown items",
                    "count": screened.unknown,
                    "why": "the item is neither an evaluation item nor in the gold delivery",
                }
            )
        if screened.repeated:
            excluded.append(
                {
                    "what": "repeated predictions",
                    "count": screened.repeated,
                    "why": "the first prediction of an item counts",
                }
            )
        for r in results:
            blank = r.excluded.get("predictions_without_a_value", 0)
            if blank:
                excluded.append(
                    {
                        "what": f"predictions without a value of '{r.task}' (not excluded)",
                        "count": blank,
                        "why": "scored as no answer: a miss on every key label",
                    }
                )
            missing = r.excluded.get("key_items_without_prediction", 0)
            if missing:
                excluded.append(
                    {
                        "what": f"key items of '{r.task}' without a prediction",
                        "count": missing,
                        "why": "not predicted at all; no score counts them",
                    }
                )
        return results, excluded

    results, excluded = run(predictions)
    report = E.EvalReport(
        guideline_label(guideline), display(predictions), len(key), results, excluded
    )
    if other is not None:
        theirs, _ = run(other)
        report.compare_with = display(other)
        report.comparison = E.compare(key, results, theirs)
    report.thresholds = E.thresholds(guideline, results)
    emit(render(report, fmt), output)
    if report.failed:
        for t in report.thresholds:
            if t.status != "met":
                where = Location(
                    guideline.files[0] if guideline.files else None,
                    None,
                    None,
                    ("acceptance", "edge_cases"),
                )
                message = f"edge case '{t.edge_case}' ({t.task}): {t.reason}"
                click.echo(str(diag("GK611", message, where)), err=True)
        return 1
    return 0
