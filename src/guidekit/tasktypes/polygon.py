"""The ``polygon`` task type: labelled polygons on an image."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from guidekit.tasktypes import _quality_regions as R
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._quality_values import Converter


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

    def quality_labels(self, task: ir.Task) -> list[str]:
        return [c.id for c in task.classes]

    def quality_values(self, task: ir.Task, missing: object) -> Converter:
        return R.regions_value(task, _polygon)

    def agreement_kind(self) -> str | None:
        return "regions"

    def agreement_matches(self, thresholds: Sequence[float]) -> list[R.MatchMode]:
        return R.iou_modes(thresholds, R.polygon_iou)

    def agreement_note(self) -> str:
        return (
            "box_f1@t: same class and intersection over union of at least t, matched one-to-one "
            "(best overlap first)"
        )

    def gold_kind(self) -> str | None:
        return "regions"

    def gold_match(self, iou: float) -> R.MatchMode:
        return R.iou_modes((iou,), R.polygon_iou)[0]

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


def _polygon(task: ir.Task, item: dict[str, Any]) -> tuple[Any, ...] | None:
    pts = item.get("points")
    if not (
        isinstance(pts, list)
        and len(pts) >= 3
        and all(isinstance(p, list) and len(p) == 2 and all(R.is_number(v) for v in p) for p in pts)
    ):
        return None
    return tuple((float(x), float(y)) for x, y in pts)


TASK_TYPE = Polygon()
