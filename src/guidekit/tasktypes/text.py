"""The ``text`` task type: a free-text answer."""

from __future__ import annotations

from guidekit import ir
from guidekit.tasktypes._handbook_page import Markup
from guidekit.tasktypes.base import TaskType


class Text(TaskType):
    name = "text"
    summary = "A free-text answer."
    has_classes = False

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------
    def handbook_kind(self) -> str:
        return "free text"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        bounds = []
        if task.min_length is not None:
            bounds.append(f"at least {task.min_length} characters")
        if task.max_length is not None:
            bounds.append(f"at most {task.max_length} characters")
        return "Write a free-text answer" + (f" ({', '.join(bounds)})." if bounds else ".")

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Text()
