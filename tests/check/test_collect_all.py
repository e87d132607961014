"""Collect-all: a structural error in one part does not hide problems elsewhere, and the part
set aside causes no follow-up findings."""

from __future__ import annotations

from pathlib import Path

from guidekit.compiler.pipeline import compile_document
from guidekit.compiler.resolve import resolve_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "check"

HEAD = """\
guidekit: 1
id: fixture
title: Fixture
version: 1.0.0
brief:
  objective: Collect-all.
record:
  id: item_id
  fields:
    body: {type: text}
governance:
  levels: [public, internal]
  audiences: {annotator: internal}
tasks:
  intent:
    type: single
    classes:
"""

REFUND = """\
      - id: refund
        definition: The customer asks for their money back for an order.
        examples:
          - body: I want my money back.
        negatives:
          - body: How do refunds work here?
            label: question
            why: Asks how refunds work; requests nothing.
"""

QUESTION = """\
      - id: question
        definition: The customer asks how something works without requesting an action.
        examples:
          - body: How long does shipping take?
        negatives:
          - body: Refund my order please.
            label: refund
            why: A request for money back.
"""


def found(text: str) -> list[str]:
    result = compile_document(resolve_text(text), None)
    assert result.guideline is None or not result.ok
    return [f"{d.code} {d.location.line}:{d.location.column}" for d in result.diagnostics]


def test_the_parts_are_clean() -> None:
    assert compile_document(resolve_text(HEAD + REFUND + QUESTION), None).ok


def test_two_mistakes_in_two_files_are_both_reported() -> None:
    from guidekit import compile_guideline

    result = compile_guideline(FIXTURES / "collect-all-two-files")
    assert result.guideline is None
    assert [(d.code, d.location.file) for d in result.diagnostics] == [
        ("GK305", "guideline.yaml"),
        ("GK202", "intent.yaml"),
    ]


def test_a_broken_class_is_still_a_known_label() -> None:
    text = HEAD + REFUND.replace("definition:", "defintion:") + QUESTION
    # no GK308 for `label: refund`, no lint (no definition) inside the class
    assert [c.split()[0] for c in found(text)] == ["GK202"]


def test_a_broken_class_is_still_a_known_parent() -> None:
    child = QUESTION.replace("id: question", "id: partial\n        parent: refund")
    child = child.replace("label: refund", "label: question").replace(
        "asks how something works without requesting an action",
        "wants part of the money back, for some items of an order only",
    )
    question = QUESTION.replace("label: refund", "label: partial")
    text = HEAD + REFUND.replace("definition:", "defintion:") + question + child
    # no GK302 for `parent: refund`
    assert [c.split()[0] for c in found(text)] == ["GK202"]


def test_a_broken_example_is_dropped_and_later_positions_stay_exact() -> None:
    text = HEAD + REFUND.replace(
        "        examples:\n          - body: I want my money back.\n",
        "        examples:\n          - body: [not, text]\n          - body: Refund me.\n"
        "            subject: x\n",
    )
    text += QUESTION
    codes = found(text)
    assert "GK305 22:13" in codes  # `subject` of the second example, at its own line
    assert codes[0].startswith("GK") and len(codes) == 2


def test_an_error_at_the_top_still_stops_after_structure() -> None:
    text = (HEAD + REFUND + QUESTION).replace("version: 1.0.0", "version: [1]")
    text = text.replace("label: question", "label: nowhere")
    assert [c.split()[0] for c in found(text)] == ["GK203"]


def test_a_broken_task_does_not_hide_other_tasks() -> None:
    text = HEAD + REFUND + QUESTION
    text += "  tone:\n    type: singel\n    classes: [calm, angry]\n"
    text += "  size:\n    type: number\n    min: 5\n    max: 1\n"
    assert found(text) == ["GK204 35:11", "GK310 38:5"]


def test_a_task_over_a_broken_task_is_not_reported_as_over_nothing() -> None:
    text = HEAD + REFUND + QUESTION
    text += "  ents:\n    type: spans\n    over: body\n    overlap: maybe\n    classes: [a, b]\n"
    text += "  links:\n    type: relations\n    over: ents\n    classes: [lives_in]\n"
    codes = [c.split()[0] for c in found(text)]
    assert codes[0] == "GK204" and "GK302" not in codes  # lint about `links` still reported
    assert "GK407" in codes
