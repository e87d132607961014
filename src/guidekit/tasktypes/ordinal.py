"""The ``ordinal`` task type: one class per record from an ordered scale."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from guidekit import ir
from guidekit.tasktypes import _quality_values as V
from guidekit.tasktypes._bridge_maps import (
    CLASSIFICATION_RESULTS,
    CvatMap,
    LabelStudioMap,
    argilla_labels,
)
from guidekit.tasktypes._delivery_fast import one_label_check, one_label_labels, one_label_rank
from guidekit.tasktypes._format import ConfigFinding, Report
from guidekit.tasktypes._handbook_page import Markup
from guidekit.tasktypes._values import Problem, check_label_item
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._delivery_fast import CondContext, FastGen
    from guidekit.tasktypes._generators_schema import SchemaGen
    from guidekit.tasktypes._quality_values import Converter


class Ordinal(TaskType):
    name = "ordinal"
    summary = "One class per record from an ordered scale."
    classification = True

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"is", "at_least", "at_most"})
    agreement_metrics = frozenset(
        {"krippendorff_alpha", "fleiss_kappa", "cohen_kappa", "percent_agreement"}
    )
    gold_scores = True

    def check_config(self, guideline: ir.Guideline, task: ir.Task) -> Iterator[ConfigFinding]:
        if len(task.classes) < 2:
            yield ConfigFinding(
                "GK310", f"ordinal task '{task.id}' needs at least two classes", task.loc
            )

    def canonical_value(
        self,
        task: ir.Task,
        value: Any,
        default_label: Any,
        record: Mapping[str, Any],
        report: Report,
    ) -> Any:
        return default_label if value is None else value

    def leaf_labels_only(self, task: ir.Task) -> bool:
        return False  # a scale's labels are all values of it, parents included

    # -- record values (record checks) -----------------------------------------------------

    def check_value(
        self,
        guideline: ir.Guideline,
        task: ir.Task,
        value: Any,
        record: Mapping[str, Any] | None,
        annotations: Mapping[str, Any],
    ) -> Iterator[Problem]:
        return check_label_item(task, value, "")

    # -- delivery (fast path, conditions) --------------------------------------------------

    def csv_cell(self, value: str) -> Any:
        return value

    def one_label(self) -> bool:
        return True

    def cond_labels(self, task: ir.Task, v: str, bare: bool, once: bool) -> str:
        return one_label_labels(v, bare)

    def cond_rank(self, task: ir.Task, v: str, cc: CondContext) -> str | None:
        return one_label_rank(task, v, cc)

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        return item

    def fast_check(self, task: ir.Task, gen: FastGen) -> None:
        one_label_check(gen, task)

    # -- generators (JSON Schema, models) --------------------------------------------------

    def schema_value(self, task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
        return {**head, **gen.label_value(task)}

    def model_value(self, task: ir.Task, item: str) -> str:
        return item

    def model_item_kind(self) -> str:
        return "label"

    # -- handbook --------------------------------------------------------------------------
    handbook_levels = True

    def handbook_kind(self) -> str:
        return "ordered scale"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        return "Choose one level of the scale; levels are listed from lowest to highest."

    # -- quality (agreement, gold) ---------------------------------------------------------

    def quality_values(self, task: ir.Task, missing: object) -> Converter:
        return V.one_label(task, V.index_of(self.quality_labels(task)), missing)

    def agreement_kind(self) -> str | None:
        return "labels"

    def gold_kind(self) -> str | None:
        return "labels"

    def single_label(self) -> bool:
        return True

    def revision_summary(self, labels: Sequence[str]) -> str | None:
        return labels[0] if labels else "(none)"

    def agreement_level(self) -> str:
        return "ordinal"

    def agreement_weighted(self) -> bool:
        return True

    # -- versioning (diff, migration) ------------------------------------------------------

    def leaf_only_applies(self) -> bool:
        return False

    def diff_class_added_rule(self) -> str:
        return "ordinal-level-added"

    def diff_reordered_rule(self) -> str:
        return "ordinal-reordered"

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    rating_classes = True

    def labelstudio_results(self) -> tuple[str, ...]:
        return (*CLASSIFICATION_RESULTS, "rating")

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("choices", inline=True)

    def cvat(self) -> CvatMap:
        return CvatMap("tag", "tag")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        return "label_selection", argilla_labels(task)


TASK_TYPE = Ordinal()
