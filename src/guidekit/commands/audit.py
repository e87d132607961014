"""``guidekit audit sample`` and ``guidekit audit score``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._common import emit, output_option
from guidekit.commands._input import INPUT_FORMATS
from guidekit.commands._ledger import Recording, record_options
from guidekit.commands._quality import REPORT_FORMATS


@click.group(context_settings=CONTEXT_SETTINGS)
def audit() -> None:
    """Draw an audit sample of a delivery; score the auditors' verdicts."""


@audit.command("sample")
@click.argument("project", type=click.Path(path_type=Path))
@click.argument("delivery", type=click.Path(path_type=Path))
@click.option(
    "--rate",
    type=click.FloatRange(0, 1, min_open=True),
    help="Share of items to sample (default: the guideline's audit sample rate).",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed: the same seed gives the same sample.",
)
@click.option(
    "--by",
    "by_task",
    help="Stratify by the labels of this task (default: the first single or ordinal task).",
)
@click.option("--split", help="Sample only records of this split (and use its audit rate).")
@click.option(
    "--input-format",
    type=INPUT_FORMATS,
    help="Format of the delivery (default: from the file name).",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a verdict file to fill in (one line per sampled item).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the sampled records here (default: standard output).",
)
def sample(
    project: Path,
    delivery: Path,
    rate: float | None,
    seed: int,
    by_task: str | None,
    split: str | None,
    input_format: str | None,
    template: Path | None,
    output: Path | None,
) -> int:
    """Draw a seeded, class-stratified audit sample of DELIVERY.

    Writes the sampled records (every record of each sampled item, byte for byte) as JSON
    Lines and prints how many items each class contributed to standard error.
    """
    import orjson

    from guidekit import outputs
    from guidekit.commands._quality import display, load_guideline, read, warn
    from guidekit.quality.audit import draw, stratify_task

    guideline = load_guideline(project)
    if rate is None:
        declared = [a for a in guideline.acceptance.audit if a.split == split] or [
            a for a in guideline.acceptance.audit if a.split is None
        ]
        if not declared:
            raise click.UsageError("the guideline declares no audit sample rate: pass --rate")
        rate = declared[0].sample
    annotations = read(guideline, [delivery], input_format, split)
    warn(annotations.diagnostics)
    task = stratify_task(guideline, by_task)
    drawn = draw(guideline, annotations.records, rate, seed=seed, task=task)
    chosen = set(drawn.items)
    from guidekit.commands._input import resolve
    from guidekit.delivery.read import detect_format, read_records
    from guidekit.quality.ratings import item_id

    input_format, readers = resolve([delivery], input_format)
    keep_bytes = readers is None and (input_format or detect_format(delivery)) == "jsonl"
    meta_split = guideline.delivery.metadata.split
    lines = []
    records = read_records(
        display(delivery), format=input_format, guideline=guideline, readers=readers
    )
    for rec in records:
        if rec.data is None or item_id(rec.data.get(guideline.delivery.id)) not in chosen:
            continue
        if split is not None and rec.data.get(meta_split) != split:
            continue
        if keep_bytes:
            lines.append(rec.raw if rec.raw.endswith(b"\n") else rec.raw + b"\n")
        else:
            lines.append(orjson.dumps(rec.data) + b"\n")
    data = b"".join(lines)
    if output is None:
        sys.stdout.buffer.write(data)  # click.get_binary_stream is deprecated (untyped)
    else:
        outputs.write_file(output, data)
    if template is not None:
        outputs.write_file(
            template,
            b"".join(
                orjson.dumps({"id": i, "pass": None, "defects": [], "auditor": None, "note": None})
                + b"\n"
                for i in drawn.items
            ),
        )
    by = f" stratified by {drawn.task}" if drawn.task else ""
    click.echo(
        f"sampled {len(drawn.items)} of {drawn.population} items (rate {rate:g}, seed {seed}){by}",
        err=True,
    )
    for group, (k, n) in drawn.strata.items():
        click.echo(f"  {group}: {k} of {n}", err=True)
    return 0


@audit.command("score")
@click.argument("project", type=click.Path(path_type=Path))
@click.argument("verdicts", type=click.Path(path_type=Path))
@click.option(
    "--delivery",
    type=click.Path(path_type=Path),
    help="The audited delivery: verdicts must name its items, and coverage is reported.",
)
@click.option(
    "--input-format",
    type=INPUT_FORMATS,
    help="Format of --delivery (default: from the file name, or from the content for a "
    "tool's export).",
)
@click.option(
    "--confidence",
    type=click.FloatRange(0.5, 0.999),
    default=0.95,
    show_default=True,
    help="Confidence level of the Wilson interval.",
)
@output_option(REPORT_FORMATS)
@record_options
def score(
    project: Path,
    verdicts: Path,
    delivery: Path | None,
    input_format: str | None,
    confidence: float,
    fmt: str,
    output: Path | None,
    record: Recording | None,
) -> int:
    """Score the auditors' VERDICTS: pass rate with its Wilson interval, defect histogram.

    VERDICTS is JSON Lines: {"id": ..., "pass": true|false, "defects": [...], "auditor": ...,
    "note": ...}. Exit code 1 when a verdict is malformed, or names an item that is not in
    --delivery.
    """
    from guidekit.commands._quality import display, guideline_label, load_guideline, read
    from guidekit.diagnostics.codes import diag
    from guidekit.errors import GuidekitError
    from guidekit.quality.audit import read_verdicts
    from guidekit.quality.audit import score as score_verdicts
    from guidekit.quality.output import render
    from guidekit.quality.report import Report

    guideline = load_guideline(project)
    if record is not None:
        record.open(project)
    found, problems = read_verdicts(guideline, display(verdicts))
    population = None
    if delivery is not None:
        population = {a.item for a in read(guideline, [delivery], input_format).records}
        for v in found:
            if v.item not in population:
                problems.append(
                    diag("GK605", f"item '{v.item}' is not in {display(delivery)}", v.location)
                )
    if problems:
        raise GuidekitError(problems)
    result = score_verdicts(found, confidence=confidence, population=population)
    report = Report("Audit", guideline_label(guideline), audit=result)
    emit(render(report, fmt), output)
    if record is not None:
        files = [verdicts] if delivery is None else [delivery]
        outcomes = [(v.item, v.passed) for v in found]
        record.save(project, guideline, "audit score", files, report.to_dict(), audit=outcomes)
    return 0
