"""The ``keypoints`` task type: labelled sets of named points on an image."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._bridge_maps import ARGILLA_NO_REGIONS, CvatMap, ImageShape, LabelStudioMap
from guidekit.tasktypes.base import NotRepresentable, TaskType

if TYPE_CHECKING:
    from guidekit import ir


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

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    def labelstudio_results(self) -> tuple[str, ...]:
        return ("rectanglelabels", "keypointlabels")

    def labelstudio(self) -> LabelStudioMap:
        # each instance is a box (the class) plus one keypoint per skeleton point
        return LabelStudioMap("regions", tag="RectangleLabels", points=True)

    def image_shape(self) -> ImageShape:
        return "keypoints"

    def cvat(self) -> CvatMap:
        return CvatMap("skeleton", "skeleton")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        raise NotRepresentable(ARGILLA_NO_REGIONS)


TASK_TYPE = Keypoints()
