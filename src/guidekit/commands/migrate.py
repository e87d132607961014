"""``guidekit migrate``: rewrite a delivery made under an old guideline version."""

from __future__ import annotations

from pathlib import Path

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._input import input_format_option, reader_options_option


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("delivery", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--from",
    "old",
    required=True,
    metavar="OLD",
    help="The guideline the delivery was made under: a folder, REV, REV:path or a version.",
)
@click.option(
    "--to",
    "new",
    default=".",
    show_default=True,
    metavar="NEW",
    help="The guideline to migrate to (same forms as --from).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Migrated delivery (default: DELIVERY with `.migrated` before its extension).",
)
@click.option("--in-place", is_flag=True, help="Replace DELIVERY with the migrated file.")
@click.option("--dry-run", is_flag=True, help="Count what would change; write no delivery.")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the report here: `.json` for JSON, anything else for Markdown.",
)
@click.option(
    "--stamp-all",
    is_flag=True,
    help="Also set guideline_version on records that NEW still rejects.",
)
@click.option(
    "--project",
    type=click.Path(path_type=Path),
    help="Guideline folder a bare REV refers to (default: the --to folder, or the current folder).",
)
@input_format_option
@reader_options_option
def migrate(
    delivery: Path,
    old: str,
    new: str,
    output: Path | None,
    in_place: bool,
    dry_run: bool,
    report_path: Path | None,
    stamp_all: bool,
    project: Path | None,
    input_format: str | None,
    reader_options: tuple[str, ...],
) -> int:
    """Rewrite the labels of DELIVERY made under guideline version OLD so they follow
    version NEW.

    DELIVERY is JSON Lines, rewritten line by line; any other input format (CSV, Parquet, a
    labelling tool's export) is read with its reader and written as JSON Lines.

    Renamed and merged classes (through `aliases` and `replaced_by`) are rewritten. Records
    whose labels were split or removed, or that lack a task NEW requires, keep their labels
    and are marked `"needs_reannotation": [task ids]`. Every record is then checked against
    NEW and reported as changed, unchanged and valid, needs re-annotation or still invalid
    (exit code 1). No record is dropped; records that migrated cleanly get
    `guideline_version` NEW.
    """
    from guidekit import outputs
    from guidekit.commands._input import resolve
    from guidekit.delivery.read import detect_format, read_records
    from guidekit.versioning.gitsource import load_ref, resolve_pair
    from guidekit.versioning.migrate import migrate_file
    from guidekit.versioning.migrate_report import render_json, render_markdown, render_text

    if in_place and output is not None:
        raise click.UsageError("--in-place and --output exclude each other")
    fmt, readers = resolve([delivery], input_format, reader_options)
    native_lines = readers is None and (fmt or detect_format(delivery)) == "jsonl"
    if in_place and not native_lines:
        raise click.UsageError(
            "--in-place replaces a JSON Lines delivery; this one is written as JSON Lines "
            "to --output"
        )
    if delivery.is_dir() and readers is None:
        raise click.UsageError(f"{delivery} is a folder; give --input-format for a tool's export")
    old_ref, new_ref = resolve_pair(old, new, project)
    before, after = load_ref(old_ref, old), load_ref(new_ref, new)
    target: Path | None
    if dry_run:
        target = None
    elif in_place:
        target = delivery
    elif native_lines:
        target = output or delivery.with_name(f"{delivery.stem}.migrated{delivery.suffix}")
    else:
        target = output or delivery.with_name(f"{delivery.stem}.migrated.jsonl")
    records = (
        None
        if native_lines
        else read_records(
            delivery, format=fmt, guideline=before.guideline, display=str(delivery), readers=readers
        )
    )
    report = migrate_file(
        delivery,
        before.guideline,
        after.guideline,
        output=target,
        stamp_all=stamp_all,
        display=str(delivery),
        records=records,
    )
    if report_path is not None:
        text = render_json(report) if report_path.suffix == ".json" else render_markdown(report)
        outputs.write_file(report_path, text)
    from guidekit.diagnostics.render import render_text as render_diagnostics

    if report.problems:
        click.echo(render_diagnostics(report.problems), nl=False, err=True)
    click.echo(render_text(report), nl=False)
    return 0 if report.ok else 1
