"""``guidekit quiz build`` and ``guidekit quiz score`` end to end: a quiz per tool (golden),
seeded and without answers, only what the audience may see; scores per annotator, task,
class and edge case, the qualification verdict, wrong answers with what decides them and a
link into the handbook, a Label Studio export made with Label Studio's own SDK."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from guidekit import ir
from guidekit.audience import for_audience
from guidekit.cli import main
from guidekit.compiler.pipeline import load

ROOT = Path(__file__).resolve().parents[2]
TICKETS = ROOT / "guidelines" / "support-tickets"
TARGET_FILES = {
    "labelstudio": ["quiz-tasks.json", "labelstudio.xml", "quiz-manifest.json"],
    "cvat": ["quiz-annotations.xml", "cvat-labels.json", "quiz-manifest.json"],
    "argilla": ["quiz.jsonl", "argilla-settings.json", "quiz-manifest.json"],
    "jsonl": ["quiz.jsonl", "quiz-manifest.json"],
}


def _build(out: Path, *extra: str) -> int:
    return main(["quiz", "build", str(TICKETS), "-o", str(out), *extra])


def _key() -> dict[str, dict[str, Any]]:
    g = for_audience(load(TICKETS), "annotator")
    return {i.id: dict(i.labels) for i in g.evaluation.items}


def _class(cid: str) -> ir.Class:
    return next(c for c in load(TICKETS).tasks["intent"].classes if c.id == cid)


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize("target", sorted(TARGET_FILES))
def test_a_quiz_per_tool_is_golden_and_holds_no_answer(
    tmp_path: Path, target: str, golden: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / target
    assert _build(out, "--target", target, "--seed", "7", "--audience", "annotator") == 0
    assert "wrote a quiz of 13 items" in capsys.readouterr().out
    for name in TARGET_FILES[target]:
        golden(f"quiz/support-tickets.{target}.{name}", (out / name).read_bytes())
    items = (out / TARGET_FILES[target][0]).read_text(encoding="utf-8")
    # no answer: no right label of any item is in the items file (CVAT's lists every label
    # in its header, so there: no tag on any image)
    if target == "cvat":
        assert "<image " in items and "<tag " not in items
    else:
        assert "delivery_status" not in items and "billing_dispute" not in items
        assert "damaged_item" not in items and '"intent"' not in items
    assert "EV-003" not in items  # held out: never in a quiz
    assert "EC-003" not in items  # confidential: above the annotators' clearance
    assert json.loads((out / ".guidekit-output.json").read_text())["target"] == f"quiz:{target}"


def test_the_same_seed_gives_the_same_bytes_and_another_seed_another_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, seed in (("a", "1"), ("b", "1"), ("c", "2")):
        assert _build(tmp_path / name, "--target", "jsonl", "--seed", seed) == 0
    a, b, c = ((tmp_path / n / "quiz.jsonl").read_bytes() for n in "abc")
    assert a == b and a != c
    assert sorted(a.splitlines()) == sorted(c.splitlines())
    manifest = json.loads((tmp_path / "a" / "quiz-manifest.json").read_text())
    assert manifest["seed"] == 1 and "EV-003" not in manifest["items"]
    # without --audience every item but the held-out one, the confidential one included
    assert "EC-003" in manifest["items"] and len(manifest["items"]) == 14


def test_a_quiz_for_an_audience_that_may_see_no_item_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "vendor"
    assert _build(out, "--target", "labelstudio", "--audience", "vendor") == 1
    err = capsys.readouterr().err
    assert "GK620" in err and "audience 'vendor'" in err and "guideline.yaml:" in err
    assert not out.exists()
    assert _build(out, "--target", "labelstudio", "--audience", "nobody") == 1
    assert "GK011" in capsys.readouterr().err
    assert _build(out, "--target", "nope") == 2


def _answers(wrong: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """alice answers with the key; bob too, except for ``wrong`` (item -> labels)."""
    rows = []
    for item, labels in _key().items():
        rows.append({"ticket_id": item, "annotator": "alice", **labels})
        rows.append({"ticket_id": item, "annotator": "bob", **labels, **wrong.get(item, {})})
    return rows


BOB_WRONG = {
    "EC-002": {"intent": "general_feedback"},
    "EV-002": {"intent": "general_feedback"},
    "EC-007": {"intent": "billing_dispute"},
}


def test_score_per_annotator_with_verdicts_and_wrong_answers_ranked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _answers(BOB_WRONG)
    rows.append({"ticket_id": "EV-003", "annotator": "carol", "intent": "billing_dispute"})
    answers = _write(tmp_path / "answers.jsonl", rows)
    args = ["quiz", "score", str(TICKETS), str(answers), "--audience", "annotator"]
    assert main([*args, "--format", "json"]) == 0  # the verdict is in the report
    cap = capsys.readouterr()
    report = json.loads(cap.out)
    by = {a["annotator"]: a for a in report["annotators"]}
    assert by["alice"]["verdict"] == "pass" and by["alice"]["accuracy"] == 1.0
    assert by["bob"]["verdict"] == "fail"
    assert by["bob"]["tasks"]["intent"]["right"] == 5 and by["bob"]["tasks"]["intent"]["items"] == 8
    assert any("intent score 0.625 misses 0.75" in r for r in by["bob"]["reasons"])
    ec2 = next(g for g in by["bob"]["groups"]["intent"] if g["name"] == "EC-002")
    assert ec2["kind"] == "edge_case" and ec2["items"] == 2 and ec2["score"] == 0.0
    klass = next(g for g in by["bob"]["groups"]["intent"] if g["name"] == "delivery_status")
    assert klass["kind"] == "class" and klass["score"] == 0.0
    # carol answered only a held-out item: it is set aside (reported), and every quiz item
    # she left blank counts as wrong, so she is scored on the same items as the others
    assert by["carol"]["answered_items"] == 0 and by["carol"]["verdict"] == "fail"
    assert report["excluded"][0]["what"] == "answers for items not in the quiz"
    assert "GK609" in cap.err and "EV-003" in cap.err
    ranked = report["items_ranked"]
    assert [r["item"] for r in ranked[:3]] == ["EC-002", "EC-007", "EV-002"]
    assert ranked[0]["wrong"] == 2 and ranked[0]["annotators"] == ["bob", "carol"]
    decided = ranked[0]["decided_by"]
    assert decided[0]["kind"] == "edge_case" and decided[0]["id"] == "EC-002"
    assert decided[0]["link"] == "edge-cases.html#ec-002"
    assert decided[1] == {
        "kind": "class",
        "id": "delivery_status",
        "text": _class("delivery_status").definition,
        "link": "tasks/intent/delivery_status.html",
    }
    assert main([*args, "--require-pass"]) == 1
    err = capsys.readouterr().err
    assert "GK621" in err and "annotator 'bob' does not qualify" in err


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_the_calibration_report_links_into_the_handbook(
    tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = _write(tmp_path / "answers.jsonl", _answers(BOB_WRONG))
    out = tmp_path / f"report.{fmt}"
    args = ["quiz", "score", str(TICKETS), str(answers), "--audience", "annotator"]
    assert main([*args, "--format", fmt, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Not qualified: bob." in text
    assert text.index("EC-002") < text.index("EC-007")  # ranked by how many got it wrong
    if fmt == "markdown":
        assert "](<edge-cases.html#ec-002>)" in text
    if fmt == "html":
        assert '<a href="tasks/intent/delivery_status.html">' in text


def _taxonomy_path(intent: str) -> list[str]:
    path = [intent]
    while (parent := _class(path[0]).parent) is not None:
        path.insert(0, parent)
    return path


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the SDK's pydantic v1 calls
def test_a_label_studio_export_made_with_the_sdk_is_scored_per_annotator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The quiz imported into Label Studio and exported with two annotators' answers: the
    results are made by Label Studio's SDK from the quiz's own labelling config."""
    label_interface = pytest.importorskip("label_studio_sdk.label_interface")
    out = tmp_path / "ls"
    assert _build(out, "--target", "labelstudio", "--audience", "annotator", "--seed", "3") == 0
    capsys.readouterr()
    li = label_interface.LabelInterface((out / "labelstudio.xml").read_text(encoding="utf-8"))
    tasks = json.loads((out / "quiz-tasks.json").read_text(encoding="utf-8"))
    key = _key()
    for task in tasks:
        labels = key[task["data"]["ticket_id"]]
        task["annotations"] = []
        for n, who in enumerate(("ann@example.com", "ben@example.com"), 1):
            result = []
            intent = labels.get("intent")
            if who == "ben@example.com" and task["data"]["ticket_id"] == "EC-009":
                intent = "bug_report"
            if intent is not None:
                result.append(
                    {
                        "id": f"i{n}",
                        "from_name": "intent",
                        "to_name": "subject",
                        "type": "taxonomy",
                        "value": {"taxonomy": [_taxonomy_path(intent)]},
                    }
                )
            if labels.get("urgency") is not None:
                region = li.get_control("urgency").label(labels["urgency"])
                result.append(json.loads(region.to_json()))
            for k, span in enumerate(labels.get("entities") or []):
                result.append(
                    {
                        "id": f"e{n}{k}",
                        "from_name": "entities",
                        "to_name": "body",
                        "type": "labels",
                        "value": {
                            "start": span["start"],
                            "end": span["end"],
                            "text": span["text"],
                            "labels": [span["label"]],
                        },
                    }
                )
            task["annotations"].append(
                {
                    "id": task["id"] * 10 + n,
                    "completed_by": {"id": n, "email": who},
                    "result": result,
                    "was_cancelled": False,
                }
            )
    export = tmp_path / "project-1-at-2026-12-06.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    args = ["quiz", "score", str(TICKETS), str(export), "--audience", "annotator"]
    assert main([*args, "--format", "json"]) == 0
    cap = capsys.readouterr()
    report = json.loads(cap.out)
    by = {a["annotator"]: a for a in report["annotators"]}
    assert set(by) == {"ann@example.com", "ben@example.com"}, cap.err
    assert by["ann@example.com"]["accuracy"] == 1.0
    assert by["ann@example.com"]["tasks"]["entities"]["score"] == 1.0  # spans, own matching
    assert by["ben@example.com"]["right"] == by["ben@example.com"]["answers"] - 1
    wrong = report["wrong_answers"]
    assert [(w["item"], w["given"]) for w in wrong] == [("EC-009", "bug_report")]
    assert report["excluded"] == []


def test_qualification_naming_an_unknown_task_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "t"
    shutil.copytree(TICKETS, project)
    path = project / "guideline.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("per_task: {intent: 0.75}", "per_task: {intnet: 0.75}")
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(project)]) == 1
    err = capsys.readouterr()
    out = err.out + err.err
    assert "GK319" in out and "'intnet'" in out and "did you mean" in out.lower()
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if "intnet" in ln)
    assert f"guideline.yaml:{line}:" in out
    text = text.replace("per_task: {intnet: 0.75}", "per_task: {intent: 1.5}")
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(project)]) == 1


def test_the_documented_llm_example_runs_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The commands of site/docs/evaluation.md "Labelling with an LLM", run in order; the
    Python example runs with a stand-in for the model that answers from the key."""
    import shlex

    doc = (ROOT / "site" / "docs" / "evaluation.md").read_text(encoding="utf-8")
    section = doc.split("## Labelling with an LLM", 1)[1].split("\n## ", 1)[0]
    commands = section.split("```console\n", 1)[1].split("```", 1)[0].splitlines()
    marker = "<!-- this example runs in tests/quality/test_quiz.py -->\n```python\n"
    code = section.split(marker, 1)[1].split("```", 1)[0]
    (tmp_path / "guidelines").mkdir()
    (tmp_path / "guidelines" / "support-tickets").symlink_to(TICKETS)
    monkeypatch.chdir(tmp_path)
    key = _key()
    asked: list[str] = []

    def call_model(system: str, record: dict[str, Any], response_format: dict[str, Any]) -> Any:
        assert system.startswith("# Labelling task") and "json_schema" in response_format
        asked.append(record["ticket_id"])
        return {"intent": key[record["ticket_id"]].get("intent", "other")}

    codes = []
    for line in commands:
        args = shlex.split(line.removeprefix("$ "))
        if args[0] == "python":
            exec(compile(code, "label.py", "exec"), {"call_model": call_model})
            continue
        assert args[0] == "guidekit"
        codes.append(main(args[1:]))
    out = capsys.readouterr()
    assert codes == [0, 0, 0], out.err
    assert len(asked) == 13 and "EV-003" not in asked
    assert "Edge-case thresholds: all met." in out.out
    assert "Evaluation of predictions.jsonl on support-tickets" in out.out
