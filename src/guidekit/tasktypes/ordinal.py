"""The ``ordinal`` task type: one class per record from an ordered scale."""

from __future__ import annotations

from guidekit import ir
from guidekit.tasktypes._handbook_page import Markup
from guidekit.tasktypes.base import TaskType


class Ordinal(TaskType):
    name = "ordinal"
    summary = "One class per record from an ordered scale."
    classification = True

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------
    handbook_levels = True

    def handbook_kind(self) -> str:
        return "ordered scale"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        return "Choose one level of the scale; levels are listed from lowest to highest."

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Ordinal()
