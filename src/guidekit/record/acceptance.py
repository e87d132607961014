"""The outcome of one acceptance criterion, shared by ``validate`` and ``accept``.

``validate`` evaluates the criteria a delivery alone can answer (class distribution,
unresolved share, error rates); ``accept`` adds agreement, audits and gold scores. Both report
each declared criterion as an :class:`CriterionResult`; one that lacks its input is
``not_measured`` with the reason, never silently passed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["met", "failed", "not_measured"]
Comparison = Literal[">=", "<="]


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """``kind`` is the acceptance key (``agreement``, ``audit``, ``gold``, ``distribution``,
    ``unresolved``, ``errors``); ``name`` identifies the criterion for people
    (``agreement intent krippendorff_alpha``); ``value`` is what was measured, ``bound`` the
    declared threshold and ``comparison`` how they compare (``>=`` or ``<=``)."""

    kind: str
    name: str
    status: Status
    reason: str
    value: float | None = None
    bound: float | None = None
    comparison: Comparison | None = None
    split: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "status": self.status,
            "reason": self.reason,
            "value": self.value,
            "bound": self.bound,
            "comparison": self.comparison,
            "split": self.split,
            "details": self.details,
        }


def verdict(results: Sequence[CriterionResult]) -> Literal["accept", "reject"]:
    """Reject when any criterion failed. Criteria not measured do not reject on their own;
    callers decide (``accept --require-all`` rejects on them too)."""
    return "reject" if any(r.status == "failed" for r in results) else "accept"
