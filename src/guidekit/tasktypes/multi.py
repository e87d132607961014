"""The ``multi`` task type: any number of classes per record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from guidekit.tasktypes import _quality_values as V
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._quality_values import Converter


class Multi(TaskType):
    name = "multi"
    summary = "Any number of classes per record."
    classification = True

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    def quality_values(self, task: ir.Task, missing: object) -> Converter:
        return V.label_set(task, V.index_of(self.quality_labels(task)), missing)

    def agreement_kind(self) -> str | None:
        return "sets"

    def gold_kind(self) -> str | None:
        return "sets"

    def revision_summary(self, labels: Sequence[str]) -> str | None:
        return "[" + ", ".join(labels) + "]"

    # -- versioning (diff, migration) ------------------------------------------------------

    def migration_merges(self) -> bool:
        return True

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Multi()
