"""spec.markdown.escape_markdown: the one escaper for plain text put into Markdown."""

from __future__ import annotations

import pytest

from guidekit.spec.markdown import CELL, EMPHASIS, HTML, escape_markdown


@pytest.mark.parametrize(
    ("text", "specials", "expected"),
    [
        ("a | b", CELL, "a \\| b"),
        ("a\nb", CELL, "a b"),
        ("<b> *x* ~y~", CELL, "<b> *x* ~y~"),
        ("a|<b>", HTML, "a\\|&lt;b>"),
        ("2 * 3 ~ 4 <5> \\n", EMPHASIS, "2 \\* 3 \\~ 4 &lt;5> \\\\n"),
        ("a|b", EMPHASIS, "a|b"),
        ("`code | span`", CELL, "`code \\| span`"),
        ("", HTML, ""),
    ],
)
def test_escapes_what_the_place_needs(text: str, specials: str, expected: str) -> None:
    assert escape_markdown(text, specials) == expected


def test_newlines_kept_on_request() -> None:
    assert escape_markdown("a|b\nc", one_line=False) == "a\\|b\nc"


def test_each_character_once() -> None:
    # a backslash added by escaping is not escaped again, nor the & of &lt;
    assert escape_markdown("\\*<", EMPHASIS) == "\\\\\\*&lt;"


@pytest.mark.parametrize("text", ["x|y\n<z> *a* ~b~ \\c", "|||", "\n\n<<"])
def test_same_as_the_replace_chains_it_replaced(text: str) -> None:
    chained = (
        text.replace("\\", "\\\\")
        .replace("*", "\\*")
        .replace("~", "\\~")
        .replace("<", "&lt;")
        .replace("\n", " ")
    )
    assert escape_markdown(text, EMPHASIS) == chained
    assert escape_markdown(text) == text.replace("|", "\\|").replace("\n", " ")
    assert escape_markdown(text, HTML) == (
        text.replace("\n", " ").replace("|", "\\|").replace("<", "&lt;")
    )
