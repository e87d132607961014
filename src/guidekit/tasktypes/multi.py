"""The ``multi`` task type: any number of classes per record."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._format import ConfigFinding, Report
from guidekit.tasktypes._values import Problem, check_label_item, type_name
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Multi(TaskType):
    name = "multi"
    summary = "Any number of classes per record."
    classification = True

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"has", "has_any", "count"})
    agreement_metrics = frozenset(
        {"krippendorff_alpha", "fleiss_kappa", "cohen_kappa", "percent_agreement", "masi"}
    )
    gold_scores = True

    def check_config(self, guideline: ir.Guideline, task: ir.Task) -> Iterator[ConfigFinding]:
        if (
            task.min_labels is not None
            and task.max_labels is not None
            and task.min_labels > task.max_labels
        ):
            yield ConfigFinding(
                "GK310", f"task '{task.id}': min_labels is above max_labels", task.loc
            )

    def canonical_value(
        self,
        task: ir.Task,
        value: Any,
        default_label: Any,
        record: Mapping[str, Any],
        report: Report,
    ) -> Any:
        if value is None and default_label is not None:
            return list(default_label) if isinstance(default_label, list) else [default_label]
        return value

    # -- record values (record checks) -----------------------------------------------------

    def check_value(
        self,
        guideline: ir.Guideline,
        task: ir.Task,
        value: Any,
        record: Mapping[str, Any] | None,
        annotations: Mapping[str, Any],
    ) -> Iterator[Problem]:
        if not isinstance(value, list):
            yield Problem(
                "value.type", "", f"expected a list of class ids, found {type_name(value)}"
            )
            return
        seen: set[str] = set()
        for i, item in enumerate(value):
            yield from check_label_item(task, item, f"/{i}")
            label = item.get("label") if isinstance(item, dict) else item
            if isinstance(label, str):
                if label in seen:
                    yield Problem("label.duplicate", f"/{i}", f"'{label}' is listed twice")
                seen.add(label)
        if task.min_labels is not None and len(value) < task.min_labels:
            yield Problem(
                "label.cardinality",
                "",
                f"{len(value)} labels, fewer than the minimum {task.min_labels}",
            )
        if task.max_labels is not None and len(value) > task.max_labels:
            yield Problem(
                "label.cardinality",
                "",
                f"{len(value)} labels, more than the maximum {task.max_labels}",
            )

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Multi()
