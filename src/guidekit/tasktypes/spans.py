"""The ``spans`` task type: labelled character spans of a text field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._bridge_maps import LabelStudioMap, argilla_labels
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Spans(TaskType):
    name = "spans"
    summary = "Labelled character spans of a text field."
    region = True
    over_field_types = ("text",)

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    def labelstudio_results(self) -> tuple[str, ...]:
        return ("labels", "hypertextlabels")

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("regions", tag="Labels")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        settings = {"allow_overlapping": task.overlap != "forbid", "field": task.over}
        return "span", {**settings, **argilla_labels(task)}


TASK_TYPE = Spans()
