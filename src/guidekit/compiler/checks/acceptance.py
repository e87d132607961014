"""Acceptance criteria: they name real tasks, classes and splits, and use metrics and
bounds that fit the task."""

from __future__ import annotations

from typing import Any

from guidekit import tasktypes
from guidekit.compiler.checks._context import CheckContext, close
from guidekit.diagnostics.model import Location
from guidekit.spec.format import Agreement, Distribution, Gold


def check_acceptance(ctx: CheckContext) -> None:
    acc = ctx.g.acceptance
    paths: dict[int, tuple[str | int, ...]] = {}
    for kind in ("agreement", "audit", "gold", "distribution", "unresolved", "edge_cases"):
        for i, crit in enumerate(getattr(acc, kind)):
            paths[id(crit)] = ("acceptance", kind, i)

    def at(crit: Any) -> Location:
        return Location(
            ctx.g.files[0] if ctx.g.files else None,
            None,
            None,
            paths.get(id(crit), ("acceptance",)),
        )

    known_metrics = set().union(*(tt.agreement_metrics for tt in tasktypes.all_types()))
    measured: tuple[Agreement | Gold | Distribution, ...] = (
        *acc.agreement,
        *acc.gold,
        *acc.distribution,
    )
    for crit in measured:
        task = ctx.g.tasks.get(crit.task)
        if task is None:
            ctx.add(
                "GK302",
                f"acceptance criterion names task '{crit.task}', which does not exist",
                at(crit),
            )
            continue
        if crit.class_ is not None and crit.class_ not in task:
            ctx.add(
                "GK302",
                f"acceptance criterion names class '{crit.class_}', which is "
                f"not a class of task '{task.id}'",
                at(crit),
            )
        metric = getattr(crit, "metric", None)
        if metric in known_metrics and metric not in task.task_type.agreement_metrics:
            ctx.add(
                "GK318",
                f"agreement metric {metric} does not apply to {task.type} task '{task.id}'",
                at(crit),
            )
        if crit in acc.gold:
            if not task.task_type.gold_scores:
                ctx.add(
                    "GK318",
                    f"gold scores need a task with classes; '{task.id}' is {task.type}",
                    at(crit),
                )
            if crit.min is None:
                ctx.add("GK318", "a gold criterion needs `min` (or `min_macro_f1`)", at(crit))
    for d in acc.distribution:
        if d.min_share is None and d.max_share is None:
            ctx.add(
                "GK318",
                f"distribution bound on '{d.class_}' gives neither min_share nor max_share",
                at(d),
            )
        if d.min_share is not None and d.max_share is not None and d.min_share > d.max_share:
            ctx.add(
                "GK318",
                f"distribution bound on '{d.class_}': min_share is above max_share",
                at(d),
            )
    for crit in (*acc.agreement, *acc.audit, *acc.gold, *acc.distribution, *acc.unresolved):
        if crit.split is not None and crit.split not in ctx.g.splits:
            ctx.add(
                "GK302",
                f"acceptance criterion targets split '{crit.split}', which "
                "`splits` does not declare",
                at(crit),
            )
    edge_ids = {ec.id for ec in ctx.g.edge_cases() if ec.id is not None}
    for crit in acc.edge_cases:
        if crit.task is not None and crit.task not in ctx.g.tasks:
            ctx.add(
                "GK302",
                f"acceptance criterion names task '{crit.task}', which does not exist",
                at(crit),
            )
        for ec in crit.for_ or ():
            if ec not in edge_ids:
                ctx.add(
                    "GK302",
                    f"edge-case criterion names '{ec}', which is no edge case",
                    at(crit),
                    hint=close(ec, edge_ids),
                )
