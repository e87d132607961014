"""The ``boolean`` task type: a yes/no answer."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit import ir
from guidekit.tasktypes import _quality_values as V
from guidekit.tasktypes._bridge_maps import LabelStudioMap
from guidekit.tasktypes._delivery_fast import boolean_cell
from guidekit.tasktypes._handbook_page import Markup
from guidekit.tasktypes._values import Problem, type_name
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._generators_schema import SchemaGen
    from guidekit.tasktypes._quality_values import Converter


class Boolean(TaskType):
    name = "boolean"
    summary = "A yes/no answer."
    has_classes = False

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"equals"})
    agreement_metrics = frozenset(
        {"krippendorff_alpha", "fleiss_kappa", "cohen_kappa", "percent_agreement"}
    )
    gold_scores = True

    # -- record values (record checks) -----------------------------------------------------

    def check_value(
        self,
        guideline: ir.Guideline,
        task: ir.Task,
        value: Any,
        record: Mapping[str, Any] | None,
        annotations: Mapping[str, Any],
    ) -> Iterator[Problem]:
        if not isinstance(value, bool):
            yield Problem("value.type", "", f"expected true or false, found {type_name(value)}")

    # -- delivery (fast path, conditions) --------------------------------------------------

    def csv_cell(self, value: str) -> Any:
        return boolean_cell(value)

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        return "bool"

    # -- generators (JSON Schema, models) --------------------------------------------------

    def schema_value(self, task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
        return {**head, "type": "boolean"}

    def model_value(self, task: ir.Task, item: str) -> str:
        return "bool"

    # -- handbook --------------------------------------------------------------------------
    def handbook_kind(self) -> str:
        return "yes / no"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        return "Answer yes (`true`) or no (`false`)."

    # -- quality (agreement, gold) ---------------------------------------------------------

    def quality_labels(self, task: ir.Task) -> list[str]:
        return ["false", "true"]

    def quality_values(self, task: ir.Task, missing: object) -> Converter:
        return V.truth_value(missing)

    def agreement_kind(self) -> str | None:
        return "labels"

    def gold_kind(self) -> str | None:
        return "labels"

    def distribution_keys(self, task: ir.Task) -> list[str]:
        return ["false", "true"]

    def distribution_value(self, value: Any) -> list[str] | None:
        return [str(value).lower()] if isinstance(value, bool) else []

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    yes_no = True

    def labelstudio_results(self) -> tuple[str, ...]:
        return ("choices",)

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("yes-no")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        options = [{"text": "Yes", "value": "yes"}, {"text": "No", "value": "no"}]
        return "label_selection", {"options": options, "visible_options": None}


TASK_TYPE = Boolean()
