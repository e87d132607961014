"""Classes of a task: parents, parts and replacements name real classes, the hierarchy (a
directed acyclic graph: a class may have several parents) and `part_of` have no cycle, and no
alias is taken twice."""

from __future__ import annotations

from guidekit import ir
from guidekit.compiler.checks._context import CheckContext, at, close
from guidekit.diagnostics.model import Location


def _edge(ctx: CheckContext, c: ir.Class, i: int) -> Location:
    """Where the ``i``-th parent of ``c`` is written: ``parent: x`` or ``parents: [..., x]``."""
    if c.loc is not None and ctx.source and (*c.loc.path, "parent") in ctx.source.values:
        return at(c.loc, "parent")
    return at(c.loc, "parents", i)


def hierarchy(ctx: CheckContext, task: ir.Task) -> None:
    for c in task.classes:
        for i, p in enumerate(c.parents):
            if p not in task:
                ctx.add(
                    "GK302",
                    f"parent '{p}' of class '{c.id}' is not a class of task '{task.id}'",
                    _edge(ctx, c, i),
                    hint=close(p, task.class_ids()),
                )
        for i, whole in enumerate(c.part_of):
            if whole not in task:
                ctx.add(
                    "GK302",
                    f"'{c.id}' is part of '{whole}', which is not a class of task '{task.id}'",
                    at(c.loc, "part_of", i),
                    hint=close(whole, task.class_ids()),
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
    _cycles(ctx, task, {c.id: c.parents for c in task.classes}, "parents", "class hierarchy")
    _cycles(ctx, task, {c.id: c.part_of for c in task.classes}, "part_of", "`part_of`")


def _cycles(
    ctx: CheckContext, task: ir.Task, up: dict[str, tuple[str, ...]], key: str, what: str
) -> None:
    """Report each cycle of the graph ``up`` (class -> the classes above it) once, at the
    edge that closes it: the last edge a depth-first walk in the written order follows."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(cid: str) -> None:
        state[cid] = 1
        path.append(cid)
        for i, above in enumerate(up.get(cid, ())):
            if above not in up:
                continue
            if state.get(above) == 1:
                cycle = [*path[path.index(above) :], above]
                cls = task[cid]
                where = _edge(ctx, cls, i) if key == "parents" else at(cls.loc, key, i)
                ctx.add("GK303", f"{what} has a cycle: " + " -> ".join(cycle), where)
            elif above not in state:
                visit(above)
        path.pop()
        state[cid] = 2

    for c in task.classes:
        if c.id not in state:
            visit(c.id)


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
