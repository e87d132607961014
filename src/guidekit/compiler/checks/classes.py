"""Classes of a task: parents and replacements name real classes, the hierarchy has no
cycle, and no alias is taken twice."""

from __future__ import annotations

from guidekit import ir
from guidekit.compiler.checks._context import CheckContext, at, close


def hierarchy(ctx: CheckContext, task: ir.Task) -> None:
    for c in task.classes:
        if c.parent is not None and c.parent not in task:
            ctx.add(
                "GK302",
                f"parent '{c.parent}' of class '{c.id}' is not a class of task '{task.id}'",
                at(c.loc, "parent"),
                hint=close(c.parent, task.class_ids()),
            )
        for r in c.replaced_by:
            if r not in task:
                ctx.add(
                    "GK302",
                    f"'{c.id}' is replaced by '{r}', which is not a class of task '{task.id}'",
                    at(c.loc, "replaced_by"),
                )
            elif r == c.id:
                ctx.add("GK302", f"'{c.id}' cannot replace itself", at(c.loc, "replaced_by"))
        if c.replaced_by and not c.deprecated:
            ctx.add(
                "GK302",
                f"'{c.id}' has replaced_by but is not deprecated",
                at(c.loc, "replaced_by"),
                hint="add `deprecated: true`",
            )
    reported: set[str] = set()
    parents = {c.id: c.parent for c in task.classes}
    for c in task.classes:
        seen = [c.id]
        current = c.parent
        while current is not None and current in parents:
            if current in seen:
                cycle = [*seen[seen.index(current) :], current]
                key = min(cycle)
                if key not in reported:
                    reported.add(key)
                    ctx.add(
                        "GK303",
                        "class hierarchy has a cycle: " + " -> ".join(cycle),
                        at(c.loc, "parent"),
                    )
                break
            seen.append(current)
            current = parents[current]


def aliases(ctx: CheckContext, task: ir.Task) -> None:
    owner: dict[str, str] = {c.id: c.id for c in task.classes}
    for c in task.classes:
        for alias in c.aliases:
            if alias in owner and owner[alias] != c.id:
                ctx.add(
                    "GK317",
                    f"alias '{alias}' of class '{c.id}' is already "
                    f"{'the id' if alias == owner[alias] else 'an alias'} of "
                    f"'{owner[alias]}'",
                    at(c.loc, "aliases"),
                )
            else:
                owner[alias] = c.id
