"""Checks of one annotation value against its task: the semantics shared by every consumer.

The compiler runs these on every example, negative and edge case; the delivery validator runs
the same checks on every delivered record. Each problem is a :class:`Problem` with a stable
``kind`` (``"span.bounds"``, ``"label.unknown"``, ...), a JSON pointer relative to the task's
value and a message; callers map kinds to their diagnostic codes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidekit import ir
from guidekit.diagnostics.pointer import escape as _esc


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str
    pointer: str
    message: str
    warning: bool = False


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _type_name(v: Any) -> str:
    if v is None:
        return "null"
    return {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "text",
        list: "list",
        dict: "object",
    }.get(type(v), type(v).__name__)


def image_size(
    task: ir.Task, record: Mapping[str, Any] | None, fields: Mapping[str, ir.InputField]
) -> tuple[float, float] | None:
    """Width and height of the image a region task draws on, when known."""
    spec = fields.get(task.over or "")
    value = record.get(task.over or "") if record is not None else None
    if isinstance(value, dict):
        w, h = value.get("width"), value.get("height")
        if _num(w) and _num(h) and w > 0 and h > 0:
            return float(w), float(h)
    if spec is not None and spec.width and spec.height:
        return float(spec.width), float(spec.height)
    return None


def check_value(
    guideline: ir.Guideline,
    task: ir.Task,
    value: Any,
    record: Mapping[str, Any] | None,
    annotations: Mapping[str, Any] | None = None,
) -> Iterator[Problem]:
    """Every problem of ``value`` as an annotation of ``task`` on ``record``.

    ``record`` holds the input fields (for span bounds and image sizes; checks that need a
    missing input are skipped). ``annotations`` holds the record's other task values (for
    relations, whose ends are regions of another task).
    """
    t = task.type
    if value is None:
        if task.required and t not in ("spans", "bbox", "polygon", "keypoints", "relations"):
            yield Problem("value.missing", "", f"task '{task.id}' has no value")
        return
    if t in ("single", "ordinal"):
        yield from _label_item(task, value, "")
    elif t == "multi":
        yield from _multi(task, value)
    elif t == "spans":
        yield from _spans(task, value, record)
    elif t in ("bbox", "polygon", "keypoints"):
        yield from _regions(guideline, task, value, record)
    elif t == "relations":
        yield from _relations(guideline, task, value, annotations or {})
    elif t == "text":
        if not isinstance(value, str):
            yield Problem("value.type", "", f"expected text, found {_type_name(value)}")
        else:
            if task.min_length is not None and len(value) < task.min_length:
                yield Problem(
                    "value.range",
                    "",
                    f"text is {len(value)} characters, shorter than the minimum {task.min_length}",
                )
            if task.max_length is not None and len(value) > task.max_length:
                yield Problem(
                    "value.range",
                    "",
                    f"text is {len(value)} characters, longer than the maximum {task.max_length}",
                )
    elif t == "number":
        if not _num(value):
            yield Problem("value.type", "", f"expected a number, found {_type_name(value)}")
        else:
            if task.integer and not float(value).is_integer():
                yield Problem("value.type", "", f"expected a whole number, found {value}")
            if task.min is not None and value < task.min:
                yield Problem("value.range", "", f"{value} is below the minimum {task.min:g}")
            if task.max is not None and value > task.max:
                yield Problem("value.range", "", f"{value} is above the maximum {task.max:g}")
    elif t == "boolean" and not isinstance(value, bool):
        yield Problem("value.type", "", f"expected true or false, found {_type_name(value)}")


# -- labels ------------------------------------------------------------------------------------


def _label(task: ir.Task, label: Any, pointer: str) -> Iterator[Problem]:
    if not isinstance(label, str):
        yield Problem("value.type", pointer, f"expected a class id, found {_type_name(label)}")
        return
    cid = task.resolve_label(label)
    if cid is None:
        yield Problem("label.unknown", pointer, f"'{label}' is not a class of task '{task.id}'")
        return
    cls = task[cid]
    if cid != label:
        yield Problem("label.alias", pointer, f"'{label}' is an alias; write '{cid}'", warning=True)
    if task.leaf_only and task.type != "ordinal" and not cls.is_leaf:
        yield Problem(
            "label.not_leaf",
            pointer,
            f"'{cid}' has subclasses ({', '.join(cls.children)}); use one of them",
        )
    if cls.deprecated:
        instead = (
            f"; use {' or '.join(repr(r) for r in cls.replaced_by)}" if cls.replaced_by else ""
        )
        yield Problem("label.deprecated", pointer, f"'{cid}' is deprecated{instead}", warning=True)


def _label_item(task: ir.Task, item: Any, pointer: str) -> Iterator[Problem]:
    """A classification label: ``"id"`` or ``{label: id, attributes: {...}}``."""
    if isinstance(item, dict):
        extra = set(item) - {"label", "attributes"}
        for key in sorted(extra):
            yield Problem("value.unknown_key", f"{pointer}/{_esc(key)}", f"unknown key '{key}'")
        if "label" not in item:
            yield Problem("value.missing", f"{pointer}/label", "missing 'label'")
            return
        yield from _label(task, item["label"], f"{pointer}/label")
        if isinstance(item["label"], str):
            cid = task.resolve_label(item["label"])
            if cid is not None:
                yield from _attributes(task, cid, item.get("attributes"), f"{pointer}/attributes")
        return
    yield from _label(task, item, pointer)
    if isinstance(item, str):
        cid = task.resolve_label(item)
        if cid is not None:
            yield from _attributes(task, cid, None, f"{pointer}/attributes")


def _multi(task: ir.Task, value: Any) -> Iterator[Problem]:
    if not isinstance(value, list):
        yield Problem("value.type", "", f"expected a list of class ids, found {_type_name(value)}")
        return
    seen: set[str] = set()
    for i, item in enumerate(value):
        yield from _label_item(task, item, f"/{i}")
        label = item.get("label") if isinstance(item, dict) else item
        if isinstance(label, str):
            if label in seen:
                yield Problem("label.duplicate", f"/{i}", f"'{label}' is listed twice")
            seen.add(label)
    if task.min_labels is not None and len(value) < task.min_labels:
        yield Problem(
            "label.cardinality",
            "",
            f"{len(value)} labels, fewer than the minimum {task.min_labels}",
        )
    if task.max_labels is not None and len(value) > task.max_labels:
        yield Problem(
            "label.cardinality", "", f"{len(value)} labels, more than the maximum {task.max_labels}"
        )


# -- attributes --------------------------------------------------------------------------------


def _applies(
    task: ir.Task,
    cid: str,
    attr: ir.Attribute,
    given: Mapping[str, Any],
    defs: Mapping[str, ir.Attribute],
) -> bool:
    cond = attr.when
    if cond is None:
        return True
    if cond.classes is not None and not any(task.is_a(cid, c) for c in cond.classes):
        return False
    if cond.attribute is not None:
        other = given.get(cond.attribute)
        if other is None and cond.attribute in defs:
            other = defs[cond.attribute].default
        if cond.values is not None and other not in cond.values:
            return False
        if cond.values is None and (other is None or other is False):
            return False
    return True


def _attributes(task: ir.Task, cid: str, given: Any, pointer: str) -> Iterator[Problem]:
    defs = task.attributes_for(cid)
    if given is None:
        given = {}
    if not isinstance(given, dict):
        yield Problem(
            "value.type", pointer, f"attributes must be an object, found {_type_name(given)}"
        )
        return
    for name, value in given.items():
        ptr = f"{pointer}/{_esc(name)}"
        attr = defs.get(name)
        if attr is None:
            yield Problem("attribute.unknown", ptr, f"'{name}' is not an attribute of '{cid}'")
            continue
        if not _applies(task, cid, attr, given, defs):
            yield Problem(
                "attribute.not_applicable",
                ptr,
                f"attribute '{name}' does not apply here (it applies only when {_cond_text(attr)})",
            )
            continue
        yield from _attribute_value(attr, value, ptr)
    for name, attr in defs.items():
        if (
            attr.required
            and attr.default is None
            and name not in given
            and _applies(task, cid, attr, given, defs)
        ):
            why = f" when {_cond_text(attr)}" if attr.when else ""
            yield Problem(
                "attribute.missing", pointer, f"attribute '{name}' is required for '{cid}'{why}"
            )


def _cond_text(attr: ir.Attribute) -> str:
    c = attr.when
    if c is None:
        return "always"
    parts = []
    if c.attribute is not None:
        if c.values is None:
            parts.append(f"'{c.attribute}' is set")
        elif len(c.values) == 1:
            parts.append(f"'{c.attribute}' is {c.values[0]!r}")
        else:
            parts.append(f"'{c.attribute}' is one of {', '.join(map(repr, c.values))}")
    if c.classes is not None:
        parts.append(f"the class is {' or '.join(c.classes)}")
    return " and ".join(parts)


def _attribute_value(attr: ir.Attribute, value: Any, ptr: str) -> Iterator[Problem]:
    t = attr.type
    if t == "enum":
        if value not in attr.values or isinstance(value, bool):
            allowed = ", ".join(repr(v) for v in attr.values)
            yield Problem("attribute.value", ptr, f"{value!r} is not one of {allowed}")
        return
    if t == "boolean":
        if not isinstance(value, bool):
            yield Problem(
                "attribute.type", ptr, f"expected true or false, found {_type_name(value)}"
            )
        return
    if t == "text":
        if not isinstance(value, str):
            yield Problem("attribute.type", ptr, f"expected text, found {_type_name(value)}")
        return
    if not _num(value) or (t == "integer" and not float(value).is_integer()):
        want = "an integer" if t == "integer" else "a number"
        yield Problem("attribute.type", ptr, f"expected {want}, found {_type_name(value)}")
        return
    if attr.min is not None and value < attr.min:
        yield Problem("attribute.value", ptr, f"{value} is below the minimum {attr.min:g}")
    if attr.max is not None and value > attr.max:
        yield Problem("attribute.value", ptr, f"{value} is above the maximum {attr.max:g}")


# -- spans -------------------------------------------------------------------------------------


def _region_list(value: Any) -> Iterator[Problem]:
    if not isinstance(value, list):
        yield Problem("value.type", "", f"expected a list, found {_type_name(value)}")


def _spans(task: ir.Task, value: Any, record: Mapping[str, Any] | None) -> Iterator[Problem]:
    bad = list(_region_list(value))
    if bad:
        yield from bad
        return
    text = record.get(task.over or "") if record is not None else None
    if not isinstance(text, str):
        text = None
    good: list[tuple[int, int, int]] = []
    ids: set[str] = set()
    for i, span in enumerate(value):
        ptr = f"/{i}"
        if not isinstance(span, dict):
            yield Problem("value.type", ptr, f"a span must be an object, found {_type_name(span)}")
            continue
        for key in sorted(set(span) - {"start", "end", "label", "text", "id", "attributes"}):
            yield Problem("value.unknown_key", f"{ptr}/{_esc(key)}", f"unknown key '{key}'")
        yield from _region_id(span, ids, ptr)
        start, end = span.get("start"), span.get("end")
        ok = True
        for name, v in (("start", start), ("end", end)):
            if v is None:
                yield Problem("value.missing", f"{ptr}/{name}", f"span has no '{name}'")
                ok = False
            elif not isinstance(v, int) or isinstance(v, bool):
                yield Problem(
                    "value.type",
                    f"{ptr}/{name}",
                    f"'{name}' must be an integer, found {_type_name(v)}",
                )
                ok = False
        if ok:
            if start < 0:
                yield Problem("span.bounds", f"{ptr}/start", f"start {start} is negative")
                ok = False
            elif start >= end:
                yield Problem(
                    "span.bounds", f"{ptr}/end", f"end {end} must be greater than start {start}"
                )
                ok = False
            elif text is not None and end > len(text):
                yield Problem(
                    "span.bounds",
                    f"{ptr}/end",
                    f"end {end} is past the end of '{task.over}' ({len(text)} characters)",
                )
                ok = False
        quote = span.get("text")
        if quote is not None and not isinstance(quote, str):
            yield Problem(
                "value.type", f"{ptr}/text", f"'text' must be text, found {_type_name(quote)}"
            )
        elif ok and text is not None and quote is not None and quote != text[start:end]:
            yield Problem(
                "span.text",
                f"{ptr}/text",
                f"quoted text {span['text']!r} differs from the text at "
                f"{start}..{end}: {text[start:end]!r}",
            )
        if "label" not in span:
            yield Problem("value.missing", f"{ptr}/label", "span has no 'label'")
        else:
            yield from _label(task, span["label"], f"{ptr}/label")
            cid = task.resolve_label(span["label"]) if isinstance(span["label"], str) else None
            if cid is not None:
                yield from _attributes(task, cid, span.get("attributes"), f"{ptr}/attributes")
        if ok:
            good.append((start, end, i))
    if task.overlap != "allow" and len(good) > 1:
        good.sort(key=lambda g: (g[0], -g[1], g[2]))  # containers before what they contain
        active: list[tuple[int, int, int]] = []
        for start, end, i in good:
            active = [a for a in active if a[1] > start]
            for a_start, a_end, j in active:
                nested = a_start <= start and end <= a_end
                if task.overlap == "forbid" or not nested:
                    yield Problem(
                        "span.overlap",
                        f"/{i}",
                        f"span {start}..{end} overlaps span {a_start}..{a_end} "
                        f"(/{j}); task '{task.id}' has overlap: {task.overlap}",
                    )
                    break
            active.append((start, end, i))
    if not task.allow_empty and not value:
        yield Problem("value.missing", "", f"task '{task.id}' needs at least one span")


def _region_id(region: Mapping[str, Any], ids: set[str], ptr: str) -> Iterator[Problem]:
    rid = region.get("id")
    if rid is None:
        return
    if not isinstance(rid, (str, int)) or isinstance(rid, bool):
        yield Problem("value.type", f"{ptr}/id", "a region id must be text or an integer")
    elif str(rid) in ids:
        yield Problem("region.duplicate_id", f"{ptr}/id", f"region id {rid!r} is used twice")
    else:
        ids.add(str(rid))


# -- image regions -----------------------------------------------------------------------------


def _regions(
    guideline: ir.Guideline, task: ir.Task, value: Any, record: Mapping[str, Any] | None
) -> Iterator[Problem]:
    bad = list(_region_list(value))
    if bad:
        yield from bad
        return
    size = image_size(task, record, guideline.record.fields)
    coords = task.coordinates
    bounds = (1.0, 1.0) if coords.units == "normalized" else size
    tol = coords.tolerance
    key = {"bbox": "bbox", "polygon": "points", "keypoints": "points"}[task.type]
    ids: set[str] = set()
    for i, region in enumerate(value):
        ptr = f"/{i}"
        if not isinstance(region, dict):
            yield Problem(
                "value.type", ptr, f"a region must be an object, found {_type_name(region)}"
            )
            continue
        for k in sorted(set(region) - {key, "label", "id", "attributes"}):
            yield Problem("value.unknown_key", f"{ptr}/{_esc(k)}", f"unknown key '{k}'")
        yield from _region_id(region, ids, ptr)
        cid = None
        if "label" not in region:
            yield Problem("value.missing", f"{ptr}/label", "region has no 'label'")
        else:
            yield from _label(task, region["label"], f"{ptr}/label")
            if isinstance(region["label"], str):
                cid = task.resolve_label(region["label"])
        if cid is not None:
            yield from _attributes(task, cid, region.get("attributes"), f"{ptr}/attributes")
        if key not in region:
            yield Problem("value.missing", f"{ptr}/{key}", f"region has no '{key}'")
            continue
        shape = region[key]
        if task.type == "bbox":
            yield from _bbox(task, cid, shape, bounds, tol, f"{ptr}/bbox", size)
        elif task.type == "polygon":
            yield from _polygon(shape, bounds, tol, f"{ptr}/points")
        else:
            yield from _keypoints(task, cid, shape, bounds, tol, f"{ptr}/points")
    if not task.allow_empty and not value:
        yield Problem("value.missing", "", f"task '{task.id}' needs at least one region")


def _inside(x: float, y: float, bounds: tuple[float, float] | None, tol: float) -> bool:
    if bounds is None:
        return True
    return -tol <= x <= bounds[0] + tol and -tol <= y <= bounds[1] + tol


def _bbox(
    task: ir.Task,
    cid: str | None,
    box: Any,
    bounds: tuple[float, float] | None,
    tol: float,
    ptr: str,
    size: tuple[float, float] | None,
) -> Iterator[Problem]:
    if not isinstance(box, list) or len(box) != 4 or not all(_num(v) for v in box):
        yield Problem(
            "bbox.shape",
            ptr,
            f"a box is a list of 4 numbers ([{', '.join(task.coordinates.format)}])",
        )
        return
    if task.coordinates.format == "xywh":
        x1, y1, w, h = box
        x2, y2 = x1 + w, y1 + h
    else:
        x1, y1, x2, y2 = box
        w, h = x2 - x1, y2 - y1
    if w <= 0 or h <= 0:
        yield Problem("bbox.area", ptr, f"box has no area (width {w:g}, height {h:g})")
        return
    if not (_inside(x1, y1, bounds, tol) and _inside(x2, y2, bounds, tol)):
        assert bounds is not None
        yield Problem(
            "bbox.outside",
            ptr,
            f"box {box} lies outside the image ({bounds[0]:g}x{bounds[1]:g}, tolerance {tol:g})",
        )
    cls = task.get(cid) if cid else None
    if cls is not None and cls.min_size is not None:
        if task.coordinates.units == "normalized":
            if size is None:
                return  # min_size is in pixels; without the image size it cannot be checked
            w, h = w * size[0], h * size[1]
        if w < cls.min_size.width or h < cls.min_size.height:
            yield Problem(
                "bbox.small",
                ptr,
                f"box is {w:g}x{h:g}, smaller than the minimum "
                f"{cls.min_size.width:g}x{cls.min_size.height:g} for '{cid}'",
            )


def _segments_cross(
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
    n = len(points)
    edges = [(points[i], points[(i + 1) % n]) for i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if j == i + 1 or (i == 0 and j == n - 1):
                continue  # neighbours share a vertex
            if _segments_cross(*edges[i], *edges[j]):
                return True
    return False


def _polygon(
    points: Any, bounds: tuple[float, float] | None, tol: float, ptr: str
) -> Iterator[Problem]:
    if not isinstance(points, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(_num(v) for v in p) for p in points
    ):
        yield Problem("polygon.shape", ptr, "a polygon is a list of [x, y] points")
        return
    if len(points) < 3:
        yield Problem(
            "polygon.points", ptr, f"a polygon needs at least 3 points, found {len(points)}"
        )
        return
    for j, (x, y) in enumerate(points):
        if not _inside(x, y, bounds, tol):
            assert bounds is not None
            yield Problem(
                "polygon.outside",
                f"{ptr}/{j}",
                f"point [{x:g}, {y:g}] lies outside the image ({bounds[0]:g}x{bounds[1]:g})",
            )
    pts = [(float(x), float(y)) for x, y in points]
    area = (
        sum(
            pts[k][0] * pts[(k + 1) % len(pts)][1] - pts[(k + 1) % len(pts)][0] * pts[k][1]
            for k in range(len(pts))
        )
        / 2
    )
    if area == 0:
        yield Problem("polygon.area", ptr, "polygon has no area")
    elif len(pts) <= 2000 and self_intersects(pts):
        yield Problem("polygon.self_intersection", ptr, "polygon edges cross each other")


def _keypoints(
    task: ir.Task,
    cid: str | None,
    points: Any,
    bounds: tuple[float, float] | None,
    tol: float,
    ptr: str,
) -> Iterator[Problem]:
    if not isinstance(points, dict):
        yield Problem("keypoints.shape", ptr, "keypoints are an object {name: [x, y, v]}")
        return
    skeleton = task.skeleton_for(cid) if cid else task.skeleton
    names = set(skeleton.points) if skeleton else None
    for name, p in points.items():
        pp = f"{ptr}/{_esc(name)}"
        if names is not None and name not in names:
            yield Problem("keypoints.name", pp, f"'{name}' is not a keypoint of the skeleton")
            continue
        if not isinstance(p, list) or len(p) != 3 or not all(_num(v) for v in p):
            yield Problem("keypoints.shape", pp, "a keypoint is [x, y, visibility]")
            continue
        x, y, v = p
        if v not in (0, 1, 2):
            yield Problem(
                "keypoints.visibility",
                f"{pp}/2",
                f"visibility {v} is not 0 (not labelled), 1 (occluded) or 2 (visible)",
            )
        elif v > 0 and not _inside(x, y, bounds, tol):
            yield Problem("keypoints.outside", pp, f"keypoint '{name}' lies outside the image")


# -- relations ---------------------------------------------------------------------------------


def _relations(
    guideline: ir.Guideline, task: ir.Task, value: Any, annotations: Mapping[str, Any]
) -> Iterator[Problem]:
    bad = list(_region_list(value))
    if bad:
        yield from bad
        return
    over = guideline.tasks.get(task.over or "")
    regions = annotations.get(task.over or "")
    by_id: dict[str, str | None] = {}
    if isinstance(regions, list):
        for r in regions:
            if isinstance(r, dict) and r.get("id") is not None:
                label = r.get("label")
                cid = over.resolve_label(label) if over and isinstance(label, str) else None
                by_id[str(r["id"])] = cid
    seen: set[tuple[str, str, str]] = set()
    rel_ids: set[str] = set()
    for i, rel in enumerate(value):
        ptr = f"/{i}"
        if not isinstance(rel, dict):
            yield Problem(
                "value.type", ptr, f"a relation must be an object, found {_type_name(rel)}"
            )
            continue
        for k in sorted(set(rel) - {"label", "from", "to", "id", "attributes"}):
            yield Problem("value.unknown_key", f"{ptr}/{_esc(k)}", f"unknown key '{k}'")
        cid = None
        if "label" not in rel:
            yield Problem("value.missing", f"{ptr}/label", "relation has no 'label'")
        else:
            yield from _label(task, rel["label"], f"{ptr}/label")
            if isinstance(rel["label"], str):
                cid = task.resolve_label(rel["label"])
        yield from _region_id(rel, rel_ids, ptr)
        ends: dict[str, str | None] = {}
        for end in ("from", "to"):
            ref = rel.get(end)
            if ref is None:
                yield Problem("value.missing", f"{ptr}/{end}", f"relation has no '{end}'")
                continue
            if not isinstance(ref, (str, int)) or isinstance(ref, bool):
                yield Problem(
                    "value.type",
                    f"{ptr}/{end}",
                    f"'{end}' must be a region id (text or an integer), found {_type_name(ref)}",
                )
                continue
            if str(ref) not in by_id:
                yield Problem(
                    "relation.dangling",
                    f"{ptr}/{end}",
                    f"'{end}' refers to region {ref!r}, which task '{task.over}' does not have",
                )
                continue
            ends[end] = by_id[str(ref)]
        if cid is not None:
            cls = task[cid]
            for end, allowed in (("from", cls.from_), ("to", cls.to)):
                got = ends.get(end)
                if (
                    allowed is not None
                    and got is not None
                    and over is not None
                    and not any(over.is_a(got, a) for a in allowed)
                ):
                    yield Problem(
                        "relation.pair",
                        f"{ptr}/{end}",
                        f"'{cid}' cannot {'start at' if end == 'from' else 'end at'} "
                        f"'{got}' (allowed: {', '.join(allowed)})",
                    )
            yield from _attributes(task, cid, rel.get("attributes"), f"{ptr}/attributes")
        if "from" in rel and "to" in rel and isinstance(rel.get("label"), str):
            key = (rel["label"], str(rel["from"]), str(rel["to"]))
            if not task.directed:
                a, b = sorted((key[1], key[2]))
                key = (key[0], a, b)
            if key in seen:
                yield Problem("relation.duplicate", ptr, "the same relation is given twice")
            seen.add(key)
