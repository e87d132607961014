"""The ``ordinal`` task type: one class per record from an ordered scale."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._bridge_maps import (
    CLASSIFICATION_RESULTS,
    CvatMap,
    LabelStudioMap,
    argilla_labels,
)
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Ordinal(TaskType):
    name = "ordinal"
    summary = "One class per record from an ordered scale."
    classification = True

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    def labelstudio_results(self) -> tuple[str, ...]:
        return (*CLASSIFICATION_RESULTS, "rating")

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("choices", inline=True)

    def cvat(self) -> CvatMap:
        return CvatMap("tag", "tag")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        return "label_selection", argilla_labels(task)


TASK_TYPE = Ordinal()
