"""The ``polygon`` task type: labelled polygons on an image."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from guidekit import ir
from guidekit.tasktypes import _quality_regions as R
from guidekit.tasktypes._bridge_maps import CvatMap, ImageShape, LabelStudioMap
from guidekit.tasktypes._delivery_fast import (
    image_check,
    value_present,
)
from guidekit.tasktypes._format import ConfigFinding, check_image_over
from guidekit.tasktypes._generators_schema import (
    MODEL_REGION_ID,
    REGION_ID,
)
from guidekit.tasktypes._handbook_page import Markup, Page
from guidekit.tasktypes._handbook_regions import (
    coordinate_units,
    label_of,
    region_id,
    regions,
    scale,
)
from guidekit.tasktypes._handbook_svg import OUTLINE, Shape, is_number
from guidekit.tasktypes._image import ImageRegions
from guidekit.tasktypes._values import Problem, inside, is_num
from guidekit.tasktypes._values_regions import check_image_regions, self_intersects

if TYPE_CHECKING:
    from guidekit import ir

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._delivery_fast import FastGen
    from guidekit.tasktypes._quality_values import Converter


class Polygon(ImageRegions):
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

    def fast_struct_fields(self, task: ir.Task, label: str, attrs: str) -> list[str]:
        return [
            f"attributes: {attrs}",
            "id: str | int | None = None",
            "points: Annotated[list[Annotated[list[float], "
            "Meta(min_length=2, max_length=2)]], Meta(min_length=3)]",
        ]

    def fast_check(self, task: ir.Task, gen: FastGen) -> None:
        tol = float(task.coordinates.tolerance)

        def per_item() -> None:
            gen.src(f"for _p in _polygon(x.points, B, {tol!r}, ''): return False")

        with value_present(gen, task):
            image_check(gen, task, per_item)

    # -- generators (JSON Schema, models) --------------------------------------------------

    def schema_item(
        self, task: ir.Task, label: dict[str, Any], names: tuple[str, ...] | None
    ) -> tuple[dict[str, Any], list[str]]:
        props = {
            "label": label,
            "points": {
                "type": "array",
                "minItems": 3,
                "items": {
                    "type": "array",
                    "items": {"type": "number"},
                    "minItems": 2,
                    "maxItems": 2,
                },
                "description": f"[x, y] points in {task.coordinates.units}; "
                "the closing edge is implied.",
            },
            "id": REGION_ID,
        }
        return props, ["label", "points"]

    def model_item_kind(self) -> str:
        return "polygon"

    def model_item_fields(self, task: ir.Task, names: tuple[str, ...] | None) -> list[str]:
        return [
            "    points: Annotated[list[Annotated[list[float], Field(min_length=2, max_length=2)]], Field(min_length=3)]",
            MODEL_REGION_ID,
        ]

    # -- handbook --------------------------------------------------------------------------
    def handbook_kind(self) -> str:
        return "polygons"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        over = text.code(task.over) if task.over else "the item"
        units = coordinate_units(task)
        return (
            f"Draw a polygon on {over} for every object of a class."
            f" Coordinates are in {units}, from the top-left corner."
        )

    def handbook_shapes(self, task: ir.Task, value: Any, size: tuple[float, float]) -> list[Shape]:
        sx, sy = scale(task, size)
        out: list[Shape] = []
        for r in regions(value):
            pts_in = r.get("points")
            if not isinstance(pts_in, list):
                continue
            pts = [
                (float(p[0]) * sx, float(p[1]) * sy)
                for p in pts_in
                if isinstance(p, list) and len(p) == 2 and all(is_number(v) for v in p)
            ]
            if len(pts) >= 3:
                out.append(Shape(label_of(r), OUTLINE, pts, region_id=region_id(r)))
        return out

    def handbook_region(
        self, task: ir.Task, region: dict[str, Any], text: str | None, page: Page
    ) -> str:
        points = region.get("points")
        return f" <small>{len(points)} points</small>" if isinstance(points, list) else ""

    # -- quality (agreement, gold) ---------------------------------------------------------

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

    def labelstudio_results(self) -> tuple[str, ...]:
        return ("polygonlabels",)

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("regions", tag="PolygonLabels")

    def image_shape(self) -> ImageShape:
        return "polygon"

    def cvat(self) -> CvatMap:
        return CvatMap("polygon", "polygon")


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
