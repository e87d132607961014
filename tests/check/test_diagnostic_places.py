"""Where meaning diagnostics point and how often: a duplicate id names its first
declaration, one wrong label is reported once, a wrong span points at the span."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidekit import compile_guideline
from guidekit.cli import main
from guidekit.diagnostics.model import Diagnostic

HEAD = """\
guidekit: 1
id: fixture
title: Fixture
version: 1.0.0
brief:
  objective: A minimal guideline for one diagnostic.
record:
  id: item_id
  fields:
    body: {type: text}
"""
TAIL = """\
governance:
  levels: [public, internal]
  audiences: {annotator: internal}
"""
INTENT = """\
  intent:
    type: single
    classes:
      - id: refund
        definition: The customer asks for their money back for an order.
        examples:
          - id: ex1
            body: I want my money back.
        negatives:
          - body: How do refunds work here?
            label: question
            why: Asks how refunds work; requests nothing.
      - id: question
        definition: The customer asks how something works without requesting an action.
        examples:
          - id: ex2
            body: How long does shipping take?
        negatives:
          - body: Refund my order please.
            label: refund
            why: A request for money back.
"""


def _compile(tmp_path: Path, tasks: str, extra: str = "") -> list[Diagnostic]:
    (tmp_path / "guideline.yaml").write_text(HEAD + "tasks:\n" + tasks + extra + TAIL)
    return [d for d in compile_guideline(tmp_path).diagnostics if d.severity.value == "error"]


def _line(tmp_path: Path, needle: str, nth: int = 1) -> int:
    lines = (tmp_path / "guideline.yaml").read_text().splitlines()
    hits = [i + 1 for i, text in enumerate(lines) if needle in text]
    return hits[nth - 1]


def test_duplicate_class_names_first_declaration(tmp_path: Path) -> None:
    tasks = INTENT + "      - id: refund\n        definition: A second class reusing the id.\n"
    (d,) = [d for d in _compile(tmp_path, tasks) if d.code == "GK301"]
    assert d.location.line == _line(tmp_path, "- id: refund", 2)
    (rel,) = d.related
    assert rel.message == "first declared here"
    assert rel.location.line == _line(tmp_path, "- id: refund", 1)


DUP_EXAMPLE = INTENT.replace("ex2", "ex1")


def test_duplicate_example_id_names_first_declaration(tmp_path: Path) -> None:
    (d,) = [d for d in _compile(tmp_path, DUP_EXAMPLE) if d.code == "GK301"]
    assert d.location.line == _line(tmp_path, "- id: ex1", 2)
    (rel,) = d.related
    assert (rel.message, rel.location.line) == ("first declared here", _line(tmp_path, "ex1"))


def test_duplicate_rule_id_names_first_declaration(tmp_path: Path) -> None:
    rules = (
        "rules:\n"
        "  - id: r1\n    when: {task: intent, is: refund}\n    then: {task: intent, is: refund}\n    message: m\n"
        "  - id: r1\n    when: {task: intent, is: refund}\n    then: {task: intent, is: refund}\n    message: m\n"
    )
    (d,) = [d for d in _compile(tmp_path, INTENT, rules) if d.code == "GK301"]
    assert d.location.line == _line(tmp_path, "- id: r1", 2)
    (rel,) = d.related
    assert (rel.message, rel.location.line) == ("first declared here", _line(tmp_path, "id: r1"))


def test_duplicate_level_names_first_declaration(tmp_path: Path) -> None:
    (tmp_path / "guideline.yaml").write_text(
        HEAD
        + "tasks:\n"
        + INTENT
        + "governance:\n  levels:\n    - public\n    - internal\n    - public\n"
        "  audiences: {annotator: internal}\n"
    )
    (d,) = [d for d in compile_guideline(tmp_path).diagnostics if d.code == "GK312"]
    assert d.location.line == _line(tmp_path, "- public", 2)
    (rel,) = d.related
    assert (rel.message, rel.location.line) == ("first declared here", _line(tmp_path, "- public"))


def test_duplicate_prints_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _compile(tmp_path, DUP_EXAMPLE)
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    # the note names the file the way the main line does, so an editor can open both
    note = f"note: {tmp_path}/guideline.yaml:{_line(tmp_path, 'ex1')}:13: first declared here"
    assert note in out


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        (
            "          - id: ex1\n            body: I want my money back.\n",
            "          - body: I want my money back.\n            annotation: refnd\n",
            "GK306",
        ),
        ("label: question", "label: questoin", "GK302"),
    ],
)
def test_one_wrong_label_is_reported_once(tmp_path: Path, old: str, new: str, code: str) -> None:
    tasks = INTENT.replace(old, new, 1)
    assert [d.code for d in _compile(tmp_path, tasks)] == [code]


def test_wrong_edge_case_decision_is_reported_once(tmp_path: Path) -> None:
    edge = (
        "    edge_cases:\n      - id: e1\n        body: Maybe refund?\n"
        "        decision: refnud\n        rationale: Because it is so.\n"
    )
    errors = _compile(tmp_path, INTENT + edge)
    assert [(d.code, d.location.line) for d in errors] == [
        ("GK308", _line(tmp_path, "decision: refnud"))
    ]


def test_wrong_span_points_at_the_span(tmp_path: Path) -> None:
    spans = """\
  entities:
    type: spans
    over: body
    classes:
      - id: ORDER
        definition: An order number exactly as printed on the receipt.
        examples:
          - body: Order 5512 is late.
            annotation:
              - {start: 0, end: 5, label: ORDER}
              - {start: 6, end: 40, label: ORDER}
        negatives:
          - body: Call 5512.
            label: null
            why: A phone extension.
"""
    errors = _compile(tmp_path, INTENT + spans)
    (d,) = [d for d in errors if d.code == "GK306"]
    assert (d.location.line, d.location.column) == (_line(tmp_path, "end: 40"), 33)
