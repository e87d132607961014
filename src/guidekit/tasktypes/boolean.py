"""The ``boolean`` task type: a yes/no answer."""

from __future__ import annotations

from guidekit import ir
from guidekit.tasktypes._handbook_page import Markup
from guidekit.tasktypes.base import TaskType


class Boolean(TaskType):
    name = "boolean"
    summary = "A yes/no answer."
    has_classes = False

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------
    def handbook_kind(self) -> str:
        return "yes / no"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        return "Answer yes (`true`) or no (`false`)."

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Boolean()
