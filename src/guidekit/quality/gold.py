"""Scores against a gold set: precision, recall, F1 per class, macro and micro, accuracy and
the confusion matrix, for the whole delivery and per annotator.

A gold file is shaped like a delivery: one record per item with the id field and the right
value of each task it scores (other tasks may be left out). Each delivered record of a gold
item is scored; delivered items without gold and gold items nobody delivered are counted.

Single-label, ordinal and boolean tasks compare labels (the confusion matrix is
gold x delivered). Multi-label tasks compare per class (is the class in both sets?); accuracy
is the share of exact set matches. Span tasks match spans exactly, box and polygon tasks by
IoU (0.5 unless told): a delivered region is a true positive when it matches a gold region of
its class. Macro averages run over the classes that occur in the gold set or the delivery,
like scikit-learn's defaults; a class with no prediction has precision 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from guidekit import ir, tasktypes
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic
from guidekit.quality import regions as R
from guidekit.quality.agreement import canonical, label_index
from guidekit.quality.ratings import MISSING, Annotation, skipped
from guidekit.tasktypes import NotRepresentable


def supported(task: ir.Task) -> bool:
    """Whether gold scores are measured for the task's type."""
    return tasktypes.of(task).gold_kind() is not None


def _prf(
    tp: NDArray[np.float64], fp: NDArray[np.float64], fn: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1e-300), 0.0)
        r = np.where(tp + fn > 0, tp / np.maximum(tp + fn, 1e-300), 0.0)
        f = np.where(p + r > 0, 2 * p * r / np.maximum(p + r, 1e-300), 0.0)
    return p, r, f


@dataclass(slots=True)
class Scores:
    """Scores of one task for one group of records (all, or one annotator)."""

    labels: list[str]
    tp: NDArray[np.float64]
    fp: NDArray[np.float64]
    fn: NDArray[np.float64]
    scored: int
    correct: int | None
    confusion: NDArray[np.float64] | None = None

    @property
    def present(self) -> NDArray[np.bool_]:
        return (self.tp + self.fp + self.fn) > 0

    def per_class(self) -> dict[str, dict[str, float]]:
        p, r, f = _prf(self.tp, self.fp, self.fn)
        return {
            c: {
                "precision": float(p[i]),
                "recall": float(r[i]),
                "f1": float(f[i]),
                "support": int(self.tp[i] + self.fn[i]),
            }
            for i, c in enumerate(self.labels)
            if self.present[i]
        }

    def metric(self, name: str, class_: str | None = None) -> float | None:
        """``accuracy``, ``macro_f1``, ``micro_f1``, or ``f1``/``precision``/``recall`` (of a
        class, or macro-averaged without one)."""
        if self.scored == 0:
            return None
        if name == "accuracy":
            return None if self.correct is None else self.correct / self.scored
        p, r, f = _prf(self.tp, self.fp, self.fn)
        if name == "micro_f1":
            _mp, _mr, mf = _prf(
                np.array([self.tp.sum()]), np.array([self.fp.sum()]), np.array([self.fn.sum()])
            )
            return float(mf[0])
        table = {"f1": f, "macro_f1": f, "precision": p, "recall": r}[name]
        if class_ is not None and name != "macro_f1":
            if class_ not in self.labels:
                return None
            return float(table[self.labels.index(class_)])
        mask = self.present
        return float(table[mask].mean()) if mask.any() else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "scored": self.scored,
            "accuracy": self.metric("accuracy"),
            "macro_f1": self.metric("macro_f1"),
            "micro_f1": self.metric("micro_f1"),
            "macro_precision": self.metric("precision"),
            "macro_recall": self.metric("recall"),
            "classes": self.per_class(),
            "confusion": None if self.confusion is None else self.confusion.astype(int).tolist(),
        }


@dataclass(slots=True)
class GoldReport:
    task: str
    type: str
    labels: list[str]
    overall: Scores
    annotators: dict[str, Scores] = field(default_factory=dict)
    without_gold: int = 0
    gold_not_delivered: int = 0
    iou: float | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "type": self.type,
            "labels": self.labels,
            "overall": self.overall.to_dict(),
            "annotators": {a: s.to_dict() for a, s in self.annotators.items()},
            "delivered_without_gold": self.without_gold,
            "gold_not_delivered": self.gold_not_delivered,
            "iou": self.iou,
            "notes": self.notes,
        }


def gold_index(
    guideline: ir.Guideline, gold: Sequence[Annotation]
) -> tuple[dict[str, Annotation], list[Diagnostic]]:
    out: dict[str, Annotation] = {}
    problems = []
    for a in gold:
        if a.item in out:
            problems.append(
                diag(
                    "GK606",
                    f"gold item '{a.item}' appears twice (first at {out[a.item].location})",
                    a.location,
                )
            )
            continue
        out[a.item] = a
    return out, problems


class _Acc:
    def __init__(self, labels: list[str], confusion: bool) -> None:
        k = len(labels)
        self.labels = labels
        self.tp, self.fp, self.fn = np.zeros(k), np.zeros(k), np.zeros(k)
        self.scored = 0
        self.correct = 0
        self.confusion = np.zeros((k, k)) if confusion else None

    def scores(self, exact: bool) -> Scores:
        return Scores(
            self.labels,
            self.tp,
            self.fp,
            self.fn,
            self.scored,
            self.correct if exact else None,
            self.confusion,
        )


def score_task(
    guideline: ir.Guideline,
    task: ir.Task,
    gold: dict[str, Annotation],
    records: Sequence[Annotation],
    *,
    iou: float = 0.5,
) -> GoldReport:
    conv = canonical(task)
    tt = tasktypes.of(task)
    kind = tt.gold_kind()
    if kind not in ("labels", "sets", "regions"):
        raise NotRepresentable(f"gold scores are not measured for {task.type} tasks")
    labels = list(label_index(task))
    index = {c: i for i, c in enumerate(labels)}
    classification = kind == "labels"
    mode = tt.gold_match(iou) if kind == "regions" else None
    overall = _Acc(labels, classification)
    per: dict[str, _Acc] = {}
    delivered: set[str] = set()
    without = 0
    bad_gold: set[str] = set()
    for a in records:
        if skipped(guideline, a.data):
            continue
        g = gold.get(a.item)
        if g is None:
            without += 1
            continue
        ok_g, truth = conv(g.data.get(task.id))
        if not ok_g or truth is MISSING:
            bad_gold.add(a.item)
            continue
        ok, pred = conv(a.data.get(task.id))
        if not ok or pred is MISSING:
            pred = None
        delivered.add(a.item)
        acc = per.get(a.annotator)
        if acc is None:  # not setdefault: building an unused _Acc per record cost ~1 us
            acc = per[a.annotator] = _Acc(labels, classification)
        for target in (overall, acc):
            _add(target, kind, truth, pred, index, mode)
    report = GoldReport(
        task.id,
        task.type,
        labels,
        overall.scores(mode is None),
        {name: acc.scores(mode is None) for name, acc in sorted(per.items())},
        without_gold=without,
        gold_not_delivered=sum(1 for i in gold if i not in delivered and i not in bad_gold),
        iou=None if mode is None else mode.iou,
    )
    if bad_gold:
        report.notes.append(
            f"{len(bad_gold)} gold item(s) have no valid value for '{task.id}' and were not scored"
        )
    return report


def _add(
    acc: _Acc,
    kind: str,
    truth: Any,
    pred: Any,
    index: dict[str, int],
    mode: R.MatchMode | None,
) -> None:
    acc.scored += 1
    if kind == "labels":
        if pred is None:
            acc.fn[truth] += 1  # no answer: a miss, and no class gains a false positive
            return
        assert acc.confusion is not None
        acc.confusion[truth, pred] += 1
        if truth == pred:
            acc.tp[truth] += 1
            acc.correct += 1
        else:
            acc.fn[truth] += 1
            acc.fp[pred] += 1
        return
    if kind == "sets":
        p = pred if pred is not None else frozenset()
        for c in truth & p:
            acc.tp[c] += 1
        for c in truth - p:
            acc.fn[c] += 1
        for c in p - truth:
            acc.fp[c] += 1
        acc.correct += truth == p
        return
    assert mode is not None
    p = pred if pred is not None else []
    counts = R.count(mode, truth, p, index)
    acc.tp += counts[:, 0]
    acc.fn += counts[:, 1] - counts[:, 0]
    acc.fp += counts[:, 2] - counts[:, 0]


def item_counts(
    task: ir.Task, truth: Any, pred: Any, index: dict[str, int], mode: R.MatchMode | None
) -> tuple[float, float, float]:
    """True positives, false positives and false negatives of one item's comparable values
    (from :func:`~guidekit.quality.agreement.canonical`), by the same matching as
    :func:`score_task`: the pooled (micro) counts that paired tests and bootstraps need."""
    kind = tasktypes.of(task).gold_kind() or "labels"
    if kind == "labels":  # the common case, without arrays
        if pred is None:
            return 0.0, 0.0, 1.0
        return (1.0, 0.0, 0.0) if truth == pred else (0.0, 1.0, 1.0)
    acc = _Acc(list(index), False)
    _add(acc, kind, truth, pred, index, mode)
    return float(acc.tp.sum()), float(acc.fp.sum()), float(acc.fn.sum())
