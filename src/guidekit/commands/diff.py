"""``guidekit diff``: the semantic diff of two versions of a guideline."""

from __future__ import annotations

from pathlib import Path

import click

from guidekit.commands import CONTEXT_SETTINGS
from guidekit.commands._common import emit
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError

IMPACT_CHOICES = ("major", "minor", "patch")


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("old")
@click.argument("new", nargs=-1)
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
@click.option(
    "--link-base",
    metavar="URL",
    help="With `--format markdown`: link every change to its file and line under URL, "
    "e.g. https://github.com/OWNER/REPO/blob/HEAD_SHA (the Action passes it).",
)
@click.option(
    "--changed",
    is_flag=True,
    help="NEW are changed files (as pre-commit passes them): diff every guideline project "
    "they belong to against OLD, skipping files that belong to none.",
)
def diff(
    old: str,
    new: tuple[str, ...],
    project: Path | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    link_base: str | None,
    changed: bool,
) -> int:
    """Show what changed between two versions of a guideline, and what each change does to
    existing labels.

    OLD and NEW are each a guideline folder, a git revision `REV` (the same guideline
    folder at that revision), `REV:path` (a folder at a revision, read without a checkout),
    or a version number such as `2.3.0` (found in tags, then commits). NEW defaults to the
    current folder, so `guidekit diff main` shows the changes of a branch. OLD `auto` is the
    fork point from the default branch on a feature branch, the last release tag on the
    default branch itself.

    Every change is classified as major (breaking), minor (compatible) or patch
    (editorial); the report ends with the bump the changes require.
    """
    link_base = link_base or None  # an empty value (an unset variable in CI) means no links
    if link_base is not None and fmt != "markdown":
        raise click.UsageError("--link-base applies to --format markdown only")
    if not changed:
        if len(new) > 1:
            raise click.UsageError("give one NEW side (or --changed with changed files)")
        return _diff_one(old, new[0] if new else ".", project, fmt, output, fail_on, link_base)
    from guidekit.commands._projects import projects

    chosen, stray = projects([Path(p) for p in new], changed=True)
    if not chosen:
        click.echo(f"no guideline project among {len(stray)} changed files", err=True)
        return 0
    code = 0
    for folder in chosen:
        try:
            code = max(code, _diff_one(old, str(folder), project, fmt, output, fail_on, link_base))
        except GuidekitError as exc:
            if any(d.code == "GK708" for d in exc.diagnostics):
                click.echo(exc.diagnostics[0].message, err=True)
                continue
            raise
    return code


def _diff_one(
    old: str,
    new: str,
    project: Path | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    link_base: str | None = None,
) -> int:
    from guidekit.versioning.base import AUTO, auto_base
    from guidekit.versioning.diff import diff_guidelines
    from guidekit.versioning.gitsource import load_ref, resolve_pair
    from guidekit.versioning.model import Impact
    from guidekit.versioning.report import render

    if old == AUTO:
        found = auto_base(Path(new))
        if found is None:
            raise GuidekitError(
                diag(
                    "GK708",
                    f"{new}: `auto` found no base to compare with (no fork point from the "
                    "default branch and no release tag)",
                    Location(new),
                    hint="tag releases (e.g. v1.0.0), or give OLD as a revision",
                )
            )
        old = found[0]
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
        before.guideline,
        after.guideline,
        old_source=before.label,
        new_source=after.label,
        ignore=after.ignore,
    )
    # GitHub wants repository paths; people want paths they can open (or `git show`)
    prefix = after.path if fmt == "github" and after.repo is not None else after.label
    if link_base and fmt == "markdown":
        text = render(result, fmt, prefix=after.path if after.repo else "", link_base=link_base)
    else:
        text = render(result, fmt, prefix=prefix)
    emit(text, output)
    threshold = Impact(fail_on).rank if fail_on else None
    if threshold is not None and result.required is not None and result.required.rank >= threshold:
        return 1
    return 0
