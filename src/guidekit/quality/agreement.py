"""Inter-annotator agreement of each task, overall and per class.

What is measured follows the task type (its ``agreement_kind`` and, for regions,
``agreement_matches`` in :mod:`guidekit.tasktypes`), and the report names it (nothing is a
silent default). For the built-in types:

==========================  ================================================================
task type                   statistics
==========================  ================================================================
single, boolean             observed agreement, Krippendorff's alpha (nominal), Fleiss'
                            kappa, Cohen's kappa; per class one-vs-rest
ordinal                     the same with alpha at the ordinal level and Cohen's kappa
                            weighted (quadratic unless told otherwise)
multi                       exact-set agreement, alpha/Fleiss/Cohen over the pooled
                            item x class yes/no decisions, alpha with the MASI set distance
                            (``masi``) and mean MASI similarity; per class one-vs-rest
number                      alpha (interval), exact agreement, mean absolute difference
text                        agreement of the normalised text (case and spaces ignored)
spans                       pairwise F1, exact and overlap match; per class
bbox, polygon               pairwise F1 after IoU matching at each threshold; per class
==========================  ================================================================

With more than two annotators Cohen's kappa is the mean over annotator pairs (Light's kappa);
each pair is listed. Bootstrap confidence intervals resample items.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from guidekit import ir, tasktypes
from guidekit.diagnostics.model import Diagnostic
from guidekit.quality import coefficients as C
from guidekit.quality import regions as R
from guidekit.quality import stats as S
from guidekit.quality.ratings import MISSING, Annotations, Matrix, codes, matrix, numbers, rated
from guidekit.tasktypes import NotRepresentable


@dataclass(frozen=True, slots=True)
class Stat:
    """A measured value with its bootstrap interval (when asked for)."""

    value: float | None
    low: float | None = None
    high: float | None = None
    reason: str | None = None  # why ``value`` is undefined (``None``), when it is known
    se: float | None = None  # analytic standard error (``--stat``)
    p_value: float | None = None  # of the test that the coefficient is 0 (``--stat``)
    extra: dict[str, Any] | None = None  # interval method, ICC form, benchmark, ...

    @staticmethod
    def of(value: float, low: float | None = None, high: float | None = None) -> Stat:
        def clean(v: float | None) -> float | None:
            return None if v is None or not math.isfinite(v) else float(v)

        return Stat(clean(value), clean(low), clean(high))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value}
        if self.low is not None or self.high is not None:
            out["ci"] = [self.low, self.high]
        if self.value is None and self.reason is not None:
            out["reason"] = self.reason
        if self.se is not None:
            out["se"] = self.se
        if self.p_value is not None:
            out["p_value"] = self.p_value
        if self.extra:
            out.update(self.extra)
        return out


@dataclass(slots=True)
class ClassAgreement:
    id: str
    ratings: int
    stats: dict[str, Stat] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "class": self.id,
            "ratings": self.ratings,
            "stats": {k: v.to_dict() for k, v in self.stats.items()},
        }


@dataclass(slots=True)
class PairAgreement:
    a: str
    b: str
    shared: int
    stats: dict[str, Stat] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotators": [self.a, self.b],
            "shared_items": self.shared,
            "stats": {k: v.to_dict() for k, v in self.stats.items()},
        }


@dataclass(slots=True)
class Disagreement:
    """One item and what its annotators said (for calibration)."""

    item: str
    disagreement: float
    labels: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "disagreement": self.disagreement, "labels": self.labels}


@dataclass(slots=True)
class TaskAgreement:
    task: str
    type: str
    level: str | None
    items: int
    units: int
    annotators: int
    ratings: int
    stats: dict[str, Stat] = field(default_factory=dict)
    classes: list[ClassAgreement] = field(default_factory=list)
    pairs: list[PairAgreement] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    coincidence: list[list[float]] | None = None
    disagreements: list[Disagreement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ignored: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def stat(self, name: str, class_: str | None = None) -> Stat | None:
        if class_ is None:
            return self.stats.get(name)
        for c in self.classes:
            if c.id == class_:
                return c.stats.get(name)
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "type": self.type,
            "level": self.level,
            "items": self.items,
            "pairable_items": self.units,
            "annotators": self.annotators,
            "ratings": self.ratings,
            "ignored_values": self.ignored,
            "stats": {k: v.to_dict() for k, v in self.stats.items()},
            "classes": [c.to_dict() for c in self.classes],
            "pairs": [p.to_dict() for p in self.pairs],
            "labels": self.labels,
            "coincidence": self.coincidence,
            "disagreements": [d.to_dict() for d in self.disagreements],
            "notes": self.notes,
        }


@dataclass(frozen=True, slots=True)
class Options:
    bootstrap: int = 0
    seed: int = 0
    confidence: float = 0.95
    weights: S.Weights = None  # weights for ordinal tasks (None: quadratic): family or matrix
    level: S.Level | None = None  # override the level the task implies
    iou: tuple[float, ...] = ()
    top: int = 20
    stats: tuple[str, ...] = ()  # ``--stat``: the coefficients of quality.coefficients to report
    population: float = math.inf  # ``--fpc``: units in the population
    benchmark: str = "landis_koch"


# -- canonical values ----------------------------------------------------------------------------


def label_index(task: ir.Task) -> dict[str, int]:
    """Class id -> index: the comparable form of a label (see :func:`canonical`)."""
    return {cid: i for i, cid in enumerate(tasktypes.of(task).quality_labels(task))}


def canonical(task: ir.Task) -> Callable[[Any], tuple[bool, Any]]:
    """``value -> (readable, comparable)`` for the task type (``MISSING`` = not rated)."""
    return tasktypes.of(task).quality_values(task, MISSING)


# -- measuring -----------------------------------------------------------------------------------


def measure(
    guideline: ir.Guideline,
    annotations: Annotations,
    tasks: Sequence[ir.Task] | None = None,
    options: Options | None = None,
) -> list[TaskAgreement]:
    opts = options or Options()
    out = []
    for task in tasks if tasks is not None else guideline.tasks.values():
        out.append(measure_task(guideline, annotations, task, opts))
    return out


def measure_task(
    guideline: ir.Guideline, annotations: Annotations, task: ir.Task, opts: Options
) -> TaskAgreement:
    m = matrix(guideline, annotations, task, canonical(task))
    present = rated(m)
    ratings = int(present.sum())
    units = int((present.sum(axis=1) >= 2).sum()) if len(m.values) else 0
    result = TaskAgreement(
        task=task.id,
        type=task.type,
        level=None,
        items=len(m.items),
        units=units,
        # the columns are distinct annotators: those with a rating of this task
        annotators=int(present.any(axis=0).sum()) if len(m.values) else 0,
        ratings=ratings,
        ignored=m.ignored,
        diagnostics=m.diagnostics,
    )
    if m.diagnostics:
        result.notes.append(
            f"{len(m.diagnostics)} item(s) were labelled twice by the same annotator; "
            "the later label counts"
        )
    if m.ignored:
        result.notes.append(
            f"{m.ignored} value(s) that are not valid for this task were left out "
            "(run `guidekit validate` for details)"
        )
    tt = tasktypes.of(task)
    kind = tt.agreement_kind()
    if kind is None:
        result.notes.append(tt.agreement_unmeasured())
        return result
    if units == 0:
        result.notes.append("no item has ratings from two annotators: nothing to compare")
        return result
    if kind == "labels":
        _classification(result, task, m, opts)
        if opts.stats:
            _coefficients(result, task, m, opts)
    elif kind == "sets":
        _multi(result, task, m, opts)
    elif kind == "numbers":
        _number(result, task, m, opts)
        if opts.stats:
            _coefficients(result, task, m, opts)
    elif kind == "text":
        _text(result, m, opts)
    elif kind == "regions":
        _regions(result, guideline, task, m, opts)
    else:
        raise NotRepresentable(f"agreement of kind '{kind}' ({task.type} tasks) cannot be measured")
    return result


def _interval(
    opts: Options, n_units: int, fn: Callable[[S.Array | None], Any]
) -> tuple[Any, Any, Any]:
    value = fn(None)
    if not opts.bootstrap:
        return value, None, None
    lo, hi = S.bootstrap(
        fn, n_units, samples=opts.bootstrap, seed=opts.seed, confidence=opts.confidence
    )
    return value, lo, hi


def _stats_from(names: Sequence[str], value: Any, lo: Any, hi: Any) -> dict[str, Stat]:
    out = {}
    for i, name in enumerate(names):
        out[name] = Stat.of(
            float(value[i]),
            None if lo is None else float(lo[i]),
            None if hi is None else float(hi[i]),
        )
    return out


def _per_class(
    result: TaskAgreement,
    labels: Sequence[str],
    ratings: S.Array,
    names: Sequence[str],
    value: S.Array,
    lo: S.Array | None,
    hi: S.Array | None,
) -> None:
    """``value[k, c]``: statistic ``names[k]`` of class ``c``."""
    for c, cid in enumerate(labels):
        stats = {}
        for k, name in enumerate(names):
            stats[name] = Stat.of(
                float(value[k, c]),
                None if lo is None else float(lo[k, c]),
                None if hi is None else float(hi[k, c]),
            )
        result.classes.append(ClassAgreement(cid, int(ratings[c]), stats))


def _top_disagreements(
    result: TaskAgreement, m: Matrix, per_unit: S.Array, show: Callable[[Any], Any], top: int
) -> None:
    with np.errstate(invalid="ignore"):
        candidates = np.flatnonzero(per_unit > 0).tolist()  # NaN compares false
    score = np.asarray(per_unit, dtype=np.float64).tolist()
    # the same as sorted(...)[:top] (heapq documents it), without sorting every unit
    order = heapq.nsmallest(top, candidates, key=lambda u: (-score[u], m.items[u]))
    for u in order:
        labels = {
            a: show(v) for a, v in zip(m.annotators, m.values[u], strict=True) if v is not MISSING
        }
        result.disagreements.append(Disagreement(m.items[u], float(per_unit[u]), labels))


def _cohen_weights(task: ir.Task, opts: Options) -> S.Weights:
    if not tasktypes.of(task).agreement_weighted():
        return None
    return opts.weights if opts.weights is not None else "quadratic"


def _classification(result: TaskAgreement, task: ir.Task, m: Matrix, opts: Options) -> None:
    labels = list(label_index(task))
    k = len(labels)
    level: S.Level = opts.level or tasktypes.of(task).agreement_level()  # type: ignore[assignment]
    result.level = level
    result.labels = labels
    cs = codes(m)
    counts = S.value_counts(cs, k)
    values = np.arange(k, dtype=np.float64)
    pairs = S.rater_pairs(cs)
    weights = _cohen_weights(task, opts)

    def overall(w: S.Array | None) -> S.Array:
        kappas = [S.cohen_kappa(cs[:, a], cs[:, b], k, weights, w) for a, b in pairs]
        finite = [x for x in kappas if math.isfinite(x)]
        return np.array(
            [
                S.percent_agreement(counts, w),
                S.alpha(counts, level, values=values, w=w),
                S.fleiss_kappa(counts, w),
                float(np.mean(finite)) if finite else float("nan"),
            ]
        )

    names = ["percent_agreement", "krippendorff_alpha", "fleiss_kappa", "cohen_kappa"]
    result.stats = _stats_from(names, *_interval(opts, len(counts), overall))
    _explain_undefined(result, labels, counts)

    def per_class(w: S.Array | None) -> S.Array:
        kappas = np.array([S.cohen_binary(cs[:, a], cs[:, b], k, w) for a, b in pairs])
        with np.errstate(invalid="ignore"):
            cohen = _nanmean(kappas) if len(pairs) else np.full(k, np.nan)
        return np.stack(
            [
                S.specific_agreement(counts, None, w),
                S.alpha_binary(counts, None, w),
                S.fleiss_binary(counts, None, w),
                cohen,
            ]
        )

    class_names = ["specific_agreement", "krippendorff_alpha", "fleiss_kappa", "cohen_kappa"]
    pairable = counts[counts.sum(axis=1) >= 2].sum(axis=0)
    _per_class(result, labels, pairable, class_names, *_interval(opts, len(counts), per_class))
    result.coincidence = S.coincidences(counts).round(6).tolist()
    for a, b in pairs:
        both = (cs[:, a] >= 0) & (cs[:, b] >= 0)
        kappa = S.cohen_kappa(cs[:, a], cs[:, b], k, weights)
        agree = float((cs[both, a] == cs[both, b]).mean()) if both.any() else float("nan")
        result.pairs.append(
            PairAgreement(
                m.annotators[a],
                m.annotators[b],
                int(both.sum()),
                {"percent_agreement": Stat.of(agree), "cohen_kappa": Stat.of(kappa)},
            )
        )
    if level == "nominal":
        disagreement = 1.0 - S.unit_agreement(counts)
    else:
        # mean distance in ranks between the unit's ratings (0..1), so that low-vs-critical
        # outranks low-vs-medium
        disagreement = _unit_rank_distance(counts)
    _top_disagreements(result, m, disagreement, lambda v: labels[v], opts.top)
    notes = [
        f"Krippendorff's alpha at the {level} level"
        + (" (set with --level)" if opts.level else f" (implied by the {task.type} task)")
    ]
    if level in ("interval", "ratio"):
        coding = ", ".join(f"{cid}={i}" for i, cid in enumerate(labels))
        notes.append(
            f"at the {level} level the classes are coded as the numbers 0..{k - 1} in their "
            f"declared order ({coding}): distances between classes are those of the numbers"
        )
    if weights is not None:
        named = weights if isinstance(weights, str) else "custom (--weights FILE)"
        notes.append(f"Cohen's kappa with {named} weights")
    if len(pairs) > 1:
        notes.append(f"cohen_kappa is the mean over {len(pairs)} annotator pairs (Light's kappa)")
    result.notes.extend(notes)


def _explain_undefined(result: TaskAgreement, labels: Sequence[str], counts: S.Array) -> None:
    """Chance-corrected statistics divide by the expected disagreement; when every pairable
    rating is one class that is 0, and the statistic is undefined (not 0 or 1): say why."""
    pairable = counts[counts.sum(axis=1) >= 2].sum(axis=0)
    used = np.nonzero(pairable)[0]
    if len(used) != 1:
        return
    reason = (
        f"undefined: every rating is '{labels[int(used[0])]}', so no disagreement is expected "
        "by chance and the chance correction divides by 0"
    )
    undefined = []
    for name, stat in result.stats.items():
        if stat.value is None and name != "percent_agreement":
            result.stats[name] = Stat(None, stat.low, stat.high, reason)
            undefined.append(name)
    if undefined:
        result.notes.append(f"{', '.join(undefined)} {reason}")


def _nanmean(a: S.Array) -> S.Array:
    ok = ~np.isnan(a)
    total = ok.sum(axis=0)
    return np.where(total > 0, np.where(ok, a, 0).sum(axis=0) / np.maximum(total, 1), np.nan)


def _unit_rank_distance(counts: S.Array) -> S.Array:
    k = counts.shape[1]
    i = np.arange(k)
    d = np.abs(i[:, None] - i[None, :]) / max(k - 1, 1)
    m = counts.sum(axis=1)
    pair_sum = ((counts @ d) * counts).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(m >= 2, pair_sum / (m * (m - 1)), np.nan)


def _multi(result: TaskAgreement, task: ir.Task, m: Matrix, opts: Options) -> None:
    labels = list(label_index(task))
    k = len(labels)
    result.level = "nominal"
    result.labels = labels
    n_units, n_raters = len(m.items), len(m.annotators)
    # per unit and class: how many annotators gave the class; per unit: how many rated
    bits = np.zeros((n_units, n_raters, k), dtype=np.float64)
    rated = np.zeros((n_units, n_raters), dtype=bool)
    sets: dict[frozenset[int], int] = {}
    set_codes = np.full((n_units, n_raters), -1, dtype=np.int64)
    for u, row in enumerate(m.values):
        for r, v in enumerate(row):
            if v is MISSING:
                continue
            rated[u, r] = True
            for c in v:
                bits[u, r, c] = 1.0
            set_codes[u, r] = sets.setdefault(v, len(sets))
    x = bits.sum(axis=1)
    raters = rated.sum(axis=1).astype(np.float64)
    set_list = list(sets)
    masi = S.masi_distance_matrix(set_list, k)
    pairs = S.rater_pairs(np.where(rated, 0, -1))
    pooled_x = x.reshape(-1, 1)
    pooled_m = np.repeat(raters, k)

    def pair_tables(a: int, b: int, w: S.Array | None) -> tuple[S.Array, S.Array, S.Array, float]:
        both = rated[:, a] & rated[:, b]
        wu = np.ones(n_units) if w is None else w
        wa = wu[both][:, None]
        ba, bb = bits[both, a], bits[both, b]
        tp = (wa * ba * bb).sum(axis=0)
        fn = (wa * ba * (1 - bb)).sum(axis=0)
        fp = (wa * (1 - ba) * bb).sum(axis=0)
        return tp, fn, fp, float(wa.sum())

    def overall(w: S.Array | None) -> S.Array:
        wp = None if w is None else np.repeat(w, k)
        kappas = []
        for a, b in pairs:
            tp, fn, fp, total = pair_tables(a, b, w)
            kappas.append(
                float(
                    S.cohen_binary_counts(
                        np.array([tp.sum()]),
                        np.array([fn.sum()]),
                        np.array([fp.sum()]),
                        total * k,
                    )[0]
                )
            )
        finite = [v for v in kappas if math.isfinite(v)]
        exact = np.zeros((n_units, len(set_list)))
        ok = set_codes >= 0
        np.add.at(exact, (np.nonzero(ok)[0], set_codes[ok]), 1.0)
        sim = _mean_pair_similarity(set_codes, 1.0 - masi, w)
        return np.array(
            [
                S.percent_agreement(exact, w),
                float(S.alpha_binary(pooled_x, pooled_m, wp)[0]),
                float(S.fleiss_binary(pooled_x, pooled_m, wp)[0]),
                float(np.mean(finite)) if finite else float("nan"),
                S.alpha_codes(set_codes, masi, w),
                sim,
            ]
        )

    names = [
        "percent_agreement",
        "krippendorff_alpha",
        "fleiss_kappa",
        "cohen_kappa",
        "masi",
        "masi_similarity",
    ]
    result.stats = _stats_from(names, *_interval(opts, n_units, overall))

    def per_class(w: S.Array | None) -> S.Array:
        kappas = []
        for a, b in pairs:
            tp, fn, fp, total = pair_tables(a, b, w)
            kappas.append(S.cohen_binary_counts(tp, fn, fp, total))
        cohen = _nanmean(np.array(kappas)) if kappas else np.full(k, np.nan)
        return np.stack(
            [
                S.specific_agreement(x, raters, w),
                S.alpha_binary(x, raters, w),
                S.fleiss_binary(x, raters, w),
                cohen,
            ]
        )

    class_names = ["specific_agreement", "krippendorff_alpha", "fleiss_kappa", "cohen_kappa"]
    pairable = x[raters >= 2].sum(axis=0)
    _per_class(result, labels, pairable, class_names, *_interval(opts, n_units, per_class))
    for a, b in pairs:
        both = rated[:, a] & rated[:, b]
        same = float((set_codes[both, a] == set_codes[both, b]).mean())
        result.pairs.append(
            PairAgreement(
                m.annotators[a],
                m.annotators[b],
                int(both.sum()),
                {"percent_agreement": Stat.of(same)},
            )
        )
    per_unit = _unit_mean_distance(set_codes, masi)
    _top_disagreements(result, m, per_unit, lambda v: sorted(labels[c] for c in v), opts.top)
    result.notes.append(
        "alpha, Fleiss and Cohen pool the item x class yes/no decisions; `masi` is "
        "Krippendorff's alpha with the MASI distance between label sets"
    )


def _pair_values(set_codes: S.IntArray, sim: S.Array) -> tuple[S.Array, S.Array]:
    """Per unit: the sum of ``sim`` over rater pairs and the number of pairs."""
    n_units, n_raters = set_codes.shape
    total = np.zeros(n_units)
    count = np.zeros(n_units)
    for i in range(n_raters):
        for j in range(i + 1, n_raters):
            both = (set_codes[:, i] >= 0) & (set_codes[:, j] >= 0)
            total[both] += sim[set_codes[both, i], set_codes[both, j]]
            count[both] += 1
    return total, count


def _mean_pair_similarity(set_codes: S.IntArray, sim: S.Array, w: S.Array | None) -> float:
    total, count = _pair_values(set_codes, sim)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_unit = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return S.weighted_mean(per_unit, w)


def _unit_mean_distance(set_codes: S.IntArray, dist: S.Array) -> S.Array:
    total, count = _pair_values(set_codes, dist)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _number(result: TaskAgreement, task: ir.Task, m: Matrix, opts: Options) -> None:
    result.level = opts.level or tasktypes.of(task).agreement_level()
    x = numbers(m)
    present = ~np.isnan(x)
    n_units = len(x)

    def per_unit_pairs(w: S.Array | None) -> tuple[float, float]:
        same = np.zeros(n_units)
        diff = np.zeros(n_units)
        count = np.zeros(n_units)
        for i in range(x.shape[1]):
            for j in range(i + 1, x.shape[1]):
                both = present[:, i] & present[:, j]
                same[both] += x[both, i] == x[both, j]
                diff[both] += np.abs(x[both, i] - x[both, j])
                count[both] += 1
        with np.errstate(invalid="ignore", divide="ignore"):
            agree = np.where(count > 0, same / np.maximum(count, 1), np.nan)
            mad = np.where(count > 0, diff / np.maximum(count, 1), np.nan)
        return S.weighted_mean(agree, w), S.weighted_mean(mad, w)

    def overall(w: S.Array | None) -> S.Array:
        if result.level == "interval":
            a = S.alpha_interval(x, w)
        else:
            domain = np.unique(x[present])
            idx = np.where(present, np.searchsorted(domain, np.where(present, x, 0)), -1)
            a = S.alpha(S.value_counts(idx, len(domain)), result.level, values=domain, w=w)  # type: ignore[arg-type]
        agree, mad = per_unit_pairs(w)
        return np.array([agree, a, mad])

    names = ["percent_agreement", "krippendorff_alpha", "mean_abs_difference"]
    result.stats = _stats_from(names, *_interval(opts, n_units, overall))
    spread = np.where(present.sum(axis=1) >= 2, np.nanmax(x, axis=1) - np.nanmin(x, axis=1), np.nan)
    _top_disagreements(result, m, spread, lambda v: v, opts.top)
    result.notes.append(
        f"Krippendorff's alpha at the {result.level} level"
        + (" (set with --level)" if opts.level else f" (implied by the {task.type} task)")
    )


def _text(result: TaskAgreement, m: Matrix, opts: Options) -> None:
    index: dict[str, int] = {}
    cs = np.full((len(m.items), len(m.annotators)), -1, dtype=np.int64)
    for u, row in enumerate(m.values):
        for r, v in enumerate(row):
            if v is not MISSING:
                cs[u, r] = index.setdefault(v, len(index))
    counts = np.zeros((len(m.items), len(index)))
    ok = cs >= 0
    np.add.at(counts, (np.nonzero(ok)[0], cs[ok]), 1.0)
    value, lo, hi = _interval(opts, len(counts), lambda w: S.percent_agreement(counts, w))
    result.stats = {"percent_agreement": Stat.of(value, lo, hi)}
    _top_disagreements(result, m, 1.0 - S.unit_agreement(counts), lambda v: v, opts.top)
    result.notes.append("text answers agree when equal after case folding and collapsing spaces")


def thresholds(guideline: ir.Guideline, task: ir.Task, opts: Options) -> tuple[float, ...]:
    """IoU thresholds: given on the command line, else those the acceptance criteria declare,
    else 0.5."""
    if opts.iou:
        return tuple(sorted(set(opts.iou)))
    declared = {
        a.iou for a in guideline.acceptance.agreement if a.task == task.id and a.iou is not None
    }
    return tuple(sorted(declared)) or (0.5,)


def _regions(
    result: TaskAgreement, guideline: ir.Guideline, task: ir.Task, m: Matrix, opts: Options
) -> None:
    tt = tasktypes.of(task)
    labels = tt.quality_labels(task)
    index = {cid: i for i, cid in enumerate(labels)}
    result.labels = labels
    modes = tt.agreement_matches(thresholds(guideline, task, opts))
    n_units, k = len(m.items), len(labels)
    tables = np.zeros((len(modes), n_units, k, 3))
    pair_tables: dict[tuple[int, int], S.Array] = {}
    for u, row in enumerate(m.values):
        present = [(r, v) for r, v in enumerate(row) if v is not MISSING]
        for i in range(len(present)):
            for j in range(i + 1, len(present)):
                (ra, va), (rb, vb) = present[i], present[j]
                table = pair_tables.setdefault((ra, rb), np.zeros((len(modes), 4)))
                table[:, 3] += 1
                for mi, mode in enumerate(modes):
                    c = R.count(mode, va, vb, index)
                    tables[mi, u] += c
                    table[mi, :3] += c.sum(axis=0)

    def overall(w: S.Array | None) -> S.Array:
        wt = np.ones(n_units) if w is None else w
        sums = (tables * wt[None, :, None, None]).sum(axis=1)  # modes x classes x 3
        task_level = R.f1(sums.sum(axis=1))
        return np.concatenate([task_level, R.f1(sums).reshape(-1)])

    value, lo, hi = _interval(opts, n_units, overall)
    names = [mode.name for mode in modes]
    result.stats = _stats_from(
        names, value[: len(modes)], *(None if a is None else a[: len(modes)] for a in (lo, hi))
    )
    rest = value[len(modes) :].reshape(len(modes), k)
    rlo = None if lo is None else lo[len(modes) :].reshape(len(modes), k)
    rhi = None if hi is None else hi[len(modes) :].reshape(len(modes), k)
    ratings = np.zeros(k)
    for row in m.values:
        for v in row:
            if v is not MISSING:
                for r in v:
                    ratings[index[r.label]] += 1
    _per_class(result, labels, ratings, names, rest, rlo, rhi)
    for (a, b), table in sorted(pair_tables.items()):
        result.pairs.append(
            PairAgreement(
                m.annotators[a],
                m.annotators[b],
                int(table[0, 3]),
                {name: Stat.of(float(R.f1(table[mi, :3]))) for mi, name in enumerate(names)},
            )
        )
    per_unit = 1.0 - R.f1(tables[0].sum(axis=1))
    _top_disagreements(
        result,
        m,
        per_unit,
        lambda v: [{"label": r.label, "at": list(r.shape)} for r in v],
        opts.top,
    )
    pairs = [
        (row[i], row[j])
        for row in m.values
        for i in range(len(row))
        for j in range(i + 1, len(row))
        if row[i] is not MISSING and row[j] is not MISSING
    ]
    for name, extra in tt.agreement_extras(
        task, pairs, [mode.iou or 0.5 for mode in modes]
    ).items():
        result.stats[name] = Stat.of(extra)
    note = tt.agreement_note()
    if note:
        result.notes.append(note)


# -- the chance-corrected family with analytic inference (``--stat``) ----------------------------

#: ``--stat`` names of the ICC: the form in parentheses, ``icc`` alone is ICC(A,1).
ICC_STATS = {"icc": "A,1", **{f"icc({f})": f for f in C.ICC_FORMS}}
#: Every name ``--stat`` accepts.
STAT_NAMES = (*C.COEFFICIENTS, "gwet_ac2", *ICC_STATS)


def _coefficients(result: TaskAgreement, task: ir.Task, m: Matrix, opts: Options) -> None:
    """Replace the default statistics with those of ``--stat``, each with Gwet's analytic
    standard error, t interval and p-value (and the bootstrap interval when asked for)."""
    tt = tasktypes.of(task)
    x: S.Array | None = None
    if tt.agreement_kind() == "labels":
        cs = codes(m)
        values = np.arange(1.0, len(result.labels) + 1, dtype=np.float64)
        weighted = tt.agreement_weighted()
        domain = "the class ranks 1..k in their declared order"
    else:
        x = numbers(m)
        present = ~np.isnan(x)
        values = np.unique(x[present])
        cs = np.where(present, np.searchsorted(values, np.where(present, x, 0)), -1).astype(
            np.int64
        )
        weighted = True
        domain = "the distinct numbers given"
    W, family = _agreement_weights(opts, weighted, values)
    rated = int((cs >= 0).any(axis=1).sum())
    population = opts.population
    if population < rated:
        result.notes.append(
            f"--fpc {population:g} is below the {rated} items rated here: "
            "no finite-population correction"
        )
        population = math.inf
    out: dict[str, Stat] = {}
    for name in opts.stats:
        if name in ICC_STATS:
            if x is not None:
                out["icc"] = _icc_stat(result, x, ICC_STATS[name], opts)
            continue
        key = "gwet_ac1" if name == "gwet_ac2" else name
        fn = C.FUNCTIONS[key]
        if W is None:
            out[name] = Stat(None, reason=family)
            continue
        try:
            est = fn(cs, W, population=population, confidence=opts.confidence)
        except C.Undefined as e:
            out[name if key != "gwet_ac1" else _gwet_name(W)] = Stat(None, reason=f"undefined: {e}")
            continue
        extra: dict[str, Any] = {
            "weights": family,
            "pa": est.pa,
            "pe": est.pe,
            "units": est.units,
            "interval": "t",
            "benchmark": C.benchmark(est.value, est.se, opts.benchmark),
        }
        if opts.bootstrap:
            extra["bootstrap_ci"] = _bootstrap_codes(fn, cs, W, opts)
        out[est.name] = Stat(
            _finite(est.value),
            _finite(est.low),
            _finite(est.high),
            se=_finite(est.se),
            p_value=_finite(est.p_value),
            extra=extra,
        )
    result.stats = out
    result.notes.append(
        "--stat: standard errors, intervals (Student's t, n-1 degrees of freedom, upper bound "
        "capped at 1) and p-values as Gwet (2014) defines them"
        + (
            f", finite-population correction for {population:g} items"
            if population < math.inf
            else ""
        )
        + f"; {family} weights over {domain}; benchmark: {opts.benchmark.replace('_', '-')}"
    )


def _gwet_name(W: S.Array) -> str:
    return "gwet_ac1" if np.array_equal(W, np.eye(len(W))) else "gwet_ac2"


def _finite(v: float) -> float | None:
    return float(v) if math.isfinite(v) else None


def _agreement_weights(
    opts: Options, weighted: bool, values: S.Array
) -> tuple[S.Array | None, str]:
    """Gwet's agreement weights for the task (identity where the values have no order);
    ``(None, reason)`` when a custom matrix does not fit."""
    if not weighted:
        return np.eye(len(values)), "identity"
    if opts.weights is None:
        return C.agreement_weights("quadratic", values), "quadratic"
    if isinstance(opts.weights, str):
        try:
            return C.agreement_weights(opts.weights, values), opts.weights
        except C.Undefined as e:
            return None, f"undefined: {e}"
    matrix = np.asarray(opts.weights, dtype=np.float64)
    if matrix.shape != (len(values), len(values)):
        return None, (
            f"the custom weights are {matrix.shape[0]}x{matrix.shape[1]}, this task has "
            f"{len(values)} values"
        )
    return matrix, "custom"


def _bootstrap_codes(
    fn: Callable[..., C.Estimate], cs: S.IntArray, W: S.Array, opts: Options
) -> list[float | None]:
    rng = np.random.default_rng(opts.seed)
    n = len(cs)
    draws = []
    for _ in range(opts.bootstrap):
        try:
            draws.append(fn(cs[rng.integers(0, n, n)], W).value)
        except C.Undefined:
            draws.append(float("nan"))
    tail = (1 - opts.confidence) / 2 * 100
    ok = np.array(draws)[~np.isnan(draws)]
    if not len(ok):
        return [None, None]
    lo, hi = np.percentile(ok, [tail, 100 - tail])
    return [float(lo), float(hi)]


def _icc_stat(result: TaskAgreement, x: S.Array, form: str, opts: Options) -> Stat:
    try:
        est = C.icc(x, form, confidence=opts.confidence)
    except C.Undefined as e:
        return Stat(None, reason=f"undefined: {e}", extra={"form": form})
    dropped = int((~np.isnan(x)).any(axis=1).sum()) - est.units
    if dropped:
        result.notes.append(
            f"the ICC uses the {est.units} items every annotator rated ({dropped} left out)"
        )
    return Stat(
        _finite(est.value),
        _finite(est.low),
        _finite(est.high),
        p_value=_finite(est.p_value),
        extra={
            "form": form,
            "f": est.f,
            "df": [est.df1, est.df2],
            "units": est.units,
            "interval": "F (McGraw & Wong 1996)",
            "benchmark": C.benchmark(est.value, 0.0, opts.benchmark),
        },
    )
