"""Checks of one annotation value against its task: the semantics shared by every consumer.

The compiler runs these on every example, negative and edge case; the delivery validator runs
the same checks on every delivered record. Each problem is a :class:`Problem` with a stable
``kind`` (``"span.bounds"``, ``"label.unknown"``, ...), a JSON pointer relative to the task's
value and a message; callers map kinds to their diagnostic codes.

What a value of each type must look like is the type's own business: this module asks the
task's type (:mod:`guidekit.tasktypes`) through its ``check_missing`` and ``check_value``
hooks; the helpers the types share live in :mod:`guidekit.tasktypes._values`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from guidekit import ir
from guidekit.tasktypes._values import Problem, image_size, type_name
from guidekit.tasktypes._values_regions import self_intersects

__all__ = ["Problem", "check_value", "image_size", "self_intersects", "type_name"]


def check_value(
    guideline: ir.Guideline,
    task: ir.Task,
    value: Any,
    record: Mapping[str, Any] | None,
    annotations: Mapping[str, Any] | None = None,
) -> Iterator[Problem]:
    """Every problem of ``value`` as an annotation of ``task`` on ``record``.

    ``record`` holds the input fields (for span bounds and image sizes; checks that need a
    missing input are skipped). ``annotations`` holds the record's other task values (for
    relations, whose ends are regions of another task).
    """
    tt = task.task_type
    if value is None:
        return tt.check_missing(task)
    return tt.check_value(guideline, task, value, record, annotations or {})
