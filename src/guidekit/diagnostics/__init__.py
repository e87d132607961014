"""Diagnostics: the one error/warning type (``model``), the code registry (``codes``) and the
renderers (``render``: text, JSON, GitHub annotations, JUnit XML, SARIF)."""

from guidekit.diagnostics.model import Diagnostic, Location, Related, Severity

__all__ = ["Diagnostic", "Location", "Related", "Severity"]
