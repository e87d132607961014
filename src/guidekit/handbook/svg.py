"""Example images with their regions drawn on top, as inline SVG.

Boxes, polygons and keypoint skeletons are drawn in the class colour (with the class's dash
pattern) and labelled, over the picture, in the picture's own pixel coordinates (normalised
coordinates are scaled by the image size). Relations between regions are arrows between the
regions' centres. Every label and every point name is text in the SVG, so the picture is
readable without colour and searchable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from guidekit import ir
from guidekit.generators.palette import Swatch
from guidekit.handbook.sanitize import html_text


@dataclass
class Shape:
    """One region in pixels: a box, a polygon or a set of named keypoints."""

    label: str
    kind: str  # "bbox" | "polygon" | "keypoints"
    points: list[tuple[float, float]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    visibility: list[int] = field(default_factory=list)
    edges: list[tuple[int, int]] = field(default_factory=list)
    region_id: str | None = None

    @property
    def centre(self) -> tuple[float, float]:
        pts = [
            p
            for p, v in zip(self.points, self.visibility or [2] * len(self.points), strict=False)
            if v
        ]
        if not pts:
            return (0.0, 0.0)
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)

    @property
    def anchor(self) -> tuple[float, float]:
        """Top-left corner of the shape's extent, where its label goes."""
        pts = [
            p
            for p, v in zip(self.points, self.visibility or [2] * len(self.points), strict=False)
            if v
        ]
        if not pts:
            return (0.0, 0.0)
        return (min(p[0] for p in pts), min(p[1] for p in pts))


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def shapes_of(task: ir.Task, value: Any, size: tuple[float, float]) -> list[Shape]:
    """Pixel shapes of a region task's annotation value (malformed regions are skipped)."""
    if not isinstance(value, list):
        return []
    w, h = size
    sx, sy = (w, h) if task.coordinates.units == "normalized" else (1.0, 1.0)
    out: list[Shape] = []
    for r in value:
        if not isinstance(r, dict):
            continue
        label = str(r.get("label", ""))
        rid = str(r["id"]) if r.get("id") is not None else None
        if task.type == "bbox":
            box = r.get("bbox")
            if not (isinstance(box, list) and len(box) == 4 and all(_num(v) for v in box)):
                continue
            x1, y1, a, b = (float(v) for v in box)
            x2, y2 = (x1 + a, y1 + b) if task.coordinates.format == "xywh" else (a, b)
            pts = [(x1 * sx, y1 * sy), (x2 * sx, y1 * sy), (x2 * sx, y2 * sy), (x1 * sx, y2 * sy)]
            out.append(Shape(label, "bbox", pts, region_id=rid))
        elif task.type == "polygon":
            pts_in = r.get("points")
            if not isinstance(pts_in, list):
                continue
            pts = [
                (float(p[0]) * sx, float(p[1]) * sy)
                for p in pts_in
                if isinstance(p, list) and len(p) == 2 and all(_num(v) for v in p)
            ]
            if len(pts) >= 3:
                out.append(Shape(label, "polygon", pts, region_id=rid))
        elif task.type == "keypoints":
            kp = r.get("points")
            if not isinstance(kp, dict):
                continue
            cid = task.resolve_label(label) if label else None
            skeleton = task.skeleton_for(cid) if cid else task.skeleton
            order = list(skeleton.points) if skeleton else []
            order += sorted(k for k in kp if k not in order)
            names, pts, vis = [], [], []
            for name in order:
                p = kp.get(name)
                if isinstance(p, list) and len(p) == 3 and all(_num(v) for v in p):
                    names.append(name)
                    pts.append((float(p[0]) * sx, float(p[1]) * sy))
                    vis.append(int(p[2]))
            index = {n: i for i, n in enumerate(names)}
            edges = [
                (index[a], index[b])
                for a, b in (skeleton.edges if skeleton else [])
                if a in index and b in index
            ]
            out.append(Shape(label, "keypoints", pts, names, vis, edges, region_id=rid))
    return out


def _f(v: float) -> str:
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _label(x: float, y: float, text: str, sw: Swatch, fs: float, w: float) -> str:
    pad = fs * 0.25
    width = len(text) * fs * 0.68 + 2 * pad
    height = fs * 1.3
    top = y - height if y - height >= 0 else y
    left = min(max(0.0, x), max(0.0, w - width))
    return (
        f'<g class="gk-svg-label"><rect x="{_f(left)}" y="{_f(top)}" width="{_f(width)}" '
        f'height="{_f(height)}" rx="{_f(pad)}" fill="{sw.color}"/>'
        f'<text x="{_f(left + pad)}" y="{_f(top + height - fs * 0.35)}" '
        f'font-size="{_f(fs)}" fill="{sw.ink}">{html_text(text)}</text></g>'
    )


def overlay(
    image_url: str | None,
    size: tuple[float, float],
    shapes: Sequence[Shape],
    swatch: Callable[[str], Swatch],
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
        f'<svg class="gk-overlay" viewBox="0 0 {_f(w)} {_f(h)}" '
        f'style="max-width:{_f(max(w, 480.0))}px" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{html_text(title)}</title>'
    ]
    if image_url is not None:
        parts.append(
            f'<image href="{html_text(image_url)}" x="0" y="0" width="{_f(w)}" height="{_f(h)}" '
            f'preserveAspectRatio="none"/>'
        )
    else:
        parts.append(f'<rect class="gk-noimage" width="{_f(w)}" height="{_f(h)}"/>')
    labels: list[str] = []
    for s in shapes:
        sw = swatch(s.label)
        dash = f' stroke-dasharray="{sw.dash}"' if sw.dash else ""
        stroke = (
            f'stroke="{sw.color}" stroke-width="{sw_px}" vector-effect="non-scaling-stroke"{dash}'
        )
        if s.kind in ("bbox", "polygon"):
            pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in s.points)
            parts.append(
                f'<polygon class="gk-shape" points="{pts}" fill="{sw.color}" '
                f'fill-opacity="0.18" {stroke}><title>{html_text(s.label)}</title></polygon>'
            )
        else:
            r = max(w, h) / 70
            for a, b in s.edges:
                if s.visibility[a] and s.visibility[b]:
                    (x1, y1), (x2, y2) = s.points[a], s.points[b]
                    parts.append(
                        f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" {stroke}/>'
                    )
            for (x, y), name, v in zip(s.points, s.names, s.visibility, strict=True):
                if not v:
                    continue
                fill = sw.color if v == 2 else "#FFFFFF"
                parts.append(
                    f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" fill="{fill}" {stroke}>'
                    f"<title>{html_text(name)}{'' if v == 2 else ' (occluded)'}</title></circle>"
                    f'<text class="gk-point" x="{_f(x + r * 1.5)}" y="{_f(y + fs * 0.35)}" '
                    f'font-size="{_f(fs * 0.75)}">{html_text(name)}</text>'
                )
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
                f'<line class="gk-relation" x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" '
                f'y2="{_f(y2)}" stroke="#000000" stroke-width="2" '
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
