"""The ``text`` task type: a free-text answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from guidekit.tasktypes import _quality_values as V
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._quality_values import Converter


class Text(TaskType):
    name = "text"
    summary = "A free-text answer."
    has_classes = False

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    def quality_values(self, task: ir.Task, missing: object) -> Converter:
        return V.folded_text(missing)

    def agreement_kind(self) -> str | None:
        return "text"

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Text()
