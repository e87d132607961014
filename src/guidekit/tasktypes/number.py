"""The ``number`` task type: a numeric answer."""

from __future__ import annotations

from guidekit import ir
from guidekit.tasktypes._handbook_page import Markup
from guidekit.tasktypes.base import TaskType


class Number(TaskType):
    name = "number"
    summary = "A numeric answer."
    has_classes = False

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------
    def handbook_kind(self) -> str:
        return "number"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        bounds = []
        if task.min is not None:
            bounds.append(f"at least {task.min:g}")
        if task.max is not None:
            bounds.append(f"at most {task.max:g}")
        kind = "a whole number" if task.integer else "a number"
        unit = f" in {text.plain(task.unit)}" if task.unit else ""
        return f"Give {kind}{unit}" + (f" ({', '.join(bounds)})." if bounds else ".")

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Number()
