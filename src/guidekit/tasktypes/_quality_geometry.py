"""Polygon geometry through shapely (the ``geometry`` extra), imported only when needed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from guidekit.diagnostics.codes import diag
from guidekit.errors import GuidekitError


def polygon(points: Sequence[tuple[float, float]]) -> Any:
    try:
        from shapely.geometry import Polygon
    except ImportError:
        raise GuidekitError(
            diag(
                "GK601",
                "comparing polygons needs shapely",
                hint="pip install 'guidekit[geometry]'",
            )
        ) from None
    shape = Polygon(points)
    if not shape.is_valid:
        shape = shape.buffer(0)  # a self-crossing outline: take the area it encloses
    return shape
