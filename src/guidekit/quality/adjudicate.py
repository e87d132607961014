"""From delivered records to one adjudicated record per item, and annotator quality.

:func:`problems` turns the classification tasks of some annotations into
:class:`~guidekit.quality.aggregate.Ratings` (a single, ordinal or boolean task is one
problem over its classes; a multi-label task is one present/absent problem per class);
:func:`adjudicate` runs a method on each and builds the records and the report.

The adjudicated record of an item starts from the item's first labelled record (in reading
order); each aggregated task's value is replaced by the aggregate, the annotator field says
which method made it, and every other task keeps the value of that first record (the report
lists them). A tie left unresolved gives no value for the task and marks the record
``unresolved`` with a ``question`` naming the tied classes, which is how a guideline's
delivery says "could not decide", so ``guidekit validate`` accepts it.

Every rating counts, including a second rating of the same item by the same annotator
(Dawid & Skene's observer 1 rated every patient three times); the report counts them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from guidekit import ir, tasktypes
from guidekit.quality import aggregate as A
from guidekit.quality.evaluation import wilson
from guidekit.quality.ratings import MISSING, Annotation, Annotations, skipped

Method = Literal["majority", "weighted", "dawid-skene"]
METHODS: tuple[Method, ...] = ("majority", "weighted", "dawid-skene")
KINDS = ("labels", "sets")
#: Fewer rated items than this makes an annotator's accuracy a rough guide only.
SMALL_SAMPLE = 30


def supported(task: ir.Task) -> bool:
    return tasktypes.of(task).agreement_kind() in KINDS


@dataclass(slots=True)
class Problem:
    """One classification problem of a task: ``cls`` is the class of a multi-label task
    this present/absent problem is about (``None`` for a single-label task)."""

    task: ir.Task
    cls: str | None
    labels: list[str]
    ratings: A.Ratings
    truth: A.IntArray | None = None  # gold class per item (-1 unknown)


@dataclass(slots=True)
class Inputs:
    items: list[str]
    annotators: list[str]
    first: dict[str, Annotation]
    problems: list[Problem]
    ignored: dict[str, int]
    repeats: int


def problems(annotations: Annotations, guideline: ir.Guideline, tasks: Sequence[ir.Task]) -> Inputs:
    items: dict[str, int] = {}
    first: dict[str, Annotation] = {}
    annotators = annotations.annotators()
    col = {a: i for i, a in enumerate(annotators)}
    for a in annotations.records:
        if a.item not in items:
            items[a.item] = len(items)
        if a.item not in first or (
            skipped(guideline, first[a.item].data) and not skipped(guideline, a.data)
        ):
            first[a.item] = a
    out: list[Problem] = []
    ignored: dict[str, int] = {}
    repeats = 0
    for task in tasks:
        kind = tasktypes.of(task).agreement_kind()
        labels = tasktypes.of(task).quality_labels(task)
        convert = tasktypes.of(task).quality_values(task, MISSING)
        it: list[int] = []
        ra: list[int] = []
        va: list[Any] = []
        bad = 0
        seen: set[tuple[int, int]] = set()
        for a in annotations.records:
            if skipped(guideline, a.data):
                continue
            ok, value = convert(a.data.get(task.id))
            if not ok:
                bad += 1
                continue
            if value is MISSING:
                continue
            key = (items[a.item], col[a.annotator])
            if key in seen:
                repeats += 1
            seen.add(key)
            it.append(key[0])
            ra.append(key[1])
            va.append(value)
        ignored[task.id] = bad
        n, r = len(items), len(annotators)
        if kind == "labels":
            out.append(
                Problem(
                    task,
                    None,
                    labels,
                    A.Ratings.of(it, ra, np.asarray(va, np.int64), n, r, len(labels)),
                )
            )
        else:
            for c, name in enumerate(labels):
                present = np.fromiter((c in v for v in va), dtype=np.int64, count=len(va))
                out.append(
                    Problem(
                        task, name, ["absent", "present"], A.Ratings.of(it, ra, present, n, r, 2)
                    )
                )
    return Inputs(list(items), annotators, first, out, ignored, repeats)


def attach_gold(inputs: Inputs, index: Mapping[str, Annotation], guideline: ir.Guideline) -> int:
    """Set each problem's ``truth`` from a gold index; returns the items gold covers."""
    covered = 0
    for p in inputs.problems:
        convert = tasktypes.of(p.task).quality_values(p.task, MISSING)
        truth = np.full(len(inputs.items), -1, dtype=np.int64)
        for i, item in enumerate(inputs.items):
            g = index.get(item)
            if g is None or skipped(guideline, g.data):
                continue
            ok, value = convert(g.data.get(p.task.id))
            if not ok or value is MISSING:
                continue
            if p.cls is None:
                truth[i] = int(value)
            else:
                truth[i] = 1 if _class_index(p) in value else 0
        p.truth = truth
        covered = max(covered, int((truth >= 0).sum()))
    return covered


def _class_index(p: Problem) -> int:
    return list(tasktypes.of(p.task).quality_labels(p.task)).index(p.cls or "")


@dataclass(slots=True)
class AnnotatorQuality:
    annotator: str
    rated: int
    correct: int
    low: float | None
    high: float | None
    estimated: float | None = None  # Dawid–Skene: sum_k prior_k * conf[k, k]
    confusion: list[list[int]] | None = None
    error_rates: list[list[float]] | None = None  # Dawid–Skene: conf[true, given]

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.rated if self.rated else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "annotator": self.annotator,
            "rated": self.rated,
            "correct": self.correct,
            "accuracy": self.accuracy,
            "interval": None if self.low is None else [self.low, self.high],
            "small_sample": self.rated < SMALL_SAMPLE,
        }
        if self.estimated is not None:
            out["estimated_accuracy"] = self.estimated
        if self.confusion is not None:
            out["confusion"] = self.confusion
        if self.error_rates is not None:
            out["error_rates"] = self.error_rates
        return out


@dataclass(slots=True)
class ProblemResult:
    problem: Problem
    result: A.Aggregate
    reference: str  # "aggregate" or "gold"
    quality: list[AnnotatorQuality]
    gold_accuracy: tuple[int, int] | None = None  # (items scored, right) of the aggregate

    @property
    def name(self) -> str:
        p = self.problem
        return p.task.id if p.cls is None else f"{p.task.id}[{p.cls}]"

    def to_dict(self) -> dict[str, Any]:
        r = self.result
        out: dict[str, Any] = {
            "task": self.problem.task.id,
            "class": self.problem.cls,
            "labels": self.problem.labels,
            "items": int((r.votes > 0).sum()),
            "ratings": int(r.votes.sum()),
            "unresolved": r.unresolved,
            "ties_broken": int(r.broken.sum()),
            "mean_confidence": _mean(r.confidence[r.votes > 0]),
        }
        if r.priors is not None:
            out["priors"] = [float(x) for x in r.priors]
        if r.convergence is not None:
            out["convergence"] = r.convergence.to_dict()
        if self.gold_accuracy is not None:
            n, k = self.gold_accuracy
            lo_hi = wilson(k, n)
            out["gold"] = {
                "items": n,
                "correct": k,
                "accuracy": k / n if n else None,
                "interval": list(lo_hi) if lo_hi else None,
            }
        out["annotators_against"] = self.reference
        out["annotators"] = [q.to_dict() for q in self.quality]
        return out


def _mean(a: A.Array) -> float | None:
    return float(a.mean()) if a.size else None


@dataclass(slots=True)
class Options:
    method: Method = "majority"
    ties: A.Ties = "report"
    seed: int = 0
    weights: Mapping[str, float] | None = None  # weighted: per annotator (None: estimated)
    max_iter: int = 200
    tol: float = 1e-8


@dataclass(slots=True)
class Outcome:
    method: Method
    results: list[ProblemResult]
    records: list[dict[str, Any]]
    confidence: list[dict[str, Any]]
    copied: list[str]
    items: int
    annotators: int
    repeats: int
    ignored: dict[str, int]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "items": self.items,
            "annotators": self.annotators,
            "repeated_ratings": self.repeats,
            "invalid_values": self.ignored,
            "copied_tasks": self.copied,
            "problems": [r.to_dict() for r in self.results],
            "notes": self.notes,
        }


def run(inputs: Inputs, opts: Options) -> list[A.Aggregate]:
    out = []
    for p in inputs.problems:
        r = p.ratings
        if opts.method == "majority":
            out.append(A.majority(r, ties=opts.ties, seed=opts.seed))
        elif opts.method == "weighted":
            if opts.weights is not None:
                w = np.array([float(opts.weights[a]) for a in inputs.annotators])
            else:
                mv = A.majority(r)
                n, k = A.agreement_accuracy(r, mv.winner)
                acc = np.where(n > 0, (k + 1) / (n + 2), 0.5)  # Laplace-smoothed
                w = A.quality_weights(acc, r.n_classes)
            out.append(A.weighted(r, w, ties=opts.ties, seed=opts.seed))
        else:
            out.append(
                A.dawid_skene(
                    r, max_iter=opts.max_iter, tol=opts.tol, ties=opts.ties, seed=opts.seed
                )
            )
    return out


def quality(inputs: Inputs, p: Problem, agg: A.Aggregate) -> ProblemResult:
    ref = "gold" if p.truth is not None else "aggregate"
    truth = p.truth if p.truth is not None else agg.winner
    n, k = A.agreement_accuracy(p.ratings, truth)
    conf = A.confusions(p.ratings, truth)
    rows = []
    for a, name in enumerate(inputs.annotators):
        lo_hi = wilson(int(k[a]), int(n[a]))
        est = None
        rates = None
        if agg.confusion is not None and agg.priors is not None:
            est = float((agg.priors * np.diagonal(agg.confusion[a])).sum())
            rates = agg.confusion[a].tolist()
        rows.append(
            AnnotatorQuality(
                name,
                int(n[a]),
                int(k[a]),
                None if lo_hi is None else lo_hi[0],
                None if lo_hi is None else lo_hi[1],
                est,
                conf[a].tolist(),
                rates,
            )
        )
    gold_acc = None
    if p.truth is not None:
        known = (p.truth >= 0) & (agg.votes > 0)
        gold_acc = (int(known.sum()), int((agg.winner[known] == p.truth[known]).sum()))
    return ProblemResult(p, agg, ref, rows, gold_acc)


def adjudicate(
    guideline: ir.Guideline,
    inputs: Inputs,
    opts: Options,
) -> Outcome:
    aggs = run(inputs, opts)
    results = [quality(inputs, p, a) for p, a in zip(inputs.problems, aggs, strict=True)]
    meta = guideline.delivery.metadata
    chosen = list(dict.fromkeys(p.task.id for p in inputs.problems))
    copied = [
        t.id
        for t in guideline.tasks.values()
        if t.id not in chosen
        and any(t.id in a.data and a.data[t.id] is not None for a in inputs.first.values())
    ]
    records: list[dict[str, Any]] = []
    confidence: list[dict[str, Any]] = []
    by_task: dict[str, list[ProblemResult]] = {}
    for r in results:
        by_task.setdefault(r.problem.task.id, []).append(r)
    for i, item in enumerate(inputs.items):
        base = inputs.first[item]
        rec = dict(base.data)
        rec[meta.annotator] = f"guidekit-aggregate:{opts.method}"
        for key in (meta.unresolved, meta.question, meta.reviewer):
            rec.pop(key, None)
        if skipped(guideline, rec):
            records.append(rec)
            continue
        questions = []
        for tid, parts in by_task.items():
            task = guideline.tasks[tid]
            first_part = parts[0]
            if first_part.problem.cls is None:
                agg = first_part.result
                if agg.votes[i] == 0:
                    rec.pop(tid, None)
                    continue
                labels = first_part.problem.labels
                w = int(agg.winner[i])
                value: Any = None if w < 0 else _decode(task, labels, w)
                entry: dict[str, Any] = {
                    "id": item,
                    "task": tid,
                    "value": value,
                    "confidence": float(agg.posterior[i].max()),
                    "votes": int(agg.votes[i]),
                }
                if w < 0:
                    tied = [labels[c] for c in np.flatnonzero(agg.tied[i])]
                    entry["tied"] = tied
                    if tied:
                        questions.append(f"{tid}: tie between " + ", ".join(f"'{t}'" for t in tied))
                    else:  # weighted: every vote of the item has weight 0
                        questions.append(f"{tid}: no vote with a weight above 0")
                elif agg.broken[i]:
                    entry["tie_broken"] = True
                confidence.append(entry)
                if value is None:
                    rec.pop(tid, None)
                else:
                    rec[tid] = value
            else:
                if all(part.result.votes[i] == 0 for part in parts):
                    rec.pop(tid, None)
                    continue
                chosen_cls: list[str] = []
                undecided: list[str] = []
                per_class: dict[str, float] = {}
                for part in parts:
                    agg = part.result
                    cls = part.problem.cls or ""
                    per_class[cls] = float(agg.posterior[i][1])
                    w = int(agg.winner[i])
                    if w < 0:
                        undecided.append(cls)
                    elif w == 1:
                        chosen_cls.append(cls)
                entry = {
                    "id": item,
                    "task": tid,
                    "value": None if undecided else chosen_cls,
                    "present": per_class,
                    "votes": int(parts[0].result.votes[i]),
                }
                if undecided:
                    entry["tied"] = undecided
                    questions.append(f"{tid}: tie on " + ", ".join(f"'{c}'" for c in undecided))
                    rec.pop(tid, None)
                else:
                    rec[tid] = chosen_cls
                confidence.append(entry)
        if questions:
            rec[meta.unresolved] = True
            rec[meta.question] = "; ".join(questions) + f" ({opts.method} vote)"
        records.append(rec)
    return Outcome(
        opts.method,
        results,
        records,
        confidence,
        copied,
        len(inputs.items),
        len(inputs.annotators),
        inputs.repeats,
        inputs.ignored,
    )


def _decode(task: ir.Task, labels: Sequence[str], index: int) -> Any:
    if task.type == "boolean":
        return labels[index] == "true"
    return labels[index]
