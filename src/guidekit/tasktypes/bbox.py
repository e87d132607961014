"""The ``bbox`` task type: labelled boxes on an image."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from guidekit import ir
from guidekit.tasktypes._handbook_page import Drawn, Markup, Page, html_text
from guidekit.tasktypes._handbook_regions import (
    box_format,
    coordinate_units,
    coords,
    label_of,
    region_id,
    regions,
    scale,
)
from guidekit.tasktypes._handbook_svg import OUTLINE, Shape, is_number, picture
from guidekit.tasktypes.base import TaskType


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
    def handbook_kind(self) -> str:
        return "bounding boxes"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        over = text.code(task.over) if task.over else "the item"
        units = coordinate_units(task)
        return (
            f"Draw a box on {over} for every object of a class."
            f"{box_format(task)} in {units}, from the top-left corner."
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
            box = r.get("bbox")
            if not (isinstance(box, list) and len(box) == 4 and all(is_number(v) for v in box)):
                continue
            x1, y1, a, b = (float(v) for v in box)
            x2, y2 = (x1 + a, y1 + b) if task.coordinates.format == "xywh" else (a, b)
            pts = [(x1 * sx, y1 * sy), (x2 * sx, y1 * sy), (x2 * sx, y2 * sy), (x1 * sx, y2 * sy)]
            out.append(Shape(label_of(r), OUTLINE, pts, region_id=region_id(r)))
        return out

    def handbook_region(
        self, task: ir.Task, region: dict[str, Any], text: str | None, page: Page
    ) -> str:
        box = region.get("bbox")
        if not isinstance(box, list):
            return ""
        return f" <small>{task.coordinates.format} {html_text(coords(box))}</small>"

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Bbox()
