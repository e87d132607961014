"""The semantic diff of two guidelines, computed on the IR.

:func:`diff_guidelines` walks both IRs section by section -- the manifest and brief, the
record, tasks with their classes, attributes, examples and edge cases, rules, acceptance
criteria, governance, scope and delivery -- and returns every change with its impact
(:mod:`guidekit.versioning.classify`), the fate of every old label
(:mod:`guidekit.versioning.fates`) and problems with the authors' declarations.
"""

from __future__ import annotations

from guidekit import ir
from guidekit.versioning import classify
from guidekit.versioning._diff_sections import diff_sections
from guidekit.versioning._diff_tasks import diff_tasks
from guidekit.versioning._emit import Emitter
from guidekit.versioning.model import GuidelineDiff, SideInfo


def diff_guidelines(
    old: ir.Guideline, new: ir.Guideline, *, old_source: str = "", new_source: str = ""
) -> GuidelineDiff:
    """Every change from ``old`` to ``new``, classified, with declarations applied.

    ``old_source`` and ``new_source`` say where each side was read from (``main:guidelines/x``,
    a folder); they only label reports.
    """
    e = Emitter()
    diff_sections(e, old, new)
    fates = diff_tasks(e, old, new)
    changes, problems = classify.apply(e.changes, classify.declarations(old, new))
    return GuidelineDiff(
        old=SideInfo(old.id, old.version, old_source, old.title),
        new=SideInfo(new.id, new.version, new_source, new.title),
        changes=tuple(changes),
        fates=fates,
        problems=tuple(problems),
    )
