"""The ``boolean`` task type: a yes/no answer."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._values import Problem, type_name
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir


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

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Boolean()
