"""What a command hands the ledger: plain data, no report objects of quality/ or delivery/."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Criterion:
    kind: str
    name: str
    status: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    bound: float | None = None
    comparison: str | None = None


@dataclass(frozen=True, slots=True)
class AgreementRow:
    task: str
    class_: str | None
    measure: str
    value: float | None
    low: float | None = None
    high: float | None = None
    units: int | None = None


@dataclass(slots=True)
class Run:
    """One command's result over one batch's files."""

    batch: str
    command: str
    guideline: str
    guideline_version: str
    verdict: str
    files: list[tuple[str, str]]  # (path as given, sha256)
    report: str  # the JSON report, already stripped of record text when governance says so
    vendor: str | None = None
    sent: datetime | None = None
    delivered: datetime | None = None  # None: first recording's time, kept by later runs
    sensitivity: str = "public"
    records: int = 0
    rejected: int = 0
    # (dimension, key) -> count; dimensions: code, class, annotator, annotator_errors, split
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    criteria: list[Criterion] = field(default_factory=list)
    audit: list[tuple[str, str]] = field(default_factory=list)  # (item, outcome)
    agreement: list[AgreementRow] = field(default_factory=list)

    @property
    def defects(self) -> int:
        return sum(n for (dim, _), n in self.counts.items() if dim == "code")


@dataclass(frozen=True, slots=True)
class Recorded:
    """What :func:`guidekit.ledger.record` did."""

    batch: str
    revision: int
    command: str
    replaced: bool  # the same files were recorded by this command before: replaced, not added
