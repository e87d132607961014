"""``guidekit export``: write a native delivery in a labelling tool's or a training format."""

from __future__ import annotations

from pathlib import Path

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._choices import RegistryChoice
from guidekit.commands._input import INPUT_FORMATS, NATIVE


def _format_names() -> list[str]:
    from guidekit.bridges.formats import names

    return names()


def _options(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"'{pair}' is not KEY=VALUE", param_hint="--option")
        out[key.strip()] = value.strip()
    return out


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("project", type=click.Path(path_type=Path))
@click.argument("delivery", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=RegistryChoice(_format_names),
    required=True,
    help="Format to write.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="File to write (a folder for yolo, voc and brat).",
)
@click.option(
    "--input-format",
    "source",
    type=INPUT_FORMATS,
    help="Format of DELIVERY: jsonl, csv, parquet, or a labelling tool's export, to convert "
    "one tool's export into another format (default: from the file name, or from the "
    "content for a tool's export).",
)
@click.option(
    "--from",
    "legacy_source",
    type=click.Choice(NATIVE),
    hidden=True,
    help="Same as --input-format, for the native formats (the spelling of guidekit 0.1).",
)
@click.option(
    "--option",
    "-O",
    "options",
    multiple=True,
    metavar="KEY=VALUE",
    help="A format option, e.g. -O task=products or -O ids=true (see the docs of each format).",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Write the valid records and report the others (default: write nothing if any "
    "record is invalid).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write a folder format into a folder guidekit did not create: only guidekit's files "
    "are written or replaced; nothing else is changed or deleted.",
)
def export(
    project: Path,
    delivery: Path,
    fmt: str,
    out: Path,
    source: str | None,
    legacy_source: str | None,
    options: tuple[str, ...],
    skip_invalid: bool,
    force: bool,
) -> int:
    """Write the native DELIVERY of the guideline in PROJECT in another format.

    Every record is first checked against the guideline (the same value checks the
    validator runs); by default nothing is written when a record fails. A file is replaced
    atomically; a folder (yolo, voc, brat) must be new, empty or written by guidekit before, unless
    --force. Exit code 0 when
    every record was written, 1 when records were invalid or could not be written.
    """
    from dataclasses import replace

    from guidekit import outputs
    from guidekit.bridges import formats
    from guidekit.bridges._check import checked_records
    from guidekit.compiler.pipeline import load
    from guidekit.diagnostics.model import Severity, sort_diagnostics
    from guidekit.diagnostics.render import render_text

    opts = _options(options)
    chosen = formats.get(fmt)
    write = chosen.write
    if write is None:
        raise click.BadParameter(f"{fmt} is a format guidekit reads only", param_hint="--format")
    from guidekit.commands._input import resolve

    guideline = load(project)
    if source is not None and legacy_source is not None and source != legacy_source:
        raise click.UsageError("--from and --input-format disagree; give --input-format only")
    source, readers = resolve([delivery], source or legacy_source)
    invalid = checked_records(delivery, guideline, source, readers)
    if invalid.problems and not skip_invalid:
        click.echo(
            render_text(invalid.problems, subject=f"{delivery}: nothing written"),
            err=True,
            nl=False,
        )
        return 1
    records = invalid.valid(delivery, guideline, source, readers)
    if chosen.folder:
        result, _ = outputs.publish(
            out,
            f"export:{fmt}",
            lambda stage: write(records, guideline, stage, **opts),
            force=force,
        )
    else:
        result = outputs.publish_file(out, lambda tmp: write(records, guideline, tmp, **opts))
    # writers see record dicts only; their problems are about the delivery's records
    written = [
        d if d.location.file else replace(d, location=replace(d.location, file=str(delivery)))
        for d in result.diagnostics
    ]
    diagnostics = sort_diagnostics([*invalid.problems, *written])
    if diagnostics:
        click.echo(render_text(diagnostics), err=True, nl=False)
    click.echo(
        f"wrote {result.records} record{'s' if result.records != 1 else ''} to {out} ({fmt})"
    )
    failed = any(d.severity is Severity.ERROR for d in diagnostics)
    return 1 if failed else 0
