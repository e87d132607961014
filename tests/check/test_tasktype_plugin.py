"""A task type registered by a third party compiles and checks through its own hooks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from guidekit import compile_guideline, ir, tasktypes
from guidekit.record.values import Problem, check_value
from guidekit.tasktypes.base import TaskType

GUIDELINE = """\
guidekit: 1
id: plugin
title: Plugin
version: 1.0.0
brief:
  objective: A guideline whose task type comes from a plugin.
record:
  id: item_id
  fields:
    photo: {type: image, width: 100, height: 80}
tasks:
  heat:
    type: %s
governance:
  levels: [public, internal]
  audiences: {annotator: internal}
"""


class Heatmap(TaskType):
    name = "heatmap"
    summary = "A grid of numbers over an image."
    has_classes = False

    def check_value(
        self,
        guideline: ir.Guideline,
        task: ir.Task,
        value: Any,
        record: Mapping[str, Any] | None,
        annotations: Mapping[str, Any],
    ) -> Iterator[Problem]:
        if not isinstance(value, list):
            yield Problem("value.type", "", "a heatmap is a list of rows")


@pytest.fixture
def heatmap(monkeypatch: pytest.MonkeyPatch) -> TaskType:
    tasktypes.names()  # load the built-ins first
    registry = vars(tasktypes)["_REGISTRY"]
    monkeypatch.setitem(registry, "heatmap", Heatmap())
    return registry["heatmap"]


def _project(tmp_path: Path, type_name: str) -> Path:
    (tmp_path / "guideline.yaml").write_text(GUIDELINE % type_name, encoding="utf-8")
    return tmp_path


def test_plugin_type_compiles_and_checks_values(tmp_path: Path, heatmap: TaskType) -> None:
    result = compile_guideline(_project(tmp_path, "heatmap"))
    assert [str(d) for d in result.diagnostics if d.severity.name == "ERROR"] == []
    assert result.guideline is not None
    task = result.guideline.tasks["heat"]
    assert task.task_type is heatmap
    assert not task.is_classification and not task.is_region and not task.has_classes
    problems = list(check_value(result.guideline, task, "hot", {}))
    assert [p.message for p in problems] == ["a heatmap is a list of rows"]
    assert [p.kind for p in check_value(result.guideline, task, None, {})] == ["value.missing"]


def test_unknown_type_is_refused_listing_the_registered_ones(tmp_path: Path) -> None:
    result = compile_guideline(_project(tmp_path, "heatmap"))
    (d,) = result.diagnostics
    assert d.code == "GK204"
    assert d.message == (
        "'heatmap' is not allowed: input should be "
        + ", ".join(repr(n) for n in tasktypes.names()[:-1])
        + f" or {tasktypes.names()[-1]!r}"
    )
