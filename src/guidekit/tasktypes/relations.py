"""The ``relations`` task type: labelled links between regions of another task."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._delivery_fast import (
    region_labels,
    region_list,
    value_present,
)
from guidekit.tasktypes._generators_schema import (
    MODEL_REGION_ID,
    REGION_ID,
    model_region_list,
    schema_region_list,
)
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._delivery_fast import FastGen
    from guidekit.tasktypes._generators_schema import SchemaGen


class Relations(TaskType):
    name = "relations"
    summary = "Labelled links between regions of another task."

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    def cond_labels(self, task: ir.Task, v: str, bare: bool, once: bool) -> str:
        return region_labels(v, once)

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        return region_list(task, item, min_one=False)

    def fast_struct_fields(self, task: ir.Task, label: str, attrs: str) -> list[str]:
        return [
            f"attributes: {attrs}",
            "id: str | int | None = None",
            "from_: str | int = field(name='from')",
            "to: str | int",
        ]

    def fast_check(self, task: ir.Task, gen: FastGen) -> None:
        with value_present(gen, task):
            _relations_check(task, gen)

    # -- generators (JSON Schema, models) --------------------------------------------------

    def schema_value(self, task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
        return schema_region_list(task, head, gen, min_one=False)

    def schema_item(
        self, task: ir.Task, label: dict[str, Any], names: tuple[str, ...] | None
    ) -> tuple[dict[str, Any], list[str]]:
        end = {
            "type": ["string", "integer"],
            "description": f"Region id in task '{task.over}'.",
        }
        props = {"label": label, "from": end, "to": end, "id": REGION_ID}
        return props, ["label", "from", "to"]

    def model_value(self, task: ir.Task, item: str) -> str:
        return model_region_list(task, item, min_one=False)

    def model_item_kind(self) -> str:
        return "relation"

    def model_item_fields(self, task: ir.Task, names: tuple[str, ...] | None) -> list[str]:
        return [
            "    from_: Union[StrictStr, StrictInt] = Field(alias='from')",
            "    to: Union[StrictStr, StrictInt]",
            MODEL_REGION_ID,
        ]

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


def _relations_check(task: ir.Task, gen: FastGen) -> None:
    """Both ends are regions of the ``over`` task, of the classes the relation allows;
    no relation twice."""
    s = gen.src
    over = gen.g.tasks[task.over or ""]
    s(f"rg = r.{gen.fields[over.id]}")
    s("mp = {}")
    s("if rg is not None:")
    with s.indent():
        s("for y in rg:")
        with s.indent():
            s("i = y.id")
            s("if i is not None: mp[i if i.__class__ is str else str(i)] = y.label")
    s("seen = set()")
    froms = {}
    tos = {}
    for cl in task.classes:
        if cl.from_ is not None:
            froms[cl.id] = _closure(over, cl.from_)
        if cl.to is not None:
            tos[cl.id] = _closure(over, cl.to)
    s("for x in v:")
    with s.indent():
        s("a = x.from_; a = a if a.__class__ is str else str(a)")
        s("b = x.to; b = b if b.__class__ is str else str(b)")
        s("ca = mp.get(a); cb = mp.get(b)")
        s("if ca is None or cb is None: return False")
        if froms:
            s(f"al = {gen.const(froms, 'FROM')}.get(x.label)")
            s("if al is not None and ca not in al: return False")
        if tos:
            s(f"al = {gen.const(tos, 'TO')}.get(x.label)")
            s("if al is not None and cb not in al: return False")
        if task.directed:
            s("k = (x.label, a, b)")
        else:
            s("k = (x.label, a, b) if a <= b else (x.label, b, a)")
        s("if k in seen: return False")
        s("seen.add(k)")
        gen.attrs_call(task, "x")


def _closure(task: ir.Task, targets: Any) -> frozenset[str]:
    """The classes ``targets`` name, with their descendants."""
    out: set[str] = set()
    for t in targets:
        out.add(t)
        if t in task:
            out.update(task.descendants(t))
    return frozenset(out)


TASK_TYPE = Relations()
