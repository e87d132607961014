"""Plain-language descriptions of tasks, attributes and acceptance criteria.

What is specific to a task type (its kind in words, what the annotator does) comes from the
type's handbook hooks (``guidekit.tasktypes``).
"""

from __future__ import annotations

from typing import Any

from guidekit import ir, tasktypes
from guidekit.handbook.page import MARKUP
from guidekit.handbook.sanitize import code, markdown


def _n(v: float) -> str:
    return f"{v:g}"


def instruction(g: ir.Guideline, task: ir.Task) -> str:
    """What the annotator does for this task, in one or two sentences.

    The task's type words the first (its ``handbook_instruction`` hook, else its summary).
    """
    task_type = tasktypes.of(task)
    out = task_type.handbook_instruction(g, task, MARKUP) or markdown(
        task_type.summary, inline=True
    )
    if task.is_region and not task.allow_empty:
        out += " Every item has at least one region."
    if not task.required and not task.is_region:
        out += " This task may be left empty."
    levels = task_type.handbook_levels
    if task.has_classes and task.leaf_only and not levels and _has_tree(task):
        out += " Only the most specific classes (without subclasses) are labels."
    return out


def _has_tree(task: ir.Task) -> bool:
    return any(c.parents for c in task.classes)


def attribute_type(a: ir.Attribute) -> str:
    if a.type == "enum":
        return "one of " + ", ".join(code(v) for v in a.values)
    bounds = []
    if a.min is not None:
        bounds.append(f"≥ {_n(a.min)}")
    if a.max is not None:
        bounds.append(f"≤ {_n(a.max)}")
    name = {"boolean": "yes / no", "integer": "whole number", "number": "number", "text": "text"}[
        a.type
    ]
    return name + (f" ({', '.join(bounds)})" if bounds else "")


def attribute_when(task: ir.Task, a: ir.Attribute) -> str:
    """When an attribute applies, in plain words (``always`` when it has no condition)."""
    c = a.when
    if c is None:
        return "always"
    parts = []
    if c.attribute is not None:
        if c.values is None:
            parts.append(f"{code(c.attribute)} is set")
        elif len(c.values) == 1:
            parts.append(f"{code(c.attribute)} is {code(_v(c.values[0]))}")
        else:
            parts.append(
                f"{code(c.attribute)} is one of " + ", ".join(code(_v(v)) for v in c.values)
            )
    if c.classes is not None:
        parts.append("the class is " + " or ".join(code(x) for x in c.classes))
    return "when " + " and ".join(parts)


def _v(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def attribute_description(a: ir.Attribute) -> str:
    text = markdown(a.description, inline=True)
    if a.value_descriptions:
        vd = "; ".join(
            f"{code(k)}: {markdown(v, inline=True)}" for k, v in a.value_descriptions.items()
        )
        text = f"{text} ({vd})" if text else vd
    if a.default is not None:
        text += f" Default: {code(_v(a.default))}."
    return text.strip()


METRICS = {
    "krippendorff_alpha": (
        "Krippendorff's alpha",
        "agreement between annotators beyond chance: 1 is perfect agreement, 0 is what chance "
        "alone would give",
    ),
    "fleiss_kappa": (
        "Fleiss' kappa",
        "agreement among several annotators beyond chance: 1 is perfect, 0 is chance",
    ),
    "cohen_kappa": (
        "Cohen's kappa",
        "agreement between two annotators beyond chance: 1 is perfect, 0 is chance",
    ),
    "percent_agreement": (
        "percent agreement",
        "the share of items on which annotators give the same label",
    ),
    "span_f1": (
        "span F1",
        "how well two annotators' spans match (same start, end and label), from 0 to 1",
    ),
    "box_f1": (
        "box F1",
        "how well two annotators' boxes match (same label and enough overlap), from 0 to 1",
    ),
    "masi": (
        "MASI agreement",
        "agreement on sets of labels, giving partial credit when sets overlap",
    ),
    "accuracy": ("accuracy", "the share of gold items labelled exactly as the gold label"),
    "macro_f1": (
        "macro-averaged F1",
        "F1 (the balance of precision and recall) computed per class and averaged, so rare "
        "classes count as much as frequent ones",
    ),
    "micro_f1": ("micro-averaged F1", "F1 over all labels pooled together"),
    "f1": ("F1", "the balance of precision and recall for the class"),
    "precision": ("precision", "the share of the labels you gave that the gold set agrees with"),
    "recall": ("recall", "the share of the gold set's labels that you found"),
}


def metric(name: str) -> tuple[str, str]:
    return METRICS.get(name, (name.replace("_", " "), ""))


def percent(v: float) -> str:
    return f"{v * 100:g}%"


def duration(iso: str) -> str:
    """An ISO 8601 duration in words (``P90D`` -> ``90 days``); unknown forms as written."""
    from guidekit.spec import duration as iso_duration

    return iso_duration.words(iso)
