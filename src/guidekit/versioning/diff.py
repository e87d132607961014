"""The semantic diff of two guidelines, computed on the IR.

:func:`diff_guidelines` walks both IRs section by section -- the manifest and brief, the
record, tasks with their classes, attributes, examples and edge cases, rules, acceptance
criteria, governance, scope and delivery -- and returns every change with its impact
(:mod:`guidekit.versioning.classify`), the fate of every old label
(:mod:`guidekit.versioning.fates`) and problems with the authors' declarations.
"""

from __future__ import annotations

from collections.abc import Iterable

from guidekit import ir
from guidekit.versioning import classify
from guidekit.versioning._diff_sections import diff_sections
from guidekit.versioning._diff_tasks import diff_tasks
from guidekit.versioning._emit import Emitter
from guidekit.versioning.ignore import Accept, apply_ignore
from guidekit.versioning.model import GuidelineDiff, SideInfo


def diff_guidelines(
    old: ir.Guideline,
    new: ir.Guideline,
    *,
    old_source: str = "",
    new_source: str = "",
    ignore: Iterable[Accept] | None = None,
) -> GuidelineDiff:
    """Every change from ``old`` to ``new``, classified, with declarations applied.

    ``old_source`` and ``new_source`` say where each side was read from (``main:guidelines/x``,
    a folder); they only label reports.
    ``ignore``: the new side's ignore-file entries (:func:`guidekit.versioning.ignore.read_ignore`),
    applied after the authors' declarations; ``None`` applies none.
    """
    e = Emitter()
    diff_sections(e, old, new)
    fates = diff_tasks(e, old, new)
    changes, problems = classify.apply(e.changes, classify.declarations(old, new))
    if ignore is not None:
        changes, stale = apply_ignore(changes, ignore, new.version)
        problems += stale
    return GuidelineDiff(
        old=SideInfo(old.id, old.version, old_source, old.title),
        new=SideInfo(new.id, new.version, new_source, new.title),
        changes=tuple(changes),
        fates=fates,
        problems=tuple(problems),
    )
