"""The few distribution functions the analytic inference needs, without scipy.

Student's t, Fisher's F and the normal distribution through the regularised incomplete beta
function (continued fraction of Lentz, as in Press et al., *Numerical Recipes*, 3rd ed.,
section 6.4); quantiles by bisection to the last bit. The tests compare them with scipy to
1e-12 over the degrees of freedom the coefficients use.
"""

from __future__ import annotations

import math

_TINY = 1e-300


def _betacf(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta ``I_x(a, b)``."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_sf(t: float, df: float) -> float:
    """``P(T > t)`` for Student's t with ``df`` degrees of freedom."""
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return tail if t >= 0 else 1.0 - tail


def t_ppf(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t (``0 < p < 1``)."""
    if p == 0.5:
        return 0.0
    upper = p > 0.5
    target = 2.0 * (1.0 - p if upper else p)  # I_x(df/2, 1/2) at x = df / (df + t^2)
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if mid in (lo, hi):
            break
        if betainc(df / 2.0, 0.5, mid) < target:
            lo = mid
        else:
            hi = mid
    x = (lo + hi) / 2.0
    t = math.sqrt(df * (1.0 - x) / x)
    return t if upper else -t


def f_sf(f: float, d1: float, d2: float) -> float:
    """``P(F > f)`` for Fisher's F with ``(d1, d2)`` degrees of freedom."""
    if f <= 0:
        return 1.0
    return betainc(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f))


def f_ppf(p: float, d1: float, d2: float) -> float:
    """The ``p`` quantile of Fisher's F."""
    target = 1.0 - p  # f_sf(f) = target; f_sf decreases in f, x = d2 / (d2 + d1 f) too
    lo, hi = 0.0, 1.0  # over x: I_x(d2/2, d1/2) increases with x
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if mid in (lo, hi):
            break
        if betainc(d2 / 2.0, d1 / 2.0, mid) < target:
            lo = mid
        else:
            hi = mid
    x = (lo + hi) / 2.0
    return d2 * (1.0 - x) / (d1 * x)


def norm_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))
