"""Matching regions (spans, boxes, polygons) between two annotations of the same item.

Two annotators agree on a region when they drew the same class at (nearly) the same place.
How "the same place" is judged is a :class:`MatchMode` that the region's task type gives
(:meth:`guidekit.tasktypes.TaskType.agreement_matches`, ``gold_match``): spans match
*exactly* (same start, end and class) or by *overlap* (same class, at least one shared
character); boxes and polygons match when their intersection over union reaches a
threshold. Matching is one-to-one and greedy: the best-overlapping pair first, as in the
usual detection evaluation. Counting matches into F1 is the quality package's job
(:mod:`guidekit.quality.regions`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from guidekit import ir
from guidekit.tasktypes._quality_values import resolve

#: ``(task, one item of the value) -> comparable geometry``, ``None`` when unreadable
ShapeOf = Callable[[ir.Task, dict[str, Any]], tuple[Any, ...] | None]


@dataclass(frozen=True, slots=True)
class Region:
    """A region in a comparable form: its class and its geometry (span bounds, a box as
    ``x1, y1, x2, y2``, or polygon points)."""

    label: str
    shape: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class MatchMode:
    """How two regions of one class are matched.

    ``score(a, b)`` is their overlap (``None``: only identical shapes match); a pair is a
    candidate when the score is positive and at least ``minimum``. ``iou`` is the IoU
    threshold the mode reports (``None`` when it has none)."""

    name: str
    score: Callable[[tuple[Any, ...], tuple[Any, ...]], float] | None
    minimum: float = 0.0
    iou: float | None = None


def regions_of(task: ir.Task, value: Any, shape: ShapeOf) -> list[Region] | None:
    """The comparable regions of a task value, or ``None`` when the value is not readable
    (values the delivery validator rejects are left out of agreement)."""
    if value is None:
        return []
    if not isinstance(value, list):
        return None
    out: list[Region] = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("label"), str):
            return None
        label = resolve(task, item["label"])
        if label is None:
            return None
        geometry = shape(task, item)
        if geometry is None:
            return None
        out.append(Region(label, geometry))
    return out


def regions_value(task: ir.Task, shape: ShapeOf) -> Callable[[Any], tuple[bool, Any]]:
    """``value -> (readable, regions)`` for a region task (no value: no regions)."""

    def region(v: Any) -> tuple[bool, Any]:
        out = regions_of(task, v, shape)
        return (False, None) if out is None else (True, out)

    return region


def no_shape(task: ir.Task, item: dict[str, Any]) -> tuple[Any, ...] | None:
    """Regions whose geometry is not compared: every non-empty value is unreadable."""
    return None


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def span_overlap(a: tuple[Any, ...], b: tuple[Any, ...]) -> float:
    return float(max(0, min(a[1], b[1]) - max(a[0], b[0])))


def _exact(v: float) -> Fraction:
    """The number as written: the shortest decimal that reads back as ``v`` (``25.8``, not
    the binary ``25.800000000000000710...``)."""
    return Fraction(v) if isinstance(v, int) else Fraction(repr(float(v)))


def exact_sum(a: float, b: float) -> float:
    """``a + b`` on the numbers as written, rounded once."""
    return float(_exact(a) + _exact(b))


def box_iou(a: Sequence[float], b: Sequence[float]) -> float:
    """IoU of two ``[x0, y0, x1, y1]`` boxes, computed exactly on the coordinates as written
    and rounded once: boxes designed to overlap by exactly a threshold reach it (``[2.7, 0,
    25.8, 1]`` and ``[10.4, 0, 33.5, 1]`` give 0.5, where float arithmetic gives
    0.49999999999999994 and a miss), as pycocotools counts them.

    Float arithmetic is off by a few units in the last place, so it can only be on the
    wrong side of a threshold (of up to 6 decimals) when within 1e-12 of one: only then is
    the exact rational computation (about 40 times slower) needed."""
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter_f = iw * ih
    union_f = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter_f
    if union_f > 0:
        fast = inter_f / union_f
        if abs(fast - round(fast, 6)) > 1e-12:
            return fast
    ax0, ay0, ax1, ay1 = (_exact(v) for v in a[:4])
    bx0, by0, bx1, by1 = (_exact(v) for v in b[:4])
    inter = (min(ax1, bx1) - max(ax0, bx0)) * (min(ay1, by1) - max(ay0, by0))
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    return float(inter / union) if union > 0 else 0.0


def polygon_iou(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]]) -> float:
    from guidekit.tasktypes._quality_geometry import polygon

    pa, pb = polygon(a), polygon(b)
    union = pa.union(pb).area
    return float(pa.intersection(pb).area / union) if union > 0 else 0.0


def iou_modes(thresholds: Sequence[float], score: Callable[[Any, Any], float]) -> list[MatchMode]:
    """``box_f1@t`` for each IoU threshold ``t`` (boxes and polygons)."""
    return [MatchMode(f"box_f1@{t:g}", score, t, t) for t in thresholds]


def match(mode: MatchMode, a: Sequence[Region], b: Sequence[Region]) -> list[tuple[int, int]]:
    """One-to-one matches between ``a`` and ``b`` (same class), best overlap first."""
    if not a or not b:
        return []
    if mode.score is None:
        pool: dict[tuple[str, tuple[Any, ...]], list[int]] = {}
        for j, r in enumerate(b):
            pool.setdefault((r.label, r.shape), []).append(j)
        pairs = []
        for i, r in enumerate(a):
            js = pool.get((r.label, r.shape))
            if js:
                pairs.append((i, js.pop(0)))
        return pairs
    candidates: list[tuple[float, int, int]] = []
    for i, ra in enumerate(a):
        for j, rb in enumerate(b):
            if ra.label != rb.label:
                continue
            score = mode.score(ra.shape, rb.shape)
            if score >= mode.minimum and score > 0:
                candidates.append((score, i, j))
    candidates.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j))
    return out
