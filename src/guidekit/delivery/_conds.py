"""Compile rule conditions to Python expressions over a decoded fast-path record.

:func:`guidekit.record.rules.holds` is the reference; this module emits the same logic as source
code over the msgspec structs of :mod:`guidekit.delivery._fast`, where labels are already
known to be valid class ids (so ``is: billing`` becomes a set membership test). A property
test runs both on the same records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from guidekit import ir, tasktypes
from guidekit.record.rules import rank as rank_of
from guidekit.spec.format import Cond


class CondCompiler:
    """``expr(cond)`` -> Python expression text. ``field(key)`` maps a record key to the
    expression of its value (``None`` when the fast record has no such key); ``const``
    registers a constant in the generated module and returns its name."""

    def __init__(
        self,
        g: ir.Guideline,
        field: Callable[[str], str | None],
        const: Callable[[Any, str], str],
        bare: Callable[[ir.Task], bool] = lambda task: False,
    ) -> None:
        self.g = g
        self.field = field
        self.const = const
        self.bare = bare  # values of the task are bare labels (or None)
        #: assignments the expressions rely on (the label of single-label tasks), to be
        #: emitted once before them
        self.prelude: dict[str, str] = {}

    def expr(self, c: Cond) -> str:
        if c.all is not None:
            return "(" + " and ".join(self.expr(x) for x in c.all) + ")" if c.all else "True"
        if c.any is not None:
            return "(" + " or ".join(self.expr(x) for x in c.any) + ")" if c.any else "False"
        if c.not_ is not None:
            return f"(not {self.expr(c.not_)})"
        if c.field is not None:
            return self.field_atom(c)
        if c.task is None:
            return "True"
        return self.task_atom(c)

    # -- atoms -----------------------------------------------------------------------------
    def field_atom(self, c: Cond) -> str:
        v = self.field(c.field or "") or "None"
        if c.empty is not None:
            return f"(({v}) in (None, '', [])) == {c.empty!r}"
        if c.is_ is not None:
            targets = [c.is_] if isinstance(c.is_, str) else list(c.is_)
            return f"(({v}) in {self.const(tuple(targets), 'T')})"
        if c.equals is not None:
            return f"(({v}) == {c.equals!r})"
        return f"(({v}) is not None)"

    def task_atom(self, c: Cond) -> str:
        task = self.g.tasks[c.task or ""]
        v = self.field(task.id) or "None"
        parts: list[str] = []
        if c.empty is not None:
            parts.append(f"(({v}) is None or ({v}) == [] or ({v}) == '') == {c.empty!r}")
        single = tasktypes.of(task).one_label()
        if c.is_ is not None:
            s = self.closure(task, [c.is_] if isinstance(c.is_, str) else c.is_)
            if single:
                parts.append(f"({self.label(task, v)} in {s})")
            else:
                labs = self.labels(task, v)
                parts.append(f"(bool(_L := {labs}) and {s}.issuperset(_L))")
        if c.has is not None:
            for t in [c.has] if isinstance(c.has, str) else c.has:
                s = self.closure(task, [t])
                parts.append(f"(not {s}.isdisjoint({self.labels(task, v, once=True)}))")
        if c.has_any is not None:
            s = self.closure(task, c.has_any)
            parts.append(f"(not {s}.isdisjoint({self.labels(task, v, once=True)}))")
        if c.at_least is not None or c.at_most is not None:
            parts.append(self.rank_atom(task, v, c))
        if c.equals is not None:
            parts.append(f"(({v}) == {c.equals!r})")
        if c.count is not None:
            labs = self.labels(task, v)
            if c.class_ is not None:
                s = self.closure(task, [c.class_])
                n = f"len([_l for _l in {labs} if _l in {s}])"
            else:
                n = f"len({labs})"
            if c.count.min is not None:
                parts.append(f"({n} >= {c.count.min})")
            if c.count.max is not None:
                parts.append(f"({n} <= {c.count.max})")
        return "(" + " and ".join(parts) + ")" if parts else "True"

    def rank_atom(self, task: ir.Task, v: str, c: Cond) -> str:
        rank = tasktypes.of(task).cond_rank(task, v, self)
        if rank is None:
            return "False"
        tests = []
        for bound, op in ((c.at_least, ">="), (c.at_most, "<=")):
            if bound is None:
                continue
            limit = rank_of(task, bound)
            if limit is None:
                return "False"
            tests.append(f"_r {op} {limit!r}")
        return f"((_r := {rank}) is not None and {' and '.join(tests)})"

    # -- helpers ---------------------------------------------------------------------------
    def closure(self, task: ir.Task, targets: Any) -> str:
        out: set[str] = set()
        for t in targets:
            out.add(t)
            if t in task:
                out.update(task.descendants(t))
        return self.const(frozenset(out), "S")

    def label(self, task: ir.Task, v: str) -> str:
        if self.bare(task):
            return v
        name = f"lb_{v.replace('.', '_')}"
        self.prelude[name] = (
            f"{name} = None if {v} is None else ({v} if {v}.__class__ is str else {v}.label)"
        )
        return name

    def labels(self, task: ir.Task, v: str, once: bool = False) -> str:
        """The labels of a value: a list, or (``once``) an iterable read once."""
        return tasktypes.of(task).cond_labels(task, v, self.bare(task), once)
