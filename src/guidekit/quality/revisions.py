"""Revisions between two deliveries of the same items, and turnaround from timestamps.

Records are paired by item id and annotator (by item id alone when neither delivery names
annotators). A pair is *revised* for a task when the canonical values differ (labels compare
by class id after resolving aliases; regions by class and geometry). The revision rate of a
class is the share of paired records that had the class in the first delivery and were
changed in the second.

Turnaround is the time from ``created_at`` to ``updated_at`` of each record (ISO 8601).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from guidekit import ir, tasktypes
from guidekit.quality.agreement import canonical
from guidekit.quality.distribution import labels_in
from guidekit.quality.ratings import MISSING, Annotation


@dataclass(slots=True)
class TaskRevisions:
    task: str
    compared: int
    revised: int
    classes: dict[str, tuple[int, int]] = field(default_factory=dict)  # class -> (revised, n)
    changes: dict[str, int] = field(default_factory=dict)  # "a -> b" -> count

    @property
    def rate(self) -> float | None:
        return self.revised / self.compared if self.compared else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "compared": self.compared,
            "revised": self.revised,
            "rate": self.rate,
            "classes": {
                c: {"revised": r, "compared": n, "rate": r / n if n else None}
                for c, (r, n) in self.classes.items()
            },
            "changes": self.changes,
        }


@dataclass(slots=True)
class RevisionReport:
    paired: int
    only_first: int
    only_second: int
    tasks: list[TaskRevisions]

    def to_dict(self) -> dict[str, Any]:
        return {
            "paired": self.paired,
            "only_in_first": self.only_first,
            "only_in_second": self.only_second,
            "tasks": [t.to_dict() for t in self.tasks],
        }


def _key(a: Annotation, by_annotator: bool) -> tuple[str, str]:
    return (a.item, a.annotator if by_annotator else "")


def _show(task: ir.Task, value: Any) -> str:
    labels = sorted(labels_in(task, value)) if task.has_classes else []
    shown = tasktypes.of(task).revision_summary(labels)
    return "(changed)" if shown is None else shown


def compare(
    guideline: ir.Guideline,
    first: Sequence[Annotation],
    second: Sequence[Annotation],
    tasks: Sequence[ir.Task] | None = None,
) -> RevisionReport:
    ann_key = guideline.delivery.metadata.annotator
    by_annotator = any(ann_key in a.data for a in (*first, *second))
    old = {_key(a, by_annotator): a for a in first}
    new = {_key(a, by_annotator): a for a in second}
    keys = [k for k in old if k in new]
    out = []
    for task in tasks if tasks is not None else list(guideline.tasks.values()):
        conv = canonical(task)
        named = tasktypes.of(task).revision_summary([]) is not None
        tr = TaskRevisions(task.id, 0, 0)
        for k in keys:
            ok1, v1 = conv(old[k].data.get(task.id))
            ok2, v2 = conv(new[k].data.get(task.id))
            if not (ok1 and ok2) or (v1 is MISSING and v2 is MISSING):
                continue
            tr.compared += 1
            changed = _comparable(v1) != _comparable(v2)
            tr.revised += changed
            before = labels_in(task, old[k].data.get(task.id)) if task.has_classes else set()
            for c in before:
                r, n = tr.classes.get(c, (0, 0))
                tr.classes[c] = (r + changed, n + 1)
            if changed and named:
                label = (
                    f"{_show(task, old[k].data.get(task.id))} -> "
                    f"{_show(task, new[k].data.get(task.id))}"
                )
                tr.changes[label] = tr.changes.get(label, 0) + 1
        tr.classes = dict(sorted(tr.classes.items()))
        tr.changes = dict(sorted(tr.changes.items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(tr)
    return RevisionReport(
        len(keys), sum(k not in new for k in old), sum(k not in old for k in new), out
    )


def _comparable(v: Any) -> Any:
    if v is MISSING:
        return None
    if isinstance(v, list):
        return sorted((r.label, r.shape) for r in v)
    return v


# -- turnaround -----------------------------------------------------------------------------------


def parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        t = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.timezone.utc)


@dataclass(slots=True)
class Turnaround:
    records: int
    timed: int
    unreadable: int
    seconds: list[float]
    annotators: dict[str, list[float]] = field(default_factory=dict)

    @staticmethod
    def summary(values: Sequence[float]) -> dict[str, float | int | None]:
        if not values:
            return {"count": 0, "mean": None, "median": None, "p90": None, "max": None}
        ordered = sorted(values)
        p90 = ordered[min(len(ordered) - 1, max(0, round(0.9 * (len(ordered) - 1))))]
        return {
            "count": len(values),
            "mean": statistics.fmean(values),
            "median": statistics.median(values),
            "p90": p90,
            "max": ordered[-1],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "timed": self.timed,
            "unreadable_timestamps": self.unreadable,
            "seconds": self.summary(self.seconds),
            "annotators": {a: self.summary(v) for a, v in sorted(self.annotators.items())},
        }


def turnaround(guideline: ir.Guideline, records: Sequence[Annotation]) -> Turnaround:
    meta = guideline.delivery.metadata
    out = Turnaround(len(records), 0, 0, [])
    for a in records:
        c_raw, u_raw = a.data.get(meta.created_at), a.data.get(meta.updated_at)
        if c_raw is None or u_raw is None:
            continue
        c, u = parse_time(c_raw), parse_time(u_raw)
        if c is None or u is None or u < c:
            out.unreadable += 1
            continue
        secs = (u - c).total_seconds()
        out.timed += 1
        out.seconds.append(secs)
        out.annotators.setdefault(a.annotator, []).append(secs)
    return out
