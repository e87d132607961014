"""Tasks: class ids, the task type's own configuration checks, lengths, class keys that
apply to the type, sensitivity, and the attributes of the task and of its classes."""

from __future__ import annotations

from collections import Counter
from typing import Any

from guidekit import ir
from guidekit.compiler.checks._context import CheckContext, types_with
from guidekit.compiler.checks.classes import aliases, hierarchy


def check_tasks(ctx: CheckContext) -> None:
    for task in ctx.g.tasks.values():
        check_task(ctx, task)


def check_task(ctx: CheckContext, task: ir.Task) -> None:
    loc = task.loc
    ctx.level(task.sensitivity, loc, f"task '{task.id}'")
    ids = Counter(c.id for c in task.classes)
    for cid, n in ids.items():
        if n > 1:
            dupes = [c for c in task.classes if c.id == cid]
            ctx.add(
                "GK301",
                f"class '{cid}' is declared {n} times in task '{task.id}'",
                dupes[1].loc,
                first=dupes[0].loc,
            )
    t = task.type
    tt = task.task_type
    if task.has_classes and not task.classes:
        ctx.add("GK310", f"task '{task.id}' of type {t} needs classes", loc)
    if not task.has_classes and task.classes:
        ctx.add("GK310", f"task '{task.id}' of type {t} takes no classes", loc)
    for finding in task.task_type.check_config(ctx.g, task):
        ctx.add(finding.code, finding.message, finding.loc, hint=finding.hint)
    if (
        task.min_length is not None
        and task.max_length is not None
        and task.min_length > task.max_length
    ):
        ctx.add("GK310", f"task '{task.id}': min_length is above max_length", loc)
    hierarchy(ctx, task)
    attributes(ctx, task, None, task.attributes)
    for c in task.classes:
        ctx.level(c.sensitivity, c.loc, f"class '{c.id}'")
        attributes(ctx, task, c, c.attributes)
        if c.min_size is not None and "min_size" not in tt.class_keys:
            ctx.add(
                "GK310",
                f"class '{c.id}': min_size applies to {types_with('min_size')} tasks only",
                c.loc,
            )
        if (c.from_ is not None or c.to is not None) and "from" not in tt.class_keys:
            ctx.add(
                "GK310",
                f"class '{c.id}': from/to apply to {types_with('from')} tasks only",
                c.loc,
            )
    aliases(ctx, task)


def attributes(ctx: CheckContext, task: ir.Task, cls: ir.Class | None, attrs: Any) -> None:
    for a in attrs.values():
        if a.type == "enum" and not a.values:
            ctx.add("GK309", f"enum attribute '{a.name}' needs `values`", a.loc)
        if a.type != "enum" and a.values:
            ctx.add(
                "GK309",
                f"attribute '{a.name}' is {a.type}; `values` apply to enum attributes",
                a.loc,
            )
        if a.type == "enum" and a.default is not None and a.default not in a.values:
            ctx.add("GK309", f"default {a.default!r} of '{a.name}' is not one of its values", a.loc)
        if a.min is not None and a.max is not None and a.min > a.max:
            ctx.add("GK309", f"attribute '{a.name}': min is above max", a.loc)
        for v in a.value_descriptions:
            if v not in [str(x) for x in a.values]:
                ctx.add(
                    "GK309",
                    f"value_descriptions of '{a.name}' names '{v}', which is not one of its values",
                    a.loc,
                )
        w = a.when
        if w is None:
            continue
        if w.classes is not None:
            for cid in w.classes:
                if cid not in task:
                    ctx.add(
                        "GK309",
                        f"attribute '{a.name}' applies to class '{cid}', which "
                        f"is not a class of task '{task.id}'",
                        a.loc,
                    )
        if w.attribute is not None:
            scope = task.attributes_for(cls.id) if cls else dict(task.attributes)
            other = scope.get(w.attribute)
            if other is None or w.attribute == a.name:
                ctx.add(
                    "GK309",
                    f"attribute '{a.name}' depends on '{w.attribute}', which "
                    "is not another attribute here",
                    a.loc,
                )
            elif other.type == "enum" and w.values is not None:
                for v in w.values:
                    if v not in other.values:
                        ctx.add(
                            "GK309",
                            f"attribute '{a.name}' depends on "
                            f"'{w.attribute}' being {v!r}, which is not one of its "
                            "values",
                            a.loc,
                        )
