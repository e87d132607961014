"""Drawing primitives for the handbook: regions over a picture, as inline SVG.

Boxes, polygons and keypoint skeletons are drawn in the class colour (with the class's dash
pattern) and labelled, over the picture, in the picture's own pixel coordinates (normalised
coordinates are scaled by the image size). Relations between regions are arrows between the
regions' centres. Every label and every point name is text in the SVG, so the picture is
readable without colour and searchable.

A task type turns its value into :class:`Shape` objects (its ``handbook_shapes`` hook) and
:func:`overlay` draws them; a type that needs a new kind of shape subclasses :class:`Shape`
and overrides :meth:`Shape.draw`, and a type that needs a different picture altogether (a
filmstrip of video frames, say) returns its own markup from ``handbook_field``, calling
:func:`overlay` once per frame if it likes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._handbook_page import Colours, Drawn, html_text

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._handbook_page import Page

#: :attr:`Shape.kind` of an outline (a box or polygon, drawn filled)
OUTLINE = "outline"
#: :attr:`Shape.kind` of named points joined by skeleton edges
POINTS = "points"


@dataclass
class Shape:
    """One region in pixels: an outline (box, polygon) or a set of named keypoints."""

    label: str
    kind: str  # OUTLINE or POINTS
    points: list[tuple[float, float]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    visibility: list[int] = field(default_factory=list)
    edges: list[tuple[int, int]] = field(default_factory=list)
    region_id: str | None = None

    def _shown(self) -> list[tuple[float, float]]:
        return [
            p
            for p, v in zip(self.points, self.visibility or [2] * len(self.points), strict=False)
            if v
        ]

    @property
    def centre(self) -> tuple[float, float]:
        pts = self._shown()
        if not pts:
            return (0.0, 0.0)
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)

    @property
    def anchor(self) -> tuple[float, float]:
        """Top-left corner of the shape's extent, where its label goes."""
        pts = self._shown()
        if not pts:
            return (0.0, 0.0)
        return (min(p[0] for p in pts), min(p[1] for p in pts))

    def draw(self, sw: Colours, stroke: str, size: tuple[float, float], fs: float) -> list[str]:
        """SVG elements of the shape (its label is drawn separately, at :attr:`anchor`)."""
        if self.kind == OUTLINE:
            pts = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in self.points)
            return [
                f'<polygon class="gk-shape" points="{pts}" fill="{sw.color}" '
                f'fill-opacity="0.18" {stroke}><title>{html_text(self.label)}</title></polygon>'
            ]
        out = []
        r = max(size) / 70
        for a, b in self.edges:
            if self.visibility[a] and self.visibility[b]:
                (x1, y1), (x2, y2) = self.points[a], self.points[b]
                out.append(
                    f'<line x1="{fmt(x1)}" y1="{fmt(y1)}" x2="{fmt(x2)}" y2="{fmt(y2)}" {stroke}/>'
                )
        for (x, y), name, v in zip(self.points, self.names, self.visibility, strict=True):
            if not v:
                continue
            fill = sw.color if v == 2 else "#FFFFFF"
            out.append(
                f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(r)}" fill="{fill}" {stroke}>'
                f"<title>{html_text(name)}{'' if v == 2 else ' (occluded)'}</title></circle>"
                f'<text class="gk-point" x="{fmt(x + r * 1.5)}" y="{fmt(y + fs * 0.35)}" '
                f'font-size="{fmt(fs * 0.75)}">{html_text(name)}</text>'
            )
        return out


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def fmt(v: float) -> str:
    """A coordinate for SVG: at most two decimals, no trailing zeros."""
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _label(x: float, y: float, text: str, sw: Colours, fs: float, w: float) -> str:
    pad = fs * 0.25
    width = len(text) * fs * 0.68 + 2 * pad
    height = fs * 1.3
    top = y - height if y - height >= 0 else y
    left = min(max(0.0, x), max(0.0, w - width))
    return (
        f'<g class="gk-svg-label"><rect x="{fmt(left)}" y="{fmt(top)}" width="{fmt(width)}" '
        f'height="{fmt(height)}" rx="{fmt(pad)}" fill="{sw.color}"/>'
        f'<text x="{fmt(left + pad)}" y="{fmt(top + height - fs * 0.35)}" '
        f'font-size="{fmt(fs)}" fill="{sw.ink}">{html_text(text)}</text></g>'
    )


def overlay(
    image_url: str | None,
    size: tuple[float, float],
    shapes: Sequence[Shape],
    swatch: Callable[[str], Colours],
    *,
    title: str,
    marker_id: str,
    relations: Sequence[tuple[str, str, str]] = (),
    directed: bool = True,
) -> str:
    """An ``<svg>`` of the image with ``shapes`` drawn and labelled, on one line.

    ``relations`` are ``(label, from region id, to region id)`` drawn as arrows.
    """
    w, h = size
    fs = max(w, h) / 26
    sw_px = 3
    parts = [
        f'<svg class="gk-overlay" viewBox="0 0 {fmt(w)} {fmt(h)}" '
        f'style="max-width:{fmt(max(w, 480.0))}px" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{html_text(title)}</title>'
    ]
    if image_url is not None:
        parts.append(
            f'<image href="{html_text(image_url)}" x="0" y="0" width="{fmt(w)}" height="{fmt(h)}" '
            f'preserveAspectRatio="none"/>'
        )
    else:
        parts.append(f'<rect class="gk-noimage" width="{fmt(w)}" height="{fmt(h)}"/>')
    labels: list[str] = []
    for s in shapes:
        sw = swatch(s.label)
        dash = f' stroke-dasharray="{sw.dash}"' if sw.dash else ""
        stroke = (
            f'stroke="{sw.color}" stroke-width="{sw_px}" vector-effect="non-scaling-stroke"{dash}'
        )
        parts.extend(s.draw(sw, stroke, size, fs))
        x, y = s.anchor
        labels.append(_label(x, y, s.label, sw, fs, w))
    if relations:
        centres = {s.region_id: s.centre for s in shapes if s.region_id is not None}
        head = ' marker-end="url(#' + marker_id + ')"' if directed else ""
        arrows = []
        for label, a, b in relations:
            if a not in centres or b not in centres:
                continue
            (x1, y1), (x2, y2) = centres[a], centres[b]
            arrows.append(
                f'<line class="gk-relation" x1="{fmt(x1)}" y1="{fmt(y1)}" x2="{fmt(x2)}" '
                f'y2="{fmt(y2)}" stroke="#000000" stroke-width="2" '
                f'vector-effect="non-scaling-stroke"{head}><title>{html_text(label)}</title></line>'
            )
        if arrows:
            parts.append(
                f'<defs><marker id="{marker_id}" viewBox="0 0 10 10" refX="9" refY="5" '
                f'markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
                f'<path d="M0,0L10,5L0,10z" fill="#000000"/></marker></defs>'
            )
            parts.extend(arrows)
    parts.extend(labels)
    parts.append("</svg>")
    return "".join(parts)


def picture(
    shapes_of: Callable[[ir.Task, Any, tuple[float, float]], list[Shape]],
    task: ir.Task,
    value: Any,
    name: str,
    raw: Any,
    field: ir.InputField | None,
    page: Page,
    links: Sequence[tuple[str, str, str]],
    directed: bool,
) -> Drawn | None:
    """An image field with the shapes of ``value`` (and ``links`` as arrows) drawn on it."""
    if field is None or field.type != "image":
        return None
    url, size = page.image(raw, field)
    shapes = shapes_of(task, value, size)
    svg = overlay(
        url,
        size,
        shapes,
        lambda label: page.swatch(task.id, label),
        title=f"{name}: " + (", ".join(s.label for s in shapes) or "no regions"),
        marker_id=page.unique("gk-arrow"),
        relations=links,
        directed=directed,
    )
    return Drawn(svg)
