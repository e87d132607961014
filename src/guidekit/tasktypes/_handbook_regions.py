"""Helpers the handbook hooks of region types share: reading regions, coordinates, words."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._handbook_page import html_text

if TYPE_CHECKING:
    from guidekit import ir


def regions(value: Any) -> Iterator[dict[str, Any]]:
    """The regions of a value that are objects (others are skipped)."""
    if isinstance(value, list):
        yield from (r for r in value if isinstance(r, dict))


def label_of(region: dict[str, Any]) -> str:
    return str(region.get("label", ""))


def region_id(region: dict[str, Any]) -> str | None:
    return str(region["id"]) if region.get("id") is not None else None


def scale(task: ir.Task, size: tuple[float, float]) -> tuple[float, float]:
    """Factors from the task's coordinates to pixels of a picture of ``size``."""
    return size if task.coordinates.units == "normalized" else (1.0, 1.0)


def coordinate_units(task: ir.Task) -> str:
    """The task's coordinate units in words."""
    if task.coordinates.units == "pixels":
        return "pixels"
    return "fractions of the image size (0 to 1)"


def box_format(task: ir.Task) -> str:
    """How a box is written, as the start of a sentence."""
    if task.coordinates.format == "xywh":
        return " Boxes are written `[x, y, width, height]`"
    return " Boxes are written `[x1, y1, x2, y2]`"


def coords(values: Sequence[Any]) -> str:
    return "[" + ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values) + "]"


def value_text(v: Any) -> str:
    """A JSON scalar as written in a delivery (``true``, ``null``, ...)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return str(v)


def attributes_html(item: dict[str, Any]) -> str:
    """The attributes of a region or link as HTML, after its label (empty when it has none)."""
    attributes = item.get("attributes")
    if not isinstance(attributes, dict) or not attributes:
        return ""
    items = " · ".join(
        f"{html_text(k)}: <code>{html_text(value_text(v))}</code>" for k, v in attributes.items()
    )
    return f' <span class="gk-attrs">{items}</span>'
