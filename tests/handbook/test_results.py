"""``guidekit build --target handbook --results``: class pages show the common mistakes of
the latest quiz and evaluation, edge cases how often they were got right -- for readers
cleared for everything only (the audience choke point)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidekit.cli import main
from guidekit.compiler.pipeline import load

ROOT = Path(__file__).resolve().parents[2]
TICKETS = ROOT / "guidelines" / "support-tickets"


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[Path]:
    """A quiz report (bob labels the sarcastic late parcels billing_question) and an eval
    report (the model labels EC-002 general_feedback)."""
    items = load(TICKETS).evaluation.items
    answers, preds = [], []
    for i in items:
        for who in ("alice", "bob"):
            labels = dict(i.labels)
            if who == "bob" and i.id in ("EC-002", "EV-002"):
                labels["intent"] = "billing_question"
            answers.append({"ticket_id": i.id, "annotator": who, **labels})
        labels = dict(i.labels)
        if i.id == "EC-002":
            labels["intent"] = "general_feedback"
        preds.append({"ticket_id": i.id, **labels})
    quiz, ev = tmp_path / "quiz.json", tmp_path / "eval.json"
    a = _write(tmp_path / "answers.jsonl", answers)
    p = _write(tmp_path / "preds.jsonl", preds)
    assert main(["quiz", "score", str(TICKETS), str(a), "--format", "json", "-o", str(quiz)]) == 0
    main(["eval", str(TICKETS), str(p), "--format", "json", "-o", str(ev)])
    capsys.readouterr()
    return [quiz, ev]


def _build(out: Path, results: list[Path], *extra: str) -> int:
    args = ["build", str(TICKETS), "--target", "handbook", "--no-site", "-o", str(out)]
    for r in results:
        args += ["--results", str(r)]
    return main([*args, *extra])


def test_class_pages_show_common_mistakes_and_edge_cases_how_often_they_were_right(
    tmp_path: Path, results: list[Path]
) -> None:
    assert _build(tmp_path / "hb", results) == 0
    page = (tmp_path / "hb" / "docs" / "tasks" / "intent" / "delivery_status.md").read_text()
    assert "## Common mistakes" in page
    rows = page.split("## Common mistakes")[1]
    assert "| [Billing question](billing_question.md) | 2 | 0 |" in rows
    assert "| [General feedback](general_feedback.md) | 0 | 1 |" in rows
    log = (tmp_path / "hb" / "docs" / "edge-cases.md").read_text()
    ec2 = log.split("{#ec-002}")[1].split("\n## ")[0]
    # EC-002 tags two items: alice got both right, bob neither; the model one of two
    assert (
        "**Got right in the latest results:** annotators 50 % of 4 answers; "
        "the model 50 % of 2 answers." in ec2
    )
    # without --results the handbook has none of it
    assert _build(tmp_path / "plain", []) == 0
    plain = (tmp_path / "plain" / "docs" / "tasks" / "intent" / "delivery_status.md").read_text()
    assert "Common mistakes" not in plain


@pytest.mark.parametrize("audience", ["vendor", "annotator"])
def test_a_vendor_or_annotator_handbook_has_none_of_it(
    tmp_path: Path, results: list[Path], audience: str
) -> None:
    out = tmp_path / audience
    assert _build(out, results, "--audience", audience) == 0
    for page in (out / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert "Common mistakes" not in text and "Got right in the latest" not in text, page
    assert _build(tmp_path / "reviewer", results, "--audience", "reviewer") == 0
    reviewer = tmp_path / "reviewer" / "docs" / "tasks" / "intent" / "delivery_status.md"
    assert "Common mistakes" in reviewer.read_text()


def test_a_file_that_is_no_results_report_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"records": 3}', encoding="utf-8")
    assert _build(tmp_path / "hb", [bad]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: GK622" in err and "not the JSON report" in err
    assert _build(tmp_path / "hb", [tmp_path / "missing.json"]) == 1
    assert "GK622" in capsys.readouterr().err
    assert not (tmp_path / "hb").exists()
