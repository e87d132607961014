"""The ``number`` task type: a numeric answer."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._format import ConfigFinding
from guidekit.tasktypes._values import Problem, is_num, type_name
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Number(TaskType):
    name = "number"
    summary = "A numeric answer."
    has_classes = False

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"at_least", "at_most", "equals"})
    agreement_metrics = frozenset({"krippendorff_alpha", "percent_agreement"})

    def check_config(self, guideline: ir.Guideline, task: ir.Task) -> Iterator[ConfigFinding]:
        if task.min is not None and task.max is not None and task.min > task.max:
            yield ConfigFinding(
                "GK310", f"task '{task.id}': min {task.min:g} is above max {task.max:g}", task.loc
            )

    # -- record values (record checks) -----------------------------------------------------

    def check_value(
        self,
        guideline: ir.Guideline,
        task: ir.Task,
        value: Any,
        record: Mapping[str, Any] | None,
        annotations: Mapping[str, Any],
    ) -> Iterator[Problem]:
        if not is_num(value):
            yield Problem("value.type", "", f"expected a number, found {type_name(value)}")
        else:
            if task.integer and not float(value).is_integer():
                yield Problem("value.type", "", f"expected a whole number, found {value}")
            if task.min is not None and value < task.min:
                yield Problem("value.range", "", f"{value} is below the minimum {task.min:g}")
            if task.max is not None and value > task.max:
                yield Problem("value.range", "", f"{value} is above the maximum {task.max:g}")

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Number()
