"""The statistics equal the reference implementations to 1e-9."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa

from guidekit.quality import stats as S

TOL = 1e-9


def ratings(seed: int, units: int, raters: int, values: int, missing: float) -> np.ndarray:
    """Codes with real structure (a true value most annotators pick) and missing ratings."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, values, units)
    noise = rng.integers(0, values, (units, raters))
    codes = np.where(rng.random((units, raters)) < 0.65, truth[:, None], noise)
    codes[rng.random((units, raters)) < missing] = -1
    return codes


def reliability(codes: np.ndarray) -> np.ndarray:
    """The krippendorff package's layout: raters x units, nan for missing."""
    return np.where(codes < 0, np.nan, codes).T.astype(float)


CASES = [(1, 200, 3, 4, 0.2), (2, 57, 5, 7, 0.4), (3, 500, 2, 3, 0.0), (4, 31, 6, 2, 0.5)]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_equals_krippendorff_package(case: tuple, level: str) -> None:
    codes = ratings(*case)
    values = np.arange(case[3], dtype=float) + 1  # ratio needs non-zero values
    ours = S.alpha(S.value_counts(codes, case[3]), level, values=values)
    domain = None if level == "nominal" else list(values)
    theirs = krippendorff.alpha(
        reliability(codes) + 1, level_of_measurement=level, value_domain=domain
    )
    assert ours == pytest.approx(theirs, abs=TOL)


def test_ordinal_alpha_with_unobserved_categories() -> None:
    codes = ratings(5, 120, 4, 3, 0.3) * 2  # uses 0, 2, 4 of a domain 0..5
    ours = S.alpha(S.value_counts(codes, 6), "ordinal")
    theirs = krippendorff.alpha(
        reliability(codes), level_of_measurement="ordinal", value_domain=list(range(6))
    )
    assert ours == pytest.approx(theirs, abs=TOL)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_interval_alpha_from_raw_numbers(seed: int) -> None:
    rng = np.random.default_rng(seed)
    truth = rng.normal(50, 10, 150)
    x = np.round(
        truth[:, None] + rng.normal(0, 4, (150, 4)), 1
    )  # the package is quadratic in distinct values
    x[rng.random((150, 4)) < 0.3] = np.nan
    theirs = krippendorff.alpha(x.T, level_of_measurement="interval")
    assert S.alpha_interval(x) == pytest.approx(theirs, abs=TOL)


def test_alpha_known_value_from_krippendorff_docs() -> None:
    nan = np.nan
    data = [
        [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
        [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
        [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
    ]
    codes = np.where(np.isnan(data), -1, np.nan_to_num(data) - 1).T.astype(np.int64)
    assert S.alpha(S.value_counts(codes, 4), "nominal") == pytest.approx(0.691358, abs=1e-6)
    assert S.alpha_interval(np.array(data).T) == pytest.approx(0.810845, abs=1e-6)


def test_alpha_without_variation_is_undefined() -> None:
    codes = np.array([[1, 1], [1, 1], [1, -1]])
    assert np.isnan(S.alpha(S.value_counts(codes, 3), "nominal"))


@pytest.mark.parametrize("case", [(1, 200, 3, 4, 0.0), (2, 80, 6, 5, 0.0), (3, 40, 2, 2, 0.0)])
def test_fleiss_equals_statsmodels(case: tuple) -> None:
    counts = S.value_counts(ratings(*case), case[3])
    assert S.fleiss_kappa(counts) == pytest.approx(fleiss_kappa(counts), abs=TOL)
    per_class = S.fleiss_binary(counts)
    for c in range(case[3]):
        x = counts[:, c]
        table = np.stack([case[2] - x, x], axis=1)
        assert per_class[c] == pytest.approx(fleiss_kappa(table), abs=TOL)


def test_fleiss_with_missing_ratings_uses_each_units_count() -> None:
    counts = np.array([[2.0, 0, 0], [1, 1, 0], [0, 3, 0], [0, 0, 1]])
    # units: 1, 1/3... hand-computed: P_i = 1, 0, 1 (last has one rating, dropped)
    p_bar = (1 + 0 + 1) / 3
    p = np.array([3, 4, 0]) / 7
    expected = (p_bar - (p * p).sum()) / (1 - (p * p).sum())
    assert S.fleiss_kappa(counts) == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
@pytest.mark.parametrize("case", [(1, 200, 2, 4, 0.2), (7, 90, 2, 6, 0.1)])
def test_cohen_equals_scikit_learn(case: tuple, weights: str | None) -> None:
    codes = ratings(*case)
    a, b = codes[:, 0], codes[:, 1]
    both = (a >= 0) & (b >= 0)
    theirs = cohen_kappa_score(a[both], b[both], labels=list(range(case[3])), weights=weights)
    assert S.cohen_kappa(a, b, case[3], weights) == pytest.approx(theirs, abs=TOL)


def test_cohen_per_class_equals_scikit_learn() -> None:
    codes = ratings(9, 150, 2, 4, 0.2)
    a, b = codes[:, 0], codes[:, 1]
    both = (a >= 0) & (b >= 0)
    ours = S.cohen_binary(a, b, 4)
    for c in range(4):
        assert ours[c] == pytest.approx(cohen_kappa_score(a[both] == c, b[both] == c), abs=TOL)


@pytest.mark.parametrize("case", CASES)
def test_one_vs_rest_alpha_equals_binarised_package(case: tuple) -> None:
    codes = ratings(*case)
    ours = S.alpha_binary(S.value_counts(codes, case[3]))
    rel = reliability(codes)
    for c in range(case[3]):
        binary = np.where(np.isnan(rel), np.nan, (rel == c).astype(float))
        theirs = krippendorff.alpha(binary, level_of_measurement="nominal")
        assert ours[c] == pytest.approx(theirs, abs=TOL)


def test_weights_count_units_like_duplicates() -> None:
    codes = ratings(11, 60, 3, 4, 0.2)
    w = np.random.default_rng(0).integers(0, 3, 60).astype(float)
    repeated = np.repeat(codes, w.astype(int), axis=0)
    counts = S.value_counts(codes, 4)
    rep = S.value_counts(repeated, 4)
    assert S.alpha(counts, "ordinal", w=w) == pytest.approx(S.alpha(rep, "ordinal"), abs=TOL)
    assert S.fleiss_kappa(counts, w) == pytest.approx(S.fleiss_kappa(rep), abs=TOL)
    assert S.cohen_kappa(codes[:, 0], codes[:, 1], 4, "linear", w) == pytest.approx(
        S.cohen_kappa(repeated[:, 0], repeated[:, 1], 4, "linear"), abs=TOL
    )


def test_masi_distance_matches_definition() -> None:
    sets = [
        frozenset({0, 1}),
        frozenset({0, 1}),
        frozenset({0}),
        frozenset({1, 2}),
        frozenset({3}),
        frozenset(),
    ]
    d = S.masi_distance_matrix(sets, 4)
    assert d[0, 1] == 0  # equal
    assert d[0, 2] == pytest.approx(1 - (1 / 2) * (2 / 3))  # subset
    assert d[0, 3] == pytest.approx(1 - (1 / 3) * (1 / 3))  # overlap
    assert d[0, 4] == 1  # disjoint
    assert d[5, 5] == 0
    assert np.allclose(d, d.T)


def test_alpha_with_masi_equals_package_with_custom_metric() -> None:
    rng = np.random.default_rng(4)
    pool = [frozenset(s) for s in ({0}, {0, 1}, {1}, {2}, {1, 2}, {0, 2, 3}, set())]
    d = S.masi_distance_matrix(pool, 4)
    truth = rng.integers(0, len(pool), 150)
    codes = np.where(
        rng.random((150, 4)) < 0.6, truth[:, None], rng.integers(0, len(pool), (150, 4))
    )
    codes[rng.random((150, 4)) < 0.25] = -1

    def metric(v1, v2, i1, i2, n_v, dtype=np.float64):  # type: ignore[no-untyped-def]
        return d[v1.astype(int), v2.astype(int)].astype(dtype)

    theirs = krippendorff.alpha(
        reliability(codes), level_of_measurement=metric, value_domain=list(range(len(pool)))
    )
    assert S.alpha_codes(codes, d) == pytest.approx(theirs, abs=TOL)


def test_percent_agreement_two_raters_is_share_of_equal_pairs() -> None:
    codes = np.array([[0, 0], [1, 0], [2, 2], [1, -1]])
    assert S.percent_agreement(S.value_counts(codes, 3)) == pytest.approx(2 / 3)


def test_bootstrap_is_seeded_and_brackets_the_estimate() -> None:
    codes = ratings(12, 300, 3, 4, 0.1)
    counts = S.value_counts(codes, 4)
    value = S.alpha(counts)
    lo1, hi1 = S.bootstrap(lambda w: S.alpha(counts, w=w), 300, samples=200, seed=3)
    lo2, hi2 = S.bootstrap(lambda w: S.alpha(counts, w=w), 300, samples=200, seed=3)
    assert (lo1, hi1) == (lo2, hi2)
    assert lo1 < value < hi1
    assert hi1 - lo1 < 0.3
