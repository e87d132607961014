"""The ``ordinal`` task type: one class per record from an ordered scale."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from guidekit import ir
from guidekit.tasktypes._bridge_maps import (
    CLASSIFICATION_RESULTS,
    LabelStudioMap,
)
from guidekit.tasktypes._format import ConfigFinding
from guidekit.tasktypes._handbook_page import Markup
from guidekit.tasktypes.single import Single

if TYPE_CHECKING:
    from guidekit import ir

if TYPE_CHECKING:
    from guidekit import ir


class Ordinal(Single):
    """A single label from an ordered scale: everything of ``single`` but the order."""

    name = "ordinal"
    summary = "One class per record from an ordered scale."

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"is", "at_least", "at_most"})

    def check_config(self, guideline: ir.Guideline, task: ir.Task) -> Iterator[ConfigFinding]:
        if len(task.classes) < 2:
            yield ConfigFinding(
                "GK310", f"ordinal task '{task.id}' needs at least two classes", task.loc
            )

    def leaf_labels_only(self, task: ir.Task) -> bool:
        return False  # a scale's labels are all values of it, parents included

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------
    handbook_levels = True

    def handbook_kind(self) -> str:
        return "ordered scale"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        return "Choose one level of the scale; levels are listed from lowest to highest."

    # -- quality (agreement, gold) ---------------------------------------------------------

    def agreement_level(self) -> str:
        return "ordinal"

    def agreement_weighted(self) -> bool:
        return True

    # -- versioning (diff, migration) ------------------------------------------------------

    def leaf_only_applies(self) -> bool:
        return False

    def diff_class_added_rule(self) -> str:
        return "ordinal-level-added"

    def diff_reordered_rule(self) -> str:
        return "ordinal-reordered"

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    rating_classes = True

    def labelstudio_results(self) -> tuple[str, ...]:
        return (*CLASSIFICATION_RESULTS, "rating")

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("choices", inline=True)


TASK_TYPE = Ordinal()
