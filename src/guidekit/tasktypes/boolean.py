"""The ``boolean`` task type: a yes/no answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes import _quality_values as V
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._quality_values import Converter


class Boolean(TaskType):
    name = "boolean"
    summary = "A yes/no answer."
    has_classes = False

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

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


TASK_TYPE = Boolean()
