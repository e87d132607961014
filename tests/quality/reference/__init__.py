"""Public reference datasets and the values their authors published, with their sources.

Each dataset is ``(units, raters)`` with ``None`` for a missing rating. Published values are
given to the precision they were published with; the tests compare to that precision and,
where the reference package is installed, to the package to 1e-12.
"""

from __future__ import annotations

from typing import Any

# Gwet, Handbook of Inter-Rater Reliability (4th ed., 2014), the data every irrCAC example
# uses: ``irrCAC.datasets.raw_4raters`` (R and Python packages). It is also the reliability
# data of Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", observers A-D
# over 12 units (values 1..5).
RAW_4RATERS: list[list[Any]] = [
    [1, 1, None, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [None, 5, 5, 5],
    [None, None, 1, 1],
    [None, None, 3, None],
]

# irrCAC 0.4.4, docstring of ``irrCAC.raw.CAC`` (doctested by the package): value, standard
# error, 95% interval (5 decimals).
IRRCAC_PUBLISHED = {
    ("gwet_ac1", "identity"): (0.77544, 0.14295, (0.46081, 1.0)),
    ("fleiss_kappa", "identity"): (0.76117, 0.15302, (0.42438, 1.0)),
    ("gwet_ac2", "bipolar"): (0.90037, 0.10582, (0.66747, 1.0)),
}

# Krippendorff (2011), section C: alpha of RAW_4RATERS at each level (3 decimals).
KRIPPENDORFF_2011 = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}

# irrCAC.datasets.raw_5observers (Gwet 2014): 15 units, 5 observers, values 0..3.
RAW_5OBSERVERS: list[list[Any]] = [
    [1, 1, 2, None, 2],
    [1, 1, 0, 1, None],
    [2, 3, 3, 3, None],
    [None, 0, 0, None, 0],
    [0, 0, 0, None, 0],
    [0, 0, 0, None, 0],
    [1, 0, 2, None, 1],
    [1, None, 2, 0, None],
    [2, 2, 2, None, 2],
    [2, 1, 1, 1, None],
    [None, 1, 0, 0, None],
    [0, 0, 0, 0, None],
    [1, 2, 2, 2, None],
    [3, 3, 2, 2, 3],
    [1, 1, 1, None, 1],
]

# irrCAC.datasets.raw_ben_gerry (Gwet 2014): two raters, 12 units, categories a..e.
RAW_BEN_GERRY: list[list[Any]] = [
    list(p)
    for p in zip(
        ["a", "a", "b", "b", "d", "c", "c", "c", "e", "d", "d", "a"],
        ["b", "a", "b", "b", "b", "c", "c", "c", "e", None, "d", "d"],
        strict=True,
    )
]

# Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological
# Bulletin 76(5): 30 patients x 6 psychiatrists, 5 diagnoses; the R ``irr`` package ships it
# as ``diagnoses`` (copied here from statsmodels' test suite, which has it from ``irr``).
# Published: kappa = 0.430 (Fleiss 1971, p. 380; ``irr::kappam.fleiss(diagnoses)``: 0.43).
FLEISS_1971: list[list[Any]] = [
    [4, 4, 4, 4, 4, 4],
    [2, 2, 2, 5, 5, 5],
    [2, 3, 3, 3, 3, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3],
    [3, 3, 3, 3, 5, 5],
    [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4],
    [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4],
    [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3],
    [1, 4, 4, 4, 4, 4],
    [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5],
    [1, 1, 1, 1, 1, 2],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 4, 4, 4, 4, 4],
    [2, 2, 4, 5, 5, 5],
    [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4],
    [1, 1, 1, 1, 5, 5],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3],
    [5, 5, 5, 5, 5, 5],
]
FLEISS_1971_KAPPA = 0.430

# pingouin 0.6.1, ``pingouin.read_dataset("icc")`` (wine quality, 8 wines x 4 judges) and the
# values of the ``pingouin.intraclass_corr`` docstring: ICC (3 decimals), F (3 decimals),
# 95% interval (2 decimals).
PINGOUIN_ICC_WINE: list[list[float]] = [
    [1, 2, 0, 1],
    [1, 3, 3, 2],
    [3, 8, 1, 4],
    [6, 4, 3, 3],
    [6, 5, 5, 6],
    [7, 5, 6, 2],
    [8, 7, 7, 9],
    [9, 9, 9, 8],
]
PINGOUIN_ICC_PUBLISHED = {
    "1,1": (0.728, 11.680, (0.43, 0.93)),
    "A,1": (0.728, 11.787, (0.43, 0.93)),
    "C,1": (0.729, 11.787, (0.43, 0.93)),
    "1,k": (0.914, 11.680, (0.75, 0.98)),
    "A,k": (0.914, 11.787, (0.75, 0.98)),
    "C,k": (0.915, 11.787, (0.75, 0.98)),
}

# The R ``irr`` package's ``anxiety`` data (20 subjects x 3 raters, ratings 1..6, "artificial
# data"): CRAN is not reachable from here, so the data are those pyirr, a Python port of
# ``irr``, ships (github.com/sophiedkk/pyirr, ``pyirr/data/anxiety.csv``), and the published
# values are those its tests hold for ``irr``'s documented examples
# (``tests/test_kappa2.py``, ``tests/test_icc.py``):
# ``kappa2(anxiety[, 1:2], "squared")`` and ``icc(anxiety, "twoway", "agreement")``.
IRR_ANXIETY: list[list[Any]] = [
    [3, 3, 2],
    [3, 6, 1],
    [3, 4, 4],
    [4, 6, 4],
    [5, 2, 3],
    [5, 4, 2],
    [2, 2, 1],
    [3, 4, 6],
    [5, 3, 1],
    [2, 3, 1],
    [2, 2, 1],
    [6, 3, 2],
    [1, 3, 3],
    [5, 3, 3],
    [2, 2, 1],
    [2, 2, 1],
    [1, 1, 3],
    [2, 3, 3],
    [4, 3, 2],
    [3, 4, 2],
]
# kappa2 squared: value (3 decimals); ICC(A,1): value, F (2 decimals), 95% interval (3)
IRR_KAPPA2_SQUARED = 0.297
IRR_ICC_A1 = (0.198, 1.83, (-0.039, 0.494))

# Artstein & Poesio (2008), "Inter-coder agreement for computational linguistics",
# Computational Linguistics 34(4), Table 4: two coders, 100 items, three classes. The paper
# itself was not readable from here; the table and its kappa (4 decimals) are as
# scikit-learn's test suite reproduces them (``sklearn/metrics/tests/test_classification.py``,
# ``test_cohen_kappa``: "Multiclass example: Artstein and Poesio, Table 4"): the coders'
# labels sorted, 46/44/10 items of each class for the first and 52/32/16 for the second.
ARTSTEIN_POESIO_TABLE_4: list[list[Any]] = [
    list(p)
    for p in zip(
        [0] * 46 + [1] * 44 + [2] * 10,
        [0] * 52 + [1] * 32 + [2] * 16,
        strict=True,
    )
]
ARTSTEIN_POESIO_KAPPA = 0.8013
