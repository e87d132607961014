"""The ``boolean`` task type: a yes/no answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._delivery_fast import boolean_cell
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._generators_schema import SchemaGen


class Boolean(TaskType):
    name = "boolean"
    summary = "A yes/no answer."
    has_classes = False

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    def csv_cell(self, value: str) -> Any:
        return boolean_cell(value)

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        return "bool"

    # -- generators (JSON Schema, models) --------------------------------------------------

    def schema_value(self, task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
        return {**head, "type": "boolean"}

    def model_value(self, task: ir.Task, item: str) -> str:
        return "bool"

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Boolean()
