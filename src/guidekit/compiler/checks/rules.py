"""Rules: unique ids, and conditions that name real tasks, classes and fields and use the
keys their task type tests."""

from __future__ import annotations

from collections.abc import Iterator

from guidekit import ir
from guidekit.compiler.checks._context import CheckContext, close, types_with
from guidekit.diagnostics.model import Location
from guidekit.spec.format import Cond


def check_rules(ctx: CheckContext) -> None:
    seen: dict[str, ir.Rule] = {}
    for i, rule in enumerate(ctx.g.rules):
        if rule.id in seen:
            ctx.add(
                "GK301",
                f"rule id '{rule.id}' is used twice",
                rule.loc,
                first=seen[rule.id].loc,
            )
        else:
            seen[rule.id] = rule
        for part, condition in (("when", rule.when), ("then", rule.then)):
            for code, message, path, hint in cond(ctx, condition, ("rules", i, part)):
                where = Location(None, None, None, path) if ctx.source else rule.loc
                ctx.add(code, f"rule '{rule.id}': {message}", where, hint=hint)


def cond(
    ctx: CheckContext, c: Cond, path: tuple[str | int, ...]
) -> Iterator[tuple[str, str, tuple[str | int, ...], str | None]]:
    forms = [
        c.all is not None,
        c.any is not None,
        c.not_ is not None,
        c.task is not None or c.field is not None,
    ]
    if sum(forms) > 1:
        yield (
            "GK313",
            "a condition mixes all/any/not/task; write one form per condition",
            path,
            "nest them: `all: [{task: ...}, {any: [...]}]`",
        )
    for key, subs in (("all", c.all), ("any", c.any)):
        for j, sub in enumerate(subs or []):
            yield from cond(ctx, sub, (*path, key, j))
    if c.not_ is not None:
        yield from cond(ctx, c.not_, (*path, "not"))
    if c.field is not None:
        if c.field not in ctx.g.record.fields:
            yield (
                "GK302",
                f"'{c.field}' is not a record field",
                (*path, "field"),
                close(c.field, ctx.g.record.fields),
            )
        return
    if c.task is None:
        if any(
            v is not None
            for v in (
                c.is_,
                c.has,
                c.has_any,
                c.at_least,
                c.at_most,
                c.equals,
                c.count,
                c.empty,
            )
        ):
            yield ("GK313", "a condition tests a label but names no `task`", path, None)
        return
    task = ctx.g.tasks.get(c.task)
    if task is None:
        yield (
            "GK302",
            f"'{c.task}' is not a task",
            (*path, "task"),
            close(c.task, ctx.g.tasks),
        )
        return
    t = task.type
    keys = task.task_type.condition_keys
    named: list[tuple[str, str]] = []
    if c.is_ is not None:
        if "is" not in keys:
            yield (
                "GK313",
                f"`is` tests {types_with('is', conditions=True)} tasks; '{task.id}' is {t}",
                (*path, "is"),
                "use `has` or `has_any`",
            )
        named += [(x, "is") for x in ([c.is_] if isinstance(c.is_, str) else c.is_)]
    for key, val in (("has", c.has), ("has_any", c.has_any)):
        if val is not None:
            if key not in keys:
                yield (
                    "GK313",
                    f"`{key}` tests multi-label and region tasks; '{task.id}' is {t}",
                    (*path, key),
                    "use `is`",
                )
            named += [(x, key) for x in ([val] if isinstance(val, str) else val)]
    for key, bound in (("at_least", c.at_least), ("at_most", c.at_most)):
        if bound is None:
            continue
        if key in keys and task.has_classes:
            if isinstance(bound, str):
                named.append((bound, key))
            else:
                yield (
                    "GK313",
                    f"`{key}` of {t} task '{task.id}' must be a class",
                    (*path, key),
                    f"one of: {', '.join(task.class_ids())}",
                )
        elif key not in keys:
            yield (
                "GK313",
                f"`{key}` tests {types_with(key, conditions=True)} tasks; '{task.id}' is {t}",
                (*path, key),
                None,
            )
    if c.equals is not None and "equals" not in keys:
        yield (
            "GK313",
            f"`equals` tests {types_with('equals', conditions=True)} tasks; '{task.id}' is {t}",
            (*path, "equals"),
            None,
        )
    if c.count is not None and "count" not in keys:
        yield (
            "GK313",
            f"`count` tests multi-label and region tasks; '{task.id}' is {t}",
            (*path, "count"),
            None,
        )
    if c.class_ is not None:
        named.append((c.class_, "class"))
    for cid, key in named:
        if cid not in task:
            yield (
                "GK302",
                f"'{cid}' is not a class of task '{task.id}'",
                (*path, key),
                close(cid, task.class_ids()),
            )
