"""guidekit's coefficients against published values and the reference packages.

Sources of every dataset and value are in ``tests/quality/reference``. Published values are
compared to the precision they were published with; installed packages (``irrCAC``,
``krippendorff``, ``statsmodels``, ``scikit-learn``, ``pingouin``: the ``test`` extra) to 1e-12.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from guidekit.quality import coefficients as C
from guidekit.quality import stats as S

from . import reference as R

TOL = 1e-12


def encode(rows: list[list[Any]]) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """Ratings -> (codes with -1 missing, numeric category values, categories)."""
    cats = sorted({v for row in rows for v in row if v is not None})
    index = {v: i for i, v in enumerate(cats)}
    codes = np.array([[index[v] if v is not None else -1 for v in row] for row in rows])
    if isinstance(cats[0], str):  # labels: Gwet's weights take their ranks 1..q
        values = np.arange(1, len(cats) + 1, dtype=np.float64)
    else:
        values = np.array(cats, dtype=np.float64)
    return codes, values, cats


DATASETS = {
    "raw_4raters": R.RAW_4RATERS,
    "raw_5observers": R.RAW_5OBSERVERS,
    "raw_ben_gerry": R.RAW_BEN_GERRY,
    "fleiss_1971": R.FLEISS_1971,
}


def test_copies_match_the_packages() -> None:
    """The datasets in tests are the packages' own (no transcription error)."""
    datasets = pytest.importorskip("irrCAC.datasets")
    pg = pytest.importorskip("pingouin")
    for name in ("raw_4raters", "raw_5observers", "raw_ben_gerry"):
        frame = getattr(datasets, name)()
        theirs = [[None if v != v else v for v in row] for row in frame.to_numpy().tolist()]
        assert theirs == DATASETS[name], name
    wine = pg.read_dataset("icc").pivot(index="Wine", columns="Judge", values="Scores")
    assert wine.to_numpy().tolist() == R.PINGOUIN_ICC_WINE


@pytest.mark.parametrize(("key", "published"), list(R.IRRCAC_PUBLISHED.items()))
def test_irrcac_published_values(key: tuple[str, str], published: Any) -> None:
    name, family = key
    codes, values, _ = encode(R.RAW_4RATERS)
    fn = C.FUNCTIONS["gwet_ac1" if name.startswith("gwet") else name]
    est = fn(codes, C.agreement_weights(family, values))
    value, se, (low, high) = published
    assert est.name == name
    assert round(est.value, 5) == value
    assert round(est.se, 5) == se
    assert (round(est.low, 5), round(est.high, 5)) == (low, high)


IRRCAC_METHODS = {
    "fleiss_kappa": "fleiss",
    "gwet_ac1": "gwet",
    "brennan_prediger": "bp",
    "krippendorff_alpha": "krippendorff",
    "conger_kappa": "conger",
}


@pytest.mark.parametrize("dataset", ["raw_4raters", "raw_5observers", "raw_ben_gerry"])
@pytest.mark.parametrize("family", C.WEIGHT_FAMILIES)
def test_against_irrcac(dataset: str, family: str) -> None:
    """Every coefficient irrCAC has, with every weight family, value, SE, interval and
    p-value to 1e-12 (irrCAC 0.4.4 run with ``digits=17`` and the categories given: under
    pandas 3 it otherwise counts NaN as a category)."""
    pd = pytest.importorskip("pandas")
    raw = pytest.importorskip("irrCAC.raw")
    rows = DATASETS[dataset]
    codes, values, cats = encode(rows)
    if family == "ratio" and 0 in values:
        with pytest.raises(C.Undefined, match="other than 0"):
            C.agreement_weights(family, values)
        return
    W = C.agreement_weights(family, values)
    frame = pd.DataFrame([[np.nan if v is None else v for v in row] for row in rows])
    cac = raw.CAC(frame, weights=family, categories=cats, digits=17)
    np.testing.assert_allclose(W, cac.weights_mat, atol=TOL, rtol=0)
    for ours, method in IRRCAC_METHODS.items():
        ref = getattr(cac, method)()["est"]
        est = C.FUNCTIONS[ours](codes, W)
        assert abs(est.value - ref["coefficient_value"]) < TOL, (ours, family)
        assert abs(est.se - ref["se"]) < TOL, (ours, family)
        assert abs(est.low - ref["confidence_interval"][0]) < TOL
        assert abs(est.high - ref["confidence_interval"][1]) < TOL
        assert abs(est.pa - ref["pa"]) < TOL and abs(est.pe - ref["pe"]) < TOL
        # irrCAC's Brennan-Prediger p-value is one-sided (every other one is two-sided)
        p_ref = 2 * ref["p_value"] if method == "bp" else ref["p_value"]
        assert abs(est.p_value - p_ref) < 1e-9, (ours, family)


def test_finite_population_correction_against_irrcac() -> None:
    pd = pytest.importorskip("pandas")
    raw = pytest.importorskip("irrCAC.raw")
    codes, _, cats = encode(R.RAW_4RATERS)
    frame = pd.DataFrame([[np.nan if v is None else v for v in row] for row in R.RAW_4RATERS])
    cac = raw.CAC(frame, categories=cats, N=40, digits=17)
    W = np.eye(len(cats))
    for ours, method in IRRCAC_METHODS.items():
        ref = getattr(cac, method)()["est"]
        est = C.FUNCTIONS[ours](codes, W, population=40)
        assert abs(est.se - ref["se"]) < TOL
    full = C.fleiss_kappa(codes, W)
    fpc = C.fleiss_kappa(codes, W, population=40)
    assert fpc.se == pytest.approx(full.se * math.sqrt(1 - 12 / 40), abs=TOL)


def test_krippendorff_2011() -> None:
    """Krippendorff (2011): alpha of the 4-observer example at every level, to 3 decimals,
    by both of guidekit's implementations, and the krippendorff package to 1e-12."""
    codes, values, _ = encode(R.RAW_4RATERS)
    counts = S.value_counts(codes, len(values))
    for level, published in R.KRIPPENDORFF_2011.items():
        ours = S.alpha(counts, level, values=values)  # type: ignore[arg-type]
        assert round(ours, 3) == published, level
    est = C.krippendorff_alpha(codes, np.eye(len(values)))
    assert round(est.value, 3) == R.KRIPPENDORFF_2011["nominal"]
    # Gwet's agreement form with quadratic weights is interval alpha (Gwet 2014, 5.3)
    quad = C.krippendorff_alpha(codes, C.agreement_weights("quadratic", values))
    assert round(quad.value, 3) == R.KRIPPENDORFF_2011["interval"]
    kd = pytest.importorskip("krippendorff")
    data = np.array([[np.nan if v is None else v for v in row] for row in R.RAW_4RATERS]).T
    assert abs(est.value - kd.alpha(data, level_of_measurement="nominal")) < TOL
    assert abs(quad.value - kd.alpha(data, level_of_measurement="interval")) < TOL


def test_fleiss_1971() -> None:
    codes, values, _ = encode(R.FLEISS_1971)
    est = C.fleiss_kappa(codes, np.eye(len(values)))
    assert round(est.value, 3) == R.FLEISS_1971_KAPPA
    inter = pytest.importorskip("statsmodels.stats.inter_rater")
    table, _ = inter.aggregate_raters(np.array(R.FLEISS_1971))
    assert abs(est.value - inter.fleiss_kappa(table)) < TOL
    # Conger's exact kappa (irr::kappam.fleiss(exact=TRUE)) is slightly higher
    assert C.conger_kappa(codes, np.eye(len(values))).value > est.value


def test_cohen_and_scott_of_two_raters() -> None:
    """Cohen's kappa (Conger's of two) against scikit-learn on the complete pairs, weighted
    too; Scott's pi is Fleiss' kappa of two raters."""
    metrics = pytest.importorskip("sklearn.metrics")
    codes, values, _ = encode(R.RAW_BEN_GERRY)
    both = codes[(codes >= 0).all(axis=1)]
    for family, sk in (("identity", None), ("linear", "linear"), ("quadratic", "quadratic")):
        W = C.agreement_weights(family, np.arange(1.0, len(values) + 1))
        est = C.cohen_kappa(both, W)
        ref = metrics.cohen_kappa_score(both[:, 0], both[:, 1], weights=sk)
        assert abs(est.value - ref) < TOL, family
    scott = C.scott_pi(codes, np.eye(len(values)))
    assert scott.value == C.fleiss_kappa(codes, np.eye(len(values))).value
    with pytest.raises(C.Undefined, match=r"two raters.*conger_kappa"):
        C.cohen_kappa(encode(R.RAW_4RATERS)[0], np.eye(5))


@pytest.mark.parametrize("form", C.ICC_FORMS)
def test_pingouin_icc(form: str) -> None:
    est = C.icc(np.array(R.PINGOUIN_ICC_WINE, dtype=float), form)
    value, f, (low, high) = R.PINGOUIN_ICC_PUBLISHED[form]
    assert round(est.value, 3) == value
    assert round(est.f, 3) == f
    assert (round(est.low, 2), round(est.high, 2)) == (low, high)
    pg = pytest.importorskip("pingouin")
    table = pg.intraclass_corr(
        data=pg.read_dataset("icc"), targets="Wine", raters="Judge", ratings="Scores"
    ).set_index("Type")
    row = table.loc[f"ICC({form})"]
    assert abs(est.value - row["ICC"]) < TOL
    assert abs(est.f - row["F"]) < 1e-9
    assert (est.df1, est.df2) == (row["df1"], row["df2"])
    assert abs(est.p_value - row["pval"]) < 1e-12


@pytest.mark.parametrize(("value", "se"), [(0.67, 0.15), (0.974, 0.025), (0.1, 0.3)])
def test_benchmarks_against_irrcac(value: float, se: float) -> None:
    """Gwet's probabilistic benchmarking: the cumulative membership probabilities of
    ``irrCAC.benchmark`` (its docstring's example: 0.67 with se 0.15 is 'Moderate' on
    Altman's scale, cumulative 0.18168, 0.67511, 0.96356, 0.99912, 1.0)."""
    ours = C.benchmark(value, se, "altman")
    if (value, se) == (0.67, 0.15):
        assert [round(p, 5) for p in ours["cumulative"]] == [
            0.18168,
            0.67511,
            0.96356,
            0.99912,
            1.0,
        ]
        assert (ours["band"], ours["probabilistic"]) == ("good", "moderate")
    bm = pytest.importorskip("irrCAC.benchmark")
    ref = bm.Benchmark(coeff=value, se=se)
    for scale, method in (
        ("altman", "altman"),
        ("fleiss", "fleiss"),
        ("landis_koch", "landis_koch"),
    ):
        theirs = getattr(ref, method)()
        ours = C.benchmark(value, se, scale)
        assert [lo for lo, _ in theirs["scale"]] == [lo for lo, _ in C.BENCHMARKS[scale]]
        assert [round(p, 5) for p in ours["cumulative"]] == theirs["CumProb"]


def test_distributions_against_scipy() -> None:
    from guidekit.quality import _distributions as D

    st = pytest.importorskip("scipy.stats")
    for df in (1, 2, 5, 11, 14, 29, 100, 1000, 99_999):
        for t in (0.0, 0.3, 1.0, 2.5, 5.0, 40.0):
            # lgamma's rounding grows with df: 1e-12 up to 1,000 degrees of freedom
            assert abs(D.t_sf(t, df) - st.t.sf(t, df)) < (1e-12 if df <= 1000 else 1e-10)
        for p in (0.9, 0.95, 0.975, 0.995):
            assert abs(D.t_ppf(p, df) - st.t.ppf(p, df)) < 1e-9 * max(1, st.t.ppf(p, df))
    for d1, d2 in ((7, 24), (7, 21), (3, 2.5), (29, 145), (24, 7)):
        for f in (0.5, 1.0, 11.68, 100.0):
            assert abs(D.f_sf(f, d1, d2) - st.f.sf(f, d1, d2)) < 1e-12
        for p in (0.95, 0.975):
            assert abs(D.f_ppf(p, d1, d2) - st.f.ppf(p, d1, d2)) < 1e-9 * st.f.ppf(p, d1, d2)
    for z in (-3.0, 0.0, 1.96):
        assert abs(D.norm_cdf(z) - st.norm.cdf(z)) < 1e-15
