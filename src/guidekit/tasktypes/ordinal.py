"""The ``ordinal`` task type: one class per record from an ordered scale."""

from __future__ import annotations

from guidekit.tasktypes.base import TaskType


class Ordinal(TaskType):
    name = "ordinal"
    summary = "One class per record from an ordered scale."
    classification = True

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Ordinal()
