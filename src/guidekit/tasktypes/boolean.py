"""The ``boolean`` task type: a yes/no answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._bridge_maps import LabelStudioMap
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Boolean(TaskType):
    name = "boolean"
    summary = "A yes/no answer."
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
        return ("choices",)

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("yes-no")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        options = [{"text": "Yes", "value": "yes"}, {"text": "No", "value": "no"}]
        return "label_selection", {"options": options, "visible_options": None}


TASK_TYPE = Boolean()
