"""Differences of tasks: added, removed, and the settings of tasks present in both."""

from __future__ import annotations

from guidekit import ir, tasktypes
from guidekit.versioning._diff_attributes import diff_attributes
from guidekit.versioning._diff_classes import diff_classes, diff_skeleton
from guidekit.versioning._diff_examples import Relabel, diff_edge_cases
from guidekit.versioning._emit import Emitter, Scope
from guidekit.versioning.classify import GUIDELINE
from guidekit.versioning.fates import label_fates
from guidekit.versioning.model import LabelFate

TIGHT = ("task-constraint-tightened", "task-constraint-loosened")
LOOSE_IF_TRUE = ("task-constraint-loosened", "task-constraint-tightened")


def diff_tasks(e: Emitter, old: ir.Guideline, new: ir.Guideline) -> dict[str, dict[str, LabelFate]]:
    """Report task changes; return the fate of every old label, by task."""
    fates = {
        tid: label_fates(a, new.tasks[tid]) for tid, a in old.tasks.items() if tid in new.tasks
    }
    relabel = Relabel(fates)
    for tid, b in new.tasks.items():
        a = old.tasks.get(tid)
        levels = (b.sensitivity,) if a is None else (a.sensitivity, b.sensitivity)
        s = e.scope("task", task=tid, loc=b.loc, owner=("task", tid), levels=levels)
        if a is None:
            rule = "task-added-required" if b.required else "task-added"
            required = " as required" if b.required else ""
            s.add(rule, "added", f"task `{tid}` ({b.type}) added{required}")
            continue
        _task(s, a, b)
        diff_classes(s, a, b, fates[tid], relabel)
    for tid in old.tasks:
        if tid not in new.tasks:
            # a removed task has no place left for a note but the guideline's own
            at = e.scope("task", task=tid, owner=GUIDELINE, levels=(old.tasks[tid].sensitivity,))
            at.add("task-removed", "removed", f"task `{tid}` removed")
    diff_edge_cases(e, old, new, relabel)
    return fates


def _task(s: Scope, a: ir.Task, b: ir.Task) -> None:
    tid = b.id
    if a.type != b.type:
        rule = "task-type-changed"
        if (a.type, b.type) == ("single", "ordinal") and set(a.labels()) <= set(b.labels()):
            rule = "task-made-ordinal"
        s.value(rule, f"type of task `{tid}`", a.type, b.type)
    if a.over != b.over:
        s.value("task-over-changed", f"`over` of task `{tid}`", a.over, b.over)
    if a.required != b.required:
        word = "required" if b.required else "optional"
        s.add(
            "task-required" if b.required else "task-optional",
            "changed",
            f"task `{tid}` made {word}",
        )
    _constraints(s, a, b)
    for label in ("title", "question", "description"):
        s.text(
            "task-text-changed", f"{label} of task `{tid}`", getattr(a, label), getattr(b, label)
        )
    s.value("sensitivity-changed", f"sensitivity of task `{tid}`", a.sensitivity, b.sensitivity)
    diff_attributes(s, a.attributes, b.attributes, f"task `{tid}`")


def _constraints(s: Scope, a: ir.Task, b: ir.Task) -> None:
    tid = b.id
    tt = tasktypes.of(b)
    if tt.leaf_only_applies():
        s.flag(f"`leaf_only` of task `{tid}`", a.leaf_only, b.leaf_only, rules=TIGHT)
    if a.type == b.type:
        for key, higher_is_stricter in (
            ("min_labels", True),
            ("max_labels", False),
            ("min", True),
            ("max", False),
            ("min_length", True),
            ("max_length", False),
        ):
            label = f"`{key}` of task `{tid}`"
            s.bound(
                label,
                getattr(a, key),
                getattr(b, key),
                higher_is_stricter=higher_is_stricter,
                rules=TIGHT,
            )
    for rule, setting, old, new in tt.diff_settings(a, b):
        s.value(rule, f"{setting} of task `{tid}`", old, new)
    s.flag(f"`integer` of task `{tid}`", a.integer, b.integer, rules=TIGHT)
    if b.is_region:
        s.flag(f"`allow_empty` of task `{tid}`", a.allow_empty, b.allow_empty, rules=LOOSE_IF_TRUE)
    for key in ("format", "units", "origin"):
        x, y = getattr(a.coordinates, key), getattr(b.coordinates, key)
        s.value("task-values-changed", f"coordinate {key} of task `{tid}`", x, y)
    s.bound(
        f"coordinate tolerance of task `{tid}`",
        a.coordinates.tolerance,
        b.coordinates.tolerance,
        higher_is_stricter=False,
        rules=TIGHT,
    )
    s.value("task-values-changed", f"unit of task `{tid}`", a.unit, b.unit)
    diff_skeleton(s, a.skeleton, b.skeleton, f"skeleton of task `{tid}`", "task-values-changed")
