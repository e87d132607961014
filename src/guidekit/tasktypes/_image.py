"""What boxes, polygons and keypoints share: regions drawn over an image field."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._bridge_maps import ARGILLA_NO_REGIONS
from guidekit.tasktypes._delivery_fast import (
    fast_region_list,
    image_bounds_need,
    region_labels,
)
from guidekit.tasktypes._format import Report, fill_region_labels
from guidekit.tasktypes._generators_schema import (
    model_region_list,
    schema_region_list,
)
from guidekit.tasktypes._handbook_page import Drawn, Page
from guidekit.tasktypes._handbook_svg import picture
from guidekit.tasktypes._values import Problem
from guidekit.tasktypes.base import NotRepresentable, TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._generators_schema import SchemaGen


class ImageRegions(TaskType):
    """Base of the image region types; each subclass adds its shape."""

    region = True
    image = True

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

    def check_missing(self, task: ir.Task) -> Iterator[Problem]:
        return iter(())  # no list means no regions

    def bounds_need(self, task: ir.Task) -> str | None:
        return image_bounds_need(task)

    def cond_labels(self, task: ir.Task, v: str, bare: bool, once: bool) -> str:
        return region_labels(v, once)

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        return fast_region_list(task, item)

    def schema_value(self, task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
        return schema_region_list(task, head, gen)

    def model_value(self, task: ir.Task, item: str) -> str:
        return model_region_list(task, item)

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

    def quality_labels(self, task: ir.Task) -> list[str]:
        return [c.id for c in task.classes]

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        raise NotRepresentable(ARGILLA_NO_REGIONS)
