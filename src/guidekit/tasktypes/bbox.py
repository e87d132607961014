"""The ``bbox`` task type: labelled boxes on an image."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from guidekit.tasktypes import _quality_regions as R
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._quality_values import Converter


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

    def quality_labels(self, task: ir.Task) -> list[str]:
        return [c.id for c in task.classes]

    def quality_values(self, task: ir.Task, missing: object) -> Converter:
        return R.regions_value(task, _box)

    def agreement_kind(self) -> str | None:
        return "regions"

    def agreement_matches(self, thresholds: Sequence[float]) -> list[R.MatchMode]:
        return R.iou_modes(thresholds, R.box_iou)

    def agreement_note(self) -> str:
        return (
            "box_f1@t: same class and intersection over union of at least t, matched one-to-one "
            "(best overlap first)"
        )

    def gold_kind(self) -> str | None:
        return "regions"

    def gold_match(self, iou: float) -> R.MatchMode:
        return R.iou_modes((iou,), R.box_iou)[0]

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


def _box(task: ir.Task, item: dict[str, Any]) -> tuple[Any, ...] | None:
    """``x1, y1, x2, y2`` whatever the coordinate format."""
    box = item.get("bbox")
    if not (isinstance(box, list) and len(box) == 4 and all(R.is_number(v) for v in box)):
        return None
    x1, y1, a, b = (float(v) for v in box)
    x2, y2 = (x1 + a, y1 + b) if task.coordinates.format == "xywh" else (a, b)
    return (x1, y1, x2, y2) if x2 > x1 and y2 > y1 else None


TASK_TYPE = Bbox()
