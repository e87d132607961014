"""The value checks shared by the image region types (bbox, polygon, keypoints)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit.diagnostics.pointer import escape as esc
from guidekit.tasktypes._values import (
    Problem,
    check_attributes,
    check_label,
    image_size,
    region_id,
    region_list,
    type_name,
)

if TYPE_CHECKING:
    from guidekit import ir

#: ``(task, class id, shape, bounds, tolerance, pointer, image size) -> problems``
ShapeCheck = Callable[
    [
        "ir.Task",
        "str | None",
        Any,
        "tuple[float, float] | None",
        float,
        str,
        "tuple[float, float] | None",
    ],
    Iterator[Problem],
]


def check_image_regions(
    guideline: ir.Guideline,
    task: ir.Task,
    value: Any,
    record: Mapping[str, Any] | None,
    key: str,
    check_shape: ShapeCheck,
) -> Iterator[Problem]:
    """The checks every image region type shares (a list of labelled objects with ``id``,
    ``label``, ``attributes`` and the shape under ``key``); ``check_shape`` checks the shape."""
    bad = list(region_list(value))
    if bad:
        yield from bad
        return
    size = image_size(task, record, guideline.record.fields)
    coords = task.coordinates
    bounds = (1.0, 1.0) if coords.units == "normalized" else size
    tol = coords.tolerance
    ids: set[str] = set()
    for i, region in enumerate(value):
        ptr = f"/{i}"
        if not isinstance(region, dict):
            yield Problem(
                "value.type", ptr, f"a region must be an object, found {type_name(region)}"
            )
            continue
        for k in sorted(set(region) - {key, "label", "id", "attributes"}):
            yield Problem("value.unknown_key", f"{ptr}/{esc(k)}", f"unknown key '{k}'")
        yield from region_id(region, ids, ptr)
        cid = None
        if "label" not in region:
            yield Problem("value.missing", f"{ptr}/label", "region has no 'label'")
        else:
            yield from check_label(task, region["label"], f"{ptr}/label")
            if isinstance(region["label"], str):
                cid = task.resolve_label(region["label"])
        if cid is not None:
            yield from check_attributes(task, cid, region.get("attributes"), f"{ptr}/attributes")
        if key not in region:
            yield Problem("value.missing", f"{ptr}/{key}", f"region has no '{key}'")
            continue
        shape = region[key]
        yield from check_shape(task, cid, shape, bounds, tol, f"{ptr}/{key}", size)
    if not task.allow_empty and not value:
        yield Problem("value.missing", "", f"task '{task.id}' needs at least one region")


def segments_cross(
    p1: tuple[float, float],
    p2: tuple[float, float],
    p3: tuple[float, float],
    p4: tuple[float, float],
) -> bool:
    def orient(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    def on(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> bool:
        return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(
            a[1], b[1]
        )

    d1, d2 = orient(p3, p4, p1), orient(p3, p4, p2)
    d3, d4 = orient(p1, p2, p3), orient(p1, p2, p4)
    if (
        ((d1 > 0) != (d2 > 0))
        and d1 != 0
        and d2 != 0
        and ((d3 > 0) != (d4 > 0))
        and d3 != 0
        and d4 != 0
    ):
        return True
    return (
        (d1 == 0 and on(p3, p4, p1))
        or (d2 == 0 and on(p3, p4, p2))
        or (d3 == 0 and on(p1, p2, p3))
        or (d4 == 0 and on(p1, p2, p4))
    )


def self_intersects(points: list[tuple[float, float]]) -> bool:
    """Whether two edges of the closed polygon through ``points`` cross."""
    n = len(points)
    edges = [(points[i], points[(i + 1) % n]) for i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if j == i + 1 or (i == 0 and j == n - 1):
                continue  # neighbours share a vertex
            if segments_cross(*edges[i], *edges[j]):
                return True
    return False
