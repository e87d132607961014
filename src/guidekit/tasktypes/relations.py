"""The ``relations`` task type: labelled links between regions of another task."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._bridge_maps import ARGILLA_NO_REGIONS, LabelStudioMap
from guidekit.tasktypes.base import NotRepresentable, TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Relations(TaskType):
    name = "relations"
    summary = "Labelled links between regions of another task."

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("relations")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        raise NotRepresentable(ARGILLA_NO_REGIONS)


TASK_TYPE = Relations()
