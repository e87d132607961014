"""Read the ledger back: the figures ``ledger status`` and ``ledger report`` show.

Everything here reads the per-run summary rows and their small detail tables (aggregated on
write); no report JSON is parsed. The result is plain data (:class:`Summary`), rendered by
``ledger.report`` and ``commands/ledger.py``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from guidekit.ledger import schema as t
from guidekit.ledger.db import Ledger

if TYPE_CHECKING:
    from guidekit.ledger.questions import Figures

#: fewer labels than this scored for an annotator: the error rate carries a caution
SMALL_SAMPLE = 30


def wilson(passed: int, total: int, z: float = 1.959964) -> tuple[float, float]:
    if total == 0:
        return (0.0, 1.0)
    p = passed / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def _aware(d: datetime | None) -> datetime | None:
    if d is not None and d.tzinfo is None:
        return d.replace(tzinfo=timezone.utc)
    return d


@dataclass
class Batch:
    name: str
    vendor: str | None
    sent: datetime | None
    delivered: datetime | None
    revisions: int = 1
    versions: list[str] = field(default_factory=list)
    accepted: datetime | None = None
    verdicts: dict[str, str] = field(default_factory=dict)  # command -> latest verdict
    records: int = 0
    defects: int = 0
    audit_passed: int = 0
    audit_total: int = 0

    @property
    def when(self) -> datetime:
        return self.delivered or self.sent or datetime.min.replace(tzinfo=timezone.utc)


@dataclass
class Summary:
    ledger: str
    batches: list[Batch] = field(default_factory=list)
    # (task, class or None, measure) -> [(batch, version, value, low, high)]
    agreement: dict[tuple[str, str | None, str], list[tuple[str, str, float, Any, Any]]] = field(
        default_factory=dict
    )
    # (vendor, batch) -> {defect type: count}
    defects: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    # batch -> {task/class: count}
    classes: dict[str, dict[str, int]] = field(default_factory=dict)
    # annotator -> (labels scored, errors)
    annotators: dict[str, tuple[int, int]] = field(default_factory=dict)
    # the question log: unresolved volume by age, time to answer
    questions: Figures | None = None

    @property
    def revision_rate(self) -> float | None:
        if not self.batches:
            return None
        return sum(1 for b in self.batches if b.revisions > 1) / len(self.batches)

    def turnaround(self) -> dict[str, dict[str, float | None]]:
        """Days sent→delivered and delivered→accepted: median, p90, max."""
        spans: dict[str, list[float]] = {"sent_to_delivered": [], "delivered_to_accepted": []}
        for b in self.batches:
            if b.sent and b.delivered:
                spans["sent_to_delivered"].append((b.delivered - b.sent).total_seconds() / 86400)
            if b.delivered and b.accepted:
                spans["delivered_to_accepted"].append(
                    max(0.0, (b.accepted - b.delivered).total_seconds() / 86400)
                )
        return {
            k: {"n": len(v), "p50": percentile(v, 0.5), "p90": percentile(v, 0.9)}
            for k, v in spans.items()
        }

    def audit(self) -> tuple[int, int]:
        return (
            sum(b.audit_passed for b in self.batches),
            sum(b.audit_total for b in self.batches),
        )


def read(ledger: Ledger) -> Summary:
    out = Summary(ledger.name)
    with ledger.reading() as conn:
        bat: dict[int, Batch] = {}
        for row in conn.execute(select(t.batches)):
            bat[row.id] = Batch(row.name, row.vendor, _aware(row.sent_at), _aware(row.delivered_at))
        rev_batch: dict[int, int] = {}
        revs: dict[int, int] = defaultdict(int)
        for r in conn.execute(select(t.revisions.c.id, t.revisions.c.batch_id)):
            rev_batch[r.id] = r.batch_id
        run_batch: dict[int, Batch] = {}
        run_rev: dict[int, int] = {}
        q = select(t.runs).order_by(t.runs.c.recorded_at, t.runs.c.id)
        delivery_revs: dict[int, set[int]] = defaultdict(set)
        for run in conn.execute(q):
            b = bat[rev_batch[run.revision_id]]
            run_batch[run.id] = b
            run_rev[run.id] = run.revision_id
            if run.guideline_version not in b.versions:
                b.versions.append(run.guideline_version)
            b.verdicts[run.command] = run.verdict
            if run.command in ("validate", "accept"):
                delivery_revs[rev_batch[run.revision_id]].add(run.revision_id)
                b.records = max(b.records, run.records)
                b.defects = run.defects if run.command == "validate" else b.defects
            if run.command == "accept" and run.verdict == "accept" and b.accepted is None:
                b.accepted = _aware(run.recorded_at)
            if run.audit_total:
                b.audit_passed, b.audit_total = run.audit_passed or 0, run.audit_total
        for bid, rs in delivery_revs.items():
            revs[bid] = len(rs)
        for bid, b in bat.items():
            b.revisions = max(1, revs.get(bid, 1))
        out.batches = sorted(bat.values(), key=lambda b: (b.when, b.name))

        for a in conn.execute(select(t.agreement).order_by(t.agreement.c.id)):
            if a.value is None:
                continue
            b = run_batch[a.run_id]
            out.agreement.setdefault((a.task, a.class_, a.measure), []).append(
                (b.name, b.versions[-1] if b.versions else "", a.value, a.low, a.high)
            )
        ann: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for c in conn.execute(
            select(
                t.counts.c.run_id, t.counts.c.dimension, t.counts.c.key, t.counts.c.count.label("n")
            )
        ):
            b = run_batch[c.run_id]
            if c.dimension in ("code", "defect"):
                d = out.defects.setdefault((b.vendor or "(no vendor)", b.name), {})
                d[c.key] = d.get(c.key, 0) + c.n
            elif c.dimension == "class":
                out.classes.setdefault(b.name, {})[c.key] = c.n
            elif c.dimension == "annotator":
                ann[c.key][0] += c.n
            elif c.dimension == "annotator_errors":
                ann[c.key][1] += c.n
        out.annotators = {k: (v[0], v[1]) for k, v in sorted(ann.items())}
    from guidekit.ledger.questions import figures

    out.questions = figures(ledger)
    return out
