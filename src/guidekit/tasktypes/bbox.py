"""The ``bbox`` task type: labelled boxes on an image."""

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
from guidekit.tasktypes._handbook_page import Markup, Page, html_text
from guidekit.tasktypes._handbook_regions import (
    box_format,
    coordinate_units,
    coords,
    label_of,
    region_id,
    regions,
    scale,
)
from guidekit.tasktypes._handbook_svg import OUTLINE, Shape, is_number
from guidekit.tasktypes._image import ImageRegions
from guidekit.tasktypes._values import Problem, inside, is_num
from guidekit.tasktypes._values_regions import check_image_regions

if TYPE_CHECKING:
    from guidekit import ir

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._delivery_fast import FastGen
    from guidekit.tasktypes._quality_values import Converter


class Bbox(ImageRegions):
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

    def fast_struct_fields(self, task: ir.Task, label: str, attrs: str) -> list[str]:
        cls = task.get(label)
        ms = cls.min_size if cls is not None else None
        c = task.coordinates
        lo = f"Annotated[float, Meta(ge={-float(c.tolerance)!r})]"
        if c.format == "xywh":
            # width and height: positive, and at least the class's min_size when it is in
            # the same units (pixels)
            mw = mh = None
            if ms is not None and c.units == "pixels":
                mw, mh = float(ms.width), float(ms.height)
            pw = f"Annotated[float, Meta({f'ge={mw!r}' if mw else 'gt=0'})]"
            ph = f"Annotated[float, Meta({f'ge={mh!r}' if mh else 'gt=0'})]"
            box = f"bbox: tuple[{lo}, {lo}, {pw}, {ph}]"
        else:
            box = f"bbox: tuple[{lo}, {lo}, float, float]"
        return [
            f"ms: ClassVar = {(ms.width, ms.height) if ms else None!r}",
            f"attributes: {attrs}",
            "id: str | int | None = None",
            box,
        ]

    def fast_check(self, task: ir.Task, gen: FastGen) -> None:
        s, c = gen.src, task.coordinates
        tol = float(c.tolerance)
        # min sizes the decoder cannot check (xyxy boxes, normalised units) are checked here
        min_sizes = any(k.min_size is not None for k in task.classes) and (
            c.format != "xywh" or c.units != "pixels"
        )

        def before() -> None:
            # x, y >= -tolerance and a positive width and height are checked by the decoder
            s(f"BW = _INF if B is None else B[0] + {tol!r}")
            s(f"BH = _INF if B is None else B[1] + {tol!r}")

        def per_item() -> None:
            if c.format == "xywh":
                s("x1, y1, w, h = x.bbox")
                s("if x1 + w > BW or y1 + h > BH: return False")
            else:
                s("x1, y1, x2, y2 = x.bbox")
                s("if x2 <= x1 or y2 <= y1 or x2 > BW or y2 > BH: return False")
            if min_sizes:
                s("ms = x.ms")
                s("if ms is not None:")
                with s.indent():
                    if c.format == "xyxy":
                        s("w = x2 - x1; h = y2 - y1")
                    if c.units == "normalized":
                        s("if W is not None: w = w * W; h = h * H")
                    s("if w < ms[0] or h < ms[1]: return False")

        with value_present(gen, task):
            image_check(gen, task, per_item, before)

    # -- generators (JSON Schema, models) --------------------------------------------------

    def schema_item(
        self, task: ir.Task, label: dict[str, Any], names: tuple[str, ...] | None
    ) -> tuple[dict[str, Any], list[str]]:
        c = task.coordinates
        props = {
            "label": label,
            "bbox": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 4,
                "maxItems": 4,
                "description": f"[{', '.join(c.format)}] in {c.units}, origin {c.origin}.",
            },
            "id": REGION_ID,
        }
        return props, ["label", "bbox"]

    def model_item_kind(self) -> str:
        return "box"

    def model_item_fields(self, task: ir.Task, names: tuple[str, ...] | None) -> list[str]:
        c = task.coordinates
        desc = "[" + ", ".join(c.format) + f"] in {c.units}"
        return [
            f"    bbox: Annotated[list[float], Field(min_length=4, max_length=4, "
            f"description={desc!r})]",
            MODEL_REGION_ID,
        ]

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

    def labelstudio_results(self) -> tuple[str, ...]:
        return ("rectanglelabels",)

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("regions", tag="RectangleLabels")

    def image_shape(self) -> ImageShape:
        return "box"

    def cvat(self) -> CvatMap:
        return CvatMap("rectangle", "box")


def _box(task: ir.Task, item: dict[str, Any]) -> tuple[Any, ...] | None:
    """``x1, y1, x2, y2`` whatever the coordinate format."""
    box = item.get("bbox")
    if not (isinstance(box, list) and len(box) == 4 and all(R.is_number(v) for v in box)):
        return None
    x1, y1, a, b = (float(v) for v in box)
    if task.coordinates.format == "xywh":
        # the sum of the numbers as written, rounded once (``2.7 + 23.1`` is ``25.8``, where
        # float addition gives 25.799999999999997), so that IoU is exact (``R.box_iou``)
        x2, y2 = R.exact_sum(box[0], box[2]), R.exact_sum(box[1], box[3])
    else:
        x2, y2 = a, b
    return (x1, y1, x2, y2) if x2 > x1 and y2 > y1 else None


TASK_TYPE = Bbox()
