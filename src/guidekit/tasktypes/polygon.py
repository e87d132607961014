"""The ``polygon`` task type: labelled polygons on an image."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._format import ConfigFinding, Report, check_image_over, fill_region_labels
from guidekit.tasktypes._values import Problem, inside, is_num
from guidekit.tasktypes._values_regions import check_image_regions, self_intersects
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Polygon(TaskType):
    name = "polygon"
    summary = "Labelled polygons on an image."
    region = True
    image = True
    over_field_types = ("image",)

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"has", "has_any", "count"})
    agreement_metrics = frozenset({"box_f1"})
    gold_scores = True

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
        return check_image_regions(guideline, task, value, record, "points", self.check_shape)

    def check_missing(self, task: ir.Task) -> Iterator[Problem]:
        return iter(())  # no list means no regions

    def check_shape(
        self,
        task: ir.Task,
        cid: str | None,
        points: Any,
        bounds: tuple[float, float] | None,
        tol: float,
        ptr: str,
        size: tuple[float, float] | None,
    ) -> Iterator[Problem]:
        """Problems of one region's ``points``."""
        return self.check_points(points, bounds, tol, ptr)

    @staticmethod
    def check_points(
        points: Any, bounds: tuple[float, float] | None, tol: float, ptr: str
    ) -> Iterator[Problem]:
        """Problems of a polygon's points (also called by the generated fast path)."""
        if not isinstance(points, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(is_num(v) for v in p) for p in points
        ):
            yield Problem("polygon.shape", ptr, "a polygon is a list of [x, y] points")
            return
        if len(points) < 3:
            yield Problem(
                "polygon.points", ptr, f"a polygon needs at least 3 points, found {len(points)}"
            )
            return
        for j, (x, y) in enumerate(points):
            if not inside(x, y, bounds, tol):
                assert bounds is not None
                yield Problem(
                    "polygon.outside",
                    f"{ptr}/{j}",
                    f"point [{x:g}, {y:g}] lies outside the image ({bounds[0]:g}x{bounds[1]:g})",
                )
        pts = [(float(x), float(y)) for x, y in points]
        area = (
            sum(
                pts[k][0] * pts[(k + 1) % len(pts)][1] - pts[(k + 1) % len(pts)][0] * pts[k][1]
                for k in range(len(pts))
            )
            / 2
        )
        if area == 0:
            yield Problem("polygon.area", ptr, "polygon has no area")
        elif len(pts) <= 2000 and self_intersects(pts):
            yield Problem("polygon.self_intersection", ptr, "polygon edges cross each other")

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Polygon()
