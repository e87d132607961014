"""The ``single`` task type: one class per record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from guidekit.tasktypes import _quality_values as V
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._quality_values import Converter


class Single(TaskType):
    name = "single"
    summary = "One class per record."
    classification = True

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

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

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Single()
