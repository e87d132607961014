"""``guidekit check --base REV``: compare a project with its base revision and check that
the declared version bump covers the changes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from guidekit import ir
from guidekit.compiler.pipeline import GUIDELINE_FILE
from guidekit.compiler.resolve import resolve_file
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.errors import GuidekitError
from guidekit.versioning import _git, bump
from guidekit.versioning.diff import diff_guidelines
from guidekit.versioning.gitsource import Revision, load_at, load_folder, resolve_side
from guidekit.versioning.ignore import read_ignore
from guidekit.versioning.model import GuidelineDiff


@dataclass(frozen=True)
class BaseCheck:
    """The diff against the base (``None`` when the base has no such guideline) and the
    diagnostics: the bump verdict, declaration problems, or GK708."""

    diff: GuidelineDiff | None
    diagnostics: list[Diagnostic]
    base_label: str


#: ``--base auto``: see :func:`auto_base`.
AUTO = "auto"
_DEFAULT_BRANCHES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")


def auto_base(folder: Path) -> tuple[str, str] | None:
    """The revision ``--base auto`` compares with, and how it was chosen.

    On a branch that forked from the default branch: the fork point (the merge base with
    ``origin/HEAD``, ``origin/main``, ``origin/master``, ``main`` or ``master``, the first
    that exists), so a feature branch needs one bump for all its commits. On the default
    branch itself: the last tag reachable from HEAD (the last release), so commits between
    releases do not each demand a bump. ``None`` outside git or with neither.
    """
    top = _git.toplevel(folder)
    if top is None:
        return None

    def rev(args: list[str]) -> str | None:
        try:
            return _git.text(args, top) or None
        except _git.GitFailed:
            return None

    head = rev(["rev-parse", "--verify", "-q", "HEAD"])
    if head is None:
        return None
    for branch in _DEFAULT_BRANCHES:
        if rev(["rev-parse", "--verify", "-q", f"{branch}^{{commit}}"]) is None:
            continue
        fork = rev(["merge-base", "HEAD", branch])
        if fork is not None and fork != head:
            return fork, f"the fork point from {branch} ({fork[:7]})"
        break
    tag = rev(["describe", "--tags", "--abbrev=0", "HEAD"])
    if tag is not None:
        return tag, f"the last release tag {tag}"
    return None


def check_base(project: Path, guideline: ir.Guideline, base: str) -> BaseCheck:
    folder = project if project.is_dir() else project.parent
    name = project.name if project.is_file() else GUIDELINE_FILE
    if base == AUTO:
        found = auto_base(folder)
        if found is None:
            note = diag(
                "GK708",
                "--base auto found no base to compare with (no fork point from the default "
                "branch and no release tag): no version bump to check",
                Location(name),
                hint="tag releases (e.g. v1.0.0), or give --base REV",
            )
            return BaseCheck(None, [note], "auto")
        base, how = found
    else:
        how = ""
    ref = resolve_side(base, project=folder)
    if isinstance(ref, Revision):
        if not ref.exists():
            rev = base.partition(":")[0]
            message = f"'{ref.path or '.'}' does not exist at {rev}: a new guideline"
            note = diag("GK708", message + ", no version bump to check", Location(name))
            return BaseCheck(None, [note], ref.label)
        side = load_at(ref.repo, ref.commit, ref.path, label=ref.label, spec=base)
    else:
        side = load_folder(ref, base)
    diff = diff_guidelines(
        side.guideline, guideline, old_source=side.label, ignore=read_ignore(folder)
    )
    verdict = bump.check(diff, guideline, _version_location(folder, name))
    return BaseCheck(diff, verdict, how or side.label)


def _version_location(folder: Path, name: str) -> Location:
    """Where ``version:`` is written in the project's main file."""
    try:
        doc = resolve_file(folder, name)
    except GuidekitError:
        return Location(name)
    return doc.source.locate(("version",))
