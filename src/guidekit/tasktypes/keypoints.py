"""The ``keypoints`` task type: labelled sets of named points on an image."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from guidekit import ir
from guidekit.tasktypes._handbook_page import Drawn, Markup, Page, html_text
from guidekit.tasktypes._handbook_regions import (
    coordinate_units,
    label_of,
    region_id,
    regions,
    scale,
)
from guidekit.tasktypes._handbook_svg import POINTS, Shape, is_number, picture
from guidekit.tasktypes.base import TaskType


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
    def handbook_kind(self) -> str:
        return "keypoints"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        over = text.code(task.over) if task.over else "the item"
        units = coordinate_units(task)
        return (
            f"Draw the keypoints on {over} for every object of a class."
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
            kp = r.get("points")
            if not isinstance(kp, dict):
                continue
            label = label_of(r)
            cid = task.resolve_label(label) if label else None
            skeleton = task.skeleton_for(cid) if cid else task.skeleton
            order = list(skeleton.points) if skeleton else []
            order += sorted(k for k in kp if k not in order)
            names, pts, vis = [], [], []
            for name in order:
                p = kp.get(name)
                if isinstance(p, list) and len(p) == 3 and all(is_number(v) for v in p):
                    names.append(name)
                    pts.append((float(p[0]) * sx, float(p[1]) * sy))
                    vis.append(int(p[2]))
            index = {n: i for i, n in enumerate(names)}
            edges = [
                (index[a], index[b])
                for a, b in (skeleton.edges if skeleton else [])
                if a in index and b in index
            ]
            out.append(Shape(label, POINTS, pts, names, vis, edges, region_id=region_id(r)))
        return out

    def handbook_region(
        self, task: ir.Task, region: dict[str, Any], text: str | None, page: Page
    ) -> str:
        points = region.get("points")
        if not isinstance(points, dict):
            return ""
        shown = [k for k, p in points.items() if isinstance(p, list) and len(p) == 3 and p[2]]
        return f" <small>{html_text(', '.join(shown))}</small>"

    def handbook_class_notes(self, task: ir.Task, cls: ir.Class, page: Page) -> list[str]:
        skeleton = task.skeleton_for(cls.id)
        if skeleton is None:
            return []
        return ["**Keypoints:** " + ", ".join(page.code(p) for p in skeleton.points)]

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Keypoints()
