"""``guidekit ledger prune``: delete recorded runs older than the governance's retention.

A run keeps the sensitivity level of the guideline's data when it was recorded
(``governance.default``); it is kept for ``governance.retention_by_level[level]``, else
``governance.retention``, else forever. Batches and revisions left without runs go too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, exists, select

from guidekit.ledger import schema as t
from guidekit.ledger.db import Ledger
from guidekit.spec import duration as iso_duration


@dataclass(frozen=True, slots=True)
class Pruned:
    runs: int
    revisions: int
    batches: int
    by_level: Mapping[str, int]


def _aware(d: datetime) -> datetime:
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


def prune(
    ledger: Ledger,
    retention: Mapping[str, str],
    default: str | None,
    *,
    dry_run: bool,
    now: datetime | None = None,
) -> Pruned:
    """Delete (or with ``dry_run`` count) runs past their level's retention, in one
    transaction."""
    now = now or datetime.now(timezone.utc)
    with ledger.transaction() as conn:
        doomed: list[int] = []
        by_level: dict[str, int] = {}
        for run in conn.execute(select(t.runs.c.id, t.runs.c.sensitivity, t.runs.c.recorded_at)):
            text = retention.get(run.sensitivity, default)
            period = iso_duration.parse(text) if text else None
            if period is None:
                continue
            if _aware(run.recorded_at) + period < now:
                doomed.append(run.id)
                by_level[run.sensitivity] = by_level.get(run.sensitivity, 0) + 1
        runs_left = exists().where(t.runs.c.revision_id == t.revisions.c.id)
        revs = set(
            conn.execute(select(t.revisions.c.id).where(~runs_left)).scalars()
        )  # already empty
        revs |= {
            r
            for r in conn.execute(
                select(t.runs.c.revision_id).where(t.runs.c.id.in_(doomed))
            ).scalars()
            if not conn.execute(
                select(t.runs.c.id).where(t.runs.c.revision_id == r, t.runs.c.id.not_in(doomed))
            ).first()
        }
        bats = set()
        for b in conn.execute(select(t.batches.c.id)).scalars():
            ids = set(
                conn.execute(select(t.revisions.c.id).where(t.revisions.c.batch_id == b)).scalars()
            )
            if ids <= revs:
                bats.add(b)
        if not dry_run:
            for i in range(0, len(doomed), 500):
                chunk = doomed[i : i + 500]
                for table in t.DETAIL_TABLES:
                    conn.execute(delete(table).where(table.c.run_id.in_(chunk)))
                conn.execute(delete(t.runs).where(t.runs.c.id.in_(chunk)))
            if revs:
                conn.execute(delete(t.revisions).where(t.revisions.c.id.in_(revs)))
            if bats:
                conn.execute(delete(t.batches).where(t.batches.c.id.in_(bats)))
    return Pruned(len(doomed), len(revs), len(bats), by_level)
