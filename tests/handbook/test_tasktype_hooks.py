"""The handbook asks the task types: a plug-in type draws its own field, its own shapes."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pytest

from guidekit import ir, tasktypes
from guidekit.generators.palette import Swatch
from guidekit.handbook import render_handbook
from guidekit.handbook.page import MARKUP, Drawn
from guidekit.handbook.svg import Shape, overlay
from guidekit.tasktypes import TaskType


class Keyframe(Shape):
    """A shape of a kind the handbook does not know: drawn by its own ``draw``."""

    def draw(self, sw: Any, stroke: str, size: tuple[float, float], fs: float) -> list[str]:
        (x, y), *_ = self.points
        return [f'<rect class="keyframe" x="{x:g}" y="{y:g}" width="4" height="4" {stroke}/>']


class Filmstrip(TaskType):
    """A plug-in type drawn as a strip of frames, one picture per region."""

    name = "filmstrip"
    summary = "Boxes on the frames of a video."
    region = True
    image = True

    def handbook_kind(self) -> str:
        return "video frames"

    def handbook_field(
        self,
        task: ir.Task,
        value: Any,
        name: str,
        raw: Any,
        field: ir.InputField | None,
        page: Any,  # guidekit.tasktypes._handbook_page.Page
        links: Sequence[tuple[str, str, str]] = (),
        directed: bool = True,
    ) -> Drawn | None:
        if field is None:
            return None
        url, size = page.image(raw, field)
        frames = [
            overlay(
                url,
                size,
                [Keyframe(str(r.get("label", "")), "keyframe", [(1.0, 2.0)])],
                lambda label: page.swatch(task.id, label),
                title=f"frame {i}",
                marker_id=page.unique("gk-arrow"),
            )
            for i, r in enumerate(value if isinstance(value, list) else [])
        ]
        return Drawn('<div class="filmstrip">' + "".join(frames) + "</div>")


def test_defaults_draw_nothing_and_name_the_type(workshop: ir.Guideline) -> None:
    plain = type("Plain", (TaskType,), {"name": "plain"})()
    task = ir.Task(id="t", type="plain")  # type: ignore[arg-type]
    assert plain.handbook_kind() == "plain"
    assert plain.handbook_instruction(workshop, task, MARKUP) is None
    assert plain.handbook_shapes(task, [{}], (1, 1)) == []
    assert plain.handbook_links(task, [{}]) == []
    assert not plain.handbook_levels and not plain.links_regions


def test_a_new_shape_kind_draws_itself() -> None:
    svg = overlay(
        None,
        (10, 10),
        [Keyframe("a", "keyframe", [(1.0, 2.0)])],
        lambda _: Swatch("#332288", "#FFFFFF"),
        title="t",
        marker_id="m",
    )
    assert '<rect class="keyframe" x="1" y="2"' in svg


def test_a_plug_in_type_draws_its_field_without_editing_the_handbook(
    workshop: ir.Guideline, monkeypatch: pytest.MonkeyPatch
) -> None:
    film = Filmstrip()
    tasktypes.get("single")  # load the built-in types before adding one
    monkeypatch.setitem(vars(tasktypes)["_REGISTRY"], "filmstrip", film)
    parts = dataclasses.replace(workshop.tasks["parts"], type="filmstrip")  # type: ignore[arg-type]
    g = dataclasses.replace(workshop, tasks={**workshop.tasks, "parts": parts})
    pages = render_handbook(g).pages
    task_page = pages["tasks/parts/index.md"]
    assert "video frames" in task_page
    assert "Boxes on the frames of a video." in task_page
    drawn = "".join(text for path, text in pages.items() if path.startswith("tasks/parts/"))
    assert '<div class="filmstrip">' in drawn and 'class="keyframe"' in drawn
