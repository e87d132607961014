"""The ``single`` task type: one class per record."""

from __future__ import annotations

from guidekit import ir
from guidekit.tasktypes._handbook_page import Markup
from guidekit.tasktypes.base import TaskType


class Single(TaskType):
    name = "single"
    summary = "One class per record."
    classification = True

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------
    def handbook_kind(self) -> str:
        return "single choice"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        return "Choose exactly one class."

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Single()
