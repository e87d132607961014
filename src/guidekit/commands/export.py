"""``guidekit export``: write a native delivery in a labelling tool's or a training format."""

from __future__ import annotations

from pathlib import Path

import click

from guidekit.commands._choices import RegistryChoice


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


@click.command()
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
    help="File to write (a folder for yolo and voc).",
)
@click.option(
    "--from",
    "source",
    type=click.Choice(("jsonl", "csv", "parquet")),
    help="Format of DELIVERY (default: from its file name).",
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
def export(
    project: Path,
    delivery: Path,
    fmt: str,
    out: Path,
    source: str | None,
    options: tuple[str, ...],
    skip_invalid: bool,
) -> int:
    """Write the native DELIVERY of the guideline in PROJECT in another format.

    Every record is first checked against the guideline (the same value checks the
    validator runs); by default nothing is written when a record fails. Exit code 0 when
    every record was written, 1 when records were invalid or could not be written.
    """
    from dataclasses import replace

    from guidekit.bridges import formats
    from guidekit.bridges._check import checked_records
    from guidekit.compiler.pipeline import load
    from guidekit.diagnostics.model import Severity, sort_diagnostics
    from guidekit.diagnostics.render import render_text

    opts = _options(options)
    write = formats.get(fmt).write
    if write is None:
        raise click.BadParameter(f"{fmt} is a format guidekit reads only", param_hint="--format")
    guideline = load(project)
    invalid = checked_records(delivery, guideline, source)
    if invalid.problems and not skip_invalid:
        click.echo(
            render_text(invalid.problems, subject=f"{delivery}: nothing written"),
            err=True,
            nl=False,
        )
        return 1
    result = write(invalid.valid(delivery, guideline, source), guideline, out, **opts)
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
