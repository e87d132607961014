"""Counting matched regions (spans, boxes, polygons) into precision, recall and F1.

Which regions match is the task type's business (:mod:`guidekit.tasktypes`, its
``agreement_matches`` and ``gold_match`` hooks); this module counts the one-to-one matches
per class. The count of matches per class, with the number of regions on each side, gives
precision, recall and F1 (pairwise F1 is symmetric: ``2 TP / (|A| + |B|)``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from guidekit.tasktypes._quality_regions import (
    MatchMode,
    Region,
    box_iou,
    match,
    polygon_iou,
    regions_of,
)


def count(
    mode: MatchMode, a: Sequence[Region], b: Sequence[Region], index: dict[str, int]
) -> NDArray[np.float64]:
    """Per class: ``[matches, regions in a, regions in b]`` as a ``(classes, 3)`` array."""
    out = np.zeros((len(index), 3))
    for r in a:
        out[index[r.label], 1] += 1
    for r in b:
        out[index[r.label], 2] += 1
    for i, _ in match(mode, a, b):
        out[index[a[i].label], 0] += 1
    return out


def f1(counts: NDArray[np.float64]) -> NDArray[np.float64]:
    """F1 from ``[..., 3]`` counts (``nan`` where neither side has a region)."""
    tp, na, nb = counts[..., 0], counts[..., 1], counts[..., 2]
    total = na + nb
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, 2 * tp / np.where(total > 0, total, 1), np.nan)


__all__ = ["MatchMode", "Region", "box_iou", "count", "f1", "match", "polygon_iou", "regions_of"]
