"""``guidekit validate``: check a delivery against a guideline."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._choices import ByteSize
from guidekit.commands._common import emit
from guidekit.commands._input import input_format_option, reader_options_option, resolve
from guidekit.commands._ledger import Recording, record_options

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.delivery.report import Report

REPORT_FORMATS = ("text", "json", "junit", "markdown", "html")


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("project", type=click.Path(path_type=Path))
@click.argument("delivery", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file (a one-line verdict still goes to standard error).",
)
@input_format_option
@reader_options_option
@click.option(
    "--expect",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File of the ids the delivery must contain (one per line, or JSON Lines records).",
)
@click.option(
    "--max-errors",
    type=click.IntRange(min=1),
    help="Stop after this many errors; the delivery is then rejected.",
)
@click.option(
    "--split",
    "split_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write accepted and rejected records (and why) to this folder.",
)
@click.option(
    "--examples",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="Examples shown per diagnostic code.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    show_default="0 = one per CPU",
    help="Processes for large JSON Lines files (1 = a single process).",
)
@click.option(
    "--max-line-bytes",
    type=ByteSize(),
    default="64M",
    show_default=True,
    help="Reject a JSON Lines line longer than this without reading it (GK551); "
    "accepts K, M and G suffixes.",
)
@click.option(
    "--engine",
    type=click.Choice(("local", "spark")),
    default="local",
    show_default=True,
    help="Where the records are checked: this machine's processes, or Apache Spark "
    "(JSON Lines files or URLs; the extra `pip install 'guidekit[spark]'`).",
)
@click.option(
    "--spark-master",
    metavar="URL",
    help="Spark master for --engine spark (local[2], spark://host:7077, yarn, ...); "
    "default: what spark-submit says, else local[*].",
)
@click.option("--no-progress", is_flag=True, help="No progress bar, even on a terminal.")
@record_options
def validate(
    project: Path,
    delivery: tuple[str, ...],
    fmt: str,
    output: Path | None,
    input_format: str | None,
    reader_options: tuple[str, ...],
    expect: Path | None,
    max_errors: int | None,
    split_dir: Path | None,
    examples: int,
    jobs: int,
    max_line_bytes: int,
    engine: str,
    spark_master: str | None,
    no_progress: bool,
    record: Recording | None,
) -> int:
    """Validate the DELIVERY files against the guideline in PROJECT.

    A DELIVERY may be a URL of object storage (s3://bucket/batch-42/*.jsonl.gz, gs://,
    az://, https://, any fsspec URL; globs allowed), streamed with the store's usual
    credentials; this needs the extra `pip install 'guidekit[cloud]'`.

    Streams every record through the guideline's checks (structure, labels, spans, boxes,
    polygons, keypoints, relations, attributes, rules), then the checks across records
    (duplicate ids, expected ids, guideline versions) and the acceptance criteria a delivery
    alone can answer. Exit code 0 when the delivery is accepted, 1 when it is rejected, 2
    when the command line is wrong.

    With --engine spark the records are checked on Spark's executors and the checks across
    records on the driver, into the same report; --split then writes Parquet
    (accepted.parquet, rejected.parquet, findings.parquet).
    """
    if split_dir is not None and max_errors is not None:
        raise click.UsageError(
            "--split needs the whole delivery; it cannot be combined with --max-errors"
        )
    if spark_master is not None and engine != "spark":
        raise click.UsageError("--spark-master needs --engine spark")
    if engine == "spark":
        for given, name in ((expect, "--expect"), (max_errors, "--max-errors")):
            if given is not None:
                raise click.UsageError(f"{name} is not available with --engine spark yet")
        if input_format not in (None, "jsonl") or reader_options:
            raise click.UsageError("--engine spark reads JSON Lines only")
    from guidekit.compiler.pipeline import load
    from guidekit.delivery import _parallel
    from guidekit.delivery.remote import MissingExtra, check, is_url
    from guidekit.delivery.render import render
    from guidekit.delivery.stream import validate as run

    for item in delivery:
        if is_url(item):
            try:
                check(item)
            except MissingExtra as exc:
                raise click.UsageError(str(exc)) from None
    guideline = load(project)
    local = [Path(d) for d in delivery if not is_url(d)]
    if record is not None:
        record.start(project, local)
    input_format, readers = resolve(local, input_format, reader_options)
    progress = None
    if not no_progress and sys.stderr.isatty():
        from guidekit.commands._progress import RichProgress

        progress = RichProgress()
    if engine == "spark":
        if input_format not in (None, "jsonl"):
            raise click.UsageError(
                f"--engine spark reads JSON Lines only, and {local[0]} reads as a "
                f"{input_format} export (--input-format jsonl reads it as records)"
            )
        jsonl = input_format == "jsonl"
        report = _on_spark(guideline, delivery, split_dir, examples, spark_master, jsonl)
    else:
        report = run(
            guideline,
            [d if is_url(d) else str(Path(d)) for d in delivery],
            format=input_format,
            readers=readers,
            expect=expect,
            max_errors=max_errors,
            split_dir=split_dir,
            examples=examples,
            progress=progress,
            jobs=jobs or _parallel.default_jobs(),
            max_line_bytes=max_line_bytes,
        )
    color = fmt == "text" and output is None and sys.stdout.isatty()
    if color:
        from rich.console import Console

        Console(highlight=False, soft_wrap=True).print(render(report, "text", color=True), end="")
    else:
        emit(render(report, fmt), output)
    if output is not None:
        verdict = "accepted" if report.accepted else "rejected"
        click.echo(
            f"{report.guideline} {report.version}: delivery {verdict} "
            f"({report.rejected_records} of {report.records} records rejected); report: {output}",
            err=True,
        )
    if record is not None:
        record.save(project, guideline, "validate", local, report.to_dict())
    return report.exit_code


def _on_spark(
    guideline: ir.Guideline,
    delivery: tuple[str, ...],
    split_dir: Path | None,
    examples: int,
    master: str | None,
    jsonl: bool,
) -> Report:
    from guidekit import spark
    from guidekit.delivery.remote import is_url

    try:
        session = spark.session(master)
    except spark.MissingSpark as exc:
        raise click.UsageError(str(exc)) from None
    result = spark.validate(
        [d if is_url(d) else str(Path(d)) for d in delivery],
        guideline,
        spark=session,
        examples=examples,
        split=None if split_dir is None else str(split_dir),
        jsonl=jsonl,
    )
    result.unpersist()
    return result.report
