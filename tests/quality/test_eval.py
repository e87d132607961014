"""``guidekit eval`` end to end: scores per edge case, what is excluded and why, the paired
comparison, the edge-case acceptance threshold, every report format, third-party input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guidekit.cli import main
from guidekit.compiler.pipeline import load
from guidekit.quality.evaluation import mcnemar, wilson

ROOT = Path(__file__).resolve().parents[2]
TICKETS = ROOT / "guidelines" / "support-tickets"
COCO_ABC = ROOT / "tests" / "fixtures" / "bridges" / "coco-abc"


def _answers() -> list[dict[str, Any]]:
    """A prediction per evaluation item that is exactly its key."""
    g = load(TICKETS)
    return [{"ticket_id": i.id, **i.labels} for i in g.evaluation.items]


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _json(capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], str]:
    cap = capsys.readouterr()
    return json.loads(cap.out), cap.err


def _group(report: dict[str, Any], task: str, kind: str, name: str) -> dict[str, Any]:
    t = next(t for t in report["tasks"] if t["task"] == task)
    return next(g for g in t["groups"] if g["kind"] == kind and g["name"] == name)


def test_perfect_predictions_meet_every_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    preds = _write(tmp_path / "preds.jsonl", _answers())
    assert main(["eval", str(TICKETS), str(preds), "--format", "json"]) == 0
    report, err = _json(capsys)
    assert report["accepted"] and report["excluded"] == []
    assert {a["edge_case"] for a in report["acceptance"]} == {"EC-001", "EC-002", "EC-012"}
    assert all(a["status"] == "met" for a in report["acceptance"])
    ec = _group(report, "intent", "edge_case", "EC-001")
    assert ec["items"] == 2 and ec["f1"] == 1.0
    spans = next(t for t in report["tasks"] if t["task"] == "entities")
    assert spans["overall"]["f1"] == 1.0  # spans matched by the task's own matching
    assert "Traceback" not in err


def test_a_missed_edge_case_fails_with_its_reason_and_bad_input_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = _answers()
    for r in records:
        if r["ticket_id"] in ("EV-002", "EC-002"):
            r["intent"] = "general_feedback"  # the sarcasm edge case, got wrong twice
        if r["ticket_id"] == "EC-012":
            r["intent"] = "no_such_class"
    records.append({"ticket_id": "NOT-AN-ITEM", "intent": "damaged_item"})
    records.append({"ticket_id": "EV-001", "intent": "other_request"})  # repeated
    preds = _write(tmp_path / "preds.jsonl", records)
    assert main(["eval", str(TICKETS), str(preds), "--format", "json"]) == 1
    report, err = _json(capsys)
    assert not report["accepted"]
    status = {a["edge_case"]: (a["status"], a["f1"]) for a in report["acceptance"]}
    assert status["EC-002"] == ("failed", 0.0)
    # EV-003 right; EC-012's own label is unreadable: a miss (fn), and no class gains a fp
    assert status["EC-012"] == ("failed", pytest.approx(2 / 3))
    assert status["EC-001"] == ("met", 1.0)
    n = len(records)
    assert f"preds.jsonl:{n - 1}: GK609" in err and "'NOT-AN-ITEM'" in err
    assert f"preds.jsonl:{n}: GK609" in err and "predicted more than once" in err
    assert "GK610" in err and "'no_such_class'" in err and "scored as wrong" in err
    assert "GK611" in err and "edge case 'EC-002'" in err
    excluded = {e["what"]: e["count"] for e in report["excluded"]}
    assert excluded["predictions for unknown items"] == 1
    assert excluded["repeated predictions"] == 1
    # the unreadable label stays in the denominator: 2 items of EC-012, one right
    assert _group(report, "intent", "edge_case", "EC-012")["items"] == 2
    assert "Traceback" not in err


def test_compare_says_which_edge_cases_got_worse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _write(tmp_path / "good.jsonl", _answers())
    worse = _answers()
    for r in worse:
        if "EC-001" in r["ticket_id"] or r["ticket_id"] in ("EV-001", "EC-004"):
            r["intent"] = "wrong_item"
    bad = _write(tmp_path / "bad.jsonl", worse)
    code = main(["eval", str(TICKETS), str(good), "--compare", str(bad), "--format", "json"])
    assert code == 0  # thresholds are judged on PREDICTIONS, the first file
    report, _ = _json(capsys)
    rows = {(r["kind"], r["name"]): r for r in report["comparison"][0]["rows"]}
    ec = rows["edge_case", "EC-001"]
    assert (ec["only_a_right"], ec["only_b_right"], ec["change"]) == (2, 0, "worse")
    assert ec["p_value"] == 0.5  # exact McNemar, 2 discordant pairs
    assert rows["edge_case", "EC-002"]["change"] == "same"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_every_format_writes_through_outputs(
    tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    preds = _write(tmp_path / "preds.jsonl", _answers())
    out = tmp_path / f"report.{fmt}"
    assert main(["eval", str(TICKETS), str(preds), "--format", fmt, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert ("EC-012" in text and "Excluded" in text) or fmt == "json"
    if fmt == "html":
        assert text.startswith("<!doctype html>") and "<table>" in text
    capsys.readouterr()


def test_no_key_is_a_located_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    preds = _write(tmp_path / "p.jsonl", [{"image_id": 1}])
    assert main(["eval", str(COCO_ABC), str(preds)]) == 1
    err = capsys.readouterr().err
    assert "GK608" in err and "no evaluation items and no --gold" in err
    assert main(["eval", str(TICKETS), str(tmp_path / "missing.jsonl")]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_third_party_coco_predictions_against_a_gold_delivery(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Datumaro's COCO file, read by the COCO reader, as both predictions and gold: the
    boxes and polygons are matched by IoU and agree with themselves."""
    path = corpus / "coco" / "datumaro_instances_val.json"
    assert main(["eval", str(COCO_ABC), str(path), "--gold", str(path), "--format", "json"]) == 0
    report, err = _json(capsys)
    scores = {t["task"]: t["overall"] for t in report["tasks"]}
    assert scores["boxes"]["f1"] == 1.0 and scores["boxes"]["items"] >= 1
    assert "Traceback" not in err


def test_wilson_and_mcnemar_match_published_values() -> None:
    lo, hi = wilson(8, 10) or (0, 0)
    assert (round(lo, 3), round(hi, 3)) == (0.490, 0.943)  # Newcombe (1998), 95 %
    assert wilson(0, 0) is None
    assert mcnemar(0, 6) == pytest.approx(2 / 64)
    assert mcnemar(3, 3) == 1.0


def test_accept_evaluates_the_edge_case_criterion_or_says_what_it_needs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`acceptance.edge_cases` is part of the acceptance decision: not measured (with what it
    needs) without predictions, scored per edge case with --predictions."""
    answers = _answers()
    delivery = _write(tmp_path / "delivery.jsonl", answers)
    assert main(["accept", str(TICKETS), str(delivery), "--format", "json"]) in (0, 1)
    report = json.loads(capsys.readouterr().out)
    crit = [c for c in report["criteria"] if c["kind"] == "edge_cases"]
    assert [c["status"] for c in crit] == ["not_measured"]
    assert "pass --predictions, or run `guidekit eval`" in crit[0]["reason"]
    worse = [
        {**a, "intent": "general_feedback"} if a["ticket_id"] == "EC-002" else a for a in answers
    ]
    preds = _write(tmp_path / "preds.jsonl", worse)
    args = ["accept", str(TICKETS), str(delivery), "--predictions", str(preds)]
    assert main([*args, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    crit = {c["name"]: c for c in report["criteria"] if c["kind"] == "edge_cases"}
    assert set(crit) == {f"edge_cases intent EC-00{n} F1" for n in (1, 2)} | {
        "edge_cases intent EC-012 F1"
    }
    assert crit["edge_cases intent EC-002 F1"]["status"] == "failed"
    assert crit["edge_cases intent EC-002 F1"]["value"] == 0.5
    assert crit["edge_cases intent EC-001 F1"]["status"] == "met"
    assert report["decision"] == "reject"
