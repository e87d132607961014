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
    def extent(self) -> tuple[float, float, float, float]:
        """``(left, top, right, bottom)`` of the shape's shown points."""
        pts = self._shown()
        if not pts:
            return (0.0, 0.0, 0.0, 0.0)
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return (min(xs), min(ys), max(xs), max(ys))

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


Box = tuple[float, float, float, float]


def _overlap(a: Box, b: Box) -> float:
    """Area of the intersection of two ``(left, top, right, bottom)`` boxes."""
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def place_labels(
    wanted: Sequence[tuple[Box, float]], size: tuple[float, float], height: float
) -> list[Box]:
    """Boxes for labels of the given widths next to the given shape extents, inside the
    picture of ``size`` and overlapping no other label where there is room.

    Each label prefers the spot just above its shape's top-left corner, then inside its top,
    then below its bottom; failing those it moves to the nearest free spot on a grid of rows
    (a leader line then joins it to its shape, see :func:`overlay`). Deterministic: labels
    are placed in the order given, and ties go to the first candidate.
    """
    w, h = size
    placed: list[Box] = []
    for (x0, y0, x1, y1), width in wanted:
        lw = min(width, w)

        def clamp(x: float, y: float, lw: float = lw) -> Box:
            left = min(max(0.0, x), max(0.0, w - lw))
            top = min(max(0.0, y), max(0.0, h - height))
            return (left, top, left + lw, top + height)

        preferred = [clamp(x0, y0 - height), clamp(x0, y0), clamp(x0, y1), clamp(x1 - lw, y0)]
        rows = [k * height for k in range(int(h // height) + 1)] + [y0 - height, y1]
        cols = [x0, x1 - lw] + [k * lw / 4 for k in range(int(4 * w // max(lw, 1.0)) + 1)]
        grid = sorted(
            (clamp(x, y) for x in cols for y in rows),
            key=lambda b: (abs(b[1] - (y0 - height)) + 0.5 * abs(b[0] - x0), b[1], b[0]),
        )
        choice = None
        for box in preferred + grid:
            if all(_overlap(box, other) <= 0 for other in placed):
                choice = box
                break
        if choice is None:  # no free spot at all: the least covered one
            choice = min(preferred + grid, key=lambda b: sum(_overlap(b, o) for o in placed))
        placed.append(choice)
    return placed


def _near(a0: float, a1: float, b0: float, b1: float) -> tuple[float, float]:
    """The closest coordinates of two intervals (their middle where they overlap)."""
    if a1 < b0:
        return a1, b0
    if b1 < a0:
        return a0, b1
    mid = (max(a0, b0) + min(a1, b1)) / 2
    return mid, mid


def _label(box: Box, extent: Box, text: str, sw: Colours, fs: float) -> str:
    left, top, right, bottom = box
    pad = fs * 0.25
    gap = fs * 0.6
    leader = ""
    apart_x = max(0.0, left - extent[2], extent[0] - right)
    apart_y = max(0.0, top - extent[3], extent[1] - bottom)
    if apart_x > gap or apart_y > gap:
        lx, sx = _near(left, right, extent[0], extent[2])
        ly, sy = _near(top, bottom, extent[1], extent[3])
        leader = (
            f'<line class="gk-leader" x1="{fmt(lx)}" y1="{fmt(ly)}" x2="{fmt(sx)}" y2="{fmt(sy)}" '
            f'stroke="{sw.color}" stroke-width="1.5" vector-effect="non-scaling-stroke"/>'
        )
    return (
        f'<g class="gk-svg-label">{leader}<rect x="{fmt(left)}" y="{fmt(top)}" '
        f'width="{fmt(right - left)}" height="{fmt(bottom - top)}" rx="{fmt(pad)}" '
        f'fill="{sw.color}"/><text x="{fmt(left + pad)}" y="{fmt(bottom - fs * 0.35)}" '
        f'font-size="{fmt(fs)}" textLength="{fmt(max(right - left - 2 * pad, 1.0))}" '
        f'lengthAdjust="spacingAndGlyphs" fill="{sw.ink}">{html_text(text)}</text></g>'
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
    pad = fs * 0.25
    boxes = place_labels(
        [(s.extent, len(s.label) * fs * 0.68 + 2 * pad) for s in shapes], size, fs * 1.3
    )
    labels: list[str] = []
    for s, box in zip(shapes, boxes, strict=True):
        sw = swatch(s.label)
        dash = f' stroke-dasharray="{sw.dash}"' if sw.dash else ""
        stroke = (
            f'stroke="{sw.color}" stroke-width="{sw_px}" vector-effect="non-scaling-stroke"{dash}'
        )
        parts.extend(s.draw(sw, stroke, size, fs))
        labels.append(_label(box, s.extent, s.label, sw, fs))
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
