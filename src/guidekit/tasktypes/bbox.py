"""The ``bbox`` task type: labelled boxes on an image."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._format import ConfigFinding, Report, check_image_over, fill_region_labels
from guidekit.tasktypes._values import Problem, inside, is_num
from guidekit.tasktypes._values_regions import check_image_regions
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Bbox(TaskType):
    name = "bbox"
    summary = "Labelled boxes on an image."
    region = True
    image = True
    over_field_types = ("image",)

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"has", "has_any", "count"})
    agreement_metrics = frozenset({"box_f1"})
    gold_scores = True
    class_keys = frozenset({"min_size"})

    def check_config(self, guideline: ir.Guideline, task: ir.Task) -> Iterator[ConfigFinding]:
        return check_image_over(guideline, task)

    def points_into(self, guideline: ir.Guideline, task: ir.Task) -> str | None:
        return task.over

    def canonical_value(
        self,
        task: ir.Task,
        value: Any,
        default_label: Any,
        record: Mapping[str, Any],
        report: Report,
    ) -> Any:
        return fill_region_labels(value, default_label, None)

    # -- record values (record checks) -----------------------------------------------------

    def check_value(
        self,
        guideline: ir.Guideline,
        task: ir.Task,
        value: Any,
        record: Mapping[str, Any] | None,
        annotations: Mapping[str, Any],
    ) -> Iterator[Problem]:
        return check_image_regions(guideline, task, value, record, "bbox", self.check_shape)

    def check_missing(self, task: ir.Task) -> Iterator[Problem]:
        return iter(())  # no list means no regions

    def check_shape(
        self,
        task: ir.Task,
        cid: str | None,
        box: Any,
        bounds: tuple[float, float] | None,
        tol: float,
        ptr: str,
        size: tuple[float, float] | None,
    ) -> Iterator[Problem]:
        """Problems of one region's ``bbox``."""
        if not isinstance(box, list) or len(box) != 4 or not all(is_num(v) for v in box):
            yield Problem(
                "bbox.shape",
                ptr,
                f"a box is a list of 4 numbers ([{', '.join(task.coordinates.format)}])",
            )
            return
        if task.coordinates.format == "xywh":
            x1, y1, w, h = box
            x2, y2 = x1 + w, y1 + h
        else:
            x1, y1, x2, y2 = box
            w, h = x2 - x1, y2 - y1
        if w <= 0 or h <= 0:
            yield Problem("bbox.area", ptr, f"box has no area (width {w:g}, height {h:g})")
            return
        if not (inside(x1, y1, bounds, tol) and inside(x2, y2, bounds, tol)):
            assert bounds is not None
            yield Problem(
                "bbox.outside",
                ptr,
                f"box {box} lies outside the image ({bounds[0]:g}x{bounds[1]:g}, tolerance {tol:g})",
            )
        cls = task.get(cid) if cid else None
        if cls is not None and cls.min_size is not None:
            if task.coordinates.units == "normalized":
                if size is None:
                    return  # min_size is in pixels; without the image size it cannot be checked
                w, h = w * size[0], h * size[1]
            if w < cls.min_size.width or h < cls.min_size.height:
                yield Problem(
                    "bbox.small",
                    ptr,
                    f"box is {w:g}x{h:g}, smaller than the minimum "
                    f"{cls.min_size.width:g}x{cls.min_size.height:g} for '{cid}'",
                )

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Bbox()
