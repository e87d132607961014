"""The ``multi`` task type: any number of classes per record."""

from __future__ import annotations

from guidekit import ir
from guidekit.tasktypes._handbook_page import Markup
from guidekit.tasktypes.base import TaskType


class Multi(TaskType):
    name = "multi"
    summary = "Any number of classes per record."
    classification = True

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------
    def handbook_kind(self) -> str:
        return "multiple choice"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        lo, hi = task.min_labels, task.max_labels
        bounds = []
        if lo:
            bounds.append(f"at least {lo}")
        if hi:
            bounds.append(f"at most {hi}")
        return "Choose every class that applies" + (
            f" ({' and '.join(bounds)})." if bounds else "."
        )

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Multi()
