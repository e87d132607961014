"""The chance-corrected agreement family with Gwet's analytic inference.

Every coefficient here is ``(p_a - p_e) / (1 - p_e)`` over agreement *weights* ``W``
(``W[k, l]`` in 0..1, 1 on the diagonal) and differs only in the chance agreement ``p_e``.
Formulas, variances and the finite-population correction follow K. L. Gwet, *Handbook of
Inter-Rater Reliability*, 4th ed. (2014), chapters 2-5, as implemented by Gwet's own
``irrCAC`` (R) and its Python port ``irrCAC`` 0.4.4 (``irrCAC.raw.CAC``), which the tests
reproduce to 1e-12. The input is ``codes``: ``(units, raters)`` integer category indices with
``-1`` for a missing rating; ``categories`` are the numeric values of the categories (the
weights of the ordered families depend on them).

The variance is the linearised (jackknife-like) estimator of Gwet (2008, *Br. J. Math. Stat.
Psychol.* 61:29-48): ``var = (1 - f) / (n (n - 1)) * sum_i (k*_i - k)^2`` with ``f = n / N``
the sampling fraction (``N`` the number of units in the population, infinite by default).
Confidence intervals and p-values use Student's t with ``n - 1`` degrees of freedom; the upper
bound is capped at 1.

Intraclass correlations (number tasks) follow McGraw & Wong (1996), *Psychological Methods*
1:30-46, with their F-based intervals; the values match ``pingouin.intraclass_corr``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from guidekit.quality import _distributions as D

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]

WEIGHT_FAMILIES = (
    "identity",
    "linear",
    "quadratic",
    "ordinal",
    "radical",
    "ratio",
    "circular",
    "bipolar",
)
WeightFamily = Literal[
    "identity", "linear", "quadratic", "ordinal", "radical", "ratio", "circular", "bipolar"
]

#: The chance-corrected coefficients of this module, by their stable JSON name.
COEFFICIENTS = (
    "percent_agreement",
    "cohen_kappa",
    "conger_kappa",
    "fleiss_kappa",
    "scott_pi",
    "brennan_prediger",
    "gwet_ac1",
    "krippendorff_alpha",
)
ICC_FORMS = ("1,1", "A,1", "C,1", "1,k", "A,k", "C,k")


class Undefined(ValueError):
    """The coefficient does not exist for these data (the message says why)."""


def _float(x: object) -> Array:
    return np.asarray(x, dtype=np.float64)


def agreement_weights(family: str, categories: Array) -> Array:
    """Gwet's agreement weights of a family over the numeric category values (sorted).

    identity: 1 on the diagonal; linear ``1 - |k-l| / (max-min)``; quadratic
    ``1 - ((k-l) / (max-min))^2``; ordinal ``1 - C(|rank k - rank l| + 1, 2) / max``; radical
    ``1 - sqrt|k-l| / sqrt(max-min)``; ratio ``1 - ((k-l)/(k+l))^2 / ((max-min)/(max+min))^2``;
    circular ``1 - sin^2(pi (k-l) / U) / max`` with ``U = max - min + 1``; bipolar
    ``1 - (k-l)^2 / ((k+l-2 min)(2 max-k-l)) / max`` (Gwet 2014, section 3.5)."""
    c = np.asarray(categories, dtype=np.float64)
    q = len(c)
    if family == "identity" or q < 2:
        return np.eye(q)
    lo, hi = float(c.min()), float(c.max())
    d = c[:, None] - c[None, :]
    if family == "linear":
        return _float(1.0 - np.abs(d) / abs(hi - lo))
    if family == "quadratic":
        out: Array = 1.0 - (d / (hi - lo)) ** 2
        return out
    if family == "radical":
        return _float(1.0 - np.sqrt(np.abs(d)) / math.sqrt(abs(hi - lo)))
    if family == "ordinal":
        i = np.arange(q)
        nkl = np.abs(i[:, None] - i[None, :]) + 1.0
        w = nkl * (nkl - 1) / 2
        return _float(1.0 - w / w.max())
    if family == "ratio":
        if (c == 0).any():
            raise Undefined("ratio weights need categories other than 0 (k + l divides)")
        s = c[:, None] + c[None, :]
        return _float(1.0 - (d / s) ** 2 / ((hi - lo) / (hi + lo)) ** 2)
    if family == "circular":
        w = np.sin(np.pi * d / (hi - lo + 1)) ** 2
        return _float(1.0 - w / w.max())
    if family == "bipolar":
        s = c[:, None] + c[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(np.eye(q, dtype=bool), 0.0, d**2 / ((s - 2 * lo) * (2 * hi - s)))
        return _float(1.0 - w / w.max())
    raise ValueError(f"unknown weights {family!r}; one of {', '.join(WEIGHT_FAMILIES)}")


@dataclass(frozen=True, slots=True)
class Estimate:
    """A coefficient with its analytic inference (Gwet 2014)."""

    name: str
    value: float
    pa: float
    pe: float
    se: float
    low: float
    high: float
    p_value: float
    units: int

    @property
    def z(self) -> float:
        return self.value / self.se if self.se > 0 else math.inf


def _t_inference(
    name: str, value: float, pa: float, pe: float, var: float, n: int, confidence: float
) -> Estimate:
    se = math.sqrt(max(var, 0.0))
    df = max(n - 1, 1)
    if se > 0:
        p = 2 * D.t_sf(abs(value / se), df)
        half = D.t_ppf(0.5 + confidence / 2, df) * se
    else:
        p, half = (0.0 if value != 0 else 1.0), 0.0
    return Estimate(name, value, pa, pe, se, value - half, min(1.0, value + half), p, n)


@dataclass(frozen=True, slots=True)
class _Parts:
    counts: Array  # (n, q) ratings per category, units with no rating dropped
    ri: Array  # ratings per unit
    sum_q: Array  # weighted agreeing pairs per unit
    pa_i: Array  # per-unit agreement (0 for units with one rating)
    n2: int  # units with two ratings or more
    pa: float
    f: float  # sampling fraction n / N


def _parts(codes: IntArray, W: Array, population: float) -> tuple[IntArray, _Parts]:
    codes = np.asarray(codes, dtype=np.int64)
    codes = codes[(codes >= 0).any(axis=1)]
    n, q = len(codes), len(W)
    rows, cols = np.nonzero(codes >= 0)
    counts = (
        np.bincount(rows * q + codes[rows, cols], minlength=n * q).reshape(n, q).astype(np.float64)
    )
    ri = counts.sum(axis=1)
    sum_q = (counts * (counts @ W.T - 1)).sum(axis=1)
    two = ri >= 2
    n2 = int(two.sum())
    if n2 == 0:
        raise Undefined("no unit has two ratings")
    den = ri * (ri - 1)
    pa_i = np.where(two, sum_q / np.where(two, den, 1), 0.0)
    pa = float(pa_i[two].sum() / n2)
    return codes, _Parts(counts, ri, sum_q, pa_i, n2, pa, n / population)


def _kappa_var(p: _Parts, value: float, pe: float, pe_i: Array | None) -> float:
    n = len(p.ri)
    if n < 2:
        return math.nan
    k_i = (n / p.n2) * (p.pa_i - pe * (p.ri >= 2)) / (1 - pe)
    if pe_i is not None:
        k_i = k_i - 2 * (1 - value) * (pe_i - pe) / (1 - pe)
    return float((1 - p.f) / (n * (n - 1)) * ((k_i - value) ** 2).sum())


def _finish(name: str, p: _Parts, pe: float, pe_i: Array | None, confidence: float) -> Estimate:
    if pe >= 1:
        raise Undefined(
            "every rating is in one category, so agreement by chance is certain and the "
            "chance correction divides by 0"
        )
    value = (p.pa - pe) / (1 - pe)
    return _t_inference(
        name, value, p.pa, pe, _kappa_var(p, value, pe, pe_i), len(p.ri), confidence
    )


def percent_agreement(
    codes: IntArray, W: Array, *, population: float = math.inf, confidence: float = 0.95
) -> Estimate:
    """Weighted percent agreement ``p_a`` (Gwet 2014, eq. 2.5.x); its variance is that of
    Brennan-Prediger with ``p_e = 0``."""
    _, p = _parts(codes, W, population)
    n = len(p.ri)
    var = math.nan if n < 2 else _kappa_var(p, p.pa, 0.0, None)
    return _t_inference("percent_agreement", p.pa, p.pa, 0.0, var, n, confidence)


def brennan_prediger(
    codes: IntArray, W: Array, *, population: float = math.inf, confidence: float = 0.95
) -> Estimate:
    """Brennan & Prediger (1981) / Bennett's S: ``p_e = sum(W) / q^2``."""
    _, p = _parts(codes, W, population)
    q = len(W)
    pe = float(W.sum()) / q**2 if q >= 2 else 1.0
    return _finish("brennan_prediger", p, pe, None, confidence)


def _pi(p: _Parts) -> Array:
    """Category shares averaged over units (Gwet's pi_k)."""
    shares: Array = (p.counts / p.ri[:, None]).mean(axis=0)
    return shares


def fleiss_kappa(
    codes: IntArray,
    W: Array,
    *,
    population: float = math.inf,
    confidence: float = 0.95,
    name: str = "fleiss_kappa",
) -> Estimate:
    """Fleiss' (1971) generalised kappa, weighted as Gwet (2014, ch. 5): ``p_e = sum W pi pi'``."""
    _, p = _parts(codes, W, population)
    pi = _pi(p)
    pe = float((W * np.outer(pi, pi)).sum())
    pi_w = (W @ pi + W.T @ pi) / 2
    return _finish(name, p, pe, p.counts @ pi_w / p.ri, confidence)


def gwet_ac(
    codes: IntArray, W: Array, *, population: float = math.inf, confidence: float = 0.95
) -> Estimate:
    """Gwet's AC1 (identity weights) and AC2 (any other weights):
    ``p_e = sum(W) / (q (q-1)) * sum pi_k (1 - pi_k)`` (Gwet 2008; 2014, ch. 5)."""
    _, p = _parts(codes, W, population)
    q = len(W)
    pi = _pi(p)
    t = float(W.sum()) / (q * (q - 1)) if q >= 2 else 0.0
    pe = t * float((pi * (1 - pi)).sum()) if q >= 2 else 1.0
    name = "gwet_ac1" if np.array_equal(W, np.eye(q)) else "gwet_ac2"
    return _finish(name, p, pe, t * (p.counts @ (1 - pi)) / p.ri, confidence)


def krippendorff_alpha(
    codes: IntArray, W: Array, *, population: float = math.inf, confidence: float = 0.95
) -> Estimate:
    """Krippendorff's alpha in Gwet's agreement form (Gwet 2014, section 5.3): units with
    fewer than two ratings drop out, ``p_a = (1 - 1/n..) p'_a + 1/n..``; its variance is
    the one of ``irrCAC::krippen.alpha.raw``."""
    _, p0 = _parts(codes, W, population)
    two = p0.ri >= 2
    counts, ri, sum_q = p0.counts[two], p0.ri[two], p0.sum_q[two]
    n = len(ri)
    r_bar = float(ri.mean())
    eps = 1.0 / float(ri.sum())
    pa_prime = float((sum_q / (r_bar * (ri - 1))).sum()) / n
    pa = (1 - eps) * pa_prime + eps
    pi = counts.sum(axis=0) / (n * r_bar)
    pe = float((W * np.outer(pi, pi)).sum())
    if pe >= 1:
        raise Undefined(
            "every rating is in one category, so agreement by chance is certain and the "
            "chance correction divides by 0"
        )
    value = (pa - pe) / (1 - pe)
    alpha_prime = (pa_prime - pe) / (1 - pe)
    pa_i = sum_q / (r_bar * (ri - 1)) - pa * (ri - r_bar) / r_bar
    k_i = (pa_i - pe) / (1 - pe)
    pi_w = (W @ pi + W.T @ pi) / 2
    pe_i = counts @ pi_w / r_bar - pe * (ri - r_bar) / r_bar
    k_x = k_i - 2 * (1 - alpha_prime) * (pe_i - pe) / (1 - pe)
    f = p0.f  # the sampling fraction counts every rated unit, as irrCAC does
    var = math.nan if n < 2 else float((1 - f) / (n * (n - 1)) * ((k_x - alpha_prime) ** 2).sum())
    return _t_inference("krippendorff_alpha", value, pa, pe, var, n, confidence)


def conger_kappa(
    codes: IntArray,
    W: Array,
    *,
    population: float = math.inf,
    confidence: float = 0.95,
    name: str = "conger_kappa",
) -> Estimate:
    """Conger's (1980) kappa: ``p_e`` averages the pairwise Cohen chance agreements of the
    raters, ``sum_kl W_kl (pbar_k pbar_l - s2_kl / r)``; with two raters and no missing
    rating it is Cohen's kappa. Variance as ``irrCAC::conger.kappa.raw``."""
    codes, p = _parts(codes, W, population)
    n, r = codes.shape
    q = len(W)
    if r < 2:
        raise Undefined("one rater")
    present = codes >= 0
    classif = np.zeros((r, q))
    for g in range(r):
        classif[g] = np.bincount(codes[present[:, g], g], minlength=q)
    ng = classif.sum(axis=1)
    if (ng == 0).any():
        raise Undefined("a rater gave no rating to the units measured")
    pgk = classif / ng[:, None]
    p_mean = pgk.mean(axis=0)
    s2 = (pgk.T @ pgk - r * np.outer(p_mean, p_mean)) / (r - 1)
    pe = float((W * (np.outer(p_mean, p_mean) - s2 / r)).sum())
    if pe >= 1:
        raise Undefined(
            "every rating is in one category, so agreement by chance is certain and the "
            "chance correction divides by 0"
        )
    value = (p.pa - pe) / (1 - pe)
    # lambda_ig = n/n_g (sum_k B_gk sum_l W_kl delta_igl - (eps_ig - n_g/n) c_g)
    B = r * p_mean[None, :] - pgk  # (r, q)
    M = B @ W  # M[g, l] = sum_k B[g, k] W[k, l]
    c = ((pgk @ W.T) * B).sum(axis=1)  # (r,)
    term1 = np.where(present, M[np.arange(r)[None, :], np.where(present, codes, 0)], 0.0)
    lam = (n / ng)[None, :] * (term1 - (present - ng[None, :] / n) * c[None, :])
    pe_i = lam.sum(axis=1) / (r * (r - 1))
    var = _kappa_var(p, value, pe, pe_i)
    return _t_inference(name, value, p.pa, pe, var, n, confidence)


def cohen_kappa(
    codes: IntArray, W: Array, *, population: float = math.inf, confidence: float = 0.95
) -> Estimate:
    """Cohen's (1960, weighted 1968) kappa of exactly two raters: Conger's kappa of two."""
    if np.asarray(codes).shape[1] != 2:
        raise Undefined(
            f"Cohen's kappa is defined for two raters, these data have "
            f"{np.asarray(codes).shape[1]}: see conger_kappa"
        )
    return conger_kappa(codes, W, population=population, confidence=confidence, name="cohen_kappa")


def scott_pi(
    codes: IntArray, W: Array, *, population: float = math.inf, confidence: float = 0.95
) -> Estimate:
    """Scott's (1955) pi of exactly two raters: Fleiss' kappa of two (Fleiss 1971 generalises
    pi to any number of raters, which is ``fleiss_kappa``)."""
    if np.asarray(codes).shape[1] != 2:
        raise Undefined(
            f"Scott's pi is defined for two raters, these data have "
            f"{np.asarray(codes).shape[1]}: see fleiss_kappa"
        )
    return fleiss_kappa(codes, W, population=population, confidence=confidence, name="scott_pi")


FUNCTIONS = {
    "percent_agreement": percent_agreement,
    "cohen_kappa": cohen_kappa,
    "conger_kappa": conger_kappa,
    "fleiss_kappa": fleiss_kappa,
    "scott_pi": scott_pi,
    "brennan_prediger": brennan_prediger,
    "gwet_ac1": gwet_ac,
    "krippendorff_alpha": krippendorff_alpha,
}


# -- intraclass correlation ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IccEstimate:
    form: str
    value: float
    low: float
    high: float
    f: float
    df1: int
    df2: int
    p_value: float
    units: int


def icc(ratings: Array, form: str, *, confidence: float = 0.95) -> IccEstimate:
    """ICC of McGraw & Wong (1996) from ``(units, raters)`` numbers; units with a missing
    rating drop out (the two-way ANOVA needs complete rows). Forms: ``1,1`` one-way random,
    ``A,1`` two-way absolute agreement, ``C,1`` two-way consistency, and their means of ``k``
    raters ``1,k``, ``A,k``, ``C,k`` (Shrout & Fleiss ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k)."""
    if form not in ICC_FORMS:
        raise ValueError(f"unknown ICC form {form!r}; one of {', '.join(ICC_FORMS)}")
    x = np.asarray(ratings, dtype=np.float64)
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    if n < 2 or k < 2:
        raise Undefined("the ICC needs two units rated by every rater, and two raters")
    grand = x.mean()
    ss_rows = k * float(((x.mean(axis=1) - grand) ** 2).sum())
    ss_cols = n * float(((x.mean(axis=0) - grand) ** 2).sum())
    ss_total = float(((x - grand) ** 2).sum())
    ss_err = ss_total - ss_rows - ss_cols
    msr = ss_rows / (n - 1)
    msc = ss_cols / (k - 1)
    mse = ss_err / ((n - 1) * (k - 1))
    msw = (ss_cols + ss_err) / (n * (k - 1))
    a = 1 - confidence
    if form in ("1,1", "1,k"):
        f = msr / msw
        df1, df2 = n - 1, n * (k - 1)
        fl = f / D.f_ppf(1 - a / 2, df1, df2)
        fu = f * D.f_ppf(1 - a / 2, df2, df1)
        if form == "1,1":
            value = (msr - msw) / (msr + (k - 1) * msw)
            lo, hi = (fl - 1) / (fl + k - 1), (fu - 1) / (fu + k - 1)
        else:
            value = (msr - msw) / msr
            lo, hi = 1 - 1 / fl, 1 - 1 / fu
    elif form in ("C,1", "C,k"):
        f = msr / mse
        df1, df2 = n - 1, (n - 1) * (k - 1)
        fl = f / D.f_ppf(1 - a / 2, df1, df2)
        fu = f * D.f_ppf(1 - a / 2, df2, df1)
        if form == "C,1":
            value = (msr - mse) / (msr + (k - 1) * mse)
            lo, hi = (fl - 1) / (fl + k - 1), (fu - 1) / (fu + k - 1)
        else:
            value = (msr - mse) / msr
            lo, hi = 1 - 1 / fl, 1 - 1 / fu
    else:
        f = msr / mse
        df1, df2 = n - 1, (n - 1) * (k - 1)
        value = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
        # McGraw & Wong (1996) approximate degrees of freedom for the absolute forms
        aa = k * value / (n * (1 - value))
        bb = 1 + k * value * (n - 1) / (n * (1 - value))
        v = (aa * msc + bb * mse) ** 2 / (
            (aa * msc) ** 2 / (k - 1) + (bb * mse) ** 2 / ((n - 1) * (k - 1))
        )
        f_hi = D.f_ppf(1 - a / 2, n - 1, v)
        f_lo = D.f_ppf(1 - a / 2, v, n - 1)
        lo = n * (msr - f_hi * mse) / (f_hi * (k * msc + (k * n - k - n) * mse) + n * msr)
        hi = n * (f_lo * msr - mse) / (k * msc + (k * n - k - n) * mse + n * f_lo * msr)
        if form == "A,k":
            value = (msr - mse) / (msr + (msc - mse) / n)
            lo, hi = lo * k / (1 + lo * (k - 1)), hi * k / (1 + hi * (k - 1))
    p = float(D.f_sf(f, df1, df2))
    return IccEstimate(form, float(value), float(lo), float(hi), float(f), df1, df2, p, n)


# -- interpretation --------------------------------------------------------------------------

BENCHMARKS: dict[str, list[tuple[float, str]]] = {
    # lower bound of each band, highest first
    "landis_koch": [
        (0.8, "almost perfect"),
        (0.6, "substantial"),
        (0.4, "moderate"),
        (0.2, "fair"),
        (0.0, "slight"),
        (-1.0, "poor"),
    ],
    "fleiss": [(0.75, "excellent"), (0.4, "intermediate to good"), (-1.0, "poor")],
    "altman": [
        (0.8, "very good"),
        (0.6, "good"),
        (0.4, "moderate"),
        (0.2, "fair"),
        (-1.0, "poor"),
    ],
}


def benchmark(value: float, se: float, scale: str, threshold: float = 0.95) -> dict[str, Any]:
    """The band of ``scale`` the value falls in, and Gwet's (2014, ch. 6) probabilistic
    benchmark: the highest band whose cumulative membership probability reaches
    ``threshold``, the coefficient taken as normal with its standard error and truncated to
    [-1, 1] (as ``irrCAC.benchmark.Benchmark.interpret``)."""
    bands = BENCHMARKS[scale]
    naive = next(label for lo, label in bands if value >= lo)
    out: dict[str, Any] = {"scale": scale, "band": naive}
    if not (se > 0 and math.isfinite(se) and math.isfinite(value)):
        return out
    trunc = D.norm_cdf((value + 1) / se) - D.norm_cdf((value - 1) / se)
    upper, cumulative = 1.0, 0.0
    probs = []
    for lo, _ in bands:
        cumulative += (D.norm_cdf((value - lo) / se) - D.norm_cdf((value - upper) / se)) / trunc
        probs.append(cumulative)
        upper = lo
    out["probabilistic"] = next(
        (label for (_, label), p in zip(bands, probs, strict=True) if p >= threshold),
        bands[-1][1],
    )
    out["cumulative"] = probs
    return out
