"""``guidekit agreement --stat``: the published reference values reproduced end to end, from
delivery files through the command line to the JSON report, and every usage error."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import orjson
import pytest

from guidekit.cli import main
from guidekit.quality import agreement as A
from guidekit.quality import coefficients as C

from . import reference as R
from .conftest import FIXTURE, pilot


def delivery(path: Path, rows: list[list[Any]], task: str = "score") -> Path:
    """One record per rating: ``rows`` is ``(items, raters)`` with ``None`` missing."""
    records = [
        {"ticket_id": f"U{u:02d}", "annotator": f"r{r}", task: v}
        for u, row in enumerate(rows)
        for r, v in enumerate(row)
        if v is not None
    ]
    path.write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in records))
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: Any) -> dict[str, Any]:
    code = main(["agreement", str(FIXTURE), *map(str, args), "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0, out
    tasks: dict[str, Any] = {t["task"]: t for t in json.loads(out)["agreement"]}
    return tasks


def test_irrcac_published_values_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Gwet's 4-rater example as a number task: irrCAC's published Fleiss and AC1 (value, SE,
    interval to 5 decimals) and Krippendorff (2011)'s nominal and interval alpha."""
    data = delivery(tmp_path / "r4.jsonl", R.RAW_4RATERS)
    stats = run_json(
        capsys,
        data,
        "-t",
        "score",
        "--weights",
        "identity",
        *("--stat", "fleiss_kappa", "--stat", "gwet_ac1", "--stat", "krippendorff_alpha"),
    )["score"]["stats"]
    for name in ("fleiss_kappa", "gwet_ac1"):
        value, se, (low, high) = R.IRRCAC_PUBLISHED[(name, "identity")]
        got = stats[name]
        assert round(got["value"], 5) == value
        assert round(got["se"], 5) == se
        assert [round(got["ci"][0], 5), got["ci"][1]] == [low, high]
        assert got["weights"] == "identity" and 0 < got["p_value"] < 0.001
    assert round(stats["krippendorff_alpha"]["value"], 3) == R.KRIPPENDORFF_2011["nominal"]
    bipolar = run_json(capsys, data, "-t", "score", "--weights", "bipolar", "--stat", "gwet_ac2")
    got = bipolar["score"]["stats"]["gwet_ac2"]
    value, se, (low, _) = R.IRRCAC_PUBLISHED[("gwet_ac2", "bipolar")]
    assert (round(got["value"], 5), round(got["se"], 5), round(got["ci"][0], 5)) == (
        value,
        se,
        low,
    )
    # quadratic weights (the default of number tasks) give interval alpha
    interval = run_json(capsys, data, "-t", "score", "--stat", "krippendorff_alpha")
    alpha = interval["score"]["stats"]["krippendorff_alpha"]
    assert round(alpha["value"], 3) == R.KRIPPENDORFF_2011["interval"]


@pytest.mark.parametrize("form", C.ICC_FORMS)
def test_pingouin_icc_from_the_cli(
    form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = delivery(tmp_path / "wine.jsonl", [list(map(float, r)) for r in R.PINGOUIN_ICC_WINE])
    icc = run_json(capsys, data, "-t", "score", "--stat", f"icc({form})")["score"]["stats"]["icc"]
    value, f, (low, high) = R.PINGOUIN_ICC_PUBLISHED[form]
    assert icc["form"] == form
    assert round(icc["value"], 3) == value
    assert round(icc["f"], 3) == f
    assert [round(x, 2) for x in icc["ci"]] == [low, high]


def test_fleiss_1971_from_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = delivery(tmp_path / "fleiss.jsonl", R.FLEISS_1971)
    got = run_json(capsys, data, "-t", "score", "--weights", "identity", "--stat", "fleiss_kappa")
    assert round(got["score"]["stats"]["fleiss_kappa"]["value"], 3) == R.FLEISS_1971_KAPPA


def test_finite_population_correction(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = delivery(tmp_path / "r4.jsonl", R.RAW_4RATERS)
    args = (data, "-t", "score", "--weights", "identity", "--stat", "fleiss_kappa")
    full = run_json(capsys, *args)["score"]["stats"]["fleiss_kappa"]
    fpc = run_json(capsys, *args, "--fpc", 40)["score"]
    assert fpc["stats"]["fleiss_kappa"]["se"] == pytest.approx(
        full["se"] * math.sqrt(1 - 12 / 40), abs=1e-12
    )
    assert any("finite-population correction for 40 items" in n for n in fpc["notes"])
    small = run_json(capsys, *args, "--fpc", 5)["score"]
    assert small["stats"]["fleiss_kappa"]["se"] == full["se"]
    assert any("--fpc 5 is below the 12 items" in n for n in small["notes"])


@pytest.fixture
def pilot_file(tmp_path: Path) -> Path:
    path = tmp_path / "pilot.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in pilot(seed=5, items=40)))
    return path


def test_every_coefficient_on_a_pilot(pilot_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = [n for n in C.COEFFICIENTS]
    args = [a for n in names for a in ("--stat", n)]
    tasks = run_json(capsys, pilot_file, "-t", "urgency", "-t", "intent", *args)
    urgency, intent = tasks["urgency"]["stats"], tasks["intent"]["stats"]
    # the ordinal task is weighted (quadratic by default): AC2; the nominal one is not: AC1
    assert "gwet_ac2" in urgency and urgency["gwet_ac2"]["weights"] == "quadratic"
    assert "gwet_ac1" in intent and intent["gwet_ac1"]["weights"] == "identity"
    for stats in (urgency, intent):
        # three annotators: Cohen and Scott are for two, and say so
        assert stats["cohen_kappa"] == {
            "value": None,
            "reason": "undefined: Cohen's kappa is defined for two raters, these data have 3: "
            "see conger_kappa",
        }
        assert "fleiss_kappa" in stats["scott_pi"]["reason"]
        for name in ("conger_kappa", "fleiss_kappa", "brennan_prediger", "krippendorff_alpha"):
            s = stats[name]
            assert s["ci"][0] < s["value"] <= s["ci"][1] and s["se"] > 0
            assert s["benchmark"]["scale"] == "landis_koch"
        assert stats["percent_agreement"]["pe"] == 0.0


def test_custom_weights_file(
    pilot_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = C.agreement_weights("linear", [1.0, 2.0, 3.0, 4.0])
    weights = tmp_path / "w.json"
    weights.write_text(json.dumps(matrix.tolist()))
    custom = run_json(
        capsys, pilot_file, "-t", "urgency", "--weights", weights, "--stat", "gwet_ac2"
    )
    linear = run_json(
        capsys, pilot_file, "-t", "urgency", "--weights", "linear", "--stat", "gwet_ac2"
    )
    a, b = custom["urgency"]["stats"]["gwet_ac2"], linear["urgency"]["stats"]["gwet_ac2"]
    assert a["weights"] == "custom" and a["value"] == pytest.approx(b["value"], abs=1e-15)
    # the default statistics take the matrix too (Cohen's kappa of each pair)
    plain = run_json(capsys, pilot_file, "-t", "urgency", "--weights", weights)
    ref = run_json(capsys, pilot_file, "-t", "urgency", "--weights", "linear")
    assert plain["urgency"]["stats"]["cohen_kappa"]["value"] == pytest.approx(
        ref["urgency"]["stats"]["cohen_kappa"]["value"], abs=1e-12
    )


def test_bootstrap_alongside(pilot_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    got = run_json(
        capsys, pilot_file, "-t", "intent", "--stat", "fleiss_kappa", "--bootstrap", 200
    )["intent"]["stats"]["fleiss_kappa"]
    lo, hi = got["bootstrap_ci"]
    assert lo < got["value"] < hi
    assert abs((hi - lo) - (got["ci"][1] - got["ci"][0])) < 0.1  # same order as analytic


def test_text_report_shows_inference(pilot_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["agreement", str(FIXTURE), str(pilot_file), "-t", "intent", "--stat", "gwet_ac1"])
    out = capsys.readouterr().out
    assert code == 0
    line = next(x for x in out.splitlines() if x.strip().startswith("gwet_ac1"))
    assert " se 0." in line and " p " in line
    assert "Gwet (2014)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fpc", "10"], "applies to the analytic intervals of --stat"),
        (["-t", "intent", "--stat", "icc"], "the ICC applies to number tasks"),
        (["-t", "intent", "--stat", "gwet_ac1", "--weights", "linear"], "is nominal"),
        (["-t", "score", "--stat", "icc", "--weights", "linear"], "the ICC takes no weights"),
        (["-t", "topics", "--stat", "fleiss_kappa"], "not to 'topics' (multi)"),
        (["-t", "score", "--stat", "icc", "--stat", "icc(C,1)"], "one ICC form per run"),
        (["-t", "urgency", "--weights", "nonsense"], "neither a weight family"),
        (["-t", "urgency", "--stat", "kappa"], "Invalid value for '--stat'"),
    ],
)
def test_usage_errors(
    pilot_file: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code = main(["agreement", str(FIXTURE), str(pilot_file), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[1, 0], [0, 1]]", "task 'urgency' has 4 classes"),
        ("[[1, 0, 0]]", "square matrix"),
        ("{", "not a JSON matrix"),
        ("[[0.5, 0], [0, 1]]", "diagonal of 1"),
        ("[[1, 2], [2, 1]]", "between 0 and 1"),
    ],
)
def test_bad_custom_weights(
    pilot_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    message: str,
) -> None:
    path = tmp_path / "w.json"
    path.write_text(content)
    code = main(
        ["agreement", str(FIXTURE), str(pilot_file), "-t", "urgency", "--weights", str(path)]
    )
    assert code == 2
    assert message in capsys.readouterr().err


def test_names_kept_in_step() -> None:
    """The command lists names without importing numpy; they are the library's."""
    from guidekit.commands import agreement as cmd

    assert cmd.STAT_NAMES == A.STAT_NAMES
    assert cmd.WEIGHT_FAMILIES == C.WEIGHT_FAMILIES


def test_irr_anxiety_examples_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``irr``'s documented examples on its ``anxiety`` data: ``kappa2`` with squared weights
    on the first two raters, and ``icc(anxiety, "twoway", "agreement")``."""
    two = delivery(tmp_path / "two.jsonl", [row[:2] for row in R.IRR_ANXIETY])
    kappa = run_json(capsys, two, "-t", "score", "--weights", "quadratic", "--stat", "cohen_kappa")[
        "score"
    ]["stats"]["cohen_kappa"]
    assert round(kappa["value"], 3) == R.IRR_KAPPA2_SQUARED
    three = delivery(tmp_path / "three.jsonl", [list(map(float, r)) for r in R.IRR_ANXIETY])
    icc = run_json(capsys, three, "-t", "score", "--stat", "icc(A,1)")["score"]["stats"]["icc"]
    value, f, (low, high) = R.IRR_ICC_A1
    assert (round(icc["value"], 3), round(icc["f"], 2)) == (value, f)
    assert [round(x, 3) for x in icc["ci"]] == [low, high]


def test_artstein_poesio_table_4_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two coders, three classes (Artstein & Poesio 2008, Table 4): Cohen's kappa 0.8013."""
    classes = ["billing", "shipping", "other"]
    rows = [[classes[a], classes[b]] for a, b in R.ARTSTEIN_POESIO_TABLE_4]
    data = delivery(tmp_path / "ap.jsonl", rows, task="intent")
    stats = run_json(capsys, data, "-t", "intent", "--stat", "cohen_kappa")["intent"]["stats"]
    assert round(stats["cohen_kappa"]["value"], 4) == R.ARTSTEIN_POESIO_KAPPA
