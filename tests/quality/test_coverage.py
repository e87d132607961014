"""Interval coverage of the analytic standard errors, by a seeded simulation: 95% intervals of
samples of 100 items should hold the population value about 95% of the time."""

from __future__ import annotations

import numpy as np
import pytest

from guidekit.quality import coefficients as C


def sample(rng: np.random.Generator, items: int, raters: int = 4, classes: int = 4) -> np.ndarray:
    """Each item has a true class drawn from uneven shares; each rater gives it with
    probability 0.7, else a class at random; 10% of ratings are missing."""
    truth = rng.choice(classes, items, p=[0.4, 0.3, 0.2, 0.1])
    noise = rng.integers(0, classes, (items, raters))
    codes = np.where(rng.random((items, raters)) < 0.7, truth[:, None], noise)
    codes[rng.random((items, raters)) < 0.1] = -1
    return codes


@pytest.mark.parametrize(
    "name", ["fleiss_kappa", "gwet_ac1", "krippendorff_alpha", "conger_kappa", "brennan_prediger"]
)
@pytest.mark.parametrize("weights", ["identity", "quadratic"])
def test_coverage(name: str, weights: str) -> None:
    rng = np.random.default_rng(2026)
    W = C.agreement_weights(weights, np.arange(1.0, 5.0))
    fn = C.FUNCTIONS[name]
    truth = fn(sample(rng, 400_000), W).value  # the population value, to about 1e-3
    hits, runs = 0, 400
    for _ in range(runs):
        est = fn(sample(rng, 100), W)
        hits += est.low <= truth <= est.high
    # binomial sd at 0.95 over 400 runs is 0.011: 0.92..0.98 is about three of them
    assert 0.92 <= hits / runs <= 0.98, hits / runs
