"""``guidekit diff``: the semantic diff of two versions of a guideline."""

from __future__ import annotations

from pathlib import Path

import click

from guidekit.commands._common import emit

IMPACT_CHOICES = ("major", "minor", "patch")


@click.command()
@click.argument("old")
@click.argument("new", default=".")
@click.option(
    "--project",
    type=click.Path(path_type=Path),
    help="Guideline folder a bare REV refers to when neither side is a folder "
    "(default: the current folder).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "markdown"]),
    default="text",
    show_default=True,
    help="Report format; `markdown` is made for a pull-request comment.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(IMPACT_CHOICES),
    help="Exit with 1 when a change of this impact or higher is found.",
)
def diff(
    old: str,
    new: str,
    project: Path | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
) -> int:
    """Show what changed between two versions of a guideline, and what each change does to
    existing labels.

    OLD and NEW are each a guideline folder, a git revision `REV` (the same guideline
    folder at that revision), `REV:path` (a folder at a revision, read without a checkout),
    or a version number such as `2.3.0` (found in tags, then commits). NEW defaults to the
    current folder, so `guidekit diff main` shows the changes of a branch.

    Every change is classified as major (breaking), minor (compatible) or patch
    (editorial); the report ends with the bump the changes require.
    """
    from guidekit.versioning.diff import diff_guidelines
    from guidekit.versioning.gitsource import load_ref, resolve_pair
    from guidekit.versioning.model import Impact
    from guidekit.versioning.report import render

    old_ref, new_ref = resolve_pair(old, new, project)
    before, after = load_ref(old_ref, old), load_ref(new_ref, new)
    for side in (before, after):
        errors = sum(1 for d in side.diagnostics if d.severity.value == "error")
        if errors:
            click.echo(
                f"note: {side.label} has {errors} error{'s' if errors != 1 else ''} "
                "(`guidekit check` lists them); the diff compares what compiled",
                err=True,
            )
    result = diff_guidelines(
        before.guideline, after.guideline, old_source=before.label, new_source=after.label
    )
    # GitHub wants repository paths; people want paths they can open (or `git show`)
    prefix = after.path if fmt == "github" and after.repo is not None else after.label
    emit(render(result, fmt, prefix=prefix), output)
    threshold = Impact(fail_on).rank if fail_on else None
    if threshold is not None and result.required is not None and result.required.rank >= threshold:
        return 1
    return 0
