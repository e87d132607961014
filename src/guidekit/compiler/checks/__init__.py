"""Meaning checks on the IR, one module per section of the format.

Each check takes the shared :class:`CheckContext` and reports into it. :data:`CHECKS` is
the order they run in, and so the order of their diagnostics; a new check goes in the
module of its section and in this list (see ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from guidekit import ir
from guidekit.compiler.checks import (
    acceptance,
    evaluation,
    examples,
    governance,
    manifest,
    record,
    rules,
    scope,
    tasks,
)
from guidekit.compiler.checks._context import CheckContext
from guidekit.compiler.resolve import SourceMap
from guidekit.diagnostics.model import Diagnostic

Check = Callable[[CheckContext], None]

CHECKS: tuple[Check, ...] = (
    manifest.check_version,
    governance.check_governance,
    record.check_record,
    tasks.check_tasks,
    examples.check_examples,
    rules.check_rules,
    acceptance.check_acceptance,
    scope.check_scope,
    evaluation.check_evaluation,
)

__all__ = ["CHECKS", "Check", "CheckContext", "check_meaning"]


def check_meaning(
    g: ir.Guideline,
    root: Path | None,
    source: SourceMap | None = None,
    skip: Iterable[tuple[str | int, ...]] = (),
) -> list[Diagnostic]:
    """Run every check in :data:`CHECKS` over ``g``, in order."""
    ctx = CheckContext(g, root, source, set(skip))
    for check in CHECKS:
        check(ctx)
    return ctx.out
