"""The ``relations`` task type: labelled links between regions of another task."""

from __future__ import annotations

from guidekit.tasktypes.base import TaskType


class Relations(TaskType):
    name = "relations"
    summary = "Labelled links between regions of another task."

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Relations()
