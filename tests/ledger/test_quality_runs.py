"""``accept``, ``audit score``, ``agreement`` and ``gold`` with ``--record``, then the ledger's
own commands (``status``, ``report``, ``prune``) over what they recorded."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from sqlalchemy import select, update

from guidekit import ledger
from guidekit.cli import main
from guidekit.ledger import schema as t
from quality.conftest import FIXTURE, pilot


def _jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


@pytest.fixture
def program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The tickets guideline (annotators pseudonymised, runs kept 30 days) and its files."""
    monkeypatch.chdir(tmp_path)
    project = tmp_path / "tickets"
    shutil.copytree(FIXTURE, project)
    doc = yaml.safe_load((project / "guideline.yaml").read_text())
    doc["governance"] = {
        "levels": ["public", "internal"],
        "default": "internal",
        "retention": "P1Y",
        "retention_by_level": {"internal": "P30D"},
        "pseudonymise": True,
    }
    (project / "guideline.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    records = pilot(seed=5, items=40, annotators=3, missing=0.1)
    final: dict[str, dict[str, Any]] = {}
    for r in records:
        final.setdefault(r["ticket_id"], {**r, "annotator": "vendor"})
    delivery = list(final.values())
    verdicts = [
        {"id": r["ticket_id"], "pass": i != 2, "defects": ["wrong_label"] if i == 2 else []}
        for i, r in enumerate(delivery[:10])
    ]
    gold = [{"ticket_id": r["ticket_id"], "intent": r["intent"]} for r in delivery[::2]]
    return {
        "project": project,
        "pilot": _jsonl(tmp_path / "pilot.jsonl", records),
        "delivery": _jsonl(tmp_path / "delivery.jsonl", delivery),
        "verdicts": _jsonl(tmp_path / "verdicts.jsonl", verdicts),
        "gold": _jsonl(tmp_path / "gold.jsonl", gold),
    }


def _record_all(p: dict[str, Path], url: str, batch: str) -> None:
    rec = ["--record", batch, "--vendor", "acme", "--ledger", url, "--format", "json"]
    proj = str(p["project"])
    assert (
        main(["agreement", proj, str(p["pilot"]), "-t", "intent", "--bootstrap", "20", *rec]) == 0
    )
    assert main(["gold", proj, str(p["gold"]), str(p["pilot"]), *rec]) == 0
    assert (
        main(["audit", "score", proj, str(p["verdicts"]), "--delivery", str(p["delivery"]), *rec])
        == 0
    )
    assert main(["accept", proj, str(p["delivery"]), "--audit", str(p["verdicts"]), *rec]) in (0, 1)


def test_quality_commands_record_their_figures(
    program: dict[str, Path], ledger_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _record_all(program, ledger_url, "Q1")
    err = capsys.readouterr().err
    for command in ("agreement", "gold", "audit score", "accept"):
        assert f"recorded {command} of batch Q1" in err
    db = ledger.open(ledger_url)
    with db.reading() as conn:
        runs = {r.command: r for r in conn.execute(select(t.runs))}
        assert set(runs) == {"agreement", "gold", "audit score", "accept"}
        assert (runs["audit score"].audit_passed, runs["audit score"].audit_total) == (9, 10)
        samples = conn.execute(
            select(t.audit_samples.c.run_id, t.audit_samples.c.item, t.audit_samples.c.outcome)
        ).all()
        for command in ("audit score", "accept"):
            mine = [(i, o) for r, i, o in samples if r == runs[command].id]
            assert len(mine) == 10 and [o for _, o in mine].count("fail") == 1
            assert all(i for i, _ in mine)  # the audited items themselves
        rows = conn.execute(select(t.agreement)).all()
        assert {(r.task, r.class_) for r in rows} >= {("intent", None), ("intent", "billing")}
        alpha = next(r for r in rows if r.class_ is None and r.measure == "krippendorff_alpha")
        assert alpha.low < alpha.value < alpha.high
        crit = conn.execute(select(t.criteria)).all()
        assert any(c.kind == "audit" and c.status == "met" for c in crit)
        people = (
            conn.execute(select(t.counts.c.key).where(t.counts.c.dimension == "annotator"))
            .scalars()
            .all()
        )
        # governance.pseudonymise: keyed hashes, in the counts and in the stored report
        assert people and all(p.startswith("p-") for p in people)
        assert "ann1" not in runs["gold"].report
        assert all(r.sensitivity == "internal" for r in runs.values())
        # accept counts the delivery by class, annotator and split
        by = conn.execute(
            select(t.counts.c.dimension, t.counts.c.key, t.counts.c.count).where(
                t.counts.c.run_id == runs["accept"].id
            )
        ).all()
        dims = {d for d, _, _ in by}
        assert {"class", "annotator"} <= dims
        classes = {k: n for d, k, n in by if d == "class" and k.startswith("intent/")}
        assert sum(classes.values()) == 40 and "intent/billing" in classes
        annotators = [k for d, k, _ in by if d == "annotator"]
        assert annotators and all(k.startswith("p-") for k in annotators)
    db.close()


def test_status_and_report_over_several_batches(
    program: dict[str, Path], ledger_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _record_all(program, ledger_url, "Q1")
    program["delivery"].write_bytes(program["delivery"].read_bytes() + b"\n")
    _record_all(program, ledger_url, "Q2")
    capsys.readouterr()
    assert main(["ledger", "status", str(program["project"]), "--ledger", ledger_url]) == 0
    out = capsys.readouterr().out
    assert "batches" in out and "audit pass rate" in out and "90.0%" in out
    dest = program["project"].parent / "dash"
    assert (
        main(["ledger", "report", str(program["project"]), "--ledger", ledger_url, "-o", str(dest)])
        == 0
    )
    page = (dest / "index.html").read_text()
    assert page.count("<svg") >= 2 and "http" not in page.split("<svg")[0]
    data = json.loads((dest / "ledger.json").read_text())
    assert [b["batch"] for b in data["batches"]] == ["Q1", "Q2"]
    assert data["audit"]["audited"] == 20 and data["audit"]["interval"][0] < 0.9
    people = data["annotators"]
    assert people and all(a["small_sample"] == (a["scored"] < 30) for a in people)
    assert "## Agreement" in (dest / "ledger.md").read_text()
    # a folder guidekit did not write is not overwritten
    mine = program["project"].parent / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    assert (
        main(["ledger", "report", str(program["project"]), "--ledger", ledger_url, "-o", str(mine)])
        == 1
    )
    assert "GK010" in capsys.readouterr().err


def test_report_without_matplotlib_stops_before_the_work(
    program: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    dest = program["project"].parent / "dash"
    assert main(["ledger", "report", str(program["project"]), "-o", str(dest)]) == 2
    assert "pip install 'guidekit[reports]'" in capsys.readouterr().err
    assert not dest.exists() and not (program["project"] / ".guidekit").exists()


def test_prune_by_retention_of_the_level(
    program: dict[str, Path], ledger_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _record_all(program, ledger_url, "OLD")
    program["delivery"].write_bytes(program["delivery"].read_bytes() + b"\n")
    _record_all(program, ledger_url, "NEW")
    db = ledger.open(ledger_url)
    long_ago = datetime.now(timezone.utc) - timedelta(days=40)  # internal: kept 30 days
    with db.transaction() as conn:
        old = select(t.revisions.c.id).join(t.batches).where(t.batches.c.name == "OLD")
        conn.execute(
            update(t.runs).where(t.runs.c.revision_id.in_(old)).values(recorded_at=long_ago)
        )
    capsys.readouterr()
    args = ["ledger", "prune", str(program["project"]), "--ledger", ledger_url]
    assert main([*args, "--dry-run"]) == 0
    assert "would delete 4 runs (4 internal), 2 revisions and 1 batches" in capsys.readouterr().out
    with db.reading() as conn:
        assert len(conn.execute(select(t.runs)).all()) == 8
    assert main(args) == 0
    assert "deleted 4 runs" in capsys.readouterr().out
    with db.reading() as conn:
        assert conn.execute(select(t.batches.c.name)).scalars().all() == ["NEW"]
        assert len(conn.execute(select(t.runs)).all()) == 4
        assert len(conn.execute(select(t.agreement)).all()) > 0
    db.close()
