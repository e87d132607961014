"""The ``keypoints`` task type: labelled sets of named points on an image."""

from __future__ import annotations

from typing import TYPE_CHECKING

from guidekit.tasktypes import _quality_regions as R
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._quality_values import Converter


class Keypoints(TaskType):
    name = "keypoints"
    summary = "Labelled sets of named points on an image."
    region = True
    image = True
    over_field_types = ("image",)

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
        return "agreement on keypoints is not measured (no agreed matching of skeletons)"

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Keypoints()
