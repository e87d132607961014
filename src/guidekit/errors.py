"""The one user-error type.

Anything a user gave guidekit that it cannot accept surfaces as :class:`GuidekitError`, which
carries every :class:`~guidekit.diagnostics.model.Diagnostic` found. The CLI turns it into a report
and exit code 1; any other exception is a bug in guidekit.
"""

from __future__ import annotations

from collections.abc import Sequence

from guidekit.diagnostics.model import Diagnostic, sort_diagnostics


class GuidekitError(Exception):
    """Bad input. ``diagnostics`` lists every problem, sorted by location."""

    def __init__(self, diagnostics: Sequence[Diagnostic] | Diagnostic, message: str | None = None):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = sort_diagnostics(diagnostics)
        if message is None:
            first = self.diagnostics[0] if self.diagnostics else None
            more = len(self.diagnostics) - 1
            message = str(first) if first else "invalid input"
            if more > 0:
                message += f" (and {more} more)"
        super().__init__(message)
