"""The looks people expect: one clear message per restricted class, no repeated text."""

from __future__ import annotations

import re
from pathlib import Path

from guidekit.cli import main

from .handbook_support import WORKSHOP


def _build(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "hb"
    assert (
        main(["build", str(WORKSHOP), "-t", "handbook", "-o", str(out), "--no-site", *extra]) == 0
    )
    return out / "docs"


def test_restricted_class_says_one_clear_thing(tmp_path: Path) -> None:
    docs = _build(tmp_path, "--audience", "vendor")
    for page in (
        "tasks/mentions/PRICE.md",
        "tasks/severity/low.md",
        "tasks/reason/safety_hazard.md",
    ):
        text = (docs / page).read_text(encoding="utf-8")
        assert text.count("Restricted") == 1, page
        assert "No definition yet" not in text, page
        assert "## Definition" not in text, page
    # the task page's tables do not show empty rows or empty definitions for them either
    mentions = (docs / "tasks/mentions/index.md").read_text(encoding="utf-8")
    assert not re.search(r"\|\s+\|\s+\|\s*$", mentions, re.M), mentions
    assert "restricted" in mentions.lower()


def test_how_to_decide_does_not_repeat_the_definitions(tmp_path: Path) -> None:
    docs = _build(tmp_path)
    links = (docs / "tasks/links/index.md").read_text(encoding="utf-8")
    definition = "A product mention is linked to the defect the review reports for it."
    assert links.count(definition) == 1, links
    assert "How to decide" not in links
    # where classes do have boundaries, the table stays
    reason = (docs / "tasks/reason/index.md").read_text(encoding="utf-8")
    assert "## How to decide" in reason and "Choose it for" in reason


def test_labels_of_adjacent_boxes_get_separate_places() -> None:
    from guidekit.tasktypes._handbook_svg import place_labels

    # ten 20-wide boxes side by side, labels 56 wide: they cannot all sit above their box
    wanted = [((20.0 * i, 40.0, 20.0 * i + 20, 140.0), 56.0) for i in range(10)]
    boxes = place_labels(wanted, (200.0, 160.0), 16.0)
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= 200 and a[1] >= 0 and a[3] <= 160, a
        for b in boxes[i + 1 :]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])
    assert boxes == place_labels(wanted, (200.0, 160.0), 16.0)
    # a label longer than the picture is squeezed to its width
    (only,) = place_labels([((0.0, 0.0, 10.0, 10.0), 500.0)], (100.0, 50.0), 16.0)
    assert only[2] - only[0] == 100


def test_other_tasks_regions_are_highlighted_in_examples(tmp_path: Path) -> None:
    from conftest import GUIDELINES

    out = tmp_path / "hb"
    path = GUIDELINES / "support-tickets"
    assert main(["build", str(path), "-t", "handbook", "-o", str(out), "--no-site"]) == 0
    page = (out / "docs/tasks/intent/wrong_item.md").read_text(encoding="utf-8")
    layer = re.search(r'<details class="gk-layer" data-task="entities" open>(.*?)</details>', page)
    assert layer is not None, "the entities of the example are drawn in a layer of their own"
    marks = re.findall(r'<mark class="gk-span"[^>]*data-label="([^"]+)">([^<]+)<', layer.group(1))
    assert ("PRODUCT", "Luma desk lamp") in marks and ("ORDER_ID", "NW-4410025") in marks
    assert "2 regions" not in page.split("</details>")[-1].split("**Label:**")[0]
    assert "**Also labelled:** [Entities]" not in page
