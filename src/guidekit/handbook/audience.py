"""The guideline as one audience may see it.

:func:`for_audience` returns a copy of the IR with everything above the audience's clearance
taken out: examples, negatives, edge cases and out-of-scope examples by their own sensitivity;
the text of a class (name, definition, boundaries, escalation, attribute descriptions) and of
a task (title, question, description) by theirs. Ids stay: they are the labels a delivery
uses. Pages are rendered from the filtered copy, so restricted text cannot reach any output
file, the search index included.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from guidekit import ir
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError


def check_audience(g: ir.Guideline, audience: str | None) -> None:
    """Raise :class:`GuidekitError` (GK011) unless ``audience`` is declared (or ``None``)."""
    if audience is None or audience in g.governance.audiences:
        return
    known = ", ".join(g.governance.audiences) or "none are declared"
    raise GuidekitError(
        diag(
            "GK011",
            f"'{audience}' is not an audience of guideline '{g.id}'",
            Location(g.files[0] if g.files else None, None, None, ("governance", "audiences")),
            hint=f"audiences: {known}",
        )
    )


def _bare(attrs: Mapping[str, ir.Attribute]) -> dict[str, ir.Attribute]:
    return {k: replace(a, description=None, value_descriptions={}) for k, a in attrs.items()}


def _examples(
    items: tuple[ir.Example, ...], visible: Callable[[str], bool]
) -> tuple[ir.Example, ...]:
    return tuple(e for e in items if visible(e.sensitivity))


def _class(c: ir.Class, visible: Callable[[str], bool]) -> ir.Class:
    c = replace(
        c,
        examples=_examples(c.examples, visible),
        negatives=_examples(c.negatives, visible),
        edge_cases=_examples(c.edge_cases, visible),
    )
    if visible(c.sensitivity):
        return c
    return replace(
        c,
        name=c.id,
        definition=None,
        includes=(),
        excludes=(),
        escalate=None,
        deprecation_note=None,
        attributes=_bare(c.attributes),
    )


def _task(t: ir.Task, visible: Callable[[str], bool]) -> ir.Task:
    t = replace(
        t,
        classes=tuple(_class(c, visible) for c in t.classes),
        edge_cases=_examples(t.edge_cases, visible),
    )
    if visible(t.sensitivity):
        return t
    return replace(t, title=None, question=None, description=None, attributes=_bare(t.attributes))


def for_audience(g: ir.Guideline, audience: str | None) -> ir.Guideline:
    """``g`` without anything ``audience`` may not see (``None``: everything, unchanged)."""
    if audience is None:
        return g
    check_audience(g, audience)

    def visible(level: str) -> bool:
        return g.governance.visible(level, audience)

    scope = replace(
        g.scope, out_of_scope_examples=_examples(g.scope.out_of_scope_examples, visible)
    )
    tasks = {tid: _task(t, visible) for tid, t in g.tasks.items()}
    return replace(g, tasks=tasks, scope=scope)
