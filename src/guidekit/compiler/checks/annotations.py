"""An example's annotation run through its task's checks, and whether it carries (or, for a
negative, avoids) the class it illustrates."""

from __future__ import annotations

from typing import Any

from guidekit import ir
from guidekit.compiler.checks._context import CheckContext, at, close
from guidekit.diagnostics.model import Location
from guidekit.record.rules import labels_of
from guidekit.record.values import check_value


def example_annotation(ctx: CheckContext, ex: ir.Example) -> None:
    if ex.loc is not None and ex.loc.path in ctx.skip:
        return  # lowering already reported why its annotation is unusable
    task = ctx.g.tasks[ex.task]  # type: ignore[index]
    needed = task.task_type.points_into(ctx.g, task)
    if (
        needed is not None
        and needed in ctx.g.record.fields
        and needed not in ex.record
        and ex.annotation is not None
    ):
        ctx.add(
            "GK305",
            f"the example's {task.type} point into field '{needed}', which it does not give",
            ex.loc,
        )
    annotations = {**ex.annotations}
    if ex.annotation is not None:
        annotations[task.id] = ex.annotation
    for tid, value in ex.annotations.items():
        other = ctx.g.tasks.get(tid)
        if other is None:
            ctx.add("GK302", f"annotation for '{tid}', which is not a task", ex.loc)
            continue
        for p in check_value(ctx.g, other, value, ex.record, annotations):
            if not p.warning:
                ctx.add(
                    "GK306",
                    f"annotation of '{tid}'{_ptr(p.pointer)}: {p.message}",
                    _below(ex.loc, ("annotations", tid), p.pointer),
                )
    cls = task.get(ex.class_id) if ex.class_id else None
    # a label or decision that names no class is reported once, at the label itself; the
    # annotation built from it is not checked again
    named_unknown = False
    if ex.kind == "negative":
        named_unknown = negative_label(ctx, task, cls, ex)
    if ex.kind == "edge_case" and ex.decision is not None:
        for d in ex.decision if isinstance(ex.decision, list) else [ex.decision]:
            if not isinstance(d, str) or task.resolve_label(d) is None:
                named_unknown = True
                ctx.add(
                    "GK308",
                    f"edge case '{ex.id}' is decided as {d!r}, which is not a "
                    f"class of task '{task.id}'",
                    at(ex.loc, "decision"),
                )
    if ex.annotation is None:
        if ex.kind == "example" and task.has_classes and not task.is_classification:
            ctx.add(
                "GK308",
                f"example of '{ex.class_id}' has no `annotation` (a "
                f"{task.type} example must show the {task.type} it illustrates)",
                ex.loc,
            )
        return
    if not named_unknown and (
        ex.kind == "example"
        or (ex.kind == "edge_case" and ex.decision is not None)
        or (ex.kind == "negative" and ex.label is not None and not _old_none(task, ex.label))
    ):
        for p in check_value(ctx.g, task, ex.annotation, ex.record, annotations):
            if not p.warning:
                ctx.add(
                    "GK306",
                    f"annotation{_ptr(p.pointer)}: {p.message}",
                    _below(ex.loc, ("annotation",), p.pointer),
                )
    if (
        ex.kind == "example"
        and cls is not None
        and not _carries(task, ex.annotation, cls.id)
        and not _unknown_labels(task, ex.annotation)  # GK306 names the wrong label
    ):
        ctx.add(
            "GK308",
            f"example of '{cls.id}' does not carry '{cls.id}'",
            ex.loc,
            hint="its annotation must use the class (or one of its subclasses)",
        )
    own_label = (
        isinstance(ex.label, str) and cls is not None and (task.resolve_label(ex.label) == cls.id)
    )
    if (
        ex.kind == "negative"
        and cls is not None
        and not own_label
        and _carries(task, ex.annotation, cls.id)
        and (task.is_classification or not task.has_classes)
    ):
        ctx.add("GK307", f"negative example of '{cls.id}' is labelled '{cls.id}'", ex.loc)


def negative_label(ctx: CheckContext, task: ir.Task, cls: ir.Class | None, ex: ir.Example) -> bool:
    """Check a negative's right label; true when it names something that is no class."""
    unknown = False
    labels = ex.label if isinstance(ex.label, list) else [ex.label]
    for lab in labels:
        if lab is None and ex.label is None:  # `label: null`: no class of the task applies
            continue
        if _old_none(task, lab):
            unknown = True
            ctx.add(
                "GK321",
                f"negative example's label 'none' is not a class of task '{task.id}': `none` "
                "no longer means that no class applies",
                at(ex.loc, "label"),
                hint="write `label: null` when no class of the task applies",
            )
            continue
        if not isinstance(lab, str) or task.resolve_label(lab) is None:
            unknown = True
            ctx.add(
                "GK302",
                f"negative example's label {lab!r} is not a class of task '{task.id}'",
                at(ex.loc, "label"),
                hint=(close(lab, task.class_ids()) if isinstance(lab, str) else None)
                or "use a class id, or `null` when no class applies",
            )
        elif cls is not None and task.resolve_label(lab) == cls.id:
            ctx.add(
                "GK307",
                f"negative example of '{cls.id}' names '{cls.id}' as its right label",
                at(ex.loc, "label"),
            )
    return unknown


def _old_none(task: ir.Task, label: object) -> bool:
    """``none`` written as a label in a task without a class of that name: the old spelling
    of "no class applies" (now ``null``)."""
    return label == "none" and "none" not in task


def _below(loc: Location | None, key: tuple[str, ...], pointer: str) -> Location | None:
    """The location of the node a problem's JSON ``pointer`` names inside an example's
    annotation (``key``); the source map finds its line, or its nearest written ancestor's."""
    if loc is None:
        return None
    parts: list[str | int] = []
    for raw in pointer.split("/")[1:] if pointer else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        parts.append(int(part) if part.isdigit() else part)
    return Location(loc.file, loc.line, loc.column, (*loc.path, *key, *parts))


def _ptr(pointer: str) -> str:
    return f" at {pointer}" if pointer else ""


def _carries(task: ir.Task, value: Any, cid: str) -> bool:
    labels = labels_of(value)
    return any(task.is_a(task.resolve_label(lab) or lab, cid) for lab in labels)


def _unknown_labels(task: ir.Task, value: Any) -> bool:
    """Whether an annotation uses a label that names no class of ``task``."""
    if not task.has_classes:
        return False
    return any(
        not isinstance(lab, str) or task.resolve_label(lab) is None for lab in labels_of(value)
    )
