"""The question log: annotators' and vendors' questions, the seed of every edge case.

A question is numbered ``Q-<n>`` per guideline and moves ``open`` → ``answered`` (a decision,
perhaps the guideline version and edge case that settled it) → ``closed``; ``reopen`` sends
it back to ``open``. Every write is one transaction. Imports carry a ``source_key`` (the
file kind and the source's own id for the question): importing the same question again
finds it and adds nothing. Classes are stored as ``task/class`` ids, checked by the caller
against the guideline (the ledger never reads a guideline's text).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from guidekit.ledger import schema as t
from guidekit.ledger.db import Ledger

STATUSES = ("open", "answered", "closed")
#: age buckets of open questions, in days: (label, at least, less than)
AGE_BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("under 7 days", 0, 7),
    ("7-30 days", 7, 30),
    ("30-90 days", 30, 90),
    ("90 days or more", 90, float("inf")),
)
_ID = re.compile(r"^Q-([1-9][0-9]*)$")
_RETRIES = 20
#: the advisory lock that serialises question numbering on PostgreSQL
_LOCK_KEY = 0x67_6B_71_6E  # 'gkqn'


class QuestionError(ValueError):
    """A question id that does not exist, or a move its status does not allow."""


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    classes: tuple[str, ...] = ()  # "task/class"
    asked_by: str | None = None
    vendor: str | None = None
    batch: str | None = None
    item: str | None = None
    file: str | None = None
    asked_at: datetime | None = None  # None: now
    source: str = "cli"
    source_key: str | None = None
    # filled by the ledger
    number: int = 0
    status: str = "open"
    decision: str | None = None
    label: str | None = None
    settled_version: str | None = None
    edge_case: str | None = None
    answered_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def id(self) -> str:
        return f"Q-{self.number}"

    def to_dict(self) -> dict[str, Any]:
        def iso(d: datetime | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "id": self.id,
            "status": self.status,
            "text": self.text,
            "classes": list(self.classes),
            "asked_by": self.asked_by,
            "vendor": self.vendor,
            "batch": self.batch,
            "item": self.item,
            "file": self.file,
            "asked_at": iso(self.asked_at),
            "decision": self.decision,
            "label": self.label,
            "settled_version": self.settled_version,
            "edge_case": self.edge_case,
            "answered_at": iso(self.answered_at),
            "closed_at": iso(self.closed_at),
            "source": self.source,
        }


@dataclass
class Imported:
    added: list[Question] = field(default_factory=list)
    known: int = 0  # already in the log: left as they are


def number_of(qid: str) -> int:
    m = _ID.match(qid.strip())
    if m is None:
        raise QuestionError(f"'{qid}' is not a question id (Q-1, Q-12, ...)")
    return int(m.group(1))


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(d: datetime | None) -> datetime | None:
    if d is not None and d.tzinfo is None:
        return d.replace(tzinfo=timezone.utc)
    return d


def _from_row(row: Any) -> Question:
    return Question(
        text=row.text,
        classes=tuple(c for c in (row.classes or "").split("\n") if c),
        asked_by=row.asked_by,
        vendor=row.vendor,
        batch=row.batch,
        item=row.item,
        file=row.file,
        asked_at=_aware(row.asked_at),
        source=row.source,
        source_key=row.source_key,
        number=row.number,
        status=row.status,
        decision=row.decision,
        label=row.label,
        settled_version=row.settled_version,
        edge_case=row.edge_case,
        answered_at=_aware(row.answered_at),
        closed_at=_aware(row.closed_at),
    )


def _retrying(ledger: Ledger, work: Any) -> Any:
    """Run ``work(conn)`` in one transaction; a concurrent writer taking the same number
    (a unique-key collision) or a busy database rolls back and tries again."""
    import random
    import time

    from sqlalchemy import text

    last: Exception | None = None
    for attempt in range(_RETRIES):
        try:
            with ledger.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    # numbering reads the largest number and adds one: writers take turns
                    # (SQLite's writers already do: the ledger begins immediate transactions)
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
                return work(conn)
        except IntegrityError as exc:
            last = exc
        except OperationalError as exc:
            if "locked" not in str(exc) and "deadlock" not in str(exc):
                raise ledger.error(exc) from None
            last = exc
        time.sleep(random.uniform(0, 0.01 * (attempt + 1)))  # two writers must not collide again
    assert last is not None
    raise ledger.error(last)


def _insert(conn: Connection, guideline: str, q: Question, stamp: datetime) -> Question | None:
    if q.source_key is not None:
        seen = conn.execute(
            select(t.questions.c.id).where(
                t.questions.c.guideline == guideline, t.questions.c.source_key == q.source_key
            )
        ).scalar()
        if seen is not None:
            return None
    top = conn.execute(
        select(func.max(t.questions.c.number)).where(t.questions.c.guideline == guideline)
    ).scalar()
    q = replace(q, number=(top or 0) + 1, asked_at=q.asked_at or stamp)
    conn.execute(
        insert(t.questions).values(
            guideline=guideline,
            number=q.number,
            text=q.text,
            asked_by=q.asked_by,
            vendor=q.vendor,
            batch=q.batch,
            item=q.item,
            file=q.file,
            classes="\n".join(q.classes),
            status="open",
            source=q.source,
            source_key=q.source_key,
            asked_at=q.asked_at,
            updated_at=stamp,
        )
    )
    return q


def add(ledger: Ledger, guideline: str, question: Question) -> Question:
    """Log one question; its number is the guideline's next."""
    stamp = _now()
    added: Question | None = _retrying(
        ledger, lambda conn: _insert(conn, guideline, question, stamp)
    )
    assert added is not None or question.source_key is not None
    return added if added is not None else get_by_key(ledger, guideline, question.source_key)


def import_all(ledger: Ledger, guideline: str, questions: Iterable[Question]) -> Imported:
    """Log every question not seen before (by ``source_key``), all in one transaction."""
    todo = list(questions)
    stamp = _now()

    def work(conn: Connection) -> Imported:
        out = Imported()
        for q in todo:
            added = _insert(conn, guideline, q, stamp)
            if added is None:
                out.known += 1
            else:
                out.added.append(added)
        return out

    result: Imported = _retrying(ledger, work)
    return result


def get_by_key(ledger: Ledger, guideline: str, key: str | None) -> Question:
    with ledger.reading() as conn:
        row = conn.execute(
            select(t.questions).where(
                t.questions.c.guideline == guideline, t.questions.c.source_key == key
            )
        ).one()
    return _from_row(row)


def get(ledger: Ledger, guideline: str, qid: str) -> Question:
    n = number_of(qid)
    with ledger.reading() as conn:
        row = conn.execute(
            select(t.questions).where(
                t.questions.c.guideline == guideline, t.questions.c.number == n
            )
        ).first()
    if row is None:
        raise QuestionError(f"no question {qid} for guideline {guideline} in {ledger.name}")
    return _from_row(row)


def select_questions(
    ledger: Ledger,
    guideline: str | None,
    *,
    statuses: Sequence[str] = (),
    classes: Sequence[str] = (),
    vendor: str | None = None,
    older_than: timedelta | None = None,
    now: datetime | None = None,
) -> list[Question]:
    """The questions (of one guideline, or all), oldest first, filtered: any of ``statuses``,
    any of ``classes`` in doubt, one vendor, asked longer ago than ``older_than``."""
    q = select(t.questions).order_by(t.questions.c.guideline, t.questions.c.number)
    if guideline is not None:
        q = q.where(t.questions.c.guideline == guideline)
    if statuses:
        q = q.where(t.questions.c.status.in_(list(statuses)))
    if vendor is not None:
        q = q.where(t.questions.c.vendor == vendor)
    with ledger.reading() as conn:
        found = [_from_row(r) for r in conn.execute(q)]
    if classes:
        wanted = set(classes)
        found = [x for x in found if wanted & set(x.classes)]
    if older_than is not None:
        cutoff = (now or _now()) - older_than
        found = [x for x in found if x.asked_at is not None and x.asked_at <= cutoff]
    return found


def _move(ledger: Ledger, guideline: str, qid: str, allowed: Sequence[str], **values: Any) -> None:
    n = number_of(qid)

    def work(conn: Connection) -> None:
        cond = (t.questions.c.guideline == guideline, t.questions.c.number == n)
        status = conn.execute(select(t.questions.c.status).where(*cond)).scalar()
        if status is None:
            raise QuestionError(f"no question {qid} for guideline {guideline} in {ledger.name}")
        if status not in allowed:
            raise QuestionError(
                f"{qid} is {status}: this needs a question that is {' or '.join(allowed)}"
            )
        conn.execute(update(t.questions).where(*cond).values(updated_at=_now(), **values))

    _retrying(ledger, work)


def answer(
    ledger: Ledger,
    guideline: str,
    qid: str,
    decision: str,
    *,
    label: str | None = None,
    version: str | None = None,
    edge_case: str | None = None,
) -> Question:
    """Record the decision (an open or answered question; answering again amends it)."""
    _move(
        ledger,
        guideline,
        qid,
        ("open", "answered"),
        status="answered",
        decision=decision,
        label=label,
        settled_version=version,
        edge_case=edge_case,
        answered_at=_now(),
    )
    return get(ledger, guideline, qid)


def settle(ledger: Ledger, guideline: str, qid: str, version: str, edge_case: str) -> None:
    """Name the guideline version and edge case that settled the question (``promote``)."""
    _move(
        ledger,
        guideline,
        qid,
        ("answered", "closed"),
        settled_version=version,
        edge_case=edge_case,
    )


def close(ledger: Ledger, guideline: str, qid: str) -> Question:
    _move(ledger, guideline, qid, ("open", "answered"), status="closed", closed_at=_now())
    return get(ledger, guideline, qid)


def reopen(ledger: Ledger, guideline: str, qid: str) -> Question:
    _move(ledger, guideline, qid, ("answered", "closed"), status="open", closed_at=None)
    return get(ledger, guideline, qid)


# -- figures for ledger status / report -----------------------------------------------------------


@dataclass
class Figures:
    """Unresolved volume and time to answer, over every guideline in the ledger."""

    open: int = 0
    answered: int = 0
    closed: int = 0
    by_age: dict[str, int] = field(default_factory=dict)  # open questions by age bucket
    open_by_class: dict[str, int] = field(default_factory=dict)  # "task/class" -> open
    days_to_answer: list[float] = field(default_factory=list)

    @property
    def median_days_to_answer(self) -> float | None:
        return statistics.median(self.days_to_answer) if self.days_to_answer else None


def figures(ledger: Ledger, now: datetime | None = None) -> Figures:
    now = now or _now()
    out = Figures(by_age={label: 0 for label, _, _ in AGE_BUCKETS})
    cols = (
        t.questions.c.status,
        t.questions.c.classes,
        t.questions.c.asked_at,
        t.questions.c.answered_at,
    )
    with ledger.reading() as conn:
        rows = list(conn.execute(select(*cols)))
    for status, classes, asked_at, answered_at in rows:
        asked = _aware(asked_at) or now
        answered = _aware(answered_at)
        if status == "open":
            out.open += 1
            age = (now - asked).total_seconds() / 86400
            for label, lo, hi in AGE_BUCKETS:
                if lo <= age < hi:
                    out.by_age[label] += 1
            for c in (classes or "").split("\n"):
                if c:
                    out.open_by_class[c] = out.open_by_class.get(c, 0) + 1
        elif status == "answered":
            out.answered += 1
        else:
            out.closed += 1
        if answered is not None:
            out.days_to_answer.append(max(0.0, (answered - asked).total_seconds() / 86400))
    return out
