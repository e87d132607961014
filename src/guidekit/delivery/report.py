"""The outcome of validating a delivery: counts, grouped diagnostics, criteria, verdict.

A :class:`Report` never holds the records: diagnostics are grouped by code (and severity)
with their count and the first examples, so a report of a delivery of millions of records
stays small. Every renderer (:mod:`guidekit.delivery.render`) reads this one object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from guidekit.diagnostics.codes import lookup
from guidekit.diagnostics.model import Diagnostic, Severity
from guidekit.record.acceptance import CriterionResult


@dataclass
class CodeGroup:
    """All diagnostics of one code and severity: how many, and the first few."""

    code: str
    severity: Severity
    count: int = 0
    examples: list[Diagnostic] = field(default_factory=list)

    @property
    def title(self) -> str:
        return lookup(self.code).title

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "title": self.title,
            "count": self.count,
            "examples": [d.to_dict() for d in self.examples],
        }


@dataclass
class FileSummary:
    file: str
    format: str
    records: int = 0
    rejected: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "records": self.records,
            "rejected": self.rejected,
        }


@dataclass
class Report:
    """What ``guidekit validate`` found. ``verdict`` is ``accept`` or ``reject``."""

    guideline: str
    version: str
    files: list[FileSummary] = field(default_factory=list)
    records: int = 0
    with_errors: int = 0
    with_warnings: int = 0
    with_info: int = 0
    distinct_ids: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    unresolved: int = 0
    versions: dict[str, int] = field(default_factory=dict)
    not_checked: dict[str, int] = field(default_factory=dict)
    groups: list[CodeGroup] = field(default_factory=list)
    delivery: list[Diagnostic] = field(default_factory=list)
    criteria: list[CriterionResult] = field(default_factory=list)
    verdict: Literal["accept", "reject"] = "accept"
    reasons: list[str] = field(default_factory=list)
    stopped: bool = False
    split: dict[str, str] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return self.verdict == "accept"

    @property
    def exit_code(self) -> int:
        return 0 if self.accepted else 1

    @property
    def rejected_records(self) -> int:
        return self.with_errors

    @property
    def accepted_records(self) -> int:
        return self.records - self.with_errors

    def records_with(self, severity: str | Severity) -> int:
        """Records with at least one diagnostic of ``severity`` (``error``, ``warning``,
        ``info``): the numerator of the ``errors`` acceptance criteria."""
        sev = Severity(severity)
        return {
            Severity.ERROR: self.with_errors,
            Severity.WARNING: self.with_warnings,
            Severity.INFO: self.with_info,
        }[sev]

    def count(self, severity: Severity) -> int:
        return sum(g.count for g in self.groups if g.severity is severity) + sum(
            1 for d in self.delivery if d.severity is severity
        )

    def codes(self) -> dict[str, int]:
        """Diagnostics by code (all severities), delivery-level ones counted once."""
        out: dict[str, int] = {}
        for g in self.groups:
            out[g.code] = out.get(g.code, 0) + g.count
        for d in self.delivery:
            out[d.code] = out.get(d.code, 0) + 1
        return dict(sorted(out.items()))

    def examples(self) -> list[Diagnostic]:
        """Delivery-level diagnostics, then the examples of every group."""
        return [*self.delivery, *(d for g in self.groups for d in g.examples)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "guideline": {"id": self.guideline, "version": self.version},
            "verdict": self.verdict,
            "reasons": self.reasons,
            "records": self.records,
            "accepted_records": self.accepted_records,
            "rejected_records": self.rejected_records,
            "records_with": {
                "error": self.with_errors,
                "warning": self.with_warnings,
                "info": self.with_info,
            },
            "distinct_ids": self.distinct_ids,
            "skipped": self.skipped,
            "unresolved": self.unresolved,
            "versions": self.versions,
            "not_checked": self.not_checked,
            "stopped": self.stopped,
            "files": [f.to_dict() for f in self.files],
            "delivery": [d.to_dict() for d in self.delivery],
            "groups": [g.to_dict() for g in self.groups],
            "criteria": [c.to_dict() for c in self.criteria],
            "split": self.split,
        }
