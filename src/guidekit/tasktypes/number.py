"""The ``number`` task type: a numeric answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._bridge_maps import LabelStudioMap
from guidekit.tasktypes.base import NotRepresentable, TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Number(TaskType):
    name = "number"
    summary = "A numeric answer."
    has_classes = False

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    def labelstudio_results(self) -> tuple[str, ...]:
        return ("number", "rating")

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("number")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        lo, hi = task.min, task.max
        if not (task.integer and lo is not None and hi is not None and lo >= 0 and hi <= 10):
            raise NotRepresentable("rating questions hold whole numbers 0..10 only")
        return "rating", {"options": [{"value": v} for v in range(int(lo), int(hi) + 1)]}


TASK_TYPE = Number()
