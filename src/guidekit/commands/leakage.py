"""``guidekit leakage``: training and evaluation data must share no item."""

from __future__ import annotations

from pathlib import Path

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._common import emit
from guidekit.commands._input import INPUT_FORMATS


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("project", type=click.Path(path_type=Path))
@click.argument("train", type=click.Path(path_type=Path))
@click.argument("evaluation", metavar="EVAL", type=click.Path(path_type=Path))
@click.option(
    "--field",
    "fields",
    multiple=True,
    help="Input field whose content is compared (repeatable; default: every field of the guideline's record).",
)
@click.option(
    "--input-format",
    type=INPUT_FORMATS,
    help="Format of the files (default: from the file name).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file.",
)
def leakage(
    project: Path,
    train: Path,
    evaluation: Path,
    fields: tuple[str, ...],
    input_format: str | None,
    fmt: str,
    output: Path | None,
) -> int:
    """Check that the training delivery TRAIN and the evaluation set EVAL share no item.

    Items overlap when they have the same id, or the same content: the hash of their input
    fields after normalising Unicode, case and whitespace. Exit code 1 when any overlap is
    found; the report lists each one with where it is in both files.
    """
    import orjson

    from guidekit.commands._quality import load_guideline, read, warn
    from guidekit.quality.leakage import find

    guideline = load_guideline(project)
    unknown = [f for f in fields if f not in guideline.record.fields]
    if unknown:
        raise click.BadParameter(
            f"not a field of the record: {', '.join(unknown)}", param_hint="--field"
        )
    t = read(guideline, [train], input_format)
    e = read(guideline, [evaluation], input_format)
    warn([*t.diagnostics, *e.diagnostics])
    report = find(guideline, t.records, e.records, fields or None)
    if fmt == "json":
        emit(orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n", output)
    else:
        lines = []
        for o in report.overlaps:
            what = (
                f"same id '{o.train_item}'"
                if o.kind != "content"
                else (f"same content as eval item '{o.eval_item}'")
            )
            if o.kind == "id+content":
                what += " and content"
            lines.append(
                f"{o.train_at}: GK607 train item '{o.train_item}' leaks into eval: {what} ({o.eval_at})"
            )
        c = report.counts()
        lines.append(
            f"{report.train_items} train items, {report.eval_items} eval items: "
            + (
                "no overlap"
                if report.clean
                else f"{len(report.overlaps)} overlap(s) "
                f"({c['id']} by id, {c['content']} by content, {c['id+content']} by both)"
            )
        )
        if report.train_without_content or report.eval_without_content:
            lines.append(
                f"note: {report.train_without_content} train and {report.eval_without_content} "
                f"eval items carry none of the fields {', '.join(report.fields)}; their content was not compared"
            )
        emit("\n".join(lines) + "\n", output)
    return 0 if report.clean else 1
