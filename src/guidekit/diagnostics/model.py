"""One diagnostic type for the whole tool.

Every problem guidekit reports -- in a guideline, in a delivery, on the command line -- is a
:class:`Diagnostic`: a stable code, a severity, a message, an optional hint and a location.
Codes are registered once in :mod:`guidekit.diagnostics.codes`; renderers in
:mod:`guidekit.diagnostics.render` turn a list of diagnostics into text, JSON, SARIF and friends.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any


class Severity(str, enum.Enum):
    """How bad a diagnostic is. Ordered: error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a diagnostic points.

    For guideline files: ``file`` (relative to the project root, POSIX separators), 1-based
    ``line`` and ``column`` and the key ``path`` inside the resolved document, e.g.
    ``("tasks", "intent", "classes", 3, "definition")``.

    For deliveries: ``file``, 1-based ``line`` (the record's line) and ``pointer``, a JSON
    pointer into the record (``/entities/2/end``).
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: tuple[str | int, ...] = ()
    pointer: str | None = None

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    @property
    def key_path(self) -> str:
        """The key path in dotted form: ``tasks.intent.classes[3].definition``."""
        out = ""
        for part in self.path:
            if isinstance(part, int):
                out += f"[{part}]"
            else:
                out += ("." if out else "") + str(part)
        return out

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file or "", self.line or 0, self.column or 0, self.pointer or "")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "line": self.line, "column": self.column}
        if self.path:
            out["path"] = self.key_path
        if self.pointer is not None:
            out["pointer"] = self.pointer
        return out


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a diagnostic, e.g. "first declared here"."""

    message: str
    location: Location

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.message, "location": self.location.to_dict()}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: stable ``code``, ``severity``, ``message``, ``hint`` and ``location``,
    plus ``related`` locations that explain it (``first declared here``)."""

    code: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    hint: str | None = None
    related: tuple[Related, ...] = ()

    def __str__(self) -> str:
        text = f"{self.location}: {self.code} {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def sort_key(self) -> tuple[tuple[str, int, int, str], str, str]:
        return (self.location.sort_key(), self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
            "location": self.location.to_dict(),
        }
        if self.related:
            out["related"] = [r.to_dict() for r in self.related]
        return out

    def check_tuple(self) -> tuple[str, int | None, int | None]:
        """``(code, line, column)``, handy in tests."""
        return (self.code, self.location.line, self.location.column)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by file, line, column, code: the one order every renderer uses."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def count_by_severity(diagnostics: Iterable[Diagnostic]) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)
    for diag in diagnostics:
        counts[diag.severity] += 1
    return counts


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)
