"""The ``single`` task type: one class per record."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._format import Report
from guidekit.tasktypes._values import Problem, check_label_item
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir

if TYPE_CHECKING:
    from guidekit import ir


class Single(TaskType):
    name = "single"
    summary = "One class per record."
    classification = True

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"is"})
    agreement_metrics = frozenset(
        {"krippendorff_alpha", "fleiss_kappa", "cohen_kappa", "percent_agreement"}
    )
    gold_scores = True

    def canonical_value(
        self,
        task: ir.Task,
        value: Any,
        default_label: Any,
        record: Mapping[str, Any],
        report: Report,
    ) -> Any:
        return default_label if value is None else value

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

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Single()
