"""Class shares and the unresolved share of a delivery.

A class's share is the share of labelled records that carry it: for single-label and ordinal
tasks the records whose label is the class (or a descendant of it), for multi-label and region
tasks the records with at least one label or region of the class. Skipped records and records
without a value for the task are not counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from guidekit import ir, tasktypes
from guidekit.quality.ratings import Annotation, skipped


@dataclass(slots=True)
class ClassShares:
    task: str
    labelled: int
    counts: dict[str, int] = field(default_factory=dict)

    def share(self, class_id: str) -> float | None:
        return self.counts.get(class_id, 0) / self.labelled if self.labelled else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "labelled": self.labelled,
            "counts": dict(self.counts),
            "shares": {c: self.share(c) for c in self.counts},
        }


def labels_in(task: ir.Task, value: Any) -> set[str]:
    """Class ids a task value carries (aliases resolved; unreadable parts ignored)."""
    if value is None:
        return set()
    items = value if isinstance(value, list) else [value]
    out = set()
    for item in items:
        label = item.get("label") if isinstance(item, dict) else item
        if isinstance(label, str):
            cid = task.resolve_label(label)
            if cid is not None:
                out.add(cid)
    return out


def class_shares(
    guideline: ir.Guideline, task: ir.Task, records: Sequence[Annotation]
) -> ClassShares:
    tt = tasktypes.of(task)
    out = ClassShares(task.id, 0, {key: 0 for key in tt.distribution_keys(task)})
    for a in records:
        if skipped(guideline, a.data):
            continue
        value = a.data.get(task.id)
        if value is None:
            continue
        keys = tt.distribution_value(value)
        if keys is not None:
            if keys:
                out.labelled += 1
            for key in keys:
                out.counts[key] += 1
            continue
        out.labelled += 1
        carried: set[str] = set()
        for cid in labels_in(task, value):
            carried.add(cid)
            carried.update(task.ancestors(cid))
        for cid in carried:
            out.counts[cid] = out.counts.get(cid, 0) + 1
    return out


def unresolved_share(guideline: ir.Guideline, records: Sequence[Annotation]) -> tuple[int, int]:
    """``(unresolved, total)`` records; a record is unresolved when its unresolved flag
    (``delivery.metadata.unresolved``) is true."""
    key = guideline.delivery.metadata.unresolved
    return sum(1 for a in records if a.data.get(key) is True), len(records)
