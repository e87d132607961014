"""The per-record validator for data pipelines: compiled once, then called per record.

>>> v = RecordValidator(guideline)
>>> problems = v.validate({"ticket_id": "T-1", "intent": "refund_request", ...})

A clean record costs one typed decode and the generated checks (:mod:`._fast`); a record
with problems goes through the full checker (:mod:`.check`), which lists every problem.
Cross-record checks (duplicate ids, expected ids, acceptance criteria) need the whole
delivery: use :func:`guidekit.delivery.validate` for those.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guidekit import ir
from guidekit.delivery._fast import FastPath
from guidekit.delivery.check import RecordChecker
from guidekit.diagnostics.model import Diagnostic, Severity


class RecordValidator:
    """Validates single delivery records against one guideline."""

    def __init__(self, guideline: ir.Guideline) -> None:
        self.guideline = guideline
        self.fast = FastPath(guideline)
        self.checker = RecordChecker(guideline)

    def validate(
        self, record: Mapping[str, Any], *, file: str | None = None, line: int | None = None
    ) -> list[Diagnostic]:
        """Every diagnostic of one record (empty when it is clean). ``file`` and ``line``
        only label the locations."""
        if isinstance(record, dict) and self.fast.clean(record):
            return []
        return self.checker.check(record, file, line)[0]

    def validate_json(
        self, raw: bytes | str, *, file: str | None = None, line: int | None = None
    ) -> list[Diagnostic]:
        """Like :meth:`validate`, for one JSON text (a line of a JSON Lines delivery)."""
        from guidekit.delivery.read import parse_line

        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        if self.fast.clean_bytes(data):  # never for a line that repeats a key
            return []
        rr = parse_line(data, file or "<record>", line or 1)
        out = [rr.error] if rr.error is not None else []
        if rr.data is not None:
            out += self.checker.check(rr.data, file, line)[0]
        return out

    def is_valid(self, record: Mapping[str, Any]) -> bool:
        """Whether the record has no error (warnings allowed)."""
        return not any(d.severity is Severity.ERROR for d in self.validate(record))

    def __call__(self, record: Mapping[str, Any]) -> list[Diagnostic]:
        return self.validate(record)
