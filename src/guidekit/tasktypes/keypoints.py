"""The ``keypoints`` task type: labelled sets of named points on an image."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._delivery_fast import (
    image_bounds_need,
    image_check,
    region_labels,
    region_list,
    value_present,
)
from guidekit.tasktypes._generators_schema import (
    MODEL_REGION_ID,
    REGION_ID,
    model_region_list,
    schema_region_list,
)
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._delivery_fast import FastGen
    from guidekit.tasktypes._generators_schema import SchemaGen


class Keypoints(TaskType):
    name = "keypoints"
    summary = "Labelled sets of named points on an image."
    region = True
    image = True
    over_field_types = ("image",)

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    def bounds_need(self, task: ir.Task) -> str | None:
        return image_bounds_need(task)

    def cond_labels(self, task: ir.Task, v: str, bare: bool, once: bool) -> str:
        return region_labels(v, once)

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        return region_list(task, item)

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

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Keypoints()
