"""The ledger through the command line, on SQLite and on a real PostgreSQL.

Deliveries are third-party exports from the shared corpus (Label Studio, CVAT), recorded by
``guidekit validate --record``; quality commands run on the quality fixtures.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from conftest import CORPUS
from guidekit import ledger
from guidekit.cli import main
from guidekit.ledger import schema as t
from guidekit.ledger.record import CRASH_HOOK

BRIDGES = Path(__file__).resolve().parents[1] / "fixtures" / "bridges"
LS = BRIDGES / "ls-detection"
CVAT = BRIDGES / "cvat-labels"

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="needs the shared corpus")


def export(tmp_path: Path, name: str = "labelstudio/sdk_export_csv_test.json") -> Path:
    """A copy of a corpus export (tests change copies, never the corpus)."""
    src = CORPUS / name
    dest = tmp_path / "deliveries" / src.name
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, dest)
    return dest


def count(url: str, table: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def validate(url: str, delivery: Path, batch: str, *extra: str) -> int:
    return main(["validate", str(LS), str(delivery), "--record", batch, "--ledger", url, *extra])


@needs_corpus
def test_validate_records_a_third_party_export(
    ledger_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    delivery = export(tmp_path)
    code = validate(ledger_url, delivery, "B-001", "--vendor", "acme", "--sent", "2026-01-05")
    err = capsys.readouterr().err
    assert code == 1  # the export has a GK528 finding: rejected, and recorded all the same
    assert "recorded validate of batch B-001 revision 1" in err
    db = ledger.open(ledger_url)
    with db.reading() as conn:
        batch = conn.execute(select(t.batches)).one()
        assert (batch.name, batch.vendor) == ("B-001", "acme")
        assert batch.sent_at.year == 2026 and batch.delivered_at is not None
        run = conn.execute(select(t.runs)).one()
        assert (run.command, run.verdict, run.records, run.guideline) == (
            "validate",
            "reject",
            2,
            "ls-detection",
        )
        codes = dict(
            conn.execute(
                select(t.counts.c.key, t.counts.c.count).where(t.counts.c.dimension == "code")
            ).all()
        )
        assert codes == {"GK528": 1}
        (path, digest) = conn.execute(select(t.files.c.path, t.files.c.sha256)).one()
        assert path.endswith("sdk_export_csv_test.json") and len(digest) == 64
        # no record text unless governance.store_text: the diagnostics' examples are gone
        assert '"examples"' not in run.report
    db.close()


@needs_corpus
def test_recording_twice_counts_once_and_new_files_are_a_revision(
    ledger_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    delivery = export(tmp_path)
    assert validate(ledger_url, delivery, "B-2") == 1
    assert validate(ledger_url, delivery, "B-2") == 1
    assert "already recorded: replaced" in capsys.readouterr().err
    assert (count(ledger_url, "runs"), count(ledger_url, "revisions")) == (1, 1)
    assert count(ledger_url, "counts") == 1

    delivery.write_bytes(delivery.read_bytes() + b"\n")  # a re-delivery: other bytes
    assert validate(ledger_url, delivery, "B-2") == 1
    assert "batch B-2 revision 2" in capsys.readouterr().err
    assert (count(ledger_url, "runs"), count(ledger_url, "revisions")) == (2, 2)
    assert count(ledger_url, "batches") == 1

    out = tmp_path / "report"
    assert main(["ledger", "report", str(LS), "--ledger", ledger_url, "-o", str(out)]) == 0
    import json

    data = json.loads((out / "ledger.json").read_text())
    assert data["revision_rate"] == 1.0
    assert data["batches"][0]["revisions"] == 2


@needs_corpus
def test_two_processes_recording_at_once_lose_nothing(ledger_url: str, tmp_path: Path) -> None:
    a = export(tmp_path)
    b = export(tmp_path, "cvat/datumaro_export_task_train.xml")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    jobs = []
    # the same new batch from two processes (both create it), plus two other batches
    for guideline, delivery, batch in [
        (LS, a, "same"),
        (CVAT, b, "same"),
        (LS, a, "one"),
        (CVAT, b, "two"),
    ]:
        cmd = [sys.executable, "-m", "guidekit", "validate", str(guideline), str(delivery)]
        cmd += ["--record", batch, "--ledger", ledger_url, "--format", "json", "-j", "1"]
        jobs.append(subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for job in jobs:
        _, err = job.communicate(timeout=300)
        assert job.returncode == 1, err.decode()
        assert b"Traceback" not in err
    assert count(ledger_url, "batches") == 3
    assert count(ledger_url, "revisions") == 4  # 'same' has two revisions: other files
    assert count(ledger_url, "runs") == 4


@needs_corpus
@pytest.mark.parametrize("after", ["batches", "runs", "counts"])
def test_a_crash_mid_record_leaves_nothing(ledger_url: str, tmp_path: Path, after: str) -> None:
    delivery = export(tmp_path)
    assert validate(ledger_url, delivery, "first") == 1  # a ledger with something in it
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), CRASH_HOOK: after}
    cmd = [sys.executable, "-m", "guidekit", "validate", str(LS), str(delivery)]
    cmd += ["--record", "crashed", "--ledger", ledger_url, "-j", "1"]
    done = subprocess.run(cmd, env=env, capture_output=True, timeout=300)
    assert done.returncode == 9  # killed inside the transaction
    assert count(ledger_url, "batches") == 1
    assert count(ledger_url, "runs") == 1
    assert count(ledger_url, "counts") == 1
    # and the ledger still works
    assert validate(ledger_url, delivery, "crashed") == 1
    assert count(ledger_url, "batches") == 2


@needs_corpus
def test_an_old_ledger_is_upgraded_in_place(ledger_url: str, tmp_path: Path) -> None:
    from guidekit.ledger.db import known_revisions, upgrade_to

    first = min(known_revisions())
    old = ledger.open(ledger_url, upgrade=False)
    upgrade_to(old, first)  # the ledger as the first release made it, with a run in it
    ledger.record(
        old,
        ledger.Run(
            batch="old",
            command="validate",
            guideline="ls-detection",
            guideline_version="1.0.0",
            verdict="reject",
            files=[("old.json", "0" * 64)],
            report="{}",
            counts={("code", "GK528"): 1},
        ),
    )
    old.close()
    delivery = export(tmp_path)
    assert validate(ledger_url, delivery, "new") == 1  # upgrades in place, then records
    db = ledger.open(ledger_url)
    with db.reading() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert conn.execute(select(func.count()).select_from(t.runs)).scalar_one() == 2
        assert set(conn.execute(select(t.batches.c.name)).scalars()) == {"old", "new"}
        # 0002 added the hash cache next to the old rows; the new recording used it
        assert conn.execute(select(func.count()).select_from(t.file_hashes)).scalar_one() == 1
    db.close()
    from guidekit.ledger.db import head

    assert version == head()


def test_a_corrupt_file_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "ledger.db"
    bad.write_bytes(b"this is not a database, just bytes " * 200)
    code = main(["ledger", "status", str(LS), "--ledger", f"sqlite:///{bad}"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{bad}: GK040" in err and "not a database" in err
    assert "Traceback" not in err


def test_someone_elses_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "app.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE users (id INTEGER)")
    assert main(["ledger", "status", str(LS), "--ledger", f"sqlite:///{other}"]) == 1
    err = capsys.readouterr().err
    assert "GK040" in err and "not a guidekit ledger" in err
    with sqlite3.connect(other) as conn:  # untouched
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert names == {"users"}


def test_a_newer_ledger_is_refused(ledger_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    ledger.open(ledger_url).close()
    engine = create_engine(ledger_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    assert main(["ledger", "status", str(LS), "--ledger", ledger_url]) == 1
    err = capsys.readouterr().err
    assert "GK041" in err and "9999_future" in err and "newer than this guidekit" in err


def test_recording_options_without_record_are_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", str(LS), "x.json", "--vendor", "acme"]) == 2
    assert "--vendor need --record BATCH" in capsys.readouterr().err
    assert main(["validate", str(LS), "x.json", "--record", "b", "--sent", "yesterday"]) == 2
    assert "not an ISO 8601 date" in capsys.readouterr().err


def test_default_ledger_sits_by_the_guideline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GUIDEKIT_LEDGER", raising=False)
    project = tmp_path / "proj"
    shutil.copytree(LS, project)
    assert main(["ledger", "status", str(project)]) == 0
    db = project / ".guidekit" / "ledger.db"
    assert db.is_file()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@needs_corpus
def test_delivered_defaults_to_the_first_recording_and_is_kept(
    ledger_url: str, tmp_path: Path
) -> None:
    delivery = export(tmp_path)
    assert validate(ledger_url, delivery, "D", "--delivered", "2026-02-01") == 1
    assert main(["accept", str(LS), str(delivery), "--record", "D", "--ledger", ledger_url]) in (
        0,
        1,
    )
    db = ledger.open(ledger_url)
    with db.reading() as conn:
        when = conn.execute(select(t.batches.c.delivered_at)).scalar_one()
    db.close()
    assert (when.year, when.month, when.day) == (2026, 2, 1)


@needs_corpus
def test_a_recorded_file_is_not_read_again_until_it_changes(
    ledger_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guidekit.commands import _ledger

    read: list[str] = []
    real = _ledger.sha256

    def counting(path: Path) -> str:
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(_ledger, "sha256", counting)
    delivery = export(tmp_path)
    assert validate(ledger_url, delivery, "H") == 1
    assert main(["accept", str(LS), str(delivery), "--record", "H", "--ledger", ledger_url]) in (
        0,
        1,
    )
    assert read == [delivery.name]  # accept found validate's hash
    delivery.write_bytes(delivery.read_bytes() + b" ")  # changed: read again, new revision
    assert validate(ledger_url, delivery, "H") == 1
    assert read == [delivery.name, delivery.name]
    db = ledger.open(ledger_url)
    with db.reading() as conn:
        digests = set(conn.execute(select(t.files.c.sha256)).scalars())
    db.close()
    assert len(digests) == 2 and real(delivery) in digests
