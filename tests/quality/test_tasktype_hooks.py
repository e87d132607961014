"""The quality and versioning hooks of the task types: defaults a third-party type gets, and
region matching driven by the type's own match modes."""

from __future__ import annotations

from typing import Any

import pytest

from guidekit import tasktypes
from guidekit.quality import regions as R
from guidekit.tasktypes import NotRepresentable, TaskType

KINDS = {"labels", "sets", "numbers", "text", "regions", None}


class Heatmap(TaskType):
    name = "heatmap"


def test_a_type_without_quality_hooks_is_not_measured() -> None:
    t = Heatmap()
    assert t.agreement_kind() is None
    assert t.agreement_unmeasured() == "agreement on heatmap tasks is not measured"
    assert t.gold_kind() is None
    missing = object()
    convert = t.quality_values(None, missing)  # type: ignore[arg-type]
    assert convert(None) == (True, missing)
    assert convert([1]) == (False, None)
    with pytest.raises(NotRepresentable, match="heatmap task cannot be scored against gold"):
        t.gold_match(0.5)
    with pytest.raises(NotRepresentable, match="heatmap task cannot be matched"):
        t.agreement_matches((0.5,))
    assert t.diff_settings(None, None) == []  # type: ignore[arg-type]
    assert t.diff_class_added_rule() == "class-added"
    assert not t.migration_merges()


@pytest.mark.parametrize("name", tasktypes.BUILTIN)
def test_builtin_quality_hooks_agree(name: str) -> None:
    t = tasktypes.get(name)
    assert t.agreement_kind() in KINDS
    if t.agreement_kind() == "regions":
        assert t.agreement_matches((0.5,)) and t.agreement_note()
    if t.gold_kind() == "regions":
        assert t.gold_match(0.5).name
    assert t.gold_kind() in KINDS - {"numbers", "text"}


def _frame_iou(a: tuple[Any, ...], b: tuple[Any, ...]) -> float:
    """A track-like shape: ``(frame, x1, y1, x2, y2)``; boxes on other frames never match."""
    return R.box_iou(a[1:], b[1:]) if a[0] == b[0] else 0.0


def test_a_type_can_bring_its_own_match_mode() -> None:
    mode = R.MatchMode("box_f1@0.5", _frame_iou, 0.5, 0.5)
    a = [R.Region("car", (1, 0, 0, 10, 10)), R.Region("car", (2, 0, 0, 10, 10))]
    b = [R.Region("car", (2, 1, 1, 10, 10)), R.Region("car", (3, 0, 0, 10, 10))]
    assert R.match(mode, a, b) == [(1, 0)]
    assert R.count(mode, a, b, {"car": 0}).tolist() == [[1.0, 2.0, 2.0]]
    assert R.f1(R.count(mode, a, b, {"car": 0}))[0] == 0.5
