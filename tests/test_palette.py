"""Class colours: one assignment, shared by the handbook and the tool configs."""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import EXAMPLES, GUIDELINES
from guidekit import ir, load
from guidekit.bridges.cvat import cvat_labels
from guidekit.bridges.labelstudio import labelstudio_config
from guidekit.generators.palette import PALETTE, class_colors, ink_for, task_swatches
from guidekit.handbook import render_handbook
from guidekit.handbook.layout import Layout

ALL_TYPES = Path(__file__).resolve().parent / "fixtures" / "bridges" / "all-types"
CASES = {"all-types": ALL_TYPES, **{name: GUIDELINES / name for name in EXAMPLES}}


def test_palette_is_deterministic_and_respects_pinned_colours() -> None:
    classes = tuple(ir.Class(id=f"c{i}", name=f"c{i}", index=i) for i in range(12))
    pinned = tuple(
        ir.Class(id=c.id, name=c.name, index=c.index, color="#cc6677" if c.id == "c3" else None)
        for c in classes
    )
    task = ir.Task(id="t", type="single", classes=pinned)
    sw = task_swatches(task)
    assert sw == task_swatches(task)
    assert sw["c3"].color == "#CC6677"
    others = [sw[f"c{i}"].color for i in range(12) if i != 3]
    # the pinned colour is not handed out again in the first round
    assert "#CC6677" not in others[: len(PALETTE) - 1]
    assert others[: len(PALETTE) - 1] == [c for c in PALETTE if c != "#CC6677"]
    # after the palette runs out, colours repeat with a dash pattern
    assert sw["c11"].dash != "" and sw["c0"].dash == ""
    assert class_colors(task) == {cid: s.color for cid, s in sw.items()}


def test_malformed_colour_of_a_programmatic_ir_is_ignored() -> None:
    task = ir.Task(
        id="t",
        type="single",
        classes=(ir.Class(id="a", name="a", color="red"), ir.Class(id="b", name="b", index=1)),
    )
    assert class_colors(task) == {"a": PALETTE[0], "b": PALETTE[1]}


def test_ink_is_readable_on_every_palette_colour() -> None:
    def luminance(color: str) -> float:
        rgb = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for color in PALETTE:
        a, b = luminance(color), luminance(ink_for(color))
        contrast = (max(a, b) + 0.05) / (min(a, b) + 0.05)
        assert contrast >= 4.5, (color, contrast)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in PALETTE)
    assert len(set(PALETTE)) == len(PALETTE)


def _handbook_colors(g: ir.Guideline) -> dict[tuple[str, str], str]:
    """The colour of each class's chip at the top of its handbook page."""
    pages = render_handbook(g, print_view=False).pages
    layout = Layout(g)
    out = {}
    for task in g.tasks.values():
        for cls in task.classes:
            m = re.search(r"--gk-c:(#[0-9A-Fa-f]{6})", pages[layout.klass(task.id, cls.id)])
            assert m is not None, (task.id, cls.id)
            out[(task.id, cls.id)] = m.group(1)
    return out


def _labelstudio_colors(g: ir.Guideline) -> dict[tuple[str, str], str]:
    root = ET.fromstring(labelstudio_config(g))
    out = {}
    for control in root.iter():
        name = control.get("name")
        if name in g.tasks:
            for label in control:
                if label.get("background"):
                    out[(name, label.get("value", ""))] = label.get("background", "")
    for relation in root.iter("Relation"):
        task = next(t for t in g.tasks.values() if t.type == "relations")
        out[(task.id, relation.get("value", ""))] = relation.get("background", "")
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_tool_configs_use_the_handbook_colours(name: str) -> None:
    path = CASES[name]
    if not (path / "guideline.yaml").is_file():
        pytest.skip(f"guideline {path} is not in this checkout yet")
    g = load(path)
    handbook = _handbook_colors(g)
    studio = _labelstudio_colors(g)
    cvat = {label["name"]: label["color"] for label in json.loads(cvat_labels(g))}
    assert studio or cvat
    for key, color in studio.items():
        assert handbook[key] == color, key
    for task in g.tasks.values():  # CVAT holds one label per id: the first task's
        for cid in task.labels():
            if cid in cvat:
                assert handbook[(task.id, cid)] == cvat.pop(cid), (task.id, cid)
    assert not cvat, "every CVAT label belongs to a task"


def test_pinned_colour_reaches_every_output() -> None:
    g = load(ALL_TYPES)
    entities = g.tasks["entities"]
    assert entities["PRODUCT"].color == "#0072B2"
    assert _handbook_colors(g)[("entities", "PRODUCT")] == "#0072B2"
    assert _labelstudio_colors(g)[("entities", "PRODUCT")] == "#0072B2"
    # the pinned colour is not in the palette, so the other class takes the first one
    assert class_colors(entities)["ORDER_ID"] == PALETTE[0]


def _lightness(color: str) -> float:
    """CIE L* of ``#RRGGBB``."""
    rgb = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


@pytest.mark.parametrize("n", [2, 3, 4, 5, 8, 9, 12, 20])
def test_ordinal_levels_get_a_sequential_scale(n: int) -> None:
    task = ir.Task(
        id="t",
        type="ordinal",
        classes=tuple(ir.Class(id=f"l{i}", name=f"l{i}", index=i) for i in range(n)),
    )
    colors = [task_swatches(task)[f"l{i}"].color for i in range(n)]
    lightness = [_lightness(c) for c in colors]
    assert all(a > b + 1 for a, b in itertools.pairwise(lightness)), colors
    assert not set(colors) & set(PALETTE), "never the qualitative palette"


def test_ordinal_handbook_colours_darken_along_the_order(tmp_path: Path) -> None:
    """End to end: the support-tickets urgency levels (low → critical) in the built handbook."""
    from guidekit.cli import main

    out = tmp_path / "hb"
    path = GUIDELINES / "support-tickets"
    assert main(["build", str(path), "-t", "handbook", "-o", str(out), "--no-site"]) == 0
    task = load(path).tasks["urgency"]
    lightness = []
    for cls in task.classes:
        page = (out / "docs" / "tasks" / "urgency" / f"{cls.id}.md").read_text(encoding="utf-8")
        m = re.search(r"--gk-c:(#[0-9A-Fa-f]{6})", page)
        assert m is not None, cls.id
        lightness.append(_lightness(m.group(1)))
    assert len(lightness) >= 3
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == len(lightness)
