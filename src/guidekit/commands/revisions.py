"""``guidekit revisions``: label revision rate between two deliveries, and turnaround."""

from __future__ import annotations

from pathlib import Path

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._common import emit
from guidekit.commands._input import INPUT_FORMATS


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("project", type=click.Path(path_type=Path))
@click.argument("first", type=click.Path(path_type=Path))
@click.argument("second", type=click.Path(path_type=Path), required=False)
@click.option(
    "--task", "-t", "tasks", multiple=True, help="Compare this task (repeatable; default: all)."
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
def revisions(
    project: Path,
    first: Path,
    second: Path | None,
    tasks: tuple[str, ...],
    input_format: str | None,
    fmt: str,
    output: Path | None,
) -> int:
    """Revision rate per task and class between deliveries FIRST and SECOND of the same
    items, and turnaround (created_at to updated_at) of the latest delivery.

    With FIRST alone, reports turnaround only.
    """
    import orjson

    from guidekit.commands._quality import load_guideline, pick_tasks, read, warn
    from guidekit.quality.revisions import Turnaround, compare, turnaround

    guideline = load_guideline(project)
    chosen = pick_tasks(guideline, tasks)
    old = read(guideline, [first], input_format)
    new = read(guideline, [second], input_format) if second is not None else None
    warn([*old.diagnostics, *(new.diagnostics if new else [])])
    latest = new or old
    timing = turnaround(guideline, latest.records)
    result = compare(guideline, old.records, new.records, chosen) if new is not None else None
    if fmt == "json":
        data = {"revisions": result.to_dict() if result else None, "turnaround": timing.to_dict()}
        emit(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n", output)
        return 0
    lines = []
    if result is not None:
        lines.append(
            f"{result.paired} records in both deliveries ({result.only_first} only in the first, "
            f"{result.only_second} only in the second)"
        )
        for t in result.tasks:
            if not t.compared:
                continue
            rate = f"{t.rate:.3f}" if t.rate is not None else "–"
            lines.append(f"task {t.task}: {t.revised} of {t.compared} revised (rate {rate})")
            for c, (r, n) in t.classes.items():
                lines.append(f"  {c}: {r} of {n} revised ({r / n:.3f})")
            for change, n in list(t.changes.items())[:10]:
                lines.append(f"  {change}: {n}")
    s = Turnaround.summary(timing.seconds)
    if s["count"]:
        lines.append(
            f"turnaround of {s['count']} records: median {_dur(s['median'])}, mean {_dur(s['mean'])}, "
            f"p90 {_dur(s['p90'])}, max {_dur(s['max'])}"
        )
        for a, values in sorted(timing.annotators.items()):
            a_s = Turnaround.summary(values)
            lines.append(f"  {a}: {a_s['count']} records, median {_dur(a_s['median'])}")
    else:
        lines.append("turnaround: no record has both created_at and updated_at")
    if timing.unreadable:
        lines.append(f"note: {timing.unreadable} record(s) have unreadable or reversed timestamps")
    emit("\n".join(lines) + "\n", output)
    return 0


def _dur(seconds: float | int | None) -> str:
    if seconds is None:
        return "–"
    s = float(seconds)
    if s < 120:
        return f"{s:.0f}s"
    if s < 7200:
        return f"{s / 60:.1f}min"
    if s < 172800:
        return f"{s / 3600:.1f}h"
    return f"{s / 86400:.1f}d"
