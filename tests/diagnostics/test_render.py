"""Text diagnostics at a terminal (excerpt, colour), related locations, SARIF rules."""

from __future__ import annotations

import io
import json

import pytest

from guidekit.diagnostics.model import Diagnostic, Location, Related, Severity
from guidekit.diagnostics.render import render_sarif, render_text, use_color

SOURCE = {"g.yaml": ["tasks:", "  intent:", "    clases: []"]}


def read_line(file: str, line: int) -> str | None:
    lines = SOURCE.get(file)
    return lines[line - 1] if lines and 1 <= line <= len(lines) else None


TYPO = Diagnostic(
    "GK202",
    Severity.ERROR,
    "unknown key 'clases'",
    Location("g.yaml", 3, 5),
    hint="did you mean 'classes'?",
)
DUPLICATE = Diagnostic(
    "GK301",
    Severity.ERROR,
    "duplicate class 'a'",
    Location("g.yaml", 3, 5),
    related=(Related("first declared here", Location("g.yaml", 2, 3)),),
)


def test_plain_text_is_unchanged_without_excerpts() -> None:
    assert render_text([TYPO], subject="p") == (
        "g.yaml:3:5: GK202 unknown key 'clases'\n    hint: did you mean 'classes'?\np: 1 error\n"
    )


def test_excerpt_forced_plain_puts_a_caret_under_the_column() -> None:
    text = render_text([TYPO], read_line=read_line)
    assert text.splitlines()[:5] == [
        "g.yaml:3:5: GK202 unknown key 'clases'",
        "      |",
        "    3 |     clases: []",
        "      |     ^",
        "    hint: did you mean 'classes'?",
    ]
    assert "\x1b[" not in text


def test_excerpt_forced_colour_colours_the_code_by_severity() -> None:
    text = render_text([TYPO], color=True, read_line=read_line)
    assert "\x1b[1;31mGK202\x1b[0m unknown key 'clases'" in text
    assert "    clases: []" in text
    warning = Diagnostic("GK402", Severity.WARNING, "no negatives", Location("g.yaml", 1, 1))
    assert "\x1b[1;33mGK402\x1b[0m [warning] no negatives" in render_text([warning], color=True)


def test_excerpt_is_skipped_when_the_line_cannot_be_read() -> None:
    gone = Diagnostic("GK202", Severity.ERROR, "x", Location("missing.yaml", 9, 1))
    assert render_text([gone], read_line=read_line) == "missing.yaml:9:1: GK202 x\n1 error\n"


def test_related_locations_are_note_lines_in_plain_text() -> None:
    assert render_text([DUPLICATE]).splitlines()[:2] == [
        "g.yaml:3:5: GK301 duplicate class 'a'",
        "    note: g.yaml:2:3: first declared here",
    ]


@pytest.mark.parametrize(
    ("env", "tty", "expected"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),
    ],
)
def test_use_color_follows_no_color_and_force_color(
    env: dict[str, str], tty: bool, expected: bool
) -> None:
    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return tty

    assert use_color(Stream(), env) is expected


def test_sarif_has_related_locations_and_no_help_uri() -> None:
    doc = json.loads(render_sarif([DUPLICATE]))
    (rule,) = doc["runs"][0]["tool"]["driver"]["rules"]
    assert "helpUri" not in rule
    assert rule["help"]["text"] == rule["fullDescription"]["text"]
    (result,) = doc["runs"][0]["results"]
    assert result["relatedLocations"] == [
        {
            "id": 0,
            "physicalLocation": {
                "artifactLocation": {"uri": "g.yaml"},
                "region": {"startLine": 2, "startColumn": 3},
            },
            "message": {"text": "first declared here"},
        }
    ]
