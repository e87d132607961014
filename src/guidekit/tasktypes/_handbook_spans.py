"""Drawing primitive for the handbook: text with its spans highlighted, as one line of HTML.

Nested spans nest their ``<mark>`` elements; spans that cross are split where they cross (the
label is drawn once, where the span ends). Newlines are written as ``&#10;`` (shown by
``white-space: pre-wrap``) so the block stays on one line and Markdown leaves it alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from guidekit.tasktypes._handbook_page import Colours, html_text


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    label: str
    index: int


def spans_of(value: object, length: int) -> list[Span]:
    """The well-formed spans of an annotation value (others are skipped)."""
    out: list[Span] = []
    if not isinstance(value, list):
        return out
    for i, s in enumerate(value):
        if not isinstance(s, dict):
            continue
        start, end, label = s.get("start"), s.get("end"), s.get("label")
        if (
            isinstance(start, int)
            and isinstance(end, int)
            and not isinstance(start, bool)
            and not isinstance(end, bool)
            and 0 <= start < end <= length
        ):
            out.append(Span(start, end, str(label), i))
    return out


def _text(s: str) -> str:
    return html_text(s).replace("\n", "&#10;")


def highlight(text: str, spans: Sequence[Span], swatch: Callable[[str], Colours]) -> str:
    """``text`` as HTML with ``spans`` marked; ``swatch(label)`` gives each label's colours."""
    if not spans:
        return _text(text)
    order = sorted(spans, key=lambda s: (s.start, -s.end, s.index))
    bounds = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str] = []
    stack: list[Span] = []
    for a, b in itertools.pairwise(bounds):
        want = [s for s in order if s.start <= a and s.end >= b]
        keep = 0
        while keep < min(len(stack), len(want)) and stack[keep] is want[keep]:
            keep += 1
        while len(stack) > keep:
            out.append(_close(stack.pop(), a, swatch))
        for s in want[keep:]:
            sw = swatch(s.label)
            cls = "gk-span gk-span--cont" if s.start < a else "gk-span"
            out.append(
                f'<mark class="{cls}" style="--gk-c:{sw.color};--gk-ink:{sw.ink}" '
                f'data-label="{html_text(s.label)}">'
            )
            stack.append(s)
        out.append(_text(text[a:b]))
    while stack:
        out.append(_close(stack.pop(), len(text), swatch))
    return "".join(out)


def _close(s: Span, at: int, swatch: Callable[[str], Colours]) -> str:
    if s.end == at:
        return f'<span class="gk-span__label">{html_text(s.label)}</span></mark>'
    return "</mark>"
