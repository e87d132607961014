"""``guidekit accept``: the acceptance decision on a delivery."""

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
@click.argument("delivery", type=click.Path(path_type=Path))
@click.option(
    "--audit",
    "audit_file",
    type=click.Path(path_type=Path),
    help="The auditors' verdicts (JSON Lines).",
)
@click.option(
    "--gold",
    "gold_file",
    type=click.Path(path_type=Path),
    help="A gold set (shaped like a delivery).",
)
@click.option(
    "--annotations",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Files with several annotators per item, for agreement (repeatable; default: the delivery itself).",
)
@click.option(
    "--bootstrap",
    type=click.IntRange(min=0),
    help="Bootstrap samples for the agreement intervals in the report [default: 1000 for html, else 0].",
)
@click.option(
    "--predictions",
    "predictions_file",
    type=click.Path(path_type=Path),
    help="Predictions on the evaluation set (as for `guidekit eval`), for the "
    "`acceptance.edge_cases` criteria.",
)
@click.option(
    "--require-all", is_flag=True, help="Reject when a criterion cannot be measured, too."
)
@click.option(
    "--input-format",
    type=INPUT_FORMATS,
    help="Format of the delivery files (default: from the file name).",
)
@output_option(REPORT_FORMATS)
@record_options
def accept(
    project: Path,
    delivery: Path,
    audit_file: Path | None,
    gold_file: Path | None,
    annotations: tuple[Path, ...],
    predictions_file: Path | None,
    bootstrap: int | None,
    require_all: bool,
    input_format: str | None,
    fmt: str,
    output: Path | None,
    record: Recording | None,
) -> int:
    """Decide whether DELIVERY meets the guideline's acceptance criteria.

    Evaluates every criterion the guideline declares (agreement, audit pass rate, gold
    scores, class distribution, unresolved share, error rates, F1 per edge case on the
    evaluation set with --predictions) and prints one verdict with
    the reason for each: met, failed, or not measurable because an input is missing. Exit
    code 0 to accept, 1 to reject.
    """
    from guidekit.commands._quality import display, guideline_label, load_guideline, read, warn
    from guidekit.errors import GuidekitError
    from guidekit.quality.agreement import Options
    from guidekit.quality.audit import read_verdicts
    from guidekit.quality.decide import Inputs, evaluate, validator_errors
    from guidekit.quality.distribution import class_shares
    from guidekit.quality.gold import gold_index
    from guidekit.quality.output import render
    from guidekit.quality.report import Report, declared_bounds
    from guidekit.record.acceptance import verdict

    guideline = load_guideline(project)
    if record is not None:
        record.open(project)
    delivered = read(guideline, [delivery], input_format)
    warn(delivered.diagnostics)
    inputs = Inputs(delivered)
    if bootstrap is None:
        bootstrap = 1000 if fmt == "html" else 0
    inputs.options = Options(top=5, bootstrap=bootstrap)
    if annotations:
        inputs.annotations = read(guideline, list(annotations), input_format)
        warn(inputs.annotations.diagnostics)
    if audit_file is not None:
        verdicts, problems = read_verdicts(guideline, display(audit_file))
        if problems:
            raise GuidekitError(problems)
        inputs.verdicts = verdicts
    if gold_file is not None:
        gold_records = read(guideline, [gold_file], input_format)
        index, problems = gold_index(guideline, gold_records.records)
        if problems or gold_records.diagnostics:
            raise GuidekitError([*gold_records.diagnostics, *problems])
        inputs.gold = index
    if predictions_file is not None:
        inputs.predictions = read(guideline, [predictions_file], input_format)
        warn(inputs.predictions.diagnostics)
    from guidekit.commands._input import resolve

    delivery_format, readers = resolve([delivery], input_format)
    inputs.errors = validator_errors(guideline, [display(delivery)], delivery_format, readers)
    results = evaluate(guideline, inputs)
    decision = verdict(results)
    if require_all and any(r.status == "not_measured" for r in results):
        decision = "reject"
    report = Report("Acceptance", guideline_label(guideline), decision=decision, criteria=results)
    distribution_tasks = list(
        dict.fromkeys(
            d.task for d in guideline.acceptance.distribution if d.task in guideline.tasks
        )
    )
    for tid in distribution_tasks:
        task = guideline.tasks[tid]
        report.distribution.append(
            (class_shares(guideline, task, delivered.records), declared_bounds(guideline, tid))
        )
    report.agreement = [
        a for (_, split), a in inputs.agreement.items() if split is None and a.units
    ]
    report.gold = [g for (_, split, _), g in inputs.gold_reports.items() if split is None]
    if inputs.verdicts is not None:
        from guidekit.quality.audit import score

        report.audit = score(inputs.verdicts, population={a.item for a in delivered.records})
    if require_all:
        report.notes.append("--require-all: criteria that could not be measured reject")
    emit(render(report, fmt), output)
    if record is not None:
        from guidekit.commands._ledger import delivery_counts

        counts = delivery_counts(guideline, delivered.records)
        outcomes = [(v.item, v.passed) for v in inputs.verdicts or ()]
        record.save(
            project,
            guideline,
            "accept",
            [delivery],
            report.to_dict(),
            audit=outcomes,
            counts=counts,
        )
    return 0 if decision == "accept" else 1
