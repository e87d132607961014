"""Matching regions (spans, boxes, polygons) between two annotations of the same item.

Two annotators agree on a region when they drew the same class at (nearly) the same place.
Spans match *exactly* (same start, end and class) or by *overlap* (same class, at least one
shared character). Boxes and polygons match when their intersection over union reaches a
threshold. Matching is one-to-one and greedy: the best-overlapping pair first, as in the
usual detection evaluation. The count of matches per class, with the number of regions on
each side, gives precision, recall and F1 (pairwise F1 is symmetric: ``2 TP / (|A| + |B|)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from guidekit import ir


@dataclass(frozen=True, slots=True)
class Region:
    """A region in a comparable form: its class and its geometry (span bounds, a box as
    ``x1, y1, x2, y2``, or polygon points)."""

    label: str
    shape: tuple[Any, ...]


def regions_of(task: ir.Task, value: Any) -> list[Region] | None:
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
        label = task.resolve_label(item["label"])
        if label is None:
            return None
        shape = _shape(task, item)
        if shape is None:
            return None
        out.append(Region(label, shape))
    return out


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _shape(task: ir.Task, item: dict[str, Any]) -> tuple[Any, ...] | None:
    if task.type == "spans":
        s, e = item.get("start"), item.get("end")
        if isinstance(s, int) and isinstance(e, int) and s < e:
            return (s, e)
        return None
    if task.type == "bbox":
        box = item.get("bbox")
        if not (isinstance(box, list) and len(box) == 4 and all(_num(v) for v in box)):
            return None
        x1, y1, a, b = (float(v) for v in box)
        x2, y2 = (x1 + a, y1 + b) if task.coordinates.format == "xywh" else (a, b)
        return (x1, y1, x2, y2) if x2 > x1 and y2 > y1 else None
    if task.type == "polygon":
        pts = item.get("points")
        if not (
            isinstance(pts, list)
            and len(pts) >= 3
            and all(isinstance(p, list) and len(p) == 2 and all(_num(v) for v in p) for p in pts)
        ):
            return None
        return tuple((float(x), float(y)) for x, y in pts)
    return None


def _span_overlap(a: tuple[Any, ...], b: tuple[Any, ...]) -> float:
    return float(max(0, min(a[1], b[1]) - max(a[0], b[0])))


def box_iou(a: Sequence[float], b: Sequence[float]) -> float:
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def polygon_iou(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]]) -> float:
    from guidekit.quality._geometry import polygon

    pa, pb = polygon(a), polygon(b)
    union = pa.union(pb).area
    return float(pa.intersection(pb).area / union) if union > 0 else 0.0


def match(
    kind: str, a: Sequence[Region], b: Sequence[Region], threshold: float = 0.5
) -> list[tuple[int, int]]:
    """One-to-one matches between ``a`` and ``b`` (same class), best overlap first.

    ``kind``: ``exact`` and ``overlap`` (spans), ``iou`` (boxes, polygons; a match needs an
    IoU of at least ``threshold``)."""
    if not a or not b:
        return []
    if kind == "exact":
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
            if kind == "overlap":
                score = _span_overlap(ra.shape, rb.shape)
                if score > 0:
                    candidates.append((score, i, j))
            else:
                score = (
                    box_iou(ra.shape, rb.shape)
                    if len(ra.shape) == 4 and not isinstance(ra.shape[0], tuple)
                    else polygon_iou(ra.shape, rb.shape)
                )
                if score >= threshold and score > 0:
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


def count(
    kind: str,
    a: Sequence[Region],
    b: Sequence[Region],
    index: dict[str, int],
    threshold: float = 0.5,
) -> np.ndarray:
    """Per class: ``[matches, regions in a, regions in b]`` as a ``(classes, 3)`` array."""
    out = np.zeros((len(index), 3))
    for r in a:
        out[index[r.label], 1] += 1
    for r in b:
        out[index[r.label], 2] += 1
    for i, _ in match(kind, a, b, threshold):
        out[index[a[i].label], 0] += 1
    return out


def f1(counts: np.ndarray) -> np.ndarray:
    """F1 from ``[..., 3]`` counts (``nan`` where neither side has a region)."""
    tp, na, nb = counts[..., 0], counts[..., 1], counts[..., 2]
    total = na + nb
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, 2 * tp / np.where(total > 0, total, 1), np.nan)
