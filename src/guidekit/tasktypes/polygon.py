"""The ``polygon`` task type: labelled polygons on an image."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._bridge_maps import ARGILLA_NO_REGIONS, CvatMap, ImageShape, LabelStudioMap
from guidekit.tasktypes.base import NotRepresentable, TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Polygon(TaskType):
    name = "polygon"
    summary = "Labelled polygons on an image."
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
        return ("polygonlabels",)

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("regions", tag="PolygonLabels")

    def image_shape(self) -> ImageShape:
        return "polygon"

    def cvat(self) -> CvatMap:
        return CvatMap("polygon", "polygon")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        raise NotRepresentable(ARGILLA_NO_REGIONS)


TASK_TYPE = Polygon()
