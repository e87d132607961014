"""Escaping plain text for inline Markdown: the format's text fields are Markdown, and every
report, reference page and changelog that puts a plain string (an id, a message, a value)
into Markdown escapes it here.

Which characters are special depends on where the text goes, so callers say so:

- :data:`CELL` (the default): ``|`` only, for table cells and list items that may sit in one;
- :data:`HTML`: ``|`` and ``<`` (as ``&lt;``), where raw HTML must not open a tag;
- :data:`EMPHASIS`: ``\\``, ``*``, ``~`` and ``<``, around text that sits between ``**``
  and ``~~`` markers (word diffs).

Backticks are never escaped: a caller's code spans stay code.
"""

from __future__ import annotations

CELL = "|"
HTML = "|<"
EMPHASIS = "\\*~<"

_REPLACEMENT = {"<": "&lt;"}


def escape_markdown(text: str, specials: str = CELL, *, one_line: bool = True) -> str:
    """``text`` with each character of ``specials`` escaped (``<`` as ``&lt;``, any other
    with a backslash) and, with ``one_line``, each newline made a space."""
    table = {ord(c): _REPLACEMENT.get(c, "\\" + c) for c in specials}
    if one_line:
        table[ord("\n")] = " "
    return text.translate(table)
