"""The ``text`` task type: a free-text answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._bridge_maps import LabelStudioMap
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Text(TaskType):
    name = "text"
    summary = "A free-text answer."
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
        return ("textarea",)

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("textarea")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        return "text", {"use_markdown": False}


TASK_TYPE = Text()
