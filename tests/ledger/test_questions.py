"""``guidekit questions``: the question log, end to end on SQLite and a real PostgreSQL."""

from __future__ import annotations

import difflib
import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from sqlalchemy import update

from conftest import CORPUS
from guidekit import ledger
from guidekit.cli import main
from guidekit.ledger import schema as t
from quality.conftest import FIXTURE

ST = Path(__file__).resolve().parents[2] / "guidelines" / "support-tickets"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The quality tickets guideline, annotators pseudonymised."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "tickets"
    shutil.copytree(FIXTURE, out)
    doc = yaml.safe_load((out / "guideline.yaml").read_text())
    doc["governance"] = {"levels": ["public", "internal"], "pseudonymise": True}
    (out / "guideline.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    return out


def q(project: Path, url: str, *args: str) -> int:
    return main(["questions", *args, "-p", str(project), "--ledger", url])


def listed(project: Path, url: str, capsys: pytest.CaptureFixture[str], *args: str) -> list[Any]:
    capsys.readouterr()
    assert q(project, url, "list", "--format", "json", *args) == 0
    out: list[Any] = json.loads(capsys.readouterr().out)
    return out


def only_added(before: str, after: str) -> bool:
    """``after`` is ``before`` with lines inserted, none changed or removed."""
    ops = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines()).get_opcodes()
    return {op for op, *_ in ops} == {"equal", "insert"}


def test_add_answer_close_reopen(
    project: Path, ledger_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert q(project, ledger_url, "add", "Is a refund request billing?", "-c", "billing") == 0
    assert capsys.readouterr().out.strip() == "Q-1"
    args = ["add", "Late parcel, angry tone: urgency?", "-c", "urgency/high", "--by", "ann-7"]
    assert q(project, ledger_url, *args, "--item", "T-3", "--vendor", "acme") == 0
    assert capsys.readouterr().out.strip() == "Q-2"
    both = listed(project, ledger_url, capsys)
    assert [x["id"] for x in both] == ["Q-1", "Q-2"]
    assert both[1]["classes"] == ["urgency/high"] and both[1]["item"] == "T-3"
    # governance.pseudonymise: who asked is stored as a keyed hash, as annotators are
    assert both[1]["asked_by"].startswith("p-") and "ann-7" not in both[1]["asked_by"]

    args = ["answer", "Q-1", "-d", "A refund of a charge is billing.", "--label", "billing"]
    assert q(project, ledger_url, *args, "--version", "1.1.0") == 0
    capsys.readouterr()
    assert q(project, ledger_url, "show", "Q-1", "--format", "json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "answered" and shown["label"] == "intent/billing"
    assert shown["settled_version"] == "1.1.0" and shown["answered_at"]
    assert q(project, ledger_url, "close", "Q-1") == 0
    assert q(project, ledger_url, "close", "Q-1") == 1  # already closed
    assert "Q-1 is closed" in capsys.readouterr().err
    assert q(project, ledger_url, "reopen", "Q-1") == 0
    assert [x["status"] for x in listed(project, ledger_url, capsys)] == ["open", "open"]
    assert q(project, ledger_url, "show", "Q-1") == 0
    assert "Q-1 (open)" in capsys.readouterr().out


def test_bad_input_is_located_never_a_traceback(
    project: Path, ledger_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert q(project, ledger_url, "add", "?", "-c", "refunds") == 1
    err = capsys.readouterr().err
    assert "--class" in err and "GK046" in err and "unknown class 'refunds'" in err
    assert q(project, ledger_url, "add", "?", "-c", "intent/urgent") == 1
    assert "task 'intent' has no class 'urgent'" in capsys.readouterr().err
    assert q(project, ledger_url, "show", "Q-7") == 1
    assert "no question Q-7" in capsys.readouterr().err
    assert q(project, ledger_url, "show", "12") == 1
    assert "not a question id" in capsys.readouterr().err
    assert q(project, ledger_url, "list", "--older-than", "soon") == 2
    assert q(project, ledger_url, "list", "--status", "pending") == 2
    assert q(project, ledger_url, "add", "  ") == 2
    assert listed(project, ledger_url, capsys) == []  # nothing was written


def test_list_filters(project: Path, ledger_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert q(project, ledger_url, "add", "a", "-c", "billing", "--vendor", "acme") == 0
    assert q(project, ledger_url, "add", "b", "-c", "shipping", "--vendor", "bolt") == 0
    assert q(project, ledger_url, "add", "c", "-c", "billing", "-c", "shipping") == 0
    assert q(project, ledger_url, "answer", "Q-3", "-d", "shipping") == 0
    db = ledger.open(ledger_url)
    with db.transaction() as conn:  # Q-1 was asked 40 days ago
        old = datetime.now(timezone.utc) - timedelta(days=40)
        conn.execute(update(t.questions).where(t.questions.c.number == 1).values(asked_at=old))
    db.close()

    def ids(*args: str) -> list[str]:
        return [x["id"] for x in listed(project, ledger_url, capsys, *args)]

    assert ids("--status", "open") == ["Q-1", "Q-2"]
    assert ids("--status", "answered", "--status", "closed") == ["Q-3"]
    assert ids("--class", "billing") == ["Q-1", "Q-3"]
    assert ids("--class", "intent/shipping", "--status", "open") == ["Q-2"]
    assert ids("--vendor", "bolt") == ["Q-2"]
    assert ids("--older-than", "30d") == ["Q-1"]
    capsys.readouterr()
    assert q(project, ledger_url, "list", "--status", "open") == 0
    text = capsys.readouterr()
    assert text.out.splitlines()[0].startswith("Q-1  open") and "2 question(s)" in text.err


def test_csv_import_is_idempotent_and_located(
    project: Path, ledger_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "questions.csv"
    sheet.write_text(
        "id,text,classes,asked_by,item,asked_at,extra\n"
        "V-1,Is a voucher a refund?,billing;topics/refund,ann-1,T-1,2026-01-02,x\n"
        'V-2,"Parcel lost, customer angry",shipping,ann-2,T-2,2026-01-03T10:00,\n'
    )
    assert q(project, ledger_url, "import", str(sheet), "--vendor", "acme") == 0
    assert "imported 2 question(s)" in capsys.readouterr().err
    assert q(project, ledger_url, "import", str(sheet)) == 0
    assert "imported 0 question(s)" in capsys.readouterr().err
    found = listed(project, ledger_url, capsys)
    assert [x["id"] for x in found] == ["Q-1", "Q-2"]
    assert found[0]["classes"] == ["intent/billing", "topics/refund"]
    assert found[0]["asked_at"].startswith("2026-01-02") and found[0]["vendor"] == "acme"

    bad = tmp_path / "bad.csv"
    bad.write_text("text,classes\nfine,billing\nnot fine,refunds\n")
    assert q(project, ledger_url, "import", str(bad)) == 1
    err = capsys.readouterr().err
    assert "bad.csv:3" in err and "unknown class 'refunds'" in err
    assert len(listed(project, ledger_url, capsys)) == 2  # all or nothing
    (tmp_path / "notext.csv").write_text("question\nwhat?\n")
    assert q(project, ledger_url, "import", str(tmp_path / "notext.csv")) == 1
    assert "no 'text' column" in capsys.readouterr().err
    assert q(project, ledger_url, "import", str(tmp_path / "missing.csv")) == 1
    assert q(project, ledger_url, "import", str(sheet), "--from", "xml") == 2


def _delivery(tmp_path: Path, key: str = "question") -> Path:
    rows = [
        {"ticket_id": "T-1", "body": "Refund?", "intent": "billing", "annotator": "ann-1"},
        {"ticket_id": "T-2", "body": "Where?", "intent": "shipping", "annotator": "ann-2",
         key: "Is 'where is it' shipping or other?", "updated_at": "2026-02-01"},
        {"ticket_id": "T-3", "body": "Hm", "intent": "other", key: "  "},
    ]  # fmt: skip
    path = tmp_path / "delivery.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def test_import_from_a_delivery(
    project: Path, ledger_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    delivery = _delivery(tmp_path)
    assert q(project, ledger_url, "import", str(delivery), "--batch", "B-1") == 0
    assert q(project, ledger_url, "import", str(delivery)) == 0
    [found] = listed(project, ledger_url, capsys)
    assert found["item"] == "T-2" and found["classes"] == ["intent/shipping"]
    assert found["batch"] == "B-1" and found["source"] == "delivery"
    assert found["asked_by"].startswith("p-") and found["asked_at"].startswith("2026-02-01")
    other = _delivery(tmp_path / "o", key="comment") if (tmp_path / "o").mkdir() is None else None
    assert other is not None
    assert q(project, ledger_url, "import", str(other), "--comment-field", "comment") == 0
    assert "imported 0" in capsys.readouterr().err  # the same question from the same item
    args = ["import", str(other), "--from", "csv", "--comment-field", "comment"]
    assert q(project, ledger_url, *args) == 2


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs the shared corpus")
def test_import_label_studio_comments(
    project: Path, ledger_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the corpus's real exports carry the comment fields but no comment: nothing to import
    for src in sorted((CORPUS / "labelstudio").glob("sdk_export_*.json")):
        assert q(project, ledger_url, "import", str(src)) == 0, src
    assert listed(project, ledger_url, capsys) == []
    # the same export with a task comment and a commented history entry, as Label Studio writes
    data = json.loads((CORPUS / "labelstudio" / "sdk_export_csv_test_history.json").read_text())
    task = data[0]
    ann = task["annotations"][0]
    ann["result"][0]["value"]["choices"] = ["billing"]
    ann["history"][0]["comment"] = "Is a chargeback billing or fraud?"
    ann["history"][0]["comment_id"] = 77
    task["comments"] = [
        {"id": 5, "text": "Which class for a thank-you?", "created_by": 14,
         "created_at": "2024-05-15T12:10:00Z", "annotation": ann["id"]},
    ]  # fmt: skip
    export = tmp_path / "project-24.json"
    export.write_text(json.dumps(data))
    assert q(project, ledger_url, "import", str(export)) == 0
    assert q(project, ledger_url, "import", str(export)) == 0
    found = listed(project, ledger_url, capsys)
    assert sorted(x["text"] for x in found) == [
        "Is a chargeback billing or fraud?",
        "Which class for a thank-you?",
    ]
    assert all(x["item"] == str(task["id"]) for x in found)
    assert all(x["classes"] == ["intent/billing"] for x in found)
    assert all(x["asked_by"].startswith("p-") for x in found)  # sergei@heartex.test, hashed
    (tmp_path / "broken.json").write_text("{not json")
    assert q(project, ledger_url, "import", str(tmp_path / "broken.json")) == 1


def test_promote_writes_an_edge_case_the_guideline_checks_with(
    project: Path, ledger_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    delivery = _delivery(tmp_path)
    assert q(project, ledger_url, "import", str(delivery)) == 0
    assert q(project, ledger_url, "promote", "Q-1") == 1  # not answered yet
    assert "not answered yet" in capsys.readouterr().err
    args = ["answer", "Q-1", "-d", "Asking where a parcel is: shipping.", "--label", "shipping"]
    assert q(project, ledger_url, *args) == 0
    before = (project / "guideline.yaml").read_text()
    assert q(project, ledger_url, "promote", "Q-1", "--since", "1.0.0") == 0
    after = (project / "guideline.yaml").read_text()
    assert only_added(before, after)
    assert "id: EC-002" in after and "question: Is 'where is it' shipping or other?" in after
    assert main(["check", str(project)]) == 0
    from guidekit.compiler.pipeline import load

    [ec] = [e for e in load(project).tasks["intent"].all_edge_cases() if e.id == "EC-002"]
    assert ec.class_id == "shipping" and ec.record["body"] == "Where?"
    capsys.readouterr()
    assert q(project, ledger_url, "show", "Q-1", "--format", "json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["edge_case"], shown["settled_version"]) == ("EC-002", "1.0.0")

    # a second case of a class that has edge cases goes at the end of its list
    assert q(project, ledger_url, "add", "Thanks + complaint?", "--item", "T-2", "--file",
             str(delivery)) == 0  # fmt: skip
    assert q(project, ledger_url, "answer", "Q-2", "-d", "Thanks only", "--label", "other") == 0
    middle = (project / "guideline.yaml").read_text()
    assert q(project, ledger_url, "promote", "Q-2") == 0
    assert only_added(middle, (project / "guideline.yaml").read_text())
    assert main(["check", str(project)]) == 0
    cases = [e.id for e in load(project).tasks["intent"].all_edge_cases()]
    assert sorted(cases) == ["EC-001", "EC-002", "EC-003"]

    # a stub that would not check is not left behind
    now = (project / "guideline.yaml").read_bytes()
    assert q(project, ledger_url, "answer", "Q-2", "-d", "x", "--label", "billing") == 0
    assert q(project, ledger_url, "promote", "Q-2", "--record", '{"body": 12}') == 1
    assert (project / "guideline.yaml").read_bytes() == now
    assert q(project, ledger_url, "promote", "Q-2", "--record", "[1]") == 1
    assert q(project, ledger_url, "promote", "Q-9") == 1
    # a class written as a bare id (`classes: [low, medium, ...]`) cannot hold edge cases
    assert q(project, ledger_url, "answer", "Q-2", "-d", "x", "--label", "urgency/high") == 0
    capsys.readouterr()
    assert q(project, ledger_url, "promote", "Q-2") == 1
    assert "urgency/high is written as a bare id" in capsys.readouterr().err
    assert (project / "guideline.yaml").read_bytes() == now


def test_promote_into_an_included_edge_case_file(
    tmp_path: Path, ledger_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "st"
    shutil.copytree(ST, project)
    doc = yaml.safe_load((project / "guideline.yaml").read_text())
    assert doc["tasks"]["intent"]["edge_cases"] == {"include": "taxonomy/intent-edge-cases.yaml"}
    taxonomy = (project / "taxonomy" / "intent.yaml").read_text()
    taxonomy = taxonomy.replace(
        "- id: delivery_status\n", "- id: delivery_status\n  edge_cases: {include: ds.yaml}\n"
    )
    (project / "taxonomy" / "intent.yaml").write_text(taxonomy)
    (project / "taxonomy" / "ds.yaml").write_text(
        "- id: EC-100\n  channel: chat\n  body: Still nothing.\n  decision: delivery_status\n"
    )
    assert main(["check", str(project)]) == 0
    assert q(project, ledger_url, "add", "Sarcasm?", "-c", "general_feedback") == 0
    args = ["answer", "Q-1", "-d", "Sarcasm about a parcel: status.", "--label", "delivery_status"]
    assert q(project, ledger_url, *args) == 0
    record = '{"channel": "chat", "body": "Lovely, day nine without my parcel."}'
    assert q(project, ledger_url, "promote", "Q-1", "--record", record) == 0
    added = (project / "taxonomy" / "ds.yaml").read_text()
    assert added.startswith("- id: EC-100\n") and "- id: EC-101\n" in added
    assert (project / "taxonomy" / "intent.yaml").read_text() == taxonomy  # untouched
    assert main(["check", str(project)]) == 0


def test_status_and_report_show_unresolved_volume_and_time_to_answer(
    project: Path, ledger_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for text in ("a", "b", "c"):
        assert q(project, ledger_url, "add", text, "-c", "billing") == 0
    assert q(project, ledger_url, "answer", "Q-3", "-d", "billing") == 0
    db = ledger.open(ledger_url)
    with db.transaction() as conn:
        now = datetime.now(timezone.utc)
        for n, days in ((1, 45), (3, 4)):
            conn.execute(
                update(t.questions)
                .where(t.questions.c.number == n)
                .values(asked_at=now - timedelta(days=days))
            )
    db.close()
    capsys.readouterr()
    assert main(["ledger", "status", str(project), "--ledger", ledger_url]) == 0
    out = capsys.readouterr().out
    assert "open questions" in out and "2 (1 under 7 days, 1 30-90 days)" in out
    assert "time to answer" in out and "median 4.0 d (n=1)" in out
    out_dir = tmp_path / "report"
    assert main(["ledger", "report", str(project), "--ledger", ledger_url, "-o", str(out_dir)]) == 0
    data = json.loads((out_dir / "ledger.json").read_text())["questions"]
    assert data["open"] == 2 and data["open_by_class"] == {"intent/billing": 2}
    assert round(data["median_days_to_answer"]) == 4
    assert "## Open questions by class" in (out_dir / "ledger.md").read_text()
    page = (out_dir / "index.html").read_text()
    assert "<h2>Open questions</h2>" in page and "intent/billing" in page


def test_a_ledger_from_before_the_question_log_is_upgraded(
    project: Path, ledger_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from guidekit.ledger.db import upgrade_to

    old = ledger.open(ledger_url, upgrade=False)
    upgrade_to(old, "0002")
    ledger.record(
        old,
        ledger.Run(
            batch="B-0",
            command="validate",
            guideline="qa-tickets",
            guideline_version="1.0.0",
            verdict="accept",
            files=[("b0.jsonl", "0" * 64)],
            report="{}",
        ),
    )
    old.close()
    assert q(project, ledger_url, "add", "After the upgrade?", "-c", "other") == 0
    assert [x["id"] for x in listed(project, ledger_url, capsys)] == ["Q-1"]
    assert main(["ledger", "status", str(project), "--ledger", ledger_url]) == 0
    assert "latest batch: B-0" in capsys.readouterr().out


def test_two_processes_adding_at_once_get_distinct_numbers(
    project: Path, ledger_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess
    import sys

    assert q(project, ledger_url, "list") == 0  # create the schema first
    script = (
        "import sys\nfrom guidekit.cli import main\n"
        "for i in range(8):\n"
        "    assert main(['questions', 'add', f'{sys.argv[1]} {i}', '-p', sys.argv[2],"
        " '--ledger', sys.argv[3]]) == 0\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, name, str(project), ledger_url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for name in ("a", "b")
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    found = listed(project, ledger_url, capsys)
    assert sorted(x["id"] for x in found) == sorted(f"Q-{n}" for n in range(1, 17))
    assert len({x["text"] for x in found}) == 16
