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
from guidekit.versioning import bump
from guidekit.versioning.diff import diff_guidelines
from guidekit.versioning.gitsource import Revision, load_at, load_folder, resolve_side
from guidekit.versioning.model import GuidelineDiff


@dataclass(frozen=True)
class BaseCheck:
    """The diff against the base (``None`` when the base has no such guideline) and the
    diagnostics: the bump verdict, declaration problems, or GK708."""

    diff: GuidelineDiff | None
    diagnostics: list[Diagnostic]
    base_label: str


def check_base(project: Path, guideline: ir.Guideline, base: str) -> BaseCheck:
    folder = project if project.is_dir() else project.parent
    name = project.name if project.is_file() else GUIDELINE_FILE
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
    diff = diff_guidelines(side.guideline, guideline, old_source=side.label)
    return BaseCheck(diff, bump.check(diff, guideline, _version_location(folder, name)), side.label)


def _version_location(folder: Path, name: str) -> Location:
    """Where ``version:`` is written in the project's main file."""
    try:
        doc = resolve_file(folder, name)
    except GuidekitError:
        return Location(name)
    return doc.source.locate(("version",))
