"""Model evaluation on the guideline's evaluation set: scores per task overall, per split, per
class tag, per negative example and per edge-case tag, with intervals, the confusion matrix,
a paired comparison of two prediction files, and the ``acceptance.edge_cases`` thresholds.

The key is the evaluation set (``ir.Evaluation``), plus a gold delivery when one is given.
Each group is scored by :func:`guidekit.quality.gold.score_task` (the task's own matching:
labels, label sets, spans, boxes at an IoU); nothing here matches values a second way.

F1 of a group is the pooled (micro) F1 of its decisions: for a single-label task it is the
accuracy. Precision, recall and accuracy carry Wilson 95 % intervals, F1 a seeded percentile
bootstrap over items. The comparison pairs items by id and runs an exact McNemar test on the
items one file gets right and the other wrong.

Nothing leaves a denominator silently: predictions for items the key does not hold, repeated
predictions, unreadable labels and key items with no prediction are counted and listed in
``excluded`` with the reason (an unreadable label and a missing answer count as wrong).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from guidekit import ir, tasktypes
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.quality import gold as G
from guidekit.quality.agreement import canonical, label_index
from guidekit.quality.ratings import MISSING, Annotation

Z95 = 1.959963984540054
#: above this many items a group's F1 interval is not bootstrapped (Wilson intervals still
#: are; at that size the interval is narrower than the third decimal)
BOOTSTRAP_MAX_ITEMS = 20_000


@dataclass(frozen=True, slots=True)
class KeyItem:
    """One item of the key: its labels (task -> value) and tags."""

    id: str
    labels: dict[str, Any]
    split: str | None = None
    edge_cases: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    negatives: tuple[str, ...] = ()
    source: str = "evaluation"
    loc: Location | None = None


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of the proportion ``k / n`` (``None`` when ``n`` is 0)."""
    if n <= 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def mcnemar(b: int, c: int) -> float:
    """Exact two-sided McNemar p-value for ``b`` and ``c`` discordant pairs."""
    n = b + c
    if n == 0:
        return 1.0
    k = min(b, c)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2.0**n
    return min(1.0, 2 * tail)


def _micro_f1(tp: float, fp: float, fn: float) -> float | None:
    denom = 2 * tp + fp + fn
    return None if denom == 0 else 2 * tp / denom


def key_from(
    guideline: ir.Guideline, gold: Sequence[Annotation] = ()
) -> tuple[dict[str, KeyItem], list[Diagnostic]]:
    """The key: every evaluation item, then every record of a gold delivery (an id the
    evaluation set already holds is a GK606 problem and keeps the evaluation item)."""
    key: dict[str, KeyItem] = {}
    problems: list[Diagnostic] = []
    for item in guideline.evaluation.items:
        if item.source == "unresolved" or item.id in key:
            continue  # the compiler reports both
        key[item.id] = KeyItem(
            item.id,
            dict(item.labels),
            item.split,
            item.edge_cases,
            item.classes,
            item.negatives,
            "evaluation",
            item.loc,
        )
    split_key = guideline.delivery.metadata.split
    tasks = tuple(guideline.tasks)
    for a in gold:
        if a.item in key:
            first = key[a.item].loc
            problems.append(
                diag(
                    "GK606",
                    f"gold item '{a.item}' appears twice"
                    + (f" (first at {first})" if first is not None else ""),
                    a.location,
                )
            )
            continue
        data = a.data
        labels = {t: data[t] for t in tasks if data.get(t) is not None}
        split = data.get(split_key)
        key[a.item] = KeyItem(  # positional: a million of them
            a.item,
            labels,
            split if isinstance(split, str) else None,
            (),
            (),
            (),
            "gold",
            Location(a.file, a.line),
        )
    return key, problems


@dataclass(slots=True)
class Group:
    """Scores of one task on one group of items."""

    name: str
    kind: str  # overall | split | edge_case | class | negative
    items: int
    scores: G.Scores
    tp: float
    fp: float
    fn: float
    f1_interval: tuple[float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        s = self.scores
        precision = None if self.tp + self.fp == 0 else self.tp / (self.tp + self.fp)
        recall = None if self.tp + self.fn == 0 else self.tp / (self.tp + self.fn)
        accuracy = s.metric("accuracy")
        return {
            "name": self.name,
            "kind": self.kind,
            "items": self.items,
            "precision": precision,
            "precision_interval": wilson(self.tp, self.tp + self.fp),
            "recall": recall,
            "recall_interval": wilson(self.tp, self.tp + self.fn),
            "f1": _micro_f1(self.tp, self.fp, self.fn),
            "f1_interval": self.f1_interval,
            "accuracy": accuracy,
            "accuracy_interval": (
                wilson(s.correct, s.scored) if s.correct is not None and s.scored else None
            ),
            "macro_f1": s.metric("macro_f1"),
        }


@dataclass(slots=True)
class TaskResult:
    task: str
    type: str
    overall: Group
    groups: list[Group]
    classes: dict[str, dict[str, float]]
    labels: list[str]
    confusion: list[list[int]] | None
    outcomes: dict[str, tuple[float, float, float]]  # item -> micro counts (first prediction)
    excluded: dict[str, int] = field(default_factory=dict)

    def group(self, kind: str, name: str) -> Group | None:
        return next((g for g in self.groups if g.kind == kind and g.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "type": self.type,
            "overall": self.overall.to_dict(),
            "classes": self.classes,
            "groups": [g.to_dict() for g in self.groups],
            "labels": self.labels,
            "confusion": self.confusion,
            "excluded": self.excluded,
        }


@dataclass(slots=True)
class Comparison:
    """Per group: items A got right and B wrong (``b``), the reverse (``c``), McNemar p."""

    task: str
    rows: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"task": self.task, "rows": self.rows}


@dataclass(slots=True)
class Threshold:
    edge_case: str
    task: str
    min_f1: float
    f1: float | None
    items: int
    status: str  # met | failed | not_measured
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "edge_case": self.edge_case,
            "task": self.task,
            "min_f1": self.min_f1,
            "f1": self.f1,
            "items": self.items,
            "status": self.status,
            "reason": self.reason,
        }


@dataclass(slots=True)
class EvalReport:
    guideline: str
    predictions: str
    key_items: int
    tasks: list[TaskResult]
    excluded: list[dict[str, Any]]
    comparison: list[Comparison] = field(default_factory=list)
    compare_with: str | None = None
    thresholds: list[Threshold] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(t.status != "met" for t in self.thresholds)

    def to_dict(self) -> dict[str, Any]:
        return {
            "guideline": self.guideline,
            "predictions": self.predictions,
            "key_items": self.key_items,
            "tasks": [t.to_dict() for t in self.tasks],
            "excluded": self.excluded,
            "compare_with": self.compare_with,
            "comparison": [c.to_dict() for c in self.comparison],
            "acceptance": [t.to_dict() for t in self.thresholds],
            "accepted": not self.failed,
        }


@dataclass(slots=True)
class Screened:
    """Predictions that can be scored (first per item), and what was set aside and why."""

    records: list[Annotation]
    diagnostics: list[Diagnostic]
    unknown: int = 0
    repeated: int = 0


def screen(
    guideline: ir.Guideline, key: dict[str, KeyItem], predictions: Sequence[Annotation]
) -> Screened:
    """Keep the first prediction of each key item; report the others with their location,
    and every label that is not a value of its task (it still counts, as a wrong answer)."""
    out = Screened([], [])
    seen: set[str] = set()
    convs = {t.id: (t, canonical(t)) for t in guideline.tasks.values() if G.supported(t)}
    readable: set[tuple[str, str]] = set()  # (task, label) pairs already found readable
    for a in predictions:
        k = key.get(a.item)
        if k is None:
            out.unknown += 1
            if out.unknown <= 50:
                out.diagnostics.append(
                    diag(
                        "GK609",
                        f"prediction for item '{a.item}', which is neither an evaluation item "
                        "nor in the gold delivery; not scored",
                        a.location,
                    )
                )
            continue
        if a.item in seen:
            out.repeated += 1
            if out.repeated <= 50:
                out.diagnostics.append(
                    diag(
                        "GK609",
                        f"item '{a.item}' is predicted more than once; the first prediction counts",
                        a.location,
                    )
                )
            continue
        seen.add(a.item)
        out.records.append(a)
        for tid in k.labels:
            if tid not in convs:
                continue
            task, conv = convs[tid]
            value = a.data.get(tid)
            if value is None or (type(value) is str and (tid, value) in readable):
                continue
            ok, _v = conv(value)
            if ok and type(value) is str and len(readable) < 4096:
                readable.add((tid, value))
            if not ok:
                out.diagnostics.append(
                    diag(
                        "GK610",
                        f"prediction of '{tid}' for item '{a.item}' is {value!r}, which is "
                        f"not a valid {task.type} value of the task; scored as wrong",
                        a.location,
                        hint=f"classes: {', '.join(c.id for c in task.classes[:20])}"
                        if task.classes
                        else None,
                    )
                )
    if out.unknown > 50 or out.repeated > 50:
        out.diagnostics.append(
            diag(
                "GK609",
                f"{out.unknown} prediction(s) for unknown items and {out.repeated} repeated "
                "prediction(s) in all (the first 50 of each are listed)",
                None,
            )
        )
    return out


def _gold_of(key: dict[str, KeyItem], task: str) -> dict[str, Annotation]:
    return {
        k.id: Annotation(k.id, "key", {task: k.labels[task]}, "", 0)
        for k in key.values()
        if task in k.labels
    }


def score(
    guideline: ir.Guideline,
    key: dict[str, KeyItem],
    records: Sequence[Annotation],
    *,
    tasks: Sequence[ir.Task] | None = None,
    iou: float = 0.5,
    samples: int = 1000,
    seed: int = 0,
) -> list[TaskResult]:
    """Score the screened predictions of every task the key labels."""
    out = []
    for task in tasks if tasks is not None else guideline.tasks.values():
        if not G.supported(task) or not any(task.id in k.labels for k in key.values()):
            continue
        out.append(_score_task(guideline, task, key, records, iou, samples, seed))
    return out


def _score_task(
    guideline: ir.Guideline,
    task: ir.Task,
    key: dict[str, KeyItem],
    records: Sequence[Annotation],
    iou: float,
    samples: int,
    seed: int,
) -> TaskResult:
    tt = tasktypes.of(task)
    if tt.gold_kind() == "labels":
        fast = _score_labels(guideline, task, key, records, samples, seed)
        if fast is not None:
            return fast
    gold = _gold_of(key, task.id)
    conv = canonical(task)
    mode = tt.gold_match(iou) if tt.gold_kind() == "regions" else None
    index = {c: i for i, c in enumerate(label_index(task))}
    mine = [a for a in records if a.item in gold]
    outcomes: dict[str, tuple[float, float, float]] = {}
    for a in mine:
        _ok, truth = conv(gold[a.item].data[task.id])
        ok, pred = conv(a.data.get(task.id))
        if not ok or pred is MISSING:
            pred = None
        if truth is MISSING:
            continue
        outcomes[a.item] = G.item_counts(task, truth, pred, index, mode)
    members: dict[tuple[str, str], list[Annotation]] = {}
    for a in mine:
        k = key[a.item]
        tags = [("split", k.split)] if k.split else []
        tags += [("edge_case", e) for e in k.edge_cases]
        tags += [("class", c) for c in k.classes]
        tags += [("negative", n) for n in k.negatives]
        for tag in tags:
            members.setdefault(tag, []).append(a)
    overall_report = G.score_task(guideline, task, gold, mine, iou=iou)
    rng_seed = seed

    def group(kind: str, name: str, rows: Sequence[Annotation], report: G.GoldReport) -> Group:
        counts = np.array([outcomes.get(a.item, (0.0, 0.0, 0.0)) for a in rows]).reshape(-1, 3)
        tp, fp, fn = (float(x) for x in counts.sum(axis=0)) if len(rows) else (0.0, 0.0, 0.0)
        interval = _bootstrap_f1(counts, samples, rng_seed) if len(rows) else None
        return Group(name, kind, len(rows), report.overall, tp, fp, fn, interval)

    overall = group("overall", "all", mine, overall_report)
    groups = []
    order = {"split": 0, "edge_case": 1, "class": 2, "negative": 3}
    for (kind, name), rows in sorted(members.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        sub = {a.item: gold[a.item] for a in rows}
        groups.append(group(kind, name, rows, G.score_task(guideline, task, sub, rows, iou=iou)))
    s = overall_report.overall
    predicted = {a.item for a in mine}
    missing = sum(1 for i in gold if i not in predicted)
    blank = sum(1 for a in mine if a.data.get(task.id) is None)
    excluded = {"key_items_without_prediction": missing, "predictions_without_a_value": blank}
    return TaskResult(
        task.id,
        task.type,
        overall,
        groups,
        s.per_class(),
        s.labels,
        None if s.confusion is None else s.confusion.astype(int).tolist(),
        outcomes,
        excluded,
    )


_ORDER = {"split": 0, "edge_case": 1, "class": 2, "negative": 3}
_NONE = -1  # no answer (absent, or not a value of the task): a miss
_BAD = -2  # a key value that is not a value of the task: not scored


def _codes(values: list[Any], conv: Any, k: int) -> NDArray[np.int64] | None:
    """Each value's label index, ``_NONE`` for an absent one, ``_BAD`` for an unreadable
    one; ``None`` when a comparable value is not a label index (not this path's case)."""
    table: dict[str, int] = {}

    def code(v: Any) -> int:
        ok, c = conv(v)
        if not ok:
            return _BAD
        if c is MISSING:
            return _NONE
        if type(c) is not int or not 0 <= c < k:
            raise _NotLabels
        return c

    try:
        for v in {v for v in values if type(v) is str}:
            table[v] = code(v)
        return np.fromiter(
            (table[v] if type(v) is str else code(v) for v in values), np.int64, len(values)
        )
    except _NotLabels:
        return None


class _NotLabels(Exception):
    pass


def _label_scores(labels: list[str], truth: NDArray[np.int64], pred: NDArray[np.int64]) -> G.Scores:
    """What ``gold.score_task`` counts for one group of a label task, from the rows it
    scores: ``pred`` is ``_NONE`` for no answer (a miss, and no class gains a false
    positive)."""
    k = len(labels)
    answered = pred >= 0
    right = truth == pred
    tp = np.bincount(truth[right], minlength=k).astype(np.float64)
    fn = np.bincount(truth, minlength=k).astype(np.float64) - tp
    wrong = answered & ~right
    fp = np.bincount(pred[wrong], minlength=k).astype(np.float64)
    confusion = (
        np.bincount(truth[answered] * k + pred[answered], minlength=k * k)
        .astype(np.float64)
        .reshape(k, k)
    )
    return G.Scores(labels, tp, fp, fn, len(truth), int(right.sum()), confusion)


def _score_labels(
    guideline: ir.Guideline,
    task: ir.Task,
    key: dict[str, KeyItem],
    records: Sequence[Annotation],
    samples: int,
    seed: int,
) -> TaskResult | None:
    """:func:`_score_task` for a task scored by labels (single-label, boolean), as arrays:
    one pass to turn values into label indices, ``np.bincount`` per group instead of one
    ``gold.score_task`` call per group. The same report, number for number (a test compares
    the two); ``None`` where it does not apply (repeated items)."""
    tid = task.id
    skip_key = guideline.delivery.metadata.skip
    items: list[str] = []
    truths: list[Any] = []
    values: list[Any] = []
    skips: list[bool] = []
    members: dict[tuple[str, str], list[int]] = {}
    for a in records:  # one pass: the rows, their values and their tags
        k = key.get(a.item)
        if k is None or tid not in k.labels:
            continue
        row = len(items)
        items.append(a.item)
        truths.append(k.labels[tid])
        data = a.data
        values.append(data.get(tid))
        skips.append(data.get(skip_key) not in (None, "", False))
        if k.split:
            members.setdefault(("split", k.split), []).append(row)
        if k.edge_cases or k.classes or k.negatives:
            for e in k.edge_cases:
                members.setdefault(("edge_case", e), []).append(row)
            for c in k.classes:
                members.setdefault(("class", c), []).append(row)
            for n in k.negatives:
                members.setdefault(("negative", n), []).append(row)
    if len(set(items)) != len(items):
        return None
    labels = list(label_index(task))
    conv = canonical(task)
    truth = _codes(truths, conv, len(labels))
    pred = _codes(values, conv, len(labels))
    if truth is None or pred is None:
        return None
    pred[pred == _BAD] = _NONE  # an unreadable prediction is no answer
    scored = ~np.array(skips, dtype=bool)
    scored &= truth >= 0  # a key value that is absent or unreadable is not scored
    # per item, as gold.item_counts: (tp, fp, fn); none for an absent key value
    counts = np.zeros((len(items), 3))
    answered = pred >= 0
    right = answered & (truth == pred)
    counts[:, 0] = right
    counts[:, 1] = answered & ~right
    counts[:, 2] = ~right
    has = truth != _NONE
    counts[~has] = 0.0
    outcomes = dict(zip(items, zip(*counts.T.tolist(), strict=True), strict=True))
    if not has.all():
        for i in np.flatnonzero(~has).tolist():
            del outcomes[items[i]]

    def group(kind: str, name: str, rows: NDArray[np.int64]) -> Group:
        mask = scored[rows]
        s = _label_scores(labels, truth[rows][mask], pred[rows][mask])
        c = counts[rows]
        tp, fp, fn = (float(x) for x in c.sum(axis=0)) if len(rows) else (0.0, 0.0, 0.0)
        interval = _bootstrap_f1(c, samples, seed) if len(rows) else None
        return Group(name, kind, len(rows), s, tp, fp, fn, interval)

    overall = group("overall", "all", np.arange(len(items)))
    groups = [
        group(kind, name, np.array(rows, dtype=np.int64))
        for (kind, name), rows in sorted(
            members.items(), key=lambda kv: (_ORDER[kv[0][0]], kv[0][1])
        )
    ]
    s = overall.scores
    predicted = set(items)
    missing = sum(1 for i, k in key.items() if tid in k.labels and i not in predicted)
    blank = sum(1 for v in values if v is None)
    excluded = {"key_items_without_prediction": missing, "predictions_without_a_value": blank}
    return TaskResult(
        tid,
        task.type,
        overall,
        groups,
        s.per_class(),
        s.labels,
        None if s.confusion is None else s.confusion.astype(int).tolist(),
        outcomes,
        excluded,
    )


def _bootstrap_f1(
    counts: NDArray[np.float64], samples: int, seed: int
) -> tuple[float, float] | None:
    n = len(counts)
    if n == 0 or samples <= 0 or n > BOOTSTRAP_MAX_ITEMS:
        return None
    rng = np.random.default_rng(seed)
    chunk = max(1, 2_000_000 // n)  # draws per block, so a block holds ~2M indices
    blocks = []
    for start in range(0, samples, chunk):
        idx = rng.integers(0, n, size=(min(chunk, samples - start), n))
        blocks.append(counts[idx].sum(axis=1))
    totals = np.concatenate(blocks)  # samples x 3
    denom = 2 * totals[:, 0] + totals[:, 1] + totals[:, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(denom > 0, 2 * totals[:, 0] / np.maximum(denom, 1e-300), np.nan)
    if np.isnan(f1).all():
        return None
    lo, hi = np.nanpercentile(f1, [2.5, 97.5])
    return float(lo), float(hi)


def compare(
    key: dict[str, KeyItem], a: Sequence[TaskResult], b: Sequence[TaskResult]
) -> list[Comparison]:
    """Per task and group, paired on items both files predict: exact McNemar on the items
    one gets entirely right and the other does not."""
    out = []
    by_task = {t.task: t for t in b}
    for ta in a:
        tb = by_task.get(ta.task)
        if tb is None:
            continue
        rows = []
        groups: list[tuple[str, str]] = [("overall", "all")]
        groups += [(g.kind, g.name) for g in ta.groups]
        for kind, name in groups:
            items = [
                i
                for i in ta.outcomes
                if i in tb.outcomes and (kind == "overall" or _tagged(key[i], kind, name))
            ]
            right_a = {i for i in items if _right(ta.outcomes[i])}
            right_b = {i for i in items if _right(tb.outcomes[i])}
            b_ = len(right_a - right_b)
            c_ = len(right_b - right_a)
            n = len(items)
            rows.append(
                {
                    "kind": kind,
                    "name": name,
                    "paired_items": n,
                    "accuracy_a": len(right_a) / n if n else None,
                    "accuracy_b": len(right_b) / n if n else None,
                    "only_a_right": b_,
                    "only_b_right": c_,
                    "p_value": mcnemar(b_, c_),
                    "change": "better" if c_ > b_ else ("worse" if b_ > c_ else "same"),
                }
            )
        out.append(Comparison(ta.task, rows))
    return out


def _right(counts: tuple[float, float, float]) -> bool:
    return counts[1] == 0 and counts[2] == 0


def _tagged(k: KeyItem, kind: str, name: str) -> bool:
    if kind == "split":
        return k.split == name
    return name in {"edge_case": k.edge_cases, "class": k.classes, "negative": k.negatives}[kind]


def thresholds(guideline: ir.Guideline, results: Sequence[TaskResult]) -> list[Threshold]:
    """``acceptance.edge_cases``: F1 on each named edge case's items must reach ``min_f1``.
    An edge case with no scored item is ``not_measured``, which fails too."""
    out = []
    for crit in guideline.acceptance.edge_cases:
        chosen = [r for r in results if crit.task is None or r.task == crit.task]
        names = list(crit.for_ or ())
        if not names:
            names = sorted({g.name for r in chosen for g in r.groups if g.kind == "edge_case"})
        for ec in names:
            measured = False
            for r in chosen:
                g = r.group("edge_case", ec)
                if g is None:
                    continue
                measured = True
                f1 = _micro_f1(g.tp, g.fp, g.fn)
                ok = f1 is not None and f1 >= crit.min_f1 - 1e-12
                shown = "none" if f1 is None else f"{f1:.4g}"
                out.append(
                    Threshold(
                        ec,
                        r.task,
                        crit.min_f1,
                        f1,
                        g.items,
                        "met" if ok else "failed",
                        f"F1 {shown} over {g.items} item(s), "
                        f"{'meets' if ok else 'misses'} the bound (at least {crit.min_f1:g})",
                    )
                )
            if not measured:
                out.append(
                    Threshold(
                        ec,
                        crit.task or "*",
                        crit.min_f1,
                        None,
                        0,
                        "not_measured",
                        "no predicted item is tagged with this edge case",
                    )
                )
    return out
