"""The ``keypoints`` task type: labelled sets of named points on an image."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from guidekit import ir
from guidekit.diagnostics.pointer import escape as esc
from guidekit.tasktypes import _quality_regions as R
from guidekit.tasktypes._bridge_maps import ARGILLA_NO_REGIONS, CvatMap, ImageShape, LabelStudioMap
from guidekit.tasktypes._delivery_fast import (
    fast_region_list,
    image_bounds_need,
    image_check,
    region_labels,
    value_present,
)
from guidekit.tasktypes._format import ConfigFinding, Report, check_image_over, fill_region_labels
from guidekit.tasktypes._generators_schema import (
    MODEL_REGION_ID,
    REGION_ID,
    model_region_list,
    schema_region_list,
)
from guidekit.tasktypes._handbook_page import Drawn, Markup, Page, html_text
from guidekit.tasktypes._handbook_regions import (
    coordinate_units,
    label_of,
    region_id,
    regions,
    scale,
)
from guidekit.tasktypes._handbook_svg import POINTS, Shape, is_number, picture
from guidekit.tasktypes._values import Problem, inside, is_num
from guidekit.tasktypes._values_regions import check_image_regions
from guidekit.tasktypes.base import NotRepresentable, TaskType

if TYPE_CHECKING:
    from guidekit import ir

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._delivery_fast import FastGen
    from guidekit.tasktypes._generators_schema import SchemaGen
    from guidekit.tasktypes._quality_values import Converter


class Keypoints(TaskType):
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

    def bounds_need(self, task: ir.Task) -> str | None:
        return image_bounds_need(task)

    def cond_labels(self, task: ir.Task, v: str, bare: bool, once: bool) -> str:
        return region_labels(v, once)

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        return fast_region_list(task, item)

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

    def schema_value(self, task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
        return schema_region_list(task, head, gen)

    def model_value(self, task: ir.Task, item: str) -> str:
        return model_region_list(task, item)

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

    def quality_labels(self, task: ir.Task) -> list[str]:
        return [c.id for c in task.classes]

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

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        raise NotRepresentable(ARGILLA_NO_REGIONS)


TASK_TYPE = Keypoints()
