"""The guideline as one audience may see it: the one way to get an IR for output.

:func:`for_audience` returns a copy of the IR with everything above the audience's clearance
taken out. Every build target receives its IR from it (:func:`guidekit.generators.generate`
calls it once, for built-in and plugin targets alike), and so do the other commands that
write guideline text for an audience.

What is taken out:

* examples, negatives, edge cases and out-of-scope examples above the clearance, by their
  own sensitivity (an example defaults to its class's level, a class to its task's);
* a class above the clearance becomes an **opaque placeholder**: it keeps what a tool or a
  delivery needs to name it (its id, its place in the hierarchy, ``replaced_by``, its
  attributes' names, types and values, its colour and hotkey) and no text: its name becomes
  its id, and its definition, includes, excludes, escalation, deprecation note, aliases,
  change notes and attribute descriptions are gone;
* evaluation items (they are the answers) above the clearance: an item's level is the
  evaluation set's (``internal`` by default), or its example's when that is higher; and
  held-out items, for every audience;
* a task above the clearance keeps its id, type and settings, and loses its title, question,
  description, change notes and attribute descriptions.

Results of quizzes and evaluations (``build --target handbook --results``) summarise the
answers of every item, held-out and restricted ones included, so :func:`sees_results` lets
only readers cleared for everything see them: no audience, or one cleared for the highest
level.

Ids (task, class and attribute ids, attribute values) are never secret: they are the labels
a delivery uses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from guidekit import ir
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError

Visible = Callable[[str], bool]


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


def _examples(items: tuple[ir.Example, ...], visible: Visible) -> tuple[ir.Example, ...]:
    return tuple(e for e in items if visible(e.sensitivity))


def placeholder(c: ir.Class) -> ir.Class:
    """The opaque placeholder of a class an audience may not read: its id, and no text."""
    return replace(
        c,
        name=c.id,
        definition=None,
        includes=(),
        excludes=(),
        escalate=None,
        aliases=(),
        deprecation_note=None,
        changes=(),
        attributes=_bare(c.attributes),
    )


def _class(c: ir.Class, visible: Visible) -> ir.Class:
    c = replace(
        c,
        examples=_examples(c.examples, visible),
        negatives=_examples(c.negatives, visible),
        edge_cases=_examples(c.edge_cases, visible),
    )
    return c if visible(c.sensitivity) else placeholder(c)


def _task(t: ir.Task, visible: Visible) -> ir.Task:
    t = replace(
        t,
        classes=tuple(_class(c, visible) for c in t.classes),
        edge_cases=_examples(t.edge_cases, visible),
    )
    if visible(t.sensitivity):
        return t
    return replace(
        t,
        title=None,
        question=None,
        description=None,
        changes=(),
        attributes=_bare(t.attributes),
    )


def for_audience(g: ir.Guideline, audience: str | None) -> ir.Guideline:
    """``g`` without anything ``audience`` may not see (``None``: everything, unchanged).

    Raises GK011 when ``audience`` is not declared. Filtering a filtered guideline again for
    the same audience changes nothing.
    """
    if audience is None:
        return g
    check_audience(g, audience)

    def visible(level: str) -> bool:
        return g.governance.visible(level, audience)

    scope = replace(
        g.scope, out_of_scope_examples=_examples(g.scope.out_of_scope_examples, visible)
    )
    tasks = {tid: _task(t, visible) for tid, t in g.tasks.items()}
    ev = g.evaluation
    items = tuple(i for i in ev.items if not i.holdout and visible(i.sensitivity))
    return replace(g, tasks=tasks, scope=scope, evaluation=replace(ev, items=items))


def sees_results(g: ir.Guideline, audience: str | None) -> bool:
    """Whether ``audience`` may see quiz and evaluation results (common mistakes, how often
    an edge case is got right): they summarise every item's answer, held-out ones included,
    so only a build for everybody or for an audience cleared for the highest level."""
    if audience is None:
        return True
    check_audience(g, audience)
    return g.governance.visible(g.governance.highest, audience)
