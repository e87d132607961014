"""The compiler pipeline: resolve -> structure -> lower -> meaning -> lint.

:func:`compile_guideline` gathers every diagnostic it can before reporting. A structural error
inside one class, example, rule or task does not stop the later stages: that part is set
aside (:mod:`guidekit.compiler._quarantine`) and the rest is checked, without follow-up
findings about the part set aside. A structural error elsewhere stops after structure. :func:`load` is the library
entry point: the frozen :class:`~guidekit.ir.Guideline`, or one
:class:`~guidekit.errors.GuidekitError` carrying every error.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from guidekit import ir
from guidekit.compiler._quarantine import quarantine
from guidekit.compiler.checks import check_meaning
from guidekit.compiler.lint import check_lint
from guidekit.compiler.lower import lower
from guidekit.compiler.resolve import Document, resolve_file
from guidekit.compiler.structure import check_structure
from guidekit.diagnostics.codes import CODES, diag
from guidekit.diagnostics.model import Diagnostic, Location, Severity, has_errors, sort_diagnostics
from guidekit.errors import GuidekitError
from guidekit.spec.format import Guideline

GUIDELINE_FILE = "guideline.yaml"


@dataclass
class CompileResult:
    """The outcome of compiling a project: the guideline (if it could be built) and every
    diagnostic, sorted by location."""

    guideline: ir.Guideline | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    root: Path | None = None

    @property
    def ok(self) -> bool:
        return self.guideline is not None and not has_errors(self.diagnostics)


def find_project(path: str | os.PathLike[str]) -> tuple[Path, str]:
    """``(root, file name)`` for a project folder or a path to its ``guideline.yaml``."""
    p = Path(path)
    try:
        os.stat(p)
    except (OSError, ValueError) as exc:
        if not isinstance(exc, FileNotFoundError):
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise GuidekitError(
                diag("GK001", f"'{p}' cannot be read: {why}", Location(str(p)))
            ) from None
    if p.is_dir():
        if not (p / GUIDELINE_FILE).exists():
            raise GuidekitError(
                diag(
                    "GK002",
                    f"no {GUIDELINE_FILE} in '{p}'",
                    Location(str(p)),
                    hint="run `guidekit init DIR` to start a guideline",
                )
            )
        return p, GUIDELINE_FILE
    if p.is_file():
        return p.parent, p.name
    if p.exists():
        raise GuidekitError(
            diag(
                "GK001",
                f"'{p}' is not a regular file (a device, FIFO or socket is never read)",
                Location(str(p)),
            )
        )
    raise GuidekitError(diag("GK001", f"'{p}' does not exist", Location(str(p))))


def _apply_severities(
    diags: list[Diagnostic], g: ir.Guideline | None, strict: bool
) -> list[Diagnostic]:
    overrides = dict(g.lint.severity) if g is not None else {}
    out = []
    for d in diags:
        level = overrides.get(d.code)
        if level is not None and d.code.startswith("GK4"):
            if level == "off":
                continue
            d = d.with_severity(Severity(level))
        if strict and d.severity is Severity.WARNING:
            d = d.with_severity(Severity.ERROR)
        out.append(d)
    return out


def _override_problems(g: ir.Guideline, doc: Document) -> list[Diagnostic]:
    out = []
    for code in g.lint.severity:
        where = doc.source.locate(("lint", "severity", code), key=True)
        if code not in CODES:
            out.append(diag("GK204", f"'{code}' is not a guidekit code", where))
        elif not code.startswith("GK4"):
            out.append(
                diag(
                    "GK204",
                    f"only lint codes (GK4xx) can be configured; '{code}' is not one",
                    where,
                )
            )
    return out


def compile_document(doc: Document, root: Path | None, *, strict: bool = False) -> CompileResult:
    model, diags = check_structure(doc)
    if model is not None:
        guideline, later = _later_stages(model, doc, root, strict)
        return CompileResult(guideline, sort_diagnostics(later), root)
    # collect-all: set the broken parts aside and check the rest; the result has no
    # guideline (it would be missing those parts), only every problem found
    set_aside = quarantine(doc, diags)
    if set_aside is None:
        return CompileResult(None, sort_diagnostics(diags), root)
    rest, hidden = set_aside
    model, again = check_structure(rest)
    if model is None or again:
        return CompileResult(None, sort_diagnostics(diags), root)
    _, later = _later_stages(model, rest, root, strict)
    return CompileResult(None, sort_diagnostics([*diags, *hidden.filter(later)]), root)


def _later_stages(
    model: Guideline, doc: Document, root: Path | None, strict: bool
) -> tuple[ir.Guideline, list[Diagnostic]]:
    """Lowering, meaning and lint of a structurally valid model."""
    guideline, lower_diags, failed = lower(model, doc.source)
    guideline = replace(guideline, root=root)
    diags = [
        *lower_diags,
        *_override_problems(guideline, doc),
        *check_meaning(guideline, root, doc.source, failed),
        *check_lint(guideline, doc.source),
    ]
    return guideline, _apply_severities(diags, guideline, strict)


@contextlib.contextmanager
def _paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of small acyclic objects.

    Loading a 10,000-class taxonomy otherwise spends a third of its time in collections that
    find nothing to free (the objects are all still in use).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compile_guideline(path: str | os.PathLike[str] = ".", *, strict: bool = False) -> CompileResult:
    """Compile the project at ``path``; never raises for bad input."""
    with _paused_gc():
        return _compile(path, strict=strict)


def _compile(path: str | os.PathLike[str], *, strict: bool) -> CompileResult:
    try:
        root, name = find_project(path)
        doc = resolve_file(root, name)
    except GuidekitError as exc:
        return CompileResult(None, exc.diagnostics, None)
    return compile_document(doc, root, strict=strict)


def load(path: str | os.PathLike[str] = ".", *, strict: bool = False) -> ir.Guideline:
    """Load, check and lower a guideline project.

    Returns the frozen IR. Raises :class:`GuidekitError` carrying every error diagnostic when
    the project has errors (warnings do not fail unless ``strict``).
    """
    result = compile_guideline(path, strict=strict)
    if result.guideline is None or has_errors(result.diagnostics):
        raise GuidekitError([d for d in result.diagnostics if d.severity is Severity.ERROR])
    return result.guideline
