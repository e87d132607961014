"""The ``keypoints`` task type: labelled sets of named points on an image."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit import ir
from guidekit.diagnostics.pointer import escape as esc
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
    coordinate_units,
    label_of,
    region_id,
    regions,
    scale,
)
from guidekit.tasktypes._handbook_svg import POINTS, Shape, is_number
from guidekit.tasktypes._image import ImageRegions
from guidekit.tasktypes._values import Problem, inside, is_num
from guidekit.tasktypes._values_regions import check_image_regions

if TYPE_CHECKING:
    from guidekit import ir

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._delivery_fast import FastGen
    from guidekit.tasktypes._quality_values import Converter


class Keypoints(ImageRegions):
    name = "keypoints"
    summary = "Labelled sets of named points on an image."
    region = True
    image = True
    over_field_types = ("image",)

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"has", "has_any", "count"})
    agreement_metrics = frozenset({"box_f1"})
    gold_scores = True

    def check_config(self, guideline: ir.Guideline, task: ir.Task) -> Iterator[ConfigFinding]:
        yield from check_image_over(guideline, task)
        if task.skeleton is None and any(c.skeleton is None for c in task.classes):
            yield ConfigFinding(
                "GK310",
                f"keypoints task '{task.id}' needs a `skeleton` (on the task or on every class)",
                task.loc,
            )
        for sk, where in [(task.skeleton, task.loc)] + [(c.skeleton, c.loc) for c in task.classes]:
            if sk is None:
                continue
            for a, b in sk.edges:
                for p in (a, b):
                    if p not in sk.points:
                        yield ConfigFinding(
                            "GK302", f"skeleton edge names '{p}', which is not a keypoint", where
                        )
            for p, n in Counter(sk.points).items():
                if n > 1:
                    yield ConfigFinding("GK301", f"keypoint '{p}' is declared twice", where)

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
        size: tuple[float, float] | None = None,
    ) -> Iterator[Problem]:
        """Problems of one region's ``points`` (named keypoints of the class's skeleton)."""
        if not isinstance(points, dict):
            yield Problem("keypoints.shape", ptr, "keypoints are an object {name: [x, y, v]}")
            return
        skeleton = task.skeleton_for(cid) if cid else task.skeleton
        names = set(skeleton.points) if skeleton else None
        for name, p in points.items():
            pp = f"{ptr}/{esc(name)}"
            if names is not None and name not in names:
                yield Problem("keypoints.name", pp, f"'{name}' is not a keypoint of the skeleton")
                continue
            if not isinstance(p, list) or len(p) != 3 or not all(is_num(v) for v in p):
                yield Problem("keypoints.shape", pp, "a keypoint is [x, y, visibility]")
                continue
            x, y, v = p
            if v not in (0, 1, 2):
                yield Problem(
                    "keypoints.visibility",
                    f"{pp}/2",
                    f"visibility {v} is not 0 (not labelled), 1 (occluded) or 2 (visible)",
                )
            elif v > 0 and not inside(x, y, bounds, tol):
                yield Problem("keypoints.outside", pp, f"keypoint '{name}' lies outside the image")

    # -- delivery (fast path, conditions) --------------------------------------------------

    def fast_struct_fields(self, task: ir.Task, label: str, attrs: str) -> list[str]:
        return [
            f"attributes: {attrs}",
            "id: str | int | None = None",
            "points: dict[str, Annotated[list[float], Meta(min_length=3, max_length=3)]]",
        ]

    def fast_check(self, task: ir.Task, gen: FastGen) -> None:
        tol = float(task.coordinates.tolerance)

        def per_item() -> None:
            gen.src(
                f"for _p in _keypoints(_TASKS[{task.id!r}], x.label, x.points, "
                f"B, {tol!r}, ''): return False"
            )

        with value_present(gen, task):
            image_check(gen, task, per_item)

    # -- generators (JSON Schema, models) --------------------------------------------------

    def schema_item(
        self, task: ir.Task, label: dict[str, Any], names: tuple[str, ...] | None
    ) -> tuple[dict[str, Any], list[str]]:
        props = {"label": label, "points": self.schema_points(names), "id": REGION_ID}
        return props, ["label", "points"]

    def per_class_points(self) -> bool:
        return True

    def schema_points(self, names: tuple[str, ...] | None) -> dict[str, Any]:
        point = {
            "type": "array",
            "prefixItems": [
                {"type": "number"},
                {"type": "number"},
                {"enum": [0, 1, 2], "description": "0 not labelled, 1 occluded, 2 visible"},
            ],
            "minItems": 3,
            "maxItems": 3,
        }
        if names is None:
            return {"type": "object", "additionalProperties": point}
        return {
            "type": "object",
            "properties": dict.fromkeys(names, point),
            "additionalProperties": False,
        }

    def model_item_kind(self) -> str:
        return "keypoint set"

    def model_item_fields(self, task: ir.Task, names: tuple[str, ...] | None) -> list[str]:
        point = "tuple[float, float, Annotated[StrictInt, Field(ge=0, le=2)]]"
        key = f"Literal[{', '.join(map(repr, names))}]" if names else "StrictStr"
        return [f"    points: dict[{key}, {point}]", MODEL_REGION_ID]

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

    def quality_values(self, task: ir.Task, missing: object) -> Converter:
        return R.regions_value(task, R.no_shape)

    def agreement_unmeasured(self) -> str:
        return "agreement on keypoints is not measured (no agreed matching of skeletons)"

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    def labelstudio_results(self) -> tuple[str, ...]:
        return ("rectanglelabels", "keypointlabels")

    def labelstudio(self) -> LabelStudioMap:
        # each instance is a box (the class) plus one keypoint per skeleton point
        return LabelStudioMap("regions", tag="RectangleLabels", points=True)

    def image_shape(self) -> ImageShape:
        return "keypoints"

    def cvat(self) -> CvatMap:
        return CvatMap("skeleton", "skeleton")


TASK_TYPE = Keypoints()
