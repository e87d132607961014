"""``guidekit ledger status|report|prune``: read and tend the program ledger."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from guidekit.commands import CONTEXT_SETTINGS

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.ledger import Ledger

_project = click.argument("project", required=False, default=".", type=click.Path(path_type=Path))
_url = click.option(
    "--ledger",
    "ledger_url",
    metavar="URL",
    envvar="GUIDEKIT_LEDGER",
    help="The ledger's database URL (default: GUIDEKIT_LEDGER, else .guidekit/ledger.db by "
    "the guideline).",
)

INSTALL_REPORTS = "pip install 'guidekit[reports]'"


class MissingExtra(click.ClickException):
    exit_code = 2


@click.group(context_settings=CONTEXT_SETTINGS)
def ledger() -> None:
    """The program ledger: headline figures, trend reports, pruning by retention."""


def _open(project: Path, url: str | None) -> Ledger:
    from guidekit import ledger as lg

    return lg.open(url or lg.default_url(project))


def _guideline(project: Path, needed: bool) -> ir.Guideline | None:
    from guidekit.compiler.pipeline import load

    target = project / "guideline.yaml" if project.is_dir() else project
    if not needed and not target.is_file():
        return None
    return load(project)


@ledger.command("status")
@_project
@_url
def status(project: Path, ledger_url: str | None) -> int:
    """Print the ledger's headline figures: batches, verdicts, audit pass rate, revision rate,
    turnaround."""
    from rich.console import Console
    from rich.table import Table

    from guidekit.ledger.report import headline, to_data
    from guidekit.ledger.summary import read

    db = _open(project, ledger_url)
    data = to_data(read(db), None)
    db.close()
    table = Table(title=f"Program ledger ({data['ledger']})", show_header=False)
    for k, v in headline(data):
        table.add_row(k, v)
    Console(highlight=False, soft_wrap=True).print(table)
    if data["batches"]:
        last = data["batches"][-1]
        verdict = last["verdicts"].get("accept") or last["verdicts"].get("validate") or "–"
        click.echo(f"latest batch: {last['batch']} ({last['vendor'] or 'no vendor'}): {verdict}")
    return 0


@ledger.command("report")
@_project
@_url
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write index.html, ledger.md and ledger.json into.",
)
@click.option("--audience", help="Write the report as this audience may see it.")
@click.option("--force", is_flag=True, help="Write into a folder guidekit did not make.")
def report(
    project: Path, ledger_url: str | None, output: Path, audience: str | None, force: bool
) -> int:
    """Write the trends report: HTML with charts (needs matplotlib), Markdown and JSON."""
    import importlib.util

    if importlib.util.find_spec("matplotlib") is None:
        raise MissingExtra(f"the HTML report draws its charts with matplotlib: {INSTALL_REPORTS}")
    import json

    from guidekit import outputs
    from guidekit.audience import for_audience
    from guidekit.ledger.report import markdown, page, to_data
    from guidekit.ledger.summary import read

    guideline = _guideline(project, needed=audience is not None)
    if guideline is not None:
        guideline = for_audience(guideline, audience)
    db = _open(project, ledger_url)
    data = to_data(read(db), guideline)
    db.close()

    def write(stage: Path) -> None:
        (stage / "ledger.json").write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
        (stage / "ledger.md").write_text(markdown(data))
        (stage / "index.html").write_text(page(data))

    outputs.publish(output, "ledger report", write, force=force)
    click.echo(f"ledger report: {len(data['batches'])} batches; wrote {output}", err=True)
    return 0


@ledger.command("prune")
@_project
@_url
@click.option("--dry-run", is_flag=True, help="Say what would be deleted; delete nothing.")
def prune(project: Path, ledger_url: str | None, dry_run: bool) -> int:
    """Delete recorded runs older than the guideline's retention for their sensitivity level."""
    from guidekit.ledger.prune import prune as run

    guideline = _guideline(project, needed=True)
    assert guideline is not None
    gov = guideline.governance
    if not gov.retention and not gov.retention_by_level:
        click.echo(
            "the guideline declares no retention (governance.retention, "
            "governance.retention_by_level): nothing to prune",
            err=True,
        )
        return 0
    db = _open(project, ledger_url)
    done = run(db, gov.retention_by_level, gov.retention, dry_run=dry_run)
    db.close()
    verb = "would delete" if dry_run else "deleted"
    levels = ", ".join(f"{n} {lv}" for lv, n in sorted(done.by_level.items()))
    click.echo(
        f"{verb} {done.runs} runs{f' ({levels})' if levels else ''}, {done.revisions} "
        f"revisions and {done.batches} batches past retention in {db.name}"
    )
    return 0
