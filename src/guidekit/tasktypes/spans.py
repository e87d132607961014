"""The ``spans`` task type: labelled character spans of a text field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from guidekit.tasktypes import _quality_regions as R
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._quality_values import Converter


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

    def quality_labels(self, task: ir.Task) -> list[str]:
        return [c.id for c in task.classes]

    def quality_values(self, task: ir.Task, missing: object) -> Converter:
        return R.regions_value(task, _span)

    def agreement_kind(self) -> str | None:
        return "regions"

    def agreement_matches(self, thresholds: Sequence[float]) -> list[R.MatchMode]:
        return [R.MatchMode("span_f1", None), R.MatchMode("span_f1_overlap", R.span_overlap)]

    def agreement_note(self) -> str:
        return (
            "span_f1: same class, start and end; span_f1_overlap: same class and at least one "
            "shared character (matched one-to-one)"
        )

    def gold_kind(self) -> str | None:
        return "regions"

    def gold_match(self, iou: float) -> R.MatchMode:
        return R.MatchMode("span_f1", None)  # exact: same class, start and end

    # -- versioning (diff, migration) ------------------------------------------------------

    def diff_settings(self, a: ir.Task, b: ir.Task) -> list[tuple[str, str, Any, Any]]:
        if a.overlap == b.overlap:
            return []
        stricter = _OVERLAP_RANK[b.overlap] > _OVERLAP_RANK[a.overlap]
        rule = "task-constraint-tightened" if stricter else "task-constraint-loosened"
        return [(rule, "`overlap`", a.overlap, b.overlap)]

    # -- bridges (tool configs, readers, writers) ------------------------------------------


_OVERLAP_RANK = {"allow": 0, "nested": 1, "forbid": 2}


def _span(task: ir.Task, item: dict[str, Any]) -> tuple[Any, ...] | None:
    s, e = item.get("start"), item.get("end")
    if isinstance(s, int) and isinstance(e, int) and s < e:
        return (s, e)
    return None


TASK_TYPE = Spans()
