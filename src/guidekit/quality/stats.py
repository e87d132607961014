"""Agreement statistics on rating matrices, vectorised with numpy.

The input of most functions is a *value-count matrix* ``C`` of shape ``(units, values)``:
``C[u, v]`` is how many annotators gave value ``v`` to unit ``u``. Missing ratings are simply
not counted, so units may have any number of ratings; units with fewer than two are not
pairable and drop out, as in Krippendorff's definition. Every function takes optional unit
weights ``w`` (how often each unit counts), which is how the bootstrap resamples units without
copying data.

Definitions follow the reference implementations the test suite compares against to 1e-9:
the ``krippendorff`` package (alpha), statsmodels' ``fleiss_kappa`` and scikit-learn's
``cohen_kappa_score``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Level = Literal["nominal", "ordinal", "interval", "ratio"]
#: Cohen's kappa weights: a family of :mod:`guidekit.quality.coefficients` (``linear``,
#: ``quadratic``, ``ordinal``, ...), a square matrix of *agreement* weights, or ``None``.
Weights = str | NDArray[np.float64] | None
Array = NDArray[np.float64]
IntArray = NDArray[np.int64]


def value_counts(codes: IntArray, n_values: int) -> Array:
    """``(units, raters)`` integer codes (``-1`` = missing) -> ``(units, values)`` counts."""
    codes = np.asarray(codes, dtype=np.int64)
    n_units = codes.shape[0]
    rows, cols = np.nonzero(codes >= 0)
    flat = rows * n_values + codes[rows, cols]
    counts = np.bincount(flat, minlength=n_units * n_values)
    return counts.reshape(n_units, n_values).astype(np.float64)


def _unit_weights(n_units: int, w: Array | None) -> Array:
    return np.ones(n_units) if w is None else np.asarray(w, dtype=np.float64)


def coincidences(counts: Array, w: Array | None = None) -> Array:
    """Krippendorff's coincidence matrix ``o`` (values x values)."""
    m = counts.sum(axis=1)
    keep = m >= 2
    c = counts[keep]
    f = _unit_weights(len(counts), w)[keep] / (m[keep] - 1)
    cf = c * f[:, None]
    o: Array = cf.T @ c
    o[np.diag_indices_from(o)] -= cf.sum(axis=0)
    return o


def distances(level: Level, n_v: Array, values: Array | None = None) -> Array:
    """The distance matrix of a level of measurement over an ordered value domain.

    ``n_v`` are the pairable counts of each value (the ordinal metric depends on them);
    ``values`` are the numeric values of the domain (interval and ratio levels).
    """
    k = len(n_v)
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "ordinal":
        cum = np.concatenate(([0.0], np.cumsum(n_v)))
        i = np.arange(k)
        lo, hi = np.minimum.outer(i, i), np.maximum.outer(i, i)
        between = cum[hi + 1] - cum[lo]
        squared: Array = (between - (n_v[:, None] + n_v[None, :]) / 2.0) ** 2
        return squared
    if values is None:
        values = np.arange(k, dtype=np.float64)
    v1, v2 = values[:, None], values[None, :]
    if level == "interval":
        return (v1 - v2) ** 2
    if level == "ratio":
        total = v1 + v2
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(total != 0, ((v1 - v2) / np.where(total != 0, total, 1)) ** 2, 0.0)
    raise ValueError(f"unknown level of measurement {level!r}")


def alpha_from_coincidences(o: Array, d: Array) -> float:
    """Alpha = 1 - D_o / D_e; ``nan`` when there is no variation to disagree about."""
    n_v = o.sum(axis=0)
    n = n_v.sum()
    if n <= 1:
        return float("nan")
    e = (np.outer(n_v, n_v) - np.diag(n_v)) / (n - 1)
    expected = float((e * d).sum())
    if expected == 0:
        return float("nan")
    return 1.0 - float((o * d).sum()) / expected


def alpha(
    counts: Array,
    level: Level = "nominal",
    *,
    values: Array | None = None,
    w: Array | None = None,
) -> float:
    """Krippendorff's alpha from value counts over an ordered domain (see module doc)."""
    o = coincidences(counts, w)
    return alpha_from_coincidences(o, distances(level, o.sum(axis=0), values))


def alpha_interval(ratings: Array, w: Array | None = None) -> float:
    """Interval alpha straight from numbers: ``(units, raters)`` floats with ``nan`` missing.

    Needs no value domain, so it stays linear in the data when every value is distinct.
    """
    x = np.asarray(ratings, dtype=np.float64)
    present = ~np.isnan(x)
    m = present.sum(axis=1).astype(np.float64)
    keep = m >= 2
    x, present, m = x[keep], present[keep], m[keep]
    wu = _unit_weights(len(keep), w)[keep]
    if not len(m):
        return float("nan")
    centre = np.nanmean(x)
    v = np.where(present, x - centre, 0.0)
    s1, s2 = v.sum(axis=1), (v * v).sum(axis=1)
    observed = float((wu * 2.0 * (m * s2 - s1 * s1) / (m - 1)).sum())
    n = float((wu * m).sum())
    t1, t2 = float((wu * s1).sum()), float((wu * s2).sum())
    expected = 2.0 * (n * t2 - t1 * t1) / (n - 1)
    if expected <= 0:
        return float("nan")
    return 1.0 - observed / expected


def _binary_inputs(x: Array, m: Array | None, w: Array | None) -> tuple[Array, Array, Array]:
    if m is None:
        m = x.sum(axis=1)
    keep = m >= 2
    return x[keep], m[keep], _unit_weights(len(keep), w)[keep]


def alpha_binary(x: Array, m: Array | None = None, w: Array | None = None) -> Array:
    """Nominal alpha of each value against the rest (one-vs-rest), for every value at once.

    ``x[u, k]`` counts the annotators who gave value ``k`` to unit ``u`` and ``m[u]`` the
    annotators who rated the unit (default: the row sums, for single-label data; multi-label
    data passes its own, since one annotator may give several values)."""
    x, m, wu = _binary_inputs(x, m, w)
    f = wu / (m - 1)
    o01 = (f[:, None] * x * (m[:, None] - x)).sum(axis=0)
    n = float((wu * m).sum())
    n1 = (wu[:, None] * x).sum(axis=0)
    n0 = n - n1
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1.0 - (n - 1) * o01 / (n0 * n1)
    return np.where((n0 > 0) & (n1 > 0), out, np.nan)


def specific_agreement(x: Array, m: Array | None = None, w: Array | None = None) -> Array:
    """Per value: of all pairable ratings with this value, the share matched by another
    annotator's same value on the unit (positive specific agreement, ``o_vv / n_v``)."""
    x, m, wu = _binary_inputs(x, m, w)
    f = wu / (m - 1)
    agree = (f[:, None] * x * (x - 1)).sum(axis=0)
    n1 = (wu[:, None] * x).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n1 > 0, agree / np.where(n1 > 0, n1, 1), np.nan)


def unit_agreement(counts: Array) -> Array:
    """Per unit, the share of annotator pairs that agree (``nan`` below two ratings)."""
    m = counts.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(m >= 2, ((counts * counts).sum(axis=1) - m) / (m * (m - 1)), np.nan)


def weighted_mean(per_unit: Array, w: Array | None = None) -> float:
    """Mean of the defined (non-nan) unit values, weighted."""
    ok = ~np.isnan(per_unit)
    wu = _unit_weights(len(per_unit), w)[ok]
    total = wu.sum()
    return float((wu * per_unit[ok]).sum() / total) if total > 0 else float("nan")


def percent_agreement(counts: Array, w: Array | None = None) -> float:
    """Mean over pairable units of the share of annotator pairs that agree."""
    return weighted_mean(unit_agreement(counts), w)


def fleiss_kappa(counts: Array, w: Array | None = None) -> float:
    """Fleiss' kappa. With the same number of ratings on every unit this is Fleiss (1971)
    exactly; with missing ratings each unit's agreement uses its own count and the category
    shares are pooled over all pairable ratings (units with fewer than two ratings drop out)."""
    m = counts.sum(axis=1)
    keep = m >= 2
    x, m = counts[keep], m[keep]
    if not len(m):
        return float("nan")
    wu = _unit_weights(len(keep), w)[keep]
    per_unit = ((x * x).sum(axis=1) - m) / (m * (m - 1))
    p_bar = float((wu * per_unit).sum() / wu.sum())
    p_cat = (wu[:, None] * x).sum(axis=0) / float((wu * m).sum())
    p_exp = float((p_cat * p_cat).sum())
    if p_exp >= 1:
        return float("nan")
    return (p_bar - p_exp) / (1 - p_exp)


def fleiss_binary(x: Array, m: Array | None = None, w: Array | None = None) -> Array:
    """Fleiss' kappa of each value against the rest, for every value at once."""
    x, m, wu = _binary_inputs(x, m, w)
    if not len(m):
        return np.full(x.shape[1], np.nan)
    per_unit = (x * x + (m[:, None] - x) ** 2 - m[:, None]) / (m * (m - 1))[:, None]
    p_bar = (wu[:, None] * per_unit).sum(axis=0) / wu.sum()
    p = (wu[:, None] * x).sum(axis=0) / float((wu * m).sum())
    p_exp = p * p + (1 - p) * (1 - p)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p_exp < 1, (p_bar - p_exp) / (1 - p_exp), np.nan)


def weight_matrix(n_values: int, weights: Weights) -> Array:
    """*Disagreement* weights over value codes: 0/1, ``|i-j|``, ``(i-j)^2``, or one minus
    Gwet's agreement weights of another family over the ranks ``1..n`` (or of a matrix)."""
    i = np.arange(n_values)
    if weights is None:
        return 1.0 - np.eye(n_values)
    if not isinstance(weights, str):
        return 1.0 - np.asarray(weights, dtype=np.float64)
    diff = np.abs(i[:, None] - i[None, :]).astype(np.float64)
    if weights == "linear":
        return diff
    if weights == "quadratic":
        out: Array = diff**2
        return out
    from guidekit.quality.coefficients import agreement_weights

    return 1.0 - agreement_weights(weights, np.arange(1.0, n_values + 1, dtype=np.float64))


def confusion(a: IntArray, b: IntArray, n_values: int, w: Array | None = None) -> Array:
    """Confusion matrix of two raters over the units both rated (rows: ``a``)."""
    both = (a >= 0) & (b >= 0)
    wu = _unit_weights(len(a), w)[both]
    flat = a[both] * n_values + b[both]
    counts = np.bincount(flat, weights=wu, minlength=n_values * n_values)  # float: weighted
    return counts.astype(np.float64, copy=False).reshape(n_values, n_values)


def cohen_kappa(
    a: IntArray, b: IntArray, n_values: int, weights: Weights = None, w: Array | None = None
) -> float:
    """Cohen's kappa of two raters (weighted for ordinal values), over units both rated."""
    conf = confusion(a, b, n_values, w)
    return cohen_from_confusion(conf, weights)


def cohen_from_confusion(conf: Array, weights: Weights = None) -> float:
    total = conf.sum()
    if total == 0:
        return float("nan")
    expected = np.outer(conf.sum(axis=1), conf.sum(axis=0)) / total
    wm = weight_matrix(len(conf), weights)
    denom = float((wm * expected).sum())
    if denom == 0:
        return float("nan")
    return 1.0 - float((wm * conf).sum()) / denom


def rater_pairs(codes: IntArray, min_shared: int = 1) -> list[tuple[int, int]]:
    """Pairs of raters (columns) who rated at least ``min_shared`` units in common."""
    present = (codes >= 0).astype(np.float64)
    shared = present.T @ present
    m = codes.shape[1]
    return [(i, j) for i in range(m) for j in range(i + 1, m) if shared[i, j] >= min_shared]


def cohen_binary(a: IntArray, b: IntArray, n_values: int, w: Array | None = None) -> Array:
    """Cohen's kappa of each value against the rest (two raters), for every value at once."""
    conf = confusion(a, b, n_values, w)
    rows, cols, diag = conf.sum(axis=1), conf.sum(axis=0), np.diag(conf)
    return cohen_binary_counts(diag, rows - diag, cols - diag, conf.sum())


def cohen_binary_counts(tp: Array, fn: Array, fp: Array, total: float | Array) -> Array:
    """Cohen's kappa of 2x2 tables given per value: both say yes (``tp``), only the first
    (``fn``), only the second (``fp``), out of ``total`` units."""
    total = np.asarray(total, dtype=np.float64)
    tn = total - tp - fn - fp
    rows, cols = tp + fn, tp + fp
    with np.errstate(divide="ignore", invalid="ignore"):
        po = (tp + tn) / total
        pe = (rows * cols + (total - rows) * (total - cols)) / (total * total)
        return np.where((total > 0) & (pe < 1), (po - pe) / (1 - pe), np.nan)


def masi_distance_matrix(sets: Sequence[frozenset[int]], n_values: int) -> Array:
    """MASI distance (Passonneau 2006) between every pair of label sets:
    ``1 - jaccard * monotonicity`` with monotonicity 1 (equal), 2/3 (one contains the other),
    1/3 (they overlap) or 0 (disjoint). Two empty sets are equal (distance 0)."""
    k = len(sets)
    bits = np.zeros((k, n_values), dtype=np.float64)
    for i, s in enumerate(sets):
        if s:
            bits[i, list(s)] = 1.0
    inter = bits @ bits.T
    size = bits.sum(axis=1)
    union = size[:, None] + size[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(union > 0, inter / np.where(union > 0, union, 1), 1.0)
    equal = (inter == size[:, None]) & (inter == size[None, :])
    subset = (inter == size[:, None]) | (inter == size[None, :])
    mono = np.where(equal, 1.0, np.where(subset, 2 / 3, np.where(inter > 0, 1 / 3, 0.0)))
    distance: Array = 1.0 - jaccard * mono
    return distance


def alpha_codes(codes: IntArray, d: Array, w: Array | None = None) -> float:
    """Alpha with any distance ``d`` between value codes, without a units x values matrix:
    ``codes`` is ``(units, raters)`` (``-1`` missing). Linear in the data for any number of
    distinct values (used for label sets under the MASI distance)."""
    codes = np.asarray(codes, dtype=np.int64)
    present = codes >= 0
    m = present.sum(axis=1).astype(np.float64)
    keep = m >= 2
    codes, present, m = codes[keep], present[keep], m[keep]
    wu = _unit_weights(len(keep), w)[keep]
    f = wu / np.maximum(m - 1, 1)
    observed = 0.0
    raters = codes.shape[1]
    for i in range(raters):
        for j in range(i + 1, raters):
            both = present[:, i] & present[:, j]
            observed += 2.0 * float((f[both] * d[codes[both, i], codes[both, j]]).sum())
    n_k = np.bincount(
        codes[present],
        weights=np.broadcast_to(wu[:, None], codes.shape)[present],
        minlength=len(d),
    )
    n = float(n_k.sum())
    if n <= 1:
        return float("nan")
    expected = float(n_k @ d @ n_k) / (n - 1)
    if expected == 0:
        return float("nan")
    return 1.0 - observed / expected


def bootstrap(
    statistic: Callable[[Array], float | Array],
    n_units: int,
    *,
    samples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> tuple[Array, Array]:
    """Percentile bootstrap over units: ``statistic(w)`` gets unit weights (how often each unit
    was drawn) and returns a scalar or an array. Returns the lower and upper bounds."""
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(samples):
        w = np.bincount(rng.integers(0, n_units, n_units), minlength=n_units).astype(np.float64)
        draws.append(np.asarray(statistic(w), dtype=np.float64))
    stack = np.stack(draws)
    tail = (1 - confidence) / 2 * 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-nan columns stay nan
        lo = np.nanpercentile(stack, tail, axis=0)
        hi = np.nanpercentile(stack, 100 - tail, axis=0)
    return lo, hi
