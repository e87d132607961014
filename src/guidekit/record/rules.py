"""Evaluate the guideline's declarative rules on one record's annotations.

Rules are data, never code: a condition is a tree of ``all`` / ``any`` / ``not`` over atoms
that test one task (or one input field). :func:`holds` evaluates a condition;
:func:`broken_rules` lists the rules a record breaks. :func:`describe` turns a condition into
plain language for the handbook.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from guidekit import ir
from guidekit.spec.format import Cond


def labels_of(value: Any) -> list[str]:
    """Labels carried by a value of any classed task."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        label = value.get("label")
        return [label] if isinstance(label, str) else []
    if isinstance(value, list):
        out = []
        for item in value:
            out.extend(labels_of(item))
        return out
    return []


def _matches(task: ir.Task | None, label: str, target: str) -> bool:
    if task is None:
        return label == target
    cid = task.resolve_label(label) or label
    return task.is_a(cid, target)


def rank(task: ir.Task | None, value: Any) -> float | None:
    """A value's place on a scale: a number itself, a class its index (``None`` otherwise)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, dict):
        value = value.get("label")
    if task is not None and isinstance(value, str):
        cid = task.resolve_label(value)
        if cid is not None:
            return float(task[cid].index)
    return None


def holds(
    cond: Cond,
    guideline: ir.Guideline,
    annotations: Mapping[str, Any],
    inputs: Mapping[str, Any] | None = None,
) -> bool:
    """Whether ``cond`` holds for a record with these task values and input fields."""
    if cond.all is not None:
        return all(holds(c, guideline, annotations, inputs) for c in cond.all)
    if cond.any is not None:
        return any(holds(c, guideline, annotations, inputs) for c in cond.any)
    if cond.not_ is not None:
        return not holds(cond.not_, guideline, annotations, inputs)
    if cond.field is not None:
        value = (inputs or {}).get(cond.field)
        if cond.empty is not None:
            return (value in (None, "", [])) == cond.empty
        if cond.is_ is not None:
            targets = [cond.is_] if isinstance(cond.is_, str) else cond.is_
            return value in targets
        if cond.equals is not None:
            return value == cond.equals
        return value is not None
    if cond.task is None:
        return True  # the empty condition: always
    task = guideline.tasks.get(cond.task)
    value = annotations.get(cond.task)
    result = True
    if cond.empty is not None:
        is_empty = value is None or value == [] or value == ""
        result = result and is_empty == cond.empty
    if cond.is_ is not None:
        targets = [cond.is_] if isinstance(cond.is_, str) else cond.is_
        labels = labels_of(value)
        result = (
            result
            and bool(labels)
            and all(any(_matches(task, lab, t) for t in targets) for lab in labels)
        )
    if cond.has is not None:
        targets = [cond.has] if isinstance(cond.has, str) else cond.has
        labels = labels_of(value)
        result = result and all(any(_matches(task, lab, t) for lab in labels) for t in targets)
    if cond.has_any is not None:
        labels = labels_of(value)
        result = result and any(_matches(task, lab, t) for t in cond.has_any for lab in labels)
    if cond.at_least is not None or cond.at_most is not None:
        place = rank(task, value)
        if place is None:
            result = False
        else:
            if cond.at_least is not None:
                low = rank(task, cond.at_least)
                result = result and low is not None and place >= low
            if cond.at_most is not None:
                high = rank(task, cond.at_most)
                result = result and high is not None and place <= high
    if cond.equals is not None:
        result = result and value == cond.equals
    if cond.count is not None:
        labels = labels_of(value)
        if cond.class_ is not None:
            labels = [lab for lab in labels if _matches(task, lab, cond.class_)]
        n = len(labels)
        if cond.count.min is not None:
            result = result and n >= cond.count.min
        if cond.count.max is not None:
            result = result and n <= cond.count.max
    return result


def broken_rules(
    guideline: ir.Guideline, annotations: Mapping[str, Any], inputs: Mapping[str, Any] | None = None
) -> Iterator[ir.Rule]:
    """The rules a record breaks: ``when`` holds and ``then`` does not."""
    for rule in guideline.rules:
        if holds(rule.when, guideline, annotations, inputs) and not holds(
            rule.then, guideline, annotations, inputs
        ):
            yield rule


def describe(cond: Cond) -> str:
    """A condition in plain language (used by the handbook)."""
    if cond.all is not None:
        return " and ".join(_paren(describe(c)) for c in cond.all) or "always"
    if cond.any is not None:
        return " or ".join(_paren(describe(c)) for c in cond.any) or "never"
    if cond.not_ is not None:
        return f"not ({describe(cond.not_)})"
    subject = f"field `{cond.field}`" if cond.field else f"`{cond.task}`" if cond.task else None
    if subject is None:
        return "always"
    parts = []

    def one_of(v: str | list[str]) -> str:
        return f"`{v}`" if isinstance(v, str) else " or ".join(f"`{x}`" for x in v)

    if cond.empty is not None:
        parts.append("is empty" if cond.empty else "is given")
    if cond.is_ is not None:
        parts.append(f"is {one_of(cond.is_)}")
    if cond.has is not None:
        has = [cond.has] if isinstance(cond.has, str) else cond.has
        parts.append("includes " + " and ".join(f"`{x}`" for x in has))
    if cond.has_any is not None:
        parts.append("includes " + one_of(cond.has_any))
    if cond.at_least is not None:
        parts.append(f"is at least `{cond.at_least}`")
    if cond.at_most is not None:
        parts.append(f"is at most `{cond.at_most}`")
    if cond.equals is not None:
        parts.append(f"equals `{cond.equals}`")
    if cond.count is not None:
        what = f"`{cond.class_}` labels" if cond.class_ else "labels"
        if cond.count.min is not None and cond.count.max is not None:
            parts.append(f"has {cond.count.min} to {cond.count.max} {what}")
        elif cond.count.min is not None:
            parts.append(f"has at least {cond.count.min} {what}")
        elif cond.count.max is not None:
            parts.append(f"has at most {cond.count.max} {what}")
    return f"{subject} " + (" and ".join(parts) if parts else "is given")


def _paren(text: str) -> str:
    return f"({text})" if " or " in text or " and " in text else text
