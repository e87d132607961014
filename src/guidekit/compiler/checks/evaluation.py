"""The evaluation set: unique item ids, references that name something, and every item's
record and labels run through the validator that checks examples."""

from __future__ import annotations

from guidekit import ir
from guidekit.compiler.checks._context import CheckContext, at, close
from guidekit.compiler.checks.examples import example_record
from guidekit.diagnostics.model import Location
from guidekit.record.values import check_value


def check_evaluation(ctx: CheckContext) -> None:
    ev = ctx.g.evaluation
    q = ev.qualification
    if q is not None:
        for tid in q.per_task:
            if tid not in ctx.g.tasks:
                ctx.add(
                    "GK319",
                    f"`evaluation.qualification.per_task` names task '{tid}', which the "
                    "guideline does not declare",
                    at(q.loc, "per_task", tid),
                    hint=close(tid, set(ctx.g.tasks)),
                )
    if not ev.items:
        return
    ctx.level(ev.sensitivity, at(ev.loc, "sensitivity"), "the evaluation set")
    edge_ids = {ec.id for ec in ctx.g.edge_cases() if ec.id is not None}
    negative_ids = {ex.id for ex in ctx.g.examples() if ex.kind == "negative" and ex.id is not None}
    class_ids = {c.id for t in ctx.g.tasks.values() for c in t.classes}
    seen: dict[str, Location | None] = {}
    for item in ev.items:
        if item.id in seen:
            first = seen[item.id]
            where = f" (first at line {first.line})" if first and first.line else ""
            ctx.add(
                "GK320",
                f"evaluation item id '{item.id}' is used twice{where}",
                item.loc,
                first=first,
            )
        else:
            seen[item.id] = item.loc
        if item.source == "unresolved":
            ctx.add(
                "GK319",
                f"evaluation item refers to '{item.ref}', which is no example, negative "
                "example or decided edge case",
                at(item.loc, "ref"),
                hint=close(item.ref or "", {ex.id for ex in ctx.g.examples() if ex.id}),
            )
            continue
        _tags(ctx, item, "edge_cases", item.edge_cases, edge_ids, "edge case")
        _tags(ctx, item, "classes", item.classes, class_ids, "class")
        _tags(ctx, item, "negatives", item.negatives, negative_ids, "negative example")
        if item.split is not None and item.split not in ctx.g.splits:
            ctx.add(
                "GK319",
                f"evaluation item '{item.id}' is in split '{item.split}', which `splits` "
                "does not declare",
                at(item.loc, "split"),
                hint=f"splits: {', '.join(ctx.g.splits) or 'none are declared'}",
            )
        if item.source == "item":
            _check_item(ctx, item)


def _tags(
    ctx: CheckContext,
    item: ir.EvalItem,
    key: str,
    values: tuple[str, ...],
    known: set[str],
    what: str,
) -> None:
    for i, value in enumerate(values):
        if value not in known:
            ctx.add(
                "GK319",
                f"evaluation item '{item.id}' is tagged with {what} '{value}', which the "
                "guideline does not declare",
                at(item.loc, key, i),
                hint=close(value, known),
            )


def _check_item(ctx: CheckContext, item: ir.EvalItem) -> None:
    shim = ir.Example(kind="example", task=None, class_id=None, record=item.record, loc=item.loc)
    example_record(ctx, shim)
    if not item.labels:
        ctx.add(
            "GK319",
            f"evaluation item '{item.id}' gives no `annotations`: it has no answer to score",
            item.loc,
            hint=f"tasks: {', '.join(ctx.g.tasks)}",
        )
        return
    if item.loc is not None and item.loc.path in ctx.skip:
        return  # lowering already reported why a label is unusable
    for tid, value in item.labels.items():
        task = ctx.g.tasks.get(tid)
        if task is None:
            ctx.add(
                "GK319",
                f"evaluation item '{item.id}' labels '{tid}', which is not a task",
                at(item.loc, "annotations", tid),
                hint=close(tid, set(ctx.g.tasks)),
            )
            continue
        for p in check_value(ctx.g, task, value, item.record, item.labels):
            if not p.warning:
                ptr = f" at {p.pointer}" if p.pointer else ""
                ctx.add(
                    "GK306",
                    f"evaluation item '{item.id}', label of '{tid}'{ptr}: {p.message}",
                    at(item.loc, "annotations", tid),
                )
