"""``guidekit changelog``: the history of a guideline across its versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._common import emit

if TYPE_CHECKING:
    from guidekit.versioning.changelog import Source


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("project", default=".", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--source",
    type=click.Choice(["auto", "tags", "commits"]),
    default="auto",
    show_default=True,
    help="Where versions come from: git tags, the commits of the folder, or tags when any "
    "tag holds a version.",
)
@click.option(
    "--tags",
    "tag_pattern",
    default="*",
    show_default=True,
    metavar="GLOB",
    help="Only tags matching this pattern (e.g. `support-tickets/v*` in a repository with "
    "several guidelines).",
)
@click.option("--since", metavar="VERSION", help="Only versions after this one.")
@click.option(
    "--cumulative",
    is_flag=True,
    help="With --since: one diff from that version to the latest (a 'what changed since' "
    "page) instead of one section per version.",
)
@click.option(
    "--audience",
    metavar="NAME",
    help="Leave out changes above this audience's clearance (see `governance.audiences`).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the changelog to this file instead of standard output.",
)
def changelog(
    project: Path,
    source: Source,
    tag_pattern: str,
    since: str | None,
    cumulative: bool,
    audience: str | None,
    fmt: str,
    output: Path | None,
) -> int:
    """Render the history of the guideline in PROJECT across its versions, from git tags or
    commits: for each version, what changed since the one before and what it does to
    existing labels.
    """
    from guidekit.versioning.changelog import after, history, render_changelog, render_since
    from guidekit.versioning.report import as_dict

    if cumulative and since is None:
        raise click.UsageError("--cumulative needs --since VERSION")
    folder = project if project.is_dir() else project.parent
    hist = history(folder, source=source, tag_pattern=tag_pattern)
    latest = hist.latest
    if audience is not None and latest is not None:
        known = latest.guideline.governance.audiences
        if audience not in known:
            raise click.BadParameter(
                f"'{audience}' is not an audience of the guideline ({', '.join(known) or 'none'})",
                param_hint="--audience",
            )
    governance = latest.guideline.governance if latest is not None else None
    if fmt == "json":
        doc = {
            "id": hist.id,
            "title": hist.title,
            "source": hist.source,
            "versions": [
                {
                    "version": v.version,
                    "previous": v.previous,
                    "date": v.date,
                    "tag": v.tag,
                    "commit": v.commit,
                    "diff": as_dict(v.diff.for_audience(governance, audience))
                    if v.diff is not None
                    else None,
                    "errors": [d.to_dict() for d in v.errors] if audience is None else [],
                }
                for v in after(hist, since)
            ],
            "problems": [d.to_dict() for d in hist.problems],
            "broken": [
                {
                    "version": b.version,
                    "date": b.date,
                    "tag": b.tag,
                    "commit": b.commit,
                    "errors": [d.to_dict() for d in b.errors],
                }
                for b in hist.broken
            ],
        }
        emit(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", output)
    elif cumulative and since is not None:
        emit(render_since(hist, since, audience=audience), output)
    else:
        emit(render_changelog(hist, since=since, audience=audience), output)
    return 0
