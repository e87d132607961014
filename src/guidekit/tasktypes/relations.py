"""The ``relations`` task type: labelled links between regions of another task."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes import _quality_regions as R
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._quality_values import Converter


class Relations(TaskType):
    name = "relations"
    summary = "Labelled links between regions of another task."

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    def quality_labels(self, task: ir.Task) -> list[str]:
        return [c.id for c in task.classes]

    def quality_values(self, task: ir.Task, missing: object) -> Converter:
        return R.regions_value(task, R.no_shape)

    def agreement_unmeasured(self) -> str:
        return "agreement on relations is not measured"

    # -- versioning (diff, migration) ------------------------------------------------------

    def diff_settings(self, a: ir.Task, b: ir.Task) -> list[tuple[str, str, Any, Any]]:
        return [("task-values-changed", "`directed`", a.directed, b.directed)]

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Relations()
