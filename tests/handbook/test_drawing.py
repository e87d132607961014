"""Pictures: highlighted spans, SVG overlays."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from guidekit import ir
from guidekit.generators.palette import Swatch
from guidekit.handbook.spans import Span, highlight, spans_of
from guidekit.handbook.svg import overlay, shapes_of
from guidekit.spec.format import Coordinates, Skeleton

SW = Swatch("#332288", "#FFFFFF")


class _Marks(HTMLParser):
    """Checks nesting and collects the text and labels of a highlighted block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.labels: list[str] = []
        self.in_label = False
        self.max_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        self.max_depth = max(self.max_depth, self.stack.count("mark"))
        self.in_label = dict(attrs).get("class") == "gk-span__label"

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()
        self.in_label = False

    def handle_data(self, data: str) -> None:
        (self.labels if self.in_label else self.text).append(data)


def parse(markup: str) -> _Marks:
    p = _Marks()
    p.feed(markup)
    p.close()
    assert p.stack == []
    return p


def test_nested_spans_nest_and_keep_the_text() -> None:
    text = "I paid 49.99 for a kettle that broke"
    spans = [Span(19, 36, "DEFECT", 0), Span(19, 25, "PRODUCT", 1), Span(7, 12, "PRICE", 2)]
    p = parse(highlight(text, spans, lambda _: SW))
    assert "".join(p.text) == text
    assert p.labels == ["PRICE", "PRODUCT", "DEFECT"]
    assert p.max_depth == 2


def test_crossing_spans_are_split_and_labelled_once() -> None:
    text = "abcdefghij"
    markup = highlight(text, [Span(0, 6, "A", 0), Span(3, 9, "B", 1)], lambda _: SW)
    p = parse(markup)
    assert "".join(p.text) == text
    assert sorted(p.labels) == ["A", "B"]
    assert markup.count("gk-span--cont") == 1


def test_text_is_escaped_and_newlines_kept_on_one_line() -> None:
    markup = highlight("<b>\nx", [Span(4, 5, "L<", 0)], lambda _: SW)
    assert "\n" not in markup
    assert "&lt;b&gt;&#10;" in markup and 'data-label="L&lt;"' in markup


def test_spans_of_skips_malformed_spans() -> None:
    value = [
        {"start": 0, "end": 2, "label": "A"},
        {"start": 3, "end": 2, "label": "B"},
        {"start": 0, "end": 99, "label": "C"},
        {"start": True, "end": 2, "label": "D"},
        "junk",
    ]
    assert [s.label for s in spans_of(value, 10)] == ["A"]


def _task(kind: str, **kw: object) -> ir.Task:
    classes = (ir.Class(id="a", name="a"), ir.Class(id="b", name="b", index=1))
    return ir.Task(id="t", type=kind, classes=classes, over="photo", **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("coords", "box", "expected"),
    [
        (Coordinates(), [10, 20, 30, 40], [(10, 20), (40, 20), (40, 60), (10, 60)]),
        (Coordinates(format="xyxy"), [10, 20, 30, 40], [(10, 20), (30, 20), (30, 40), (10, 40)]),
        (
            Coordinates(units="normalized"),
            [0.1, 0.2, 0.5, 0.5],
            [(20, 20), (120, 20), (120, 70), (20, 70)],
        ),
    ],
)
def test_boxes_in_every_coordinate_convention(
    coords: Coordinates, box: list[float], expected: list[tuple[float, float]]
) -> None:
    task = _task("bbox", coordinates=coords)
    (shape,) = shapes_of(task, [{"bbox": box, "label": "a"}], (200, 100))
    assert [(round(x, 6), round(y, 6)) for x, y in shape.points] == expected


def test_keypoints_follow_the_skeleton_and_visibility() -> None:
    task = _task(
        "keypoints", skeleton=Skeleton(points=["p", "q", "r"], edges=[("p", "q"), ("q", "r")])
    )
    value = [{"label": "a", "points": {"r": [5, 5, 0], "q": [3, 3, 1], "p": [1, 1, 2]}}]
    (shape,) = shapes_of(task, value, (10, 10))
    assert shape.names == ["p", "q", "r"]
    assert shape.visibility == [2, 1, 0]
    svg = overlay(None, (10, 10), [shape], lambda _: SW, title="t", marker_id="m")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    circles = root.findall(f"{ns}circle")
    assert len(circles) == 2  # the unlabelled point is not drawn
    assert [c.get("fill") for c in circles] == ["#332288", "#FFFFFF"]  # occluded is hollow
    assert len(root.findall(f"{ns}line")) == 1  # the edge to the unlabelled point is not drawn


def test_overlay_is_valid_svg_with_image_labels_and_arrows() -> None:
    task = _task("bbox")
    value = [
        {"id": "1", "bbox": [0, 0, 10, 10], "label": "a"},
        {"id": "2", "bbox": [50, 50, 10, 10], "label": "b<"},
    ]
    shapes = shapes_of(task, value, (100, 80))
    svg = overlay(
        "../media/x.png",
        (100, 80),
        shapes,
        lambda _: SW,
        title="photo",
        marker_id="gk-arrow-1",
        relations=[("rel", "1", "2")],
    )
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("viewBox") == "0 0 100 80"
    assert root.find(f"{ns}image").get("href") == "../media/x.png"  # type: ignore[union-attr]
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert texts == ["a", "b<"]
    (line,) = [el for el in root.iter(f"{ns}line") if el.get("class") == "gk-relation"]
    assert line.get("marker-end") == "url(#gk-arrow-1)"
    assert (line.get("x1"), line.get("y1"), line.get("x2"), line.get("y2")) == (
        "5",
        "5",
        "55",
        "55",
    )
