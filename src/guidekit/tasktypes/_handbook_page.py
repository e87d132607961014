"""What the handbook lends a task type's handbook hooks: its escapers, links and colours.

The handbook (:mod:`guidekit.handbook`) sits above :mod:`guidekit.tasktypes`, so a type's
hooks cannot import it. They receive an object with these methods instead (the handbook's
``Page``) and return text or markup that the handbook places on the page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from guidekit import ir

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def html_text(text: object) -> str:
    """Text for raw HTML or SVG content and attribute values (control characters dropped).

    The handbook's ``sanitize.html_text``; here so the types' drawing code can use it.
    """
    clean = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return html.escape(_CONTROL.sub("", clean), quote=True)


@dataclass(frozen=True)
class Drawn:
    """An input field drawn by a task type's ``handbook_field`` hook."""

    #: one line of HTML, placed under the field's name
    html: str
    #: the text the regions index into, when they were drawn on text (for quotes)
    text: str | None = None


class Colours(Protocol):
    """How a class is drawn: fill colour, readable text colour on it, a dash pattern."""

    @property
    def color(self) -> str: ...
    @property
    def ink(self) -> str: ...
    @property
    def dash(self) -> str: ...


class Markup(Protocol):
    """Safe text for a handbook page (Markdown unless the method says HTML)."""

    def code(self, text: str) -> str:
        """``text`` as a Markdown code span."""
        ...

    def plain(self, text: str) -> str:
        """``text`` escaped so Markdown shows it as written."""
        ...


class Page(Markup, Protocol):
    """The page being written: links, colours, pictures and ids."""

    g: ir.Guideline

    def class_link(self, task_id: str, class_id: str) -> str:
        """A Markdown link to a class page."""
        ...

    def chip(self, task_id: str, label: str) -> str:
        """A label drawn as a coloured chip (HTML)."""
        ...

    def swatch(self, task_id: str, label: str) -> Colours:
        """The colours of a task's class."""
        ...

    def image(self, value: Any, field: ir.InputField) -> tuple[str | None, tuple[float, float]]:
        """URL (copied into the handbook) and size in pixels of a picture field's value."""
        ...

    def unique(self, stem: str) -> str:
        """An id unique within the page (for SVG markers and the like)."""
        ...
