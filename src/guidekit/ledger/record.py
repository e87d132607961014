"""Write one run in one transaction: batch, revision, run, details — all or nothing.

Idempotent per (batch, command, files): the same files recorded again by the same command
replace that run (nothing is counted twice). Other files under a known batch id are the
batch's next revision. Two processes recording at once both succeed: a unique-key collision
(both creating the same batch or revision) rolls back and retries.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from guidekit.ledger import schema as t
from guidekit.ledger.db import Ledger
from guidekit.ledger.model import Recorded, Run

#: Tests set this to a table name: the process dies (``os._exit``) right after writing that
#: table's rows, inside the transaction, as a crash would.
CRASH_HOOK = "GUIDEKIT_LEDGER_CRASH_AFTER"
_RETRIES = 8


def files_key(files: list[tuple[str, str]]) -> str:
    return hashlib.sha256("\n".join(sorted(h for _, h in files)).encode()).hexdigest()


def now() -> datetime:
    return datetime.now(timezone.utc)


def record(ledger: Ledger, run: Run) -> Recorded:
    last: Exception | None = None
    for _ in range(_RETRIES):
        try:
            with ledger.engine.begin() as conn:
                return _write(conn, run)
        except IntegrityError as exc:  # a concurrent writer created the same batch/revision
            last = exc
        except OperationalError as exc:
            if "locked" not in str(exc) and "deadlock" not in str(exc):
                raise ledger.error(exc) from None
            last = exc
    assert last is not None
    raise ledger.error(last)


def _crash_after(table: str) -> None:
    if os.environ.get(CRASH_HOOK) == table:
        os._exit(9)


def _write(conn: Connection, run: Run) -> Recorded:
    stamp = now()
    batch_id = conn.execute(select(t.batches.c.id).where(t.batches.c.name == run.batch)).scalar()
    values: dict[str, Any] = {}
    if run.vendor is not None:
        values["vendor"] = run.vendor
    if run.sent is not None:
        values["sent_at"] = run.sent
    if run.delivered is not None:
        values["delivered_at"] = run.delivered
    if batch_id is None:
        batch_id = conn.execute(
            insert(t.batches)
            .values(name=run.batch, created_at=stamp, **{"delivered_at": stamp, **values})
            .returning(t.batches.c.id)
        ).scalar_one()
    elif values:
        conn.execute(update(t.batches).where(t.batches.c.id == batch_id).values(**values))
    _crash_after("batches")

    key = files_key(run.files)
    rev = conn.execute(
        select(t.revisions.c.id, t.revisions.c.number).where(
            t.revisions.c.batch_id == batch_id, t.revisions.c.files_key == key
        )
    ).first()
    if rev is None:
        last = conn.execute(
            select(t.revisions.c.number)
            .where(t.revisions.c.batch_id == batch_id)
            .order_by(t.revisions.c.number.desc())
            .limit(1)
        ).scalar()
        number = (last or 0) + 1
        rev_id = conn.execute(
            insert(t.revisions)
            .values(batch_id=batch_id, number=number, files_key=key, created_at=stamp)
            .returning(t.revisions.c.id)
        ).scalar_one()
    else:
        rev_id, number = rev
    _crash_after("revisions")

    old = conn.execute(
        select(t.runs.c.id).where(t.runs.c.revision_id == rev_id, t.runs.c.command == run.command)
    ).scalar()
    if old is not None:
        for table in t.DETAIL_TABLES:
            conn.execute(delete(table).where(table.c.run_id == old))
        conn.execute(delete(t.runs).where(t.runs.c.id == old))
    audit_passed = audit_total = None
    if run.audit:
        audit_total = len(run.audit)
        audit_passed = sum(1 for _, o in run.audit if o == "pass")
    run_id = conn.execute(
        insert(t.runs)
        .values(
            revision_id=rev_id,
            command=run.command,
            guideline=run.guideline,
            guideline_version=run.guideline_version,
            verdict=run.verdict,
            sensitivity=run.sensitivity,
            recorded_at=stamp,
            records=run.records,
            rejected=run.rejected,
            defects=run.defects,
            audit_passed=audit_passed,
            audit_total=audit_total,
            report=run.report,
        )
        .returning(t.runs.c.id)
    ).scalar_one()
    _crash_after("runs")

    rows: list[tuple[Any, list[dict[str, Any]]]] = [
        (t.files, [{"path": p, "sha256": h} for p, h in run.files]),
        (
            t.counts,
            [{"dimension": d, "key": k, "count": n} for (d, k), n in sorted(run.counts.items())],
        ),
        (
            t.criteria,
            [
                {
                    "kind": c.kind,
                    "name": c.name,
                    "status": c.status,
                    "value": c.value,
                    "low": c.low,
                    "high": c.high,
                    "bound": c.bound,
                    "comparison": c.comparison,
                }
                for c in run.criteria
            ],
        ),
        (t.audit_samples, [{"item": i, "outcome": o} for i, o in run.audit]),
        (
            t.agreement,
            [
                {
                    "task": a.task,
                    "class_": a.class_,
                    "measure": a.measure,
                    "value": a.value,
                    "low": a.low,
                    "high": a.high,
                    "units": a.units,
                }
                for a in run.agreement
            ],
        ),
    ]
    for table, data in rows:
        if data:
            conn.execute(insert(table), [{"run_id": run_id, **d} for d in data])
        _crash_after(table.name)
    return Recorded(run.batch, number, run.command, replaced=old is not None)
