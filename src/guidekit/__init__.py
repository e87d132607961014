"""guidekit: data annotation guidelines as code.

>>> import guidekit
>>> g = guidekit.load("guidelines/support-tickets")      # doctest: +SKIP
>>> g.tasks["intent"].labels()                             # doctest: +SKIP
"""

from __future__ import annotations

from guidekit.compiler import CompileResult, compile_guideline, load
from guidekit.diagnostics import Diagnostic, Location, Severity
from guidekit.errors import GuidekitError
from guidekit.ir import Guideline

__version__ = "0.1.0"

__all__ = [
    "CompileResult",
    "Diagnostic",
    "GuidekitError",
    "Guideline",
    "Location",
    "Severity",
    "__version__",
    "compile_guideline",
    "load",
]
