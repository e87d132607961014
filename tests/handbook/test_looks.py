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
