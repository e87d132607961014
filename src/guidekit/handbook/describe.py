"""Plain-language descriptions of tasks, attributes and acceptance criteria."""

from __future__ import annotations

from typing import Any

from guidekit import ir
from guidekit.handbook.sanitize import code, markdown, plain

TASK_KIND = {
    "single": "single choice",
    "multi": "multiple choice",
    "ordinal": "ordered scale",
    "spans": "text spans",
    "bbox": "bounding boxes",
    "polygon": "polygons",
    "keypoints": "keypoints",
    "relations": "relations",
    "text": "free text",
    "number": "number",
    "boolean": "yes / no",
}


def _n(v: float) -> str:
    return f"{v:g}"


def instruction(g: ir.Guideline, task: ir.Task) -> str:
    """What the annotator does for this task, in one or two sentences."""
    t = task.type
    over = code(task.over) if task.over else "the item"
    if t == "single":
        out = "Choose exactly one class."
    elif t == "multi":
        lo, hi = task.min_labels, task.max_labels
        bounds = []
        if lo:
            bounds.append(f"at least {lo}")
        if hi:
            bounds.append(f"at most {hi}")
        out = "Choose every class that applies" + (f" ({' and '.join(bounds)})." if bounds else ".")
    elif t == "ordinal":
        out = "Choose one level of the scale; levels are listed from lowest to highest."
    elif t == "spans":
        overlap = {
            "allow": "Spans may overlap.",
            "forbid": "Spans may not overlap.",
            "nested": "A span may lie inside another, but spans may not cross.",
        }[task.overlap]
        out = f"Highlight every stretch of text in {over} that belongs to a class. {overlap}"
    elif t in ("bbox", "polygon", "keypoints"):
        shape = {
            "bbox": "a box",
            "polygon": "a polygon",
            "keypoints": "the keypoints",
        }[t]
        c = task.coordinates
        units = "pixels" if c.units == "pixels" else "fractions of the image size (0 to 1)"
        fmt = ""
        if t == "bbox":
            fmt = (
                " Boxes are written `[x, y, width, height]`"
                if c.format == "xywh"
                else " Boxes are written `[x1, y1, x2, y2]`"
            )
            fmt += f" in {units}, from the top-left corner."
        else:
            fmt = f" Coordinates are in {units}, from the top-left corner."
        out = f"Draw {shape} on {over} for every object of a class.{fmt}"
    elif t == "relations":
        other = g.tasks.get(task.over or "")
        name = plain(other.name) if other else code(task.over or "")
        kind = "directed: from one region to another" if task.directed else "undirected"
        out = f"Link pairs of regions of {name} with a relation class. Relations are {kind}."
    elif t == "text":
        bounds = []
        if task.min_length is not None:
            bounds.append(f"at least {task.min_length} characters")
        if task.max_length is not None:
            bounds.append(f"at most {task.max_length} characters")
        out = "Write a free-text answer" + (f" ({', '.join(bounds)})." if bounds else ".")
    elif t == "number":
        bounds = []
        if task.min is not None:
            bounds.append(f"at least {_n(task.min)}")
        if task.max is not None:
            bounds.append(f"at most {_n(task.max)}")
        kind = "a whole number" if task.integer else "a number"
        unit = f" in {plain(task.unit)}" if task.unit else ""
        out = f"Give {kind}{unit}" + (f" ({', '.join(bounds)})." if bounds else ".")
    else:
        out = "Answer yes (`true`) or no (`false`)."
    if task.is_region and not task.allow_empty:
        out += " Every item has at least one region."
    if not task.required and task.type not in ("spans", "bbox", "polygon", "keypoints"):
        out += " This task may be left empty."
    if task.has_classes and task.leaf_only and task.type != "ordinal" and _has_tree(task):
        out += " Only the most specific classes (without subclasses) are labels."
    return out


def _has_tree(task: ir.Task) -> bool:
    return any(c.parent for c in task.classes)


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
