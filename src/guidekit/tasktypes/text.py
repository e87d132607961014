"""The ``text`` task type: a free-text answer."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._values import Problem, type_name
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Text(TaskType):
    name = "text"
    summary = "A free-text answer."
    has_classes = False

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"equals"})
    agreement_metrics = frozenset({"percent_agreement"})

    # -- record values (record checks) -----------------------------------------------------

    def check_value(
        self,
        guideline: ir.Guideline,
        task: ir.Task,
        value: Any,
        record: Mapping[str, Any] | None,
        annotations: Mapping[str, Any],
    ) -> Iterator[Problem]:
        if not isinstance(value, str):
            yield Problem("value.type", "", f"expected text, found {type_name(value)}")
        else:
            if task.min_length is not None and len(value) < task.min_length:
                yield Problem(
                    "value.range",
                    "",
                    f"text is {len(value)} characters, shorter than the minimum {task.min_length}",
                )
            if task.max_length is not None and len(value) > task.max_length:
                yield Problem(
                    "value.range",
                    "",
                    f"text is {len(value)} characters, longer than the maximum {task.max_length}",
                )

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Text()
