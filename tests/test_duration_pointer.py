"""The two small shared helpers: ISO 8601 durations (isodate) and JSON-pointer tokens."""

from __future__ import annotations

import pytest

from guidekit.diagnostics import pointer
from guidekit.spec import duration


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("P90D", "90 days"),
        ("P1Y", "1 year"),
        ("P1Y2M3DT4H5M6S", "1 year, 2 months, 3 days, 4 hours, 5 minutes, 6 seconds"),
        ("PT12H", "12 hours"),
        ("P2W", "14 days"),
    ],
)
def test_durations_in_words(text: str, words: str) -> None:
    assert duration.parse(text) is not None
    assert duration.words(text) == words


@pytest.mark.parametrize("text", ["", "P", "PT", "90D", "-P1D", "P1X", "forever"])
def test_text_that_is_not_a_duration_is_refused_and_kept_as_written(text: str) -> None:
    assert duration.parse(text) is None
    assert duration.words(text) == text


def test_pointer_tokens_round_trip() -> None:
    assert pointer.join("a", 0, "b/c", "x~y") == "/a/0/b~1c/x~0y"
    for key in ["a/b", "~1", "~0/~", ""]:
        assert pointer.unescape(pointer.escape(key)) == key
