"""``guidekit aggregate``: majority, weighted and Dawid–Skene, end to end.

The reference data: Dawid & Skene (1979) Table 1 (``data/dawid_skene_1979.tsv``, source in
the file) and a real Prodigy export from the shared corpus; simulated annotators with known
accuracies (seeded) check that the estimates recover them.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest

from guidekit.cli import main
from guidekit.quality.aggregate import Ratings, dawid_skene, majority

PANEL = Path(__file__).resolve().parent.parent / "fixtures" / "quality" / "panel"
PRODIGY_TEXT = Path(__file__).resolve().parent.parent / "fixtures" / "bridges" / "prodigy-text"
DS1979 = Path(__file__).resolve().parent / "data" / "dawid_skene_1979.tsv"


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def rec(item: str, who: str, sentiment: str, **more: Any) -> dict[str, Any]:
    return {"id": item, "annotator": who, "text": f"text {item}", "sentiment": sentiment, **more}


PANEL_ROWS = [
    # a: clear majority; b: a 1-1 tie on sentiment; c: unanimous, a boolean and a multi
    rec("a", "ann1", "positive", grade="g2", topics=["price"], spam=False),
    rec("a", "ann2", "positive", grade="g2", topics=["price", "delay"], spam=False),
    rec("a", "ann3", "negative", grade="g3", topics=["price"], spam=True),
    rec("b", "ann1", "neutral", grade="g1"),
    rec("b", "ann2", "negative", grade="g1"),
    rec("c", "ann1", "negative", spam=True, topics=[]),
    rec("c", "ann2", "negative", spam=True, topics=[]),
    rec("c", "ann3", "negative", spam=True, topics=["damage"]),
]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["aggregate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_majority_reports_ties_and_the_output_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "panel.jsonl", PANEL_ROWS)
    out = tmp_path / "adjudicated.jsonl"
    code, report, err = run([str(PANEL), str(src), "-o", str(out), "--format", "json"], capsys)
    assert code == 0, err
    recs = {r["id"]: r for r in lines(out)}
    assert recs["a"]["sentiment"] == "positive" and recs["a"]["grade"] == "g2"
    assert recs["a"]["topics"] == ["price"] and recs["a"]["spam"] is False
    assert recs["a"]["annotator"] == "guidekit-aggregate:majority"
    # never broken silently: no value, marked unresolved, the tied classes named
    assert "sentiment" not in recs["b"] and recs["b"]["unresolved"] is True
    assert "'negative', 'neutral'" in recs["b"]["question"]
    assert recs["c"]["spam"] is True and recs["c"]["topics"] == []
    conf = lines(tmp_path / "adjudicated.confidence.jsonl")
    a_sent = next(c for c in conf if c["id"] == "a" and c["task"] == "sentiment")
    assert a_sent["confidence"] == pytest.approx(2 / 3) and a_sent["votes"] == 3
    b_sent = next(c for c in conf if c["id"] == "b" and c["task"] == "sentiment")
    assert b_sent["value"] is None and b_sent["tied"] == ["negative", "neutral"]
    doc = json.loads(report)
    sentiment = next(p for p in doc["problems"] if p["task"] == "sentiment")
    assert sentiment["unresolved"] == 1 and sentiment["annotators_against"] == "aggregate"
    ann3 = next(q for q in sentiment["annotators"] if q["annotator"] == "ann3")
    assert (ann3["rated"], ann3["correct"], ann3["small_sample"]) == (2, 1, True)
    assert doc["copied_tasks"] == []
    # the guideline's own validator accepts what aggregate wrote
    assert main(["validate", str(PANEL), str(out)]) == 0, capsys.readouterr().out


def test_random_ties_are_seeded_and_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "panel.jsonl", PANEL_ROWS)
    picks = set()
    for seed in range(8):
        out = tmp_path / f"o{seed}.jsonl"
        args = [str(PANEL), str(src), "-o", str(out), "--ties", "random", "--seed", str(seed)]
        assert run(args, capsys)[0] == 0
        b = next(r for r in lines(out) if r["id"] == "b")
        assert "unresolved" not in b
        picks.add(b["sentiment"])
        again = tmp_path / f"p{seed}.jsonl"
        assert run([*args[:3], str(again), *args[4:]], capsys)[0] == 0
        assert again.read_bytes() == out.read_bytes()
        conf = lines(tmp_path / f"o{seed}.confidence.jsonl")
        assert next(c for c in conf if c["id"] == "b" and c["task"] == "sentiment")["tie_broken"]
    assert picks == {"negative", "neutral"}


def test_weighted_vote_with_a_weights_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "panel.jsonl", PANEL_ROWS)
    weights = tmp_path / "w.json"
    weights.write_text(json.dumps({"ann1": 1.0, "ann2": 3.0, "ann3": 0.5}))
    out = tmp_path / "o.jsonl"
    args = [str(PANEL), str(src), "-o", str(out), "--method", "weighted"]
    assert run([*args, "--annotator-weights", str(weights)], capsys)[0] == 0
    b = next(r for r in lines(out) if r["id"] == "b")
    assert b["sentiment"] == "negative"  # ann2 outweighs ann1
    # weights estimated from agreement with the majority also run
    assert run(args, capsys)[0] == 0


def test_weighted_item_whose_votes_all_weigh_zero_is_unresolved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "panel.jsonl", PANEL_ROWS)
    weights = tmp_path / "w.json"
    weights.write_text(json.dumps({"ann1": 0, "ann2": 0, "ann3": 1}))
    out = tmp_path / "o.jsonl"
    args = [str(PANEL), str(src), "-o", str(out), "--method", "weighted", "-t", "sentiment"]
    assert run([*args, "--annotator-weights", str(weights)], capsys)[0] == 0
    b = next(r for r in lines(out) if r["id"] == "b")  # rated by ann1 and ann2 only
    assert b["unresolved"] is True and "no vote with a weight above 0" in b["question"]
    assert main(["validate", str(PANEL), str(out)]) == 0


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"ann1": 1, "ann2": 1}, "no weight for annotator(s) 'ann3'"),
        ({"ann1": -1, "ann2": 1, "ann3": 1}, "must be a finite number of at least 0"),
        ([1, 2], "must be a JSON object"),
    ],
)
def test_bad_weights_are_located_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], doc: Any, message: str
) -> None:
    src = write(tmp_path / "panel.jsonl", PANEL_ROWS)
    weights = tmp_path / "w.json"
    weights.write_text(json.dumps(doc))
    args = [str(PANEL), str(src), "-o", str(tmp_path / "o.jsonl"), "--method", "weighted"]
    code, _, err = run([*args, "--annotator-weights", str(weights)], capsys)
    assert code == 1 and "GK631" in err and message in err and "w.json" in err
    assert not (tmp_path / "o.jsonl").exists()


def test_usage_and_input_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "panel.jsonl", PANEL_ROWS)
    o = str(tmp_path / "o.jsonl")
    assert run([str(PANEL), str(src), "-o", str(tmp_path / "o.csv")], capsys)[0] == 2
    assert run([str(PANEL), str(src), "-o", str(src)], capsys)[0] == 2  # never over an input
    assert src.read_bytes().count(b"\n") == len(PANEL_ROWS)
    assert run([str(PANEL), str(src), "-o", o, "--method", "vote"], capsys)[0] == 2
    w = tmp_path / "w.json"
    w.write_text("{}")
    assert run([str(PANEL), str(src), "-o", o, "--annotator-weights", str(w)], capsys)[0] == 2
    code, _, err = run([str(PANEL), str(src), "-o", o, "--task", "note"], capsys)
    assert code == 1 and "GK630" in err and "'note' (text)" in err
    code, _, err = run([str(PANEL), str(src), "-o", o, "--task", "nope"], capsys)
    assert code == 1 and "GK608" in err
    bad = write(tmp_path / "bad.jsonl", [rec("x", "ann1", "furious"), rec("x", "ann2", "meh")])
    code, _, err = run([str(PANEL), str(bad), "-o", o, "--task", "sentiment"], capsys)
    assert code == 1 and "GK630" in err and "2 invalid value(s)" in err
    assert "Traceback" not in err


def test_gold_scores_annotators_and_the_aggregate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "panel.jsonl", PANEL_ROWS)
    gold = write(
        tmp_path / "gold.jsonl",
        [
            {"id": "a", "text": "t", "sentiment": "negative"},
            {"id": "b", "text": "t", "sentiment": "negative"},
            {"id": "c", "text": "t", "sentiment": "negative"},
        ],
    )
    args = [str(PANEL), str(src), "-o", str(tmp_path / "o.jsonl"), "--gold", str(gold)]
    code, report, _ = run([*args, "--task", "sentiment", "--format", "json"], capsys)
    assert code == 0
    (p,) = json.loads(report)["problems"]
    assert p["annotators_against"] == "gold"
    acc = {q["annotator"]: (q["rated"], q["correct"]) for q in p["annotators"]}
    assert acc == {"ann1": (3, 1), "ann2": (3, 2), "ann3": (2, 2)}
    # the aggregate: a -> positive (wrong), b unresolved (wrong), c right
    assert (p["gold"]["items"], p["gold"]["correct"]) == (3, 1)
    code, text, _ = run([*args, "--task", "sentiment"], capsys)
    assert "annotators against the gold" in text and "(small sample)" in text
    code, md, _ = run([*args, "--task", "sentiment", "--format", "markdown"], capsys)
    assert "| ann2 | 66.7% | 3 |" in md


# -- Dawid & Skene (1979) --------------------------------------------------------------------


def ds1979() -> list[tuple[int, int, int]]:
    """(patient, observer, rating) of Table 1, all 1-based."""
    out = []
    for line in DS1979.read_text().splitlines():
        if line.startswith("#"):
            continue
        patient, *cells = line.split("\t")
        for obs, cell in enumerate(cells, start=1):
            out.extend((int(patient), obs, int(v)) for v in cell.split())
    return out


def test_dawid_skene_reproduces_the_published_anaesthesia_estimates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ds1979()
    assert len(data) == 315  # 45 patients x (3 + 1 + 1 + 1 + 1)
    rows = [
        {"id": f"p{p:02d}", "annotator": f"obs{o}", "text": "form", "grade": f"g{v}"}
        for p, o, v in data
    ]
    src = write(tmp_path / "anaesthesia.jsonl", rows)
    out = tmp_path / "o.jsonl"
    args = [str(PANEL), str(src), "-o", str(out), "--method", "dawid-skene", "--task", "grade"]
    code, report, err = run([*args, "--format", "json"], capsys)
    assert code == 0, err
    doc = json.loads(report)
    assert doc["repeated_ratings"] == 90  # observer 1's second and third readings
    (p,) = doc["problems"]
    assert p["convergence"]["converged"]
    # the class proportions Dawid & Skene (1979) estimate for these data, to their 2 decimals
    assert [round(x, 2) for x in p["priors"]] == [0.40, 0.42, 0.11, 0.07]
    obs1 = next(q for q in p["annotators"] if q["annotator"] == "obs1")["error_rates"]
    assert [round(x, 2) for x in obs1[0]] == [0.89, 0.11, 0.0, 0.0]
    assert [round(x, 2) for x in obs1[3]] == [0.0, 0.0, 0.56, 0.44]
    # patient 2: the majority says 3, the model (weighting the observers) says 4
    recs = {r["id"]: r for r in lines(out)}
    assert recs["p02"]["grade"] == "g4"


def simulate(
    seed: int, items: int, accuracy: list[float], k: int = 3
) -> tuple[Ratings, np.ndarray]:
    rng = np.random.default_rng(seed)
    truth = rng.choice(k, size=items, p=[0.5, 0.3, 0.2][:k])
    it, ra, la = [], [], []
    for r, acc in enumerate(accuracy):
        right = rng.random(items) < acc
        wrong = (truth + rng.integers(1, k, size=items)) % k
        it.append(np.arange(items))
        ra.append(np.full(items, r))
        la.append(np.where(right, truth, wrong))
    return Ratings.of(np.concatenate(it), np.concatenate(ra), np.concatenate(la)), truth


def test_dawid_skene_recovers_known_accuracies_and_beats_majority() -> None:
    accuracy = [0.95, 0.85, 0.6, 0.55, 0.5]
    ratings, truth = simulate(7, 4000, accuracy)
    ds = dawid_skene(ratings)
    assert ds.convergence is not None and ds.convergence.converged
    assert ds.priors is not None and ds.confusion is not None
    estimated = (ds.priors[None, :] * np.diagonal(ds.confusion, axis1=1, axis2=2)).sum(axis=1)
    assert np.abs(estimated - accuracy).max() < 0.03
    mv = majority(ratings, ties="random", seed=1)
    ds_acc = (ds.winner == truth).mean()
    mv_acc = (mv.winner == truth).mean()
    assert ds_acc > mv_acc + 0.03, (ds_acc, mv_acc)


def test_majority_ties_on_arrays() -> None:
    r = Ratings.of([0, 0, 1, 1, 1], [0, 1, 0, 1, 2], [0, 1, 2, 2, 0], n_classes=3)
    m = majority(r)
    assert m.winner.tolist() == [-1, 2]
    assert m.tied[0].tolist() == [True, True, False] and not m.tied[1].any()
    assert m.posterior[1].tolist() == pytest.approx([1 / 3, 0, 2 / 3])


def test_third_party_prodigy_export_with_three_annotators(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real Prodigy textcat export as one annotator, two seeded copies with answers
    flipped as two more (a file without an annotator field is one annotator)."""
    real = corpus / "prodigy" / "annotated_github-issues-DOCUMENTATION-textcat.jsonl"
    lines_ = real.read_bytes().splitlines()
    files = [real]
    for n, seed in (("second.jsonl", 1), ("third.jsonl", 2)):
        rnd = random.Random(seed)
        out_lines = []
        for raw in lines_:
            obj = orjson.loads(raw)
            if obj["answer"] in ("accept", "reject") and rnd.random() < 0.15:
                obj["answer"] = "reject" if obj["answer"] == "accept" else "accept"
            out_lines.append(orjson.dumps(obj))
        (tmp_path / n).write_bytes(b"\n".join(out_lines) + b"\n")
        files.append(tmp_path / n)
    out = tmp_path / "adjudicated.jsonl"
    args = [str(PRODIGY_TEXT), *map(str, files), "-o", str(out), "--input-format", "prodigy"]
    code, report, err = run([*args, "--method", "dawid-skene", "--format", "json"], capsys)
    assert code == 0, err
    (p,) = json.loads(report)["problems"]
    assert p["task"] == "documentation" and p["items"] == 786
    acc = {q["annotator"]: q["accuracy"] for q in p["annotators"]}
    # the untouched file agrees with the aggregate almost everywhere, the copies ~85%
    assert acc[real.name] > 0.97
    assert 0.8 < acc["second.jsonl"] < 0.9 and 0.8 < acc["third.jsonl"] < 0.9
    real_values = {
        r["id"]: r.get("documentation")
        for r in (orjson.loads(x) for x in out.read_bytes().splitlines())
    }
    assert len(real_values) == 830
    assert sum(v is True for v in real_values.values()) == pytest.approx(261, abs=15)
    assert main(["validate", str(PRODIGY_TEXT), str(out)]) == 0, capsys.readouterr().out


def test_dawid_skene_matches_crowd_kit() -> None:
    """Cross-check with crowd-kit's DawidSkene when it is installed (an optional extra: it
    pulls in transformers). On the anaesthesia data both give the same class to every
    patient and priors within 1e-3 (crowd-kit stops at a point of lower likelihood,
    -192.909 against -192.891); on simulated data the posteriors agree to 1e-5."""
    crowdkit = pytest.importorskip("crowdkit.aggregation")
    import pandas as pd

    data = ds1979()
    df = pd.DataFrame(data, columns=["task", "worker", "label"])
    theirs = crowdkit.DawidSkene(n_iter=1000, tol=1e-12).fit(df)
    ratings = Ratings.of(*(np.array([row[c] - 1 for row in data]) for c in range(3)))
    ours = dawid_skene(ratings, max_iter=1000, tol=1e-14)
    assert ours.priors is not None
    assert (theirs.labels_.sort_index().to_numpy() - 1 == ours.winner).all()
    assert np.abs(theirs.priors_.sort_index().to_numpy() - ours.priors).max() < 1e-3
    sim, _ = simulate(3, 5000, [0.9, 0.8, 0.7, 0.6, 0.5])
    df = pd.DataFrame({"task": sim.item, "worker": sim.rater, "label": sim.label})
    theirs = crowdkit.DawidSkene(n_iter=1000, tol=1e-12).fit(df)
    ours = dawid_skene(sim, max_iter=1000, tol=1e-14)
    probas = theirs.probas_.sort_index()[[0, 1, 2]].to_numpy()
    assert np.abs(probas - ours.posterior).max() < 1e-5
