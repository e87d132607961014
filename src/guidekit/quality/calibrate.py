"""Calibration on a pilot batch: where annotators disagree, and edge-case entries to decide.

``suggest_edge_cases`` turns the items with the most disagreement into edge-case entries in
the guideline format, with the decision left open. Pasted under a task's ``edge_cases`` they
make ``guidekit check`` report each as undecided (GK408) until someone decides it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml

from guidekit import ir, tasktypes
from guidekit.quality.agreement import TaskAgreement
from guidekit.quality.ratings import Annotations

_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]+")
#: agreement kinds whose disagreements are competing labels an edge case can settle
SUGGESTABLE = frozenset({"labels", "sets"})


def edge_case_id(task: str, item: str) -> str:
    """A stable id from the task and item: the same disagreement gets the same id."""
    return f"CAL-{_UNSAFE.sub('-', task)}-{_UNSAFE.sub('-', item)}".rstrip("-")


def _competing(labels: dict[str, Any]) -> list[tuple[str, list[str]]]:
    by_label: dict[str, list[str]] = {}
    for annotator, value in labels.items():
        key = ", ".join(value) if isinstance(value, list) else str(value)
        by_label.setdefault(key or "(none)", []).append(annotator)
    return sorted(by_label.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def suggestions(
    guideline: ir.Guideline,
    annotations: Annotations,
    results: Sequence[TaskAgreement],
    top: int,
) -> list[tuple[str, list[dict[str, Any]]]]:
    """Per task, edge-case entries for the ``top`` items with the most disagreement."""
    fields = list(guideline.record.fields)
    first: dict[str, dict[str, Any]] = {}
    for a in annotations.records:
        first.setdefault(a.item, a.data)
    out = []
    for result in results:
        if tasktypes.get(result.type).agreement_kind() not in SUGGESTABLE:
            continue
        entries = []
        for d in result.disagreements[:top]:
            data = first.get(d.item, {})
            competing = _competing(d.labels)
            votes = "; ".join(f"{label} ({', '.join(who)})" for label, who in competing)
            entry: dict[str, Any] = {"id": edge_case_id(result.task, d.item)}
            record = {f: data[f] for f in fields if f in data}
            entry["record"] = record
            entry["question"] = (
                f"Item {d.item}: annotators disagreed on {result.task}: {votes}. Which label "
                "is right, and why?"
            )
            entry["note"] = "Competing labels: " + " | ".join(label for label, _ in competing)
            entry["tags"] = ["calibration"]
            entry["decision"] = None
            entry["rationale"] = None
            entries.append(entry)
        if entries:
            out.append((result.task, entries))
    return out


def render_yaml(
    guideline: ir.Guideline, suggested: Sequence[tuple[str, list[dict[str, Any]]]], source: str
) -> str:
    lines = [
        f"# Edge cases suggested by `guidekit calibrate` from {source}.",
        "# For each: fill in the record if it is empty, decide (a class id of the task), write the",
        "# rationale and `since`, then paste the entry under tasks.<task>.edge_cases (or under the",
        "# class it belongs to). `guidekit check` reports entries without a decision (GK408).",
    ]
    fields = list(guideline.record.fields)
    for task, entries in suggested:
        lines += ["", f"{task}:"]
        for entry in entries:
            body = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=96)
            body = body.replace(
                "\n  decision: null\n", "\n  decision:  # left open: the class this item gets\n"
            )
            body = body.replace("\n  rationale: null\n", "\n  rationale:  # why\n")
            if not entry["record"]:
                body = body.replace(
                    "\n  record: {}\n",
                    f"\n  record: {{}}  # the delivery has no input fields: paste {', '.join(fields)}\n",
                )
            lines += ["  " + line if line else line for line in body.rstrip("\n").split("\n")]
    return "\n".join(lines) + "\n"


def pair_confusion(result: TaskAgreement) -> list[tuple[str, str, float]]:
    """The label pairs annotators confuse most (off-diagonal coincidences), most first."""
    if result.coincidence is None:
        return []
    out = []
    labels = result.labels
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            v = result.coincidence[i][j]
            if v > 0:
                out.append((labels[i], labels[j], float(v)))
    return sorted(out, key=lambda t: (-t[2], t[0], t[1]))
