"""The ``bbox`` task type: labelled boxes on an image."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._bridge_maps import ARGILLA_NO_REGIONS, CvatMap, ImageShape, LabelStudioMap
from guidekit.tasktypes.base import NotRepresentable, TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Bbox(TaskType):
    name = "bbox"
    summary = "Labelled boxes on an image."
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
        return ("rectanglelabels",)

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("regions", tag="RectangleLabels")

    def image_shape(self) -> ImageShape:
        return "box"

    def cvat(self) -> CvatMap:
        return CvatMap("rectangle", "box")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        raise NotRepresentable(ARGILLA_NO_REGIONS)


TASK_TYPE = Bbox()
