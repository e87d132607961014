"""The ``polygon`` task type: labelled polygons on an image."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from guidekit import ir
from guidekit.tasktypes._handbook_page import Drawn, Markup, Page
from guidekit.tasktypes._handbook_regions import (
    coordinate_units,
    label_of,
    region_id,
    regions,
    scale,
)
from guidekit.tasktypes._handbook_svg import OUTLINE, Shape, is_number, picture
from guidekit.tasktypes.base import TaskType


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
    def handbook_kind(self) -> str:
        return "polygons"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        over = text.code(task.over) if task.over else "the item"
        units = coordinate_units(task)
        return (
            f"Draw a polygon on {over} for every object of a class."
            f" Coordinates are in {units}, from the top-left corner."
        )

    def handbook_field(
        self,
        task: ir.Task,
        value: Any,
        name: str,
        raw: Any,
        field: ir.InputField | None,
        page: Page,
        links: Sequence[tuple[str, str, str]] = (),
        directed: bool = True,
    ) -> Drawn | None:
        return picture(self.handbook_shapes, task, value, name, raw, field, page, links, directed)

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

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Polygon()
