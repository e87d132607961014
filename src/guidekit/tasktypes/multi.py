"""The ``multi`` task type: any number of classes per record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._delivery_fast import value_present
from guidekit.tasktypes._generators_schema import model_label_list, schema_label_list
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._delivery_fast import FastGen
    from guidekit.tasktypes._generators_schema import SchemaGen


class Multi(TaskType):
    name = "multi"
    summary = "Any number of classes per record."
    classification = True

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    def cond_labels(self, task: ir.Task, v: str, bare: bool, once: bool) -> str:
        if bare:
            return f"(() if ({v}) is None else ({v}))" if once else f"({v} or [])"
        return (
            f"([] if ({v}) is None else [_x if _x.__class__ is str else _x.label for _x in ({v})])"
        )

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        meta = []
        if task.min_labels is not None:
            meta.append(f"min_length={task.min_labels}")
        if task.max_labels is not None:
            meta.append(f"max_length={task.max_labels}")
        inner = f"list[{item}]"
        return f"Annotated[{inner}, Meta({', '.join(meta)})]" if meta else inner

    def fast_check(self, task: ir.Task, gen: FastGen) -> None:
        s = gen.src
        with value_present(gen, task):
            s("labs = [x if x.__class__ is str else x.label for x in v]")
            s("if len(set(labs)) != len(labs): return False")
            if gen.conditional.get(task.id):
                s("for x in v:")
                with s.indent():
                    s("if x.__class__ is not str:")
                    with s.indent():
                        gen.attrs_call(task, "x")

    # -- generators (JSON Schema, models) --------------------------------------------------

    def schema_value(self, task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
        return schema_label_list(task, head, gen)

    def model_value(self, task: ir.Task, item: str) -> str:
        return model_label_list(task, item)

    def model_item_kind(self) -> str:
        return "label"

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Multi()
