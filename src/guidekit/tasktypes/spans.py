"""The ``spans`` task type: labelled character spans of a text field."""

from __future__ import annotations

from guidekit.tasktypes.base import TaskType


class Spans(TaskType):
    name = "spans"
    summary = "Labelled character spans of a text field."
    region = True
    over_field_types = ("text",)

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Spans()
