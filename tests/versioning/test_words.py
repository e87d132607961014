"""Word-level diffs of prose."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from guidekit.versioning._words import render_markdown, render_text, similarity, word_diff

WORDS = st.lists(
    st.sampled_from(
        ["the", "customer", "charge", "a", "or", ",", ".", "refund", "*bold*", "x~y", "<b>"]
    ),
    max_size=30,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(WORDS, WORDS)
def test_ops_rebuild_both_texts(old: str, new: str) -> None:
    ops = word_diff(old, new)
    assert "".join(t for op, t in ops if op != "+") == old
    assert "".join(t for op, t in ops if op != "-") == new
    assert all(t for _, t in ops)
    assert all(a[0] != b[0] for a, b in itertools.pairwise(ops))  # runs are joined


def test_small_gaps_are_folded() -> None:
    ops = word_diff(
        "no longer want, have returned, or were promised a refund for, and the charge",
        "no longer want or have returned, and does not contest the charge",
    )
    assert ("-", "or were promised a refund for, and") in ops
    assert ("+", "and does not contest") in ops


def test_markdown_rendering() -> None:
    ops = word_diff("wants it corrected.", "asks us to reverse it.")
    assert render_markdown(ops) == "~~wants it corrected~~ **asks us to reverse it**."
    assert render_text(ops) == "[-wants it corrected-]{+asks us to reverse it+}."


def test_markdown_escapes_what_would_break_it() -> None:
    ops = word_diff("a *b* <c>", "a *b* <d> ~e")
    text = render_markdown(ops)
    assert "\\*b\\*" in text and "&lt;" in text and "\\~" in text and "<" not in text


def test_similarity() -> None:
    assert similarity("A duplicate charge", "a duplicate charge") == 1.0
    assert similarity("", "") == 1.0
    assert similarity("duplicate charges", "charges after a cancellation") < 0.5
