"""What becomes of each label of a task between two versions: kept, renamed, merged, split,
retired or removed.

Renames and merges are recognised through what the format declares, never guessed: an old
label that a new class lists in ``aliases``, a class deprecated with one ``replaced_by``, or
a class removed after an earlier version declared its ``replaced_by``. Several old labels that
end up on one class are a merge. A ``replaced_by`` list of several classes is a split, and
so is a leaf class that became a parent in a task whose labels are leaves.
"""

from __future__ import annotations

from typing import Literal

from guidekit import ir, tasktypes
from guidekit.versioning.model import LabelFate


def _follow(task: ir.Task, start: tuple[str, ...], seen: set[str]) -> tuple[str, ...] | None:
    """Resolve replacement targets in ``task`` through deprecations (``None``: lost)."""
    out: list[str] = []
    for label in start:
        cid = task.resolve_label(label)
        if cid is None:
            return None
        cls = task[cid]
        if cls.deprecated and cls.replaced_by and cid not in seen:
            nested = _follow(task, cls.replaced_by, seen | {cid})
            if nested is None:
                return None
            out.extend(nested)
        elif cls.deprecated:
            return None
        else:
            out.append(cid)
    return tuple(dict.fromkeys(out))


def label_fates(old: ir.Task, new: ir.Task) -> dict[str, LabelFate]:
    """The fate of every class of ``old`` (labels and parents alike) in ``new``."""
    fates: dict[str, LabelFate] = {}
    labels = (frozenset(old.labels()), frozenset(new.labels()))
    leaf_only = new.leaf_only and tasktypes.of(new).leaf_only_applies()
    for cls in old.classes:
        fates[cls.id] = _fate(old, new, cls, labels, leaf_only)
    # several labels landing on one class: a merge
    landing: dict[str, list[str]] = {}
    for oid, fate in fates.items():
        if fate.kind in ("renamed", "kept") and len(fate.targets) == 1:
            landing.setdefault(fate.targets[0], []).append(oid)
    for target, sources in landing.items():
        merged = len(sources) > 1 or (target in old and sources != [target])
        if not merged:
            continue
        for oid in sources:
            if oid != target and fates[oid].kind == "renamed":
                f = fates[oid]
                fates[oid] = LabelFate("merged", f.targets, f.accepted, f.via)
    return fates


def _fate(
    old: ir.Task,
    new: ir.Task,
    cls: ir.Class,
    labels: tuple[frozenset[str], frozenset[str]],
    leaf_only: bool,
) -> LabelFate:
    oid = cls.id
    current = new.get(oid)
    if current is not None and not current.deprecated:
        if leaf_only and oid in labels[0] and oid not in labels[1]:
            leaves = tuple(d for d in new.descendants(oid) if new[d].is_leaf)
            return LabelFate("split", leaves, False, "became a parent")
        return LabelFate("kept", (oid,))
    if current is not None:  # deprecated in the new version
        if not current.replaced_by:
            return LabelFate("retired", (), True, "deprecated")
        targets = _follow(new, current.replaced_by, {oid})
        if targets is None:
            return LabelFate("retired", (), True, "replaced_by leads to no usable class")
        kind: Literal["renamed", "split"] = "renamed" if len(targets) == 1 else "split"
        return LabelFate(kind, targets, True, "replaced_by")
    # gone from the new version
    aliased = new.resolve_label(oid)
    if aliased is not None:
        targets = _follow(new, (aliased,), {oid})
        if targets is None:
            return LabelFate("retired", (), True, f"alias of deprecated '{aliased}'")
        kind = "renamed" if len(targets) == 1 else "split"
        return LabelFate(kind, targets, True, "alias")
    if cls.replaced_by:
        targets = _follow(new, cls.replaced_by, {oid})
        if targets is not None:
            kind = "renamed" if len(targets) == 1 else "split"
            return LabelFate(kind, targets, False, "replaced_by")
    return LabelFate("removed", (), False)
