"""guidekit: data annotation guidelines as code.

>>> import guidekit
>>> g = guidekit.load("guidelines/support-tickets")      # doctest: +SKIP
>>> g.tasks["intent"].labels()                             # doctest: +SKIP

The public names are imported on first use (PEP 562), so ``import guidekit.cli`` or
``guidekit --version`` does not load the compiler.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from guidekit._version import __version__

if TYPE_CHECKING:
    from guidekit.compiler.pipeline import CompileResult, compile_guideline, load
    from guidekit.diagnostics.model import Diagnostic, Location, Severity
    from guidekit.errors import GuidekitError
    from guidekit.ir import Guideline

_LAZY = {
    "CompileResult": "guidekit.compiler.pipeline",
    "compile_guideline": "guidekit.compiler.pipeline",
    "load": "guidekit.compiler.pipeline",
    "Diagnostic": "guidekit.diagnostics.model",
    "Location": "guidekit.diagnostics.model",
    "Severity": "guidekit.diagnostics.model",
    "GuidekitError": "guidekit.errors",
    "Guideline": "guidekit.ir",
}

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'guidekit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
