"""``guidekit agreement``: inter-annotator agreement per task and per class."""

from __future__ import annotations

import math
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


#: Gwet's weight families (``quality.coefficients.WEIGHT_FAMILIES``; a test keeps them equal,
#: so that ``--help`` imports no numpy).
WEIGHT_FAMILIES = (
    "identity",
    "linear",
    "quadratic",
    "ordinal",
    "radical",
    "ratio",
    "circular",
    "bipolar",
)
#: What ``--stat`` accepts (``quality.agreement.STAT_NAMES``, kept equal by a test).
STAT_NAMES = (
    "percent_agreement",
    "cohen_kappa",
    "conger_kappa",
    "fleiss_kappa",
    "scott_pi",
    "brennan_prediger",
    "gwet_ac1",
    "krippendorff_alpha",
    "gwet_ac2",
    "icc",
    "icc(1,1)",
    "icc(A,1)",
    "icc(C,1)",
    "icc(1,k)",
    "icc(A,k)",
    "icc(C,k)",
)
ICC_NAMES = tuple(n for n in STAT_NAMES if n.startswith("icc"))


def _weights_param(ctx: click.Context, param: click.Parameter, value: str | None) -> Weights:
    """A weight family, or a JSON file with a square matrix of agreement weights."""
    if value is None or value in WEIGHT_FAMILIES:
        return value
    import json

    import numpy as np

    path = Path(value)
    if not path.is_file():
        raise click.BadParameter(
            f"{value!r} is neither a weight family ({', '.join(WEIGHT_FAMILIES)}) nor a file"
        )
    try:
        matrix = np.array(json.loads(path.read_text(encoding="utf-8")), dtype=np.float64)
    except (ValueError, TypeError, OSError) as e:
        raise click.BadParameter(f"{value}: not a JSON matrix of numbers ({e})") from None
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or not len(matrix):
        raise click.BadParameter(f"{value}: the weights must be a square matrix")
    if not np.isfinite(matrix).all() or (matrix < 0).any() or (matrix > 1).any():
        raise click.BadParameter(f"{value}: agreement weights lie between 0 and 1")
    if not (np.diag(matrix) == 1).all():
        raise click.BadParameter(f"{value}: a value agrees fully with itself (diagonal of 1)")
    return matrix


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
                metavar="FAMILY|FILE",
                callback=_weights_param,
                help="Weights of the kappas for ordered values (ordinal tasks; number tasks "
                "with --stat): " + ", ".join(WEIGHT_FAMILIES) + ", or a JSON file holding "
                "a square matrix of agreement weights (1 = full agreement) in the declared "
                "class order [default: quadratic].",
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
@click.option(
    "--stat",
    "stats",
    multiple=True,
    type=click.Choice(STAT_NAMES),
    help="Report this coefficient with its analytic standard error, interval and p-value "
    "(Gwet 2014) instead of the default statistics (repeatable); icc(FORM) for number tasks.",
)
@click.option(
    "--fpc",
    type=click.IntRange(min=1),
    help="Finite-population correction of --stat's standard errors: the number of items in "
    "the population the rated items were drawn from.",
)
@click.option(
    "--benchmark",
    type=click.Choice(["landis_koch", "fleiss", "altman"]),
    default="landis_koch",
    show_default=True,
    help="Benchmark scale that interprets --stat's coefficients.",
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
    stats: tuple[str, ...],
    fpc: int | None,
    benchmark: str,
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
        stats=stats,
        fpc=fpc,
        benchmark=benchmark,
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
    *,
    stats: Sequence[str] = (),
    fpc: int | None = None,
    benchmark: str = "landis_koch",
) -> tuple[ir.Guideline, Annotations, list[TaskAgreement]]:
    """Read the files and measure; raise GK604 when no item has two annotators."""
    from guidekit.commands._quality import load_guideline, pick_tasks, read, warn
    from guidekit.diagnostics.codes import diag
    from guidekit.errors import GuidekitError
    from guidekit.quality.agreement import Options, measure

    guideline = load_guideline(project)
    chosen = pick_tasks(guideline, tasks)
    _check_stats(stats, weights, fpc, chosen)
    _check_weights(weights, chosen, bool(stats))
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
        stats=tuple(dict.fromkeys(stats)),
        population=float(fpc) if fpc is not None else math.inf,
        benchmark=benchmark,
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


def _check_stats(
    stats: Sequence[str], weights: Weights, fpc: int | None, chosen: Sequence[ir.Task]
) -> None:
    """``--stat``, ``--fpc`` and ``--weights`` where they cannot apply are usage errors."""
    from guidekit import tasktypes

    if fpc is not None and not stats:
        raise click.BadParameter(
            "the finite-population correction applies to the analytic intervals of --stat",
            param_hint="'--fpc'",
        )
    if not stats:
        return
    kinds = {tasktypes.of(t).agreement_kind() for t in chosen}
    names = ", ".join(f"'{t.id}' ({t.type})" for t in chosen)
    icc = [s for s in stats if s in ICC_NAMES]
    if icc and "numbers" not in kinds:
        raise click.BadParameter(
            f"the ICC applies to number tasks, not to {names}", param_hint="'--stat'"
        )
    forms = {"icc(A,1)" if s == "icc" else s for s in icc}
    if len(forms) > 1:
        raise click.BadParameter(
            f"one ICC form per run (asked for {', '.join(sorted(forms))})", param_hint="'--stat'"
        )
    if len(icc) < len(stats) and not kinds & {"labels", "numbers"}:
        raise click.BadParameter(
            f"the chance-corrected coefficients apply to single, boolean, ordinal and number "
            f"tasks, not to {names}",
            param_hint="'--stat'",
        )
    if weights is not None and len(icc) == len(stats):
        raise click.BadParameter(
            "the ICC takes no weights (it compares the numbers themselves)",
            param_hint="'--weights'",
        )


def _check_weights(weights: Weights, chosen: Sequence[ir.Task], stats: bool = False) -> None:
    """``--weights`` where no chosen task is ordered is a usage error, not silently ignored;
    a custom matrix must have one row per class of every ordered task."""
    from guidekit import tasktypes

    if weights is None:
        return
    if not isinstance(weights, str):
        for t in chosen:
            tt = tasktypes.of(t)
            if tt.agreement_weighted() and len(tt.quality_labels(t)) != len(weights):
                raise click.BadParameter(
                    f"the matrix is {len(weights)}x{len(weights)}, task '{t.id}' has "
                    f"{len(tt.quality_labels(t))} classes",
                    param_hint="'--weights'",
                )
    if any(tasktypes.of(t).agreement_weighted() for t in chosen):
        return
    if stats and any(tasktypes.of(t).agreement_kind() == "numbers" for t in chosen):
        return
    names = ", ".join(f"'{t.id}' ({t.type})" for t in chosen)
    raise click.BadParameter(
        f"weights apply to ordered classes (ordinal tasks); {names} "
        f"{'is' if len(chosen) == 1 else 'are'} nominal: every disagreement counts the same",
        param_hint="'--weights'",
    )
