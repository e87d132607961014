"""``guidekit agreement``: inter-annotator agreement per task and per class."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._common import F, emit, output_option
from guidekit.commands._input import INPUT_FORMATS
from guidekit.commands._ledger import Recording, record_options
from guidekit.commands._quality import REPORT_FORMATS

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.quality.agreement import TaskAgreement
    from guidekit.quality.ratings import Annotations
    from guidekit.quality.stats import Level, Weights


def agreement_options(f: F) -> F:
    """Options shared by ``agreement`` and ``calibrate``."""
    for decorator in reversed(
        [
            click.option(
                "--task",
                "-t",
                "tasks",
                multiple=True,
                help="Measure this task (repeatable; default: all).",
            ),
            click.option("--split", help="Only records of this split."),
            click.option(
                "--bootstrap",
                type=click.IntRange(min=0),
                default=0,
                show_default=True,
                help="Bootstrap samples for confidence intervals (0: none; 1000 is usual).",
            ),
            click.option(
                "--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap."
            ),
            click.option(
                "--confidence",
                type=click.FloatRange(0.5, 0.999),
                default=0.95,
                show_default=True,
                help="Confidence level of the intervals.",
            ),
            click.option(
                "--weights",
                type=click.Choice(["linear", "quadratic"]),
                help="Cohen's kappa weights for ordinal tasks [default: quadratic].",
            ),
            click.option(
                "--level",
                type=click.Choice(["nominal", "ordinal", "interval", "ratio"]),
                help="Override the level of measurement of alpha (default: the one the task type implies).",
            ),
            click.option(
                "--iou",
                type=click.FloatRange(0, 1, min_open=True),
                multiple=True,
                help="IoU threshold for boxes and polygons (repeatable; default: the thresholds the acceptance criteria declare, else 0.5).",
            ),
            click.option(
                "--input-format",
                type=INPUT_FORMATS,
                help="Format of the files (default: from the file name).",
            ),
        ]
    ):
        f = decorator(f)
    return f


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("project", type=click.Path(path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@agreement_options
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="Items with the most disagreement to list per task.",
)
@output_option(REPORT_FORMATS)
@record_options
def agreement(
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
    fmt: str,
    output: Path | None,
    record: Recording | None,
) -> int:
    """Inter-annotator agreement of the items in FILES, labelled by several annotators.

    FILES are delivery files: one per annotator, or any files where the same item id appears
    in several records with different `annotator` values. Per task and per class it reports
    observed agreement, Krippendorff's alpha at the level the task implies, Fleiss' and
    Cohen's kappa (classification), MASI (multi-label), pairwise F1 (spans, boxes, polygons).
    """
    from guidekit.quality.output import render
    from guidekit.quality.report import Report

    if record is not None:
        record.open(project)
    guideline, _, results = run(
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
    report = Report("Agreement", f"{guideline.id} {guideline.version}", agreement=results)
    emit(render(report, fmt), output)
    if record is not None:
        record.save(project, guideline, "agreement", files, report.to_dict())
    return 0


def run(
    project: Path,
    files: Sequence[Path],
    tasks: Sequence[str],
    split: str | None,
    bootstrap: int,
    seed: int,
    confidence: float,
    weights: Weights,
    level: Level | None,
    iou: Sequence[float],
    input_format: str | None,
    top: int,
) -> tuple[ir.Guideline, Annotations, list[TaskAgreement]]:
    """Read the files and measure; raise GK604 when no item has two annotators."""
    from guidekit.commands._quality import load_guideline, pick_tasks, read, warn
    from guidekit.diagnostics.codes import diag
    from guidekit.errors import GuidekitError
    from guidekit.quality.agreement import Options, measure

    guideline = load_guideline(project)
    chosen = pick_tasks(guideline, tasks)
    _check_weights(weights, chosen)
    _check_level(level, chosen)
    annotations = read(guideline, files, input_format, split)
    opts = Options(
        bootstrap=bootstrap,
        seed=seed,
        confidence=confidence,
        weights=weights,
        level=level,
        iou=tuple(iou),
        top=top,
    )
    results = measure(guideline, annotations, chosen, opts)
    seen = set()
    problems = list(annotations.diagnostics)
    for r in results:
        for d in r.diagnostics:
            if d not in seen:
                seen.add(d)
                problems.append(d)
    warn(problems)
    if not any(r.units for r in results):
        invalid = [r for r in results if r.ignored and r.ratings == 0]
        if invalid and len(invalid) == len([r for r in results if r.ignored or r.ratings]):
            # every value there was is invalid: say so rather than blame the pairing
            raise GuidekitError(
                diag(
                    "GK604",
                    "nothing to compare: "
                    + "; ".join(
                        f"all {r.ignored} value(s) of task '{r.task}' are not valid for it"
                        for r in invalid
                    ),
                    hint="run `guidekit validate` on the files to see each invalid value",
                )
            )
        raise GuidekitError(
            diag(
                "GK604",
                f"no item in {len(files)} file(s) is labelled by two annotators "
                f"({len(annotations.records)} records, {len(annotations.annotators())} annotator(s))",
                hint="records of one item share the id and differ in the annotator field; "
                "files without that field count as one annotator each",
            )
        )
    return guideline, annotations, results


def _check_level(level: Level | None, chosen: Sequence[ir.Task]) -> None:
    """``--level`` where no chosen task has alpha at a level is a usage error."""
    from guidekit import tasktypes

    if level is None or any(
        tasktypes.of(t).agreement_kind() in ("labels", "numbers") for t in chosen
    ):
        return
    names = ", ".join(f"'{t.id}' ({t.type})" for t in chosen)
    raise click.BadParameter(
        f"the level of measurement applies to single, boolean, ordinal and number tasks, "
        f"not to {names}",
        param_hint="'--level'",
    )


def _check_weights(weights: Weights, chosen: Sequence[ir.Task]) -> None:
    """``--weights`` where no chosen task is ordered is a usage error, not silently ignored."""
    from guidekit import tasktypes

    if weights is None or any(tasktypes.of(t).agreement_weighted() for t in chosen):
        return
    names = ", ".join(f"'{t.id}' ({t.type})" for t in chosen)
    raise click.BadParameter(
        f"weights apply to ordered classes (ordinal tasks); {names} "
        f"{'is' if len(chosen) == 1 else 'are'} nominal: every disagreement counts the same",
        param_hint="'--weights'",
    )
