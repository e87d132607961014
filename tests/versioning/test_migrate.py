"""`guidekit migrate` on deliveries of the support-tickets example, across the scenario's
major release (2.3.0 -> 3.0.0), read from a real repository."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest

import guidekit
from conftest import GUIDELINES
from guidekit.cli import main
from guidekit.versioning.migrate import MARKER, migrate_file

from .helpers import Git, edit, find
from .scenarios import support_tickets

ST = "guidelines/support-tickets"


def rec(i: int, intent: Any, **more: Any) -> dict[str, Any]:
    out = {
        "ticket_id": f"T-{i}",
        "body": "Please sort this out for me today.",
        "channel": "email",
        "intent": intent,
        "urgency": "low",
        "entities": [],
        "annotator": "ann-1",
        "status": "labelled",
        "guideline_version": "2.3.0",
    }
    out.update(more)
    return out


AMOUNT = {"start": 0, "end": 5, "label": "AMOUNT"}
LINES: list[bytes] = [
    orjson.dumps(rec(1, "login_problem")),  # renamed
    orjson.dumps(rec(2, "billing_dispute")),  # split
    orjson.dumps(rec(3, "refund_request")),  # unchanged
    orjson.dumps(rec(4, "refund_request", entities=[AMOUNT])),  # AMOUNT now needs a currency
    orjson.dumps(
        rec(5, "refund_request", entities=[{**AMOUNT, "attributes": {"currency": "EUR"}}])
    ),
    orjson.dumps(rec(6, "order_problem")),  # deprecated before, split: re-annotate
    orjson.dumps(rec(7, "sign_in_problem", guideline_version="3.0.0")),  # done already
    orjson.dumps(rec(8, "login_problem", guideline_version="2.2.0")),  # another version
    b"{not json",
    b"",
    orjson.dumps(rec(9, "no_such_class")),  # unknown label, left alone
    orjson.dumps(rec(10, None, skip="spam", urgency=None, entities=None)),  # skipped item
    orjson.dumps(rec(11, "login_problem")).replace(b'"login_problem"', b'"login_problem" '),
]


@pytest.fixture
def st_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Git:
    git = Git(tmp_path / "repo")
    shutil.copytree(GUIDELINES / "support-tickets", git.root / ST)
    git.commit("2.3.0", date="2024-01-01T12:00:00Z")
    git.tag("v2.3.0")
    support_tickets(git.root / ST)
    git.commit("3.0.0", date="2024-02-01T12:00:00Z")
    monkeypatch.chdir(git.root)
    return git


@pytest.fixture
def delivery(st_repo: Git) -> Path:
    path = st_repo.root / "batch-07.jsonl"
    text = b"\n".join(LINES) + b"\n"
    path.write_bytes(
        text.replace(
            orjson.dumps(rec(3, "refund_request")) + b"\n",
            orjson.dumps(rec(3, "refund_request")) + b"\r\n",
        )
    )
    return path


def test_migration_through_the_cli(
    st_repo: Git, delivery: Path, capsys: pytest.CaptureFixture[str], golden
) -> None:  # type: ignore[no-untyped-def]
    code = main(
        ["migrate", "batch-07.jsonl", "--from", "2.3.0", "--to", ST, "--report", "report.md"]
    )
    out, err = capsys.readouterr()
    assert code == 1  # one unreadable line: reported, copied, exit 1
    assert "batch-07.jsonl:9: GK710 line 9 is not valid JSON; copied unchanged" in err
    assert "batch-07.jsonl:8: GK711 [warning] record made under version 2.2.0" in err
    src = delivery.read_bytes().split(b"\n")
    dst = (st_repo.root / "batch-07.migrated.jsonl").read_bytes().split(b"\n")
    assert len(src) == len(dst)  # never drops a line
    rows = {i: orjson.loads(line) for i, line in enumerate(dst, 1) if line.startswith(b'{"')}

    assert rows[1]["intent"] == "sign_in_problem" and rows[1]["guideline_version"] == "3.0.0"
    assert MARKER not in rows[1]
    assert rows[2]["intent"] == "billing_dispute" and rows[2][MARKER] == ["intent"]
    assert rows[2]["guideline_version"] == "3.0.0"
    # a refund request without ORDER_ID: refund-needs-order is an error in 3.0.0, so the
    # record is still invalid and keeps its old stamp, byte for byte (CRLF kept)
    assert dst[2] == src[2] and src[2].endswith(b"\r")
    assert rows[4][MARKER] == ["entities"]
    assert dst[4] == src[4]  # a currency was given, but no ORDER_ID either
    assert rows[6][MARKER] == ["intent"]
    assert dst[6] == src[6] and dst[7] == src[7] and dst[8] == src[8] and dst[9] == src[9]
    assert dst[10] == src[10]  # unknown label: still invalid, left alone with its old stamp
    # valid under 3.0.0 as it is: only the version stamp changes (no --stamp-all needed)
    assert rows[12] == {**orjson.loads(src[11]), "guideline_version": "3.0.0"}
    assert rows[13]["intent"] == "sign_in_problem"
    assert list(rows[1]) == list(orjson.loads(src[0]))  # key order kept
    golden(
        "versioning/migration-report.md", (st_repo.root / "report.md").read_text(encoding="utf-8")
    )
    assert "records read" in out and "rewrote intent: login_problem → sign_in_problem (2)" in out
    assert "line 11 (T-9): still invalid: GK515 'no_such_class' is not a class" in out
    assert "line 3 (T-3): still invalid: GK538 A refund request without an ORDER_ID" in out
    assert "line 2 (T-2): re-annotate: intent: billing_dispute split into" in out
    assert (
        "line 4 (T-4): re-annotate: entities: AMOUNT: attribute `currency` is now required" in out
    )


def test_counts_add_up(st_repo: Git, delivery: Path) -> None:
    old = guidekit.load(GUIDELINES / "support-tickets")
    new = guidekit.load(st_repo.root / ST)
    r = migrate_file(delivery, old, new, output=None)
    assert (r.records, r.blank) == (12, 1)
    parts = (
        r.rewritten,
        r.valid,
        r.reannotate,
        r.invalid,
        r.already_current,
        r.other_version,
        r.unreadable,
    )
    assert parts == (2, 1, 3, 3, 1, 1, 1)
    assert [(o.line, o.outcome) for o in r.outcomes] == [
        (2, "reannotate"),
        (3, "invalid"),  # the warning rule refund-needs-order became an error
        (4, "reannotate"),
        (5, "invalid"),
        (6, "reannotate"),
        (11, "invalid"),  # a label no version knows
    ]
    assert sum(parts) == r.records
    assert dict(r.rewrites["intent"]) == {("login_problem", "sign_in_problem"): 2}
    assert dict(r.needs["intent"]) == {"billing_dispute": 1, "order_problem": 1}
    assert r.why[("intent", "billing_dispute")] == "split into duplicate_charge, wrong_amount"
    assert dict(r.needs["entities"]) == {"AMOUNT (currency)": 1}
    assert dict(r.unknown_labels["intent"]) == {"no_such_class": 1}
    assert dict(r.versions) == {"2.3.0": 9, "3.0.0": 1, "2.2.0": 1}


def test_second_run_changes_nothing(st_repo: Git, delivery: Path) -> None:
    old = guidekit.load(GUIDELINES / "support-tickets")
    new = guidekit.load(st_repo.root / ST)
    once = st_repo.root / "once.jsonl"
    twice = st_repo.root / "twice.jsonl"
    migrate_file(delivery, old, new, output=once)
    r = migrate_file(once, old, new, output=twice)
    assert once.read_bytes() == twice.read_bytes()
    assert r.rewritten == 0 and r.reannotate == 0


def test_stamp_all(st_repo: Git, delivery: Path) -> None:
    old = guidekit.load(GUIDELINES / "support-tickets")
    new = guidekit.load(st_repo.root / ST)
    out = st_repo.root / "stamped.jsonl"
    r = migrate_file(delivery, old, new, output=out, stamp_all=True)
    assert r.invalid == 3  # stamped all the same
    rows = [orjson.loads(x) for x in out.read_bytes().splitlines() if x.startswith(b'{"')]
    assert all(row["guideline_version"] in ("3.0.0", "2.2.0") for row in rows)


def test_dry_run_and_json_report(
    st_repo: Git, delivery: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "migrate",
            str(delivery),
            "--from",
            "v2.3.0",
            "--to",
            ST,
            "--dry-run",
            "--report",
            "r.json",
        ]
    )
    capsys.readouterr()
    assert code == 1
    assert not (st_repo.root / "batch-07.migrated.jsonl").exists()
    doc = json.loads((st_repo.root / "r.json").read_text())
    assert doc["counts"]["needs_reannotation"] == 3 and doc["output"] is None
    assert doc["needs_reannotation"]["intent"][0] == {
        "label": "billing_dispute",
        "why": "split into duplicate_charge, wrong_amount",
        "labels": 1,
    }


def test_in_place(st_repo: Git, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = st_repo.root / "small.jsonl"
    path.write_bytes(orjson.dumps(rec(1, "login_problem")) + b"\n")
    assert main(["migrate", str(path), "--from", "v2.3.0", "--to", ST, "--in-place"]) == 0
    assert orjson.loads(path.read_bytes())["intent"] == "sign_in_problem"
    assert not list(st_repo.root.glob(".guidekit-*"))  # no temporary file left behind


def test_merge_in_a_multi_label_task(helpdesk: Path, tmp_path: Path) -> None:
    """Two labels merged into one become one label, not two copies of it."""

    def topics(g: dict[str, Any]) -> None:
        g["tasks"]["topics"] = {
            "type": "multi",
            "required": False,
            "classes": ["price", "cost", "speed"],
        }

    edit(helpdesk, "guideline.yaml", topics)
    old = guidekit.load(helpdesk)
    new_dir = tmp_path / "new"
    shutil.copytree(helpdesk, new_dir)

    def merge(g: dict[str, Any]) -> None:
        g["version"] = "1.1.0"
        g["tasks"]["topics"]["classes"] = [
            "price",
            {"id": "cost", "deprecated": True, "replaced_by": "price"},
            "speed",
        ]

    edit(new_dir, "guideline.yaml", merge)
    new = guidekit.load(new_dir)
    src = tmp_path / "d.jsonl"
    src.write_bytes(orjson.dumps({"ticket_id": "1", "topics": ["cost", "price", "speed"]}) + b"\n")
    out = tmp_path / "o.jsonl"
    r = migrate_file(src, old, new, output=out)
    assert orjson.loads(out.read_bytes()) == {
        "ticket_id": "1",
        "topics": ["price", "speed"],
        "guideline_version": "1.1.0",
    }
    # rewritten, but the record lacks the fixture's required tasks: the report says so
    assert r.invalid == 1
    assert "GK511 no value for task 'intent'" in r.outcomes[0].reasons


def test_new_required_task_marks_records(helpdesk: Path, tmp_path: Path) -> None:
    old = guidekit.load(helpdesk)

    def add(g: dict[str, Any]) -> None:
        g["version"] = "2.0.0"
        g["tasks"]["sentiment"] = {"type": "single", "classes": ["positive", "negative"]}

    edit(helpdesk, "guideline.yaml", add)
    new = guidekit.load(helpdesk)
    src = tmp_path / "d.jsonl"
    src.write_bytes(b'{"ticket_id": "1", "intent": "other"}\n{"ticket_id": "2", "skip": "empty"}\n')
    out = tmp_path / "o.jsonl"
    r = migrate_file(src, old, new, output=out)
    first, second = out.read_bytes().splitlines()
    assert orjson.loads(first)[MARKER] == ["sentiment"]
    assert second == b'{"ticket_id": "2", "skip": "empty"}'  # skipped items need no task
    assert dict(r.missing_tasks) == {"sentiment": 1}


def test_csv_is_migrated_into_json_lines(
    helpdesk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A CSV delivery is read with its reader and written as JSON Lines (it used to be GK712);
    --in-place cannot replace it with another format."""
    edit(helpdesk, "guideline.yaml", lambda g: g["delivery"].update(format="csv"))
    src = tmp_path / "d.csv"
    src.write_text("ticket_id,intent\n1,other\n")
    args = ["migrate", str(src), "--from", str(helpdesk), "--to", str(helpdesk)]
    assert main([*args, "--in-place"]) == 2
    code = main(args)
    out = capsys.readouterr().out
    assert "1  records read" in out, out
    [line] = (tmp_path / "d.migrated.jsonl").read_text().splitlines()
    assert json.loads(line)["intent"] == "other"
    assert src.read_text() == "ticket_id,intent\n1,other\n"
    assert code == 1 and "still invalid" in out  # the helpdesk requires more tasks


def test_the_rarer_changes(helpdesk: Path, tmp_path: Path) -> None:
    """A dropped alias, a task whose type changed, a removed skip reason, renamed metadata."""
    old = guidekit.load(helpdesk)

    def change(g: dict[str, Any]) -> None:
        g["version"] = "2.0.0"
        g["tasks"]["urgency"]["type"] = "single"
        g["scope"]["skip_reasons"].pop("empty")
        g["delivery"]["metadata"] = {"annotator": "labeller"}

    edit(helpdesk, "guideline.yaml", change)
    edit(
        helpdesk,
        "taxonomy/intent.yaml",
        lambda items: find(items, "billing_dispute").update(aliases=[]),
    )
    new = guidekit.load(helpdesk)
    src = tmp_path / "d.jsonl"
    rows = [
        {"ticket_id": "1", "intent": "dispute", "annotator": "kim"},
        {"ticket_id": "2", "urgency": "high", "annotator": "kim"},
        {"ticket_id": "3", "skip": "empty"},
        {"ticket_id": "4", "intent": "other"},
    ]
    src.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    out = tmp_path / "o.jsonl"
    r = migrate_file(src, old, new, output=out)
    got = [orjson.loads(x) for x in out.read_bytes().splitlines()]
    assert got[0] == {
        "ticket_id": "1",
        "intent": "billing_dispute",
        "labeller": "kim",
        "guideline_version": "2.0.0",
    }
    assert got[1] == {  # ordinal -> single keeps every value: nothing to re-annotate
        "ticket_id": "2",
        "urgency": "high",
        "labeller": "kim",
        "guideline_version": "2.0.0",
    }
    assert got[2] == {
        "ticket_id": "3",
        "skip": "empty",
        MARKER: ["skip"],
        "guideline_version": "2.0.0",
    }
    assert got[3] == rows[3]
    assert ("urgency", "(any value)") not in r.why
    assert r.why[("skip", "empty")] == "skip reason removed"
    assert dict(r.rewrites["intent"]) == {("dispute", "billing_dispute"): 1}
