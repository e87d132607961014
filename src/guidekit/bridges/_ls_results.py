"""Label Studio results to task values: the mapping shared by the JSON and JSON-MIN readers.

A result goes to the task named by its ``from_name`` (the configs guidekit generates name
controls by task id); for other configs, to the only task whose type fits the result, or the
only one whose classes the labels map to (``controls=`` names it outright). Results of
per-region controls (``<task>__<attr>`` or any choices/number/textarea result sharing a
region's id) become that region's attributes. Percentages become the task's coordinate
convention using ``original_width``/``original_height`` (or the guideline's fixed image size).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from guidekit import ir, tasktypes
from guidekit.bridges._common import (
    Coords,
    NoSize,
    RecordBuilder,
    all_nums,
    file_error,
    fixed_size,
    image_field,
    is_num,
    resolve_label,
)
from guidekit.bridges._json import type_name
from guidekit.bridges._ls_names import labelstudio_map
from guidekit.tasktypes import NotRepresentable


def result_fits() -> dict[str, tuple[str, ...]]:
    """For each Label Studio result type, the task types whose values it may carry (in the
    registry's order), as the task types say (:meth:`TaskType.labelstudio_results`)."""
    fits: dict[str, tuple[str, ...]] = {}
    for tt in tasktypes.all_types():
        for typ in tt.labelstudio_results():
            fits[typ] = (*fits.get(typ, ()), tt.name)
    return fits


REGION_TYPES = (
    "labels",
    "hypertextlabels",
    "rectanglelabels",
    "polygonlabels",
    "keypointlabels",
    "videorectangle",
)
ATTRIBUTE_TYPES = ("choices", "number", "textarea", "taxonomy", "rating")
UNSUPPORTED = {
    "brushlabels": "brush masks",
    "brush": "brush masks",
    "ellipselabels": "ellipses",
    "ellipse": "ellipses",
    "rectangle": "rectangles without a label",
    "polygon": "polygons without a label",
    "keypoint": "keypoints without a label",
    "timeserieslabels": "time-series regions",
    "paragraphlabels": "paragraph regions",
    "chatmessage": "chat messages",
    "pairwise": "pairwise comparisons",
    "ranker": "rankings",
    "datetime": "date-time answers",
}
TRUE = {"yes", "true", "1", "y"}
FALSE = {"no", "false", "0", "n"}
_SUFFIX = re.compile(r"__\d+$")


def as_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    return value


@dataclass
class _Region:
    task: ir.Task
    items: list[dict[str, Any]]
    result_id: str | None


def control_map(g: ir.Guideline, file: str, controls: Any) -> dict[str, str]:
    """The ``controls`` option: which task a Label Studio control fills, as a mapping or as
    text ``"label=objects,bbox=pose"`` (from ``-O controls=...``)."""
    if not controls:
        return {}
    if isinstance(controls, str):
        pairs = [p.partition("=") for p in controls.split(",") if p.strip()]
        if any(not sep for _, sep, _ in pairs):
            raise file_error("GK805", f"controls={controls!r} is not CONTROL=TASK,...", file)
        controls = {k.strip(): v.strip() for k, _, v in pairs}
    unknown = sorted(t for t in dict(controls).values() if t not in g.tasks)
    if unknown:
        raise file_error(
            "GK805",
            f"controls= names tasks the guideline does not have: {', '.join(unknown)}",
            file,
        )
    return {str(k): str(v) for k, v in dict(controls).items()}


class Mapper:
    """Turns the results of one annotation into task values; remembers how controls map."""

    def __init__(self, guideline: ir.Guideline, file: str, controls: Any = None):
        self.g = guideline
        self.file = file
        self.explicit = control_map(guideline, file, controls)
        self.fits = result_fits()
        self.maps = {t.id: labelstudio_map(t) for t in guideline.tasks.values()}
        self.related = {t.over for t in guideline.tasks.values() if self._is(t, "relations")}

    # -- controls ---------------------------------------------------------------------------
    def control(
        self,
        b: RecordBuilder,
        from_name: Any,
        typ: str,
        labels: list[Any],
        ptr: str,
        fits: tuple[str, ...] | None = None,
    ) -> tuple[ir.Task | None, str | None]:
        """``(task, attribute)`` a result belongs to; ``attribute`` is set for per-region
        controls named ``<task>__<attribute>``. Reports GK804 when nothing fits."""
        tasks = self.g.tasks
        name = str(from_name) if from_name is not None else ""
        if fits is None:
            fits = self.fits.get(typ, ())
        chosen = self.explicit.get(name)
        if chosen is not None and chosen in tasks:
            return tasks[chosen], None
        if name in tasks:
            task = tasks[name]
            if task.type in self.fits.get(typ, ()):
                return task, None
            b.problem(
                "GK804",
                f"control '{name}' gave a '{typ}' result, but task '{name}' is a {task.type} task",
                ptr,
            )
            return None, None
        if name.endswith("__points") and name[: -len("__points")] in tasks:
            task = tasks[name[: -len("__points")]]
            if self._points(task):
                return task, None
        if "__" in name:
            head, attr = name.split("__", 1)
            if head in tasks:
                return tasks[head], _SUFFIX.sub("", attr)
        candidates = [t for t in tasks.values() if t.type in fits]
        if len(candidates) > 1 and labels:
            narrowed = [
                t
                for t in candidates
                if all(isinstance(x, str) and self._resolves(t, x) for x in labels)
            ]
            candidates = narrowed or candidates
        if len(candidates) == 1:
            return candidates[0], None
        what = (
            f"several tasks fit ({', '.join(t.id for t in candidates)})"
            if candidates
            else f"the guideline has no {' or '.join(fits) or typ} task"
        )
        b.problem(
            "GK804",
            f"control '{name}' ({typ}) maps to no task: {what}",
            ptr,
            hint="name the control after the task id (guidekit build --target labelstudio does)"
            if candidates
            else None,
        )
        return None, None

    def _is(self, task: ir.Task, control: str) -> bool:
        how = self.maps.get(task.id)
        return how is not None and how.control == control

    def _points(self, task: ir.Task) -> bool:
        """Whether ``task``'s regions are keypoint instances (a box plus named points)."""
        how = self.maps.get(task.id)
        return how is not None and how.points

    def _type_points(self, name: str) -> bool:
        """Whether tasks of the type called ``name`` draw keypoint instances."""
        try:
            return tasktypes.get(name).labelstudio().points
        except NotRepresentable:
            return False

    def _resolves(self, task: ir.Task, label: str) -> bool:
        if self._is(task, "yes-no"):
            return label.strip().lower() in TRUE | FALSE
        return resolve_label(task, label) is not None

    # -- one annotation ------------------------------------------------------------------------
    def results(
        self,
        b: RecordBuilder,
        results: Any,
        ptr: str,
        data: Mapping[str, Any],
        pointers: list[str] | None = None,
    ) -> None:
        """Put the values of one annotation's ``results`` into the record; ``pointers``
        overrides where each result is said to be (JSON-MIN has no result list)."""
        if results is None:
            results = []
        if not isinstance(results, list):
            b.problem("GK802", f"'result' is {type_name(results)}, not a list", ptr)
            return
        regions: dict[str, _Region] = {}
        later: list[tuple[dict[str, Any], str]] = []
        points: list[tuple[dict[str, Any], str]] = []
        relations: list[tuple[dict[str, Any], str]] = []
        sizes: dict[str, tuple[float, float]] = {}
        parents = {
            str(r["parentID"])
            for r in results
            if isinstance(r, dict) and r.get("parentID") is not None
        }
        for i, r in enumerate(results):
            p = pointers[i] if pointers is not None else f"{ptr}/{i}"
            if not isinstance(r, dict) or not isinstance(r.get("type"), str):
                b.problem("GK802", "a result must be an object with a 'type'", p)
                continue
            typ = r["type"].lower()
            if typ == "relation":
                relations.append((r, p))
                continue
            if not isinstance(r.get("value"), dict):
                b.problem("GK802", f"{typ} result has no 'value' object", f"{p}/value")
                continue
            w, h = r.get("original_width"), r.get("original_height")
            if is_num(w) and is_num(h) and w > 0 and h > 0:
                sizes.setdefault(str(r.get("to_name", "")), (float(w), float(h)))
            if typ in UNSUPPORTED:
                b.problem("GK806", f"{UNSUPPORTED[typ]} ({typ}) have no guidekit form", p)
            elif typ == "keypointlabels":
                points.append((r, p))
            elif typ in REGION_TYPES:
                self._region(b, r, typ, p, regions, str(r.get("id")) in parents)
            elif typ in ATTRIBUTE_TYPES:
                later.append((r, p))
            else:
                b.problem("GK806", f"result type '{typ}' is not supported", p)
        for r, p in later:
            rid = r.get("id")
            region = regions.get(str(rid)) if rid is not None else None
            if region is not None:
                self._attribute(b, region, r, p)
                continue
            typ = r["type"].lower()
            labels = r["value"].get(typ) if typ in ("choices", "taxonomy") else []
            labels = [x[-1] if isinstance(x, list) and x else x for x in labels or []]
            task, attr = self.control(b, r.get("from_name"), typ, labels, p)
            own = [g for g in regions.values() if task is not None and g.task is task]
            if task is not None and attr is not None and len(own) == 1:
                self._attribute(b, own[0], r, p)
            elif task is not None and attr is not None:
                b.problem(
                    "GK802",
                    f"per-region result of '{r.get('from_name')}' refers to no region",
                    f"{p}/id",
                )
            elif task is not None:
                self._classification(b, task, r, p)
        self._keypoints(b, points, regions)
        groups = {
            str(r["id"]): str(r["parentID"])
            for r, _ in points
            if r.get("id") is not None and r.get("parentID") is not None
        }
        groups.update({pid: pid for pid in parents})
        self._relations(b, relations, regions, groups)
        self._inputs(b, data, sizes)

    # -- regions --------------------------------------------------------------------------------
    def _region(
        self,
        b: RecordBuilder,
        r: dict[str, Any],
        typ: str,
        p: str,
        regions: dict[str, _Region],
        parent: bool,
    ) -> None:
        value = r["value"]
        labels = value.get("labels" if typ == "videorectangle" else typ)
        if labels is None:
            labels = []
        if not isinstance(labels, list):
            b.problem("GK802", f"'{typ}' must be a list of labels", f"{p}/value/{typ}")
            return
        fits = None
        if typ == "rectanglelabels":
            # a rectangle is a box, or the instance box of a set of keypoints (its parent)
            rects = self.fits.get(typ, ())
            points = tuple(n for n in rects if self._type_points(n))
            boxes = tuple(n for n in rects if n not in points)
            has_box = any(t.type in boxes for t in self.g.tasks.values())
            fits = points if parent or not has_box else boxes
        task, _ = self.control(b, r.get("from_name"), typ, labels, p, fits)
        if task is None:
            return
        rid = r.get("id")
        item: dict[str, Any] = {}
        if typ in ("labels", "hypertextlabels"):
            start, end = value.get("start"), value.get("end")
            if typ == "hypertextlabels" or isinstance(start, str):
                b.problem("GK806", "spans located by XPath (HyperText) are not supported", p)
                return
            if not (isinstance(start, int) and isinstance(end, int)):
                b.problem("GK802", "a span needs integer 'start' and 'end'", f"{p}/value")
                return
            item = {"start": start, "end": end}
            if isinstance(value.get("text"), str):
                item["text"] = value["text"]
        else:
            size = self._size(r, task)
            coords = Coords(task, size)
            try:
                if typ == "rectanglelabels":
                    nums = [value.get(k) for k in ("x", "y", "width", "height")]
                    if not all(is_num(v) for v in nums):
                        b.problem(
                            "GK802", "a rectangle needs numeric x, y, width, height", f"{p}/value"
                        )
                        return
                    rot = value.get("rotation") or 0
                    if is_num(rot) and float(rot) % 360 != 0:
                        b.problem(
                            "GK806",
                            f"rotated rectangle ({float(rot):g} degrees); guidekit boxes are "
                            "axis-aligned",
                            f"{p}/value/rotation",
                        )
                        return
                    if self._points(task):
                        item = {"points": {}}
                    else:
                        x, y, w, h = (float(v) / 100 for v in nums)
                        item = {"bbox": coords.box_in(x, y, w, h, frac=True)}
                elif typ == "videorectangle":
                    track = _video_track(b, value, coords, p)
                    if track is None:
                        return
                    item = {"id": str(rid), **track}
                else:  # polygonlabels
                    pts = value.get("points")
                    if not isinstance(pts, list) or not all(
                        isinstance(q, list) and len(q) >= 2 and is_num(q[0]) and is_num(q[1])
                        for q in pts
                    ):
                        b.problem(
                            "GK802", "polygon points must be [x, y] pairs", f"{p}/value/points"
                        )
                        return
                    item = {
                        "points": [
                            coords.point_in(float(q[0]) / 100, float(q[1]) / 100, frac=True)
                            for q in pts
                        ]
                    }
            except NoSize:
                b.problem(
                    "GK807",
                    "the result has no original_width/original_height and the guideline gives "
                    "no image size",
                    p,
                )
                return
        made: list[dict[str, Any]] = []
        for k, label in enumerate(labels or [None]):
            region = {**item}
            if label is not None:
                region["label"] = b.label(
                    task, label, f"{p}/value/{typ}/{k}", f" (control '{r.get('from_name')}')"
                )
            if task.id in self.related and rid is not None:
                region["id"] = str(rid) if k == 0 else f"{rid}#{k + 1}"
            b.append(task.id, region)
            made.append(region)
        if rid is not None:
            regions[str(rid)] = _Region(task, made, str(rid))

    def _size(self, r: Mapping[str, Any], task: ir.Task) -> tuple[float, float] | None:
        w, h = r.get("original_width"), r.get("original_height")
        if is_num(w) and is_num(h) and w > 0 and h > 0:
            return float(w), float(h)
        return fixed_size(self.g, task)

    def _attribute(self, b: RecordBuilder, region: _Region, r: dict[str, Any], p: str) -> None:
        name = str(r.get("from_name", ""))
        if "__" in name and name.split("__", 1)[0] in self.g.tasks:
            name = _SUFFIX.sub("", name.split("__", 1)[1])
        typ = r["type"].lower()
        value = r["value"]
        task = region.task
        for item in region.items:
            label = item.get("label")
            cid = resolve_label(task, label) if isinstance(label, str) else None
            decl = task.attributes_for(cid).get(name) if cid else task.attributes.get(name)
            got = _attr_value(decl, typ, value)
            if got is _MISSING:
                b.problem("GK802", f"per-region result '{r.get('from_name')}' has no value", p)
                return
            item.setdefault("attributes", {})[name] = got

    def _keypoints(
        self,
        b: RecordBuilder,
        points: list[tuple[dict[str, Any], str]],
        regions: dict[str, _Region],
    ) -> None:
        loose: dict[str, list[tuple[dict[str, Any], str]]] = {}
        for r, p in points:
            value = r["value"]
            names = value.get("keypointlabels") or []
            task, _ = self.control(b, r.get("from_name"), "keypointlabels", [], p)
            if task is None:
                continue
            if not (is_num(value.get("x")) and is_num(value.get("y"))) or not (
                isinstance(names, list) and len(names) == 1 and isinstance(names[0], str)
            ):
                b.problem("GK802", "a keypoint needs numeric x, y and one label", f"{p}/value")
                continue
            parent = r.get("parentID")
            if parent is not None and str(parent) in regions:
                self._put_point(b, regions[str(parent)], r, p)
            elif parent is not None:
                b.problem("GK802", f"keypoint's parentID {parent!r} is no region", f"{p}/parentID")
            else:
                loose.setdefault(task.id, []).append((r, p))
        for tid, items in loose.items():
            task = self.g.tasks[tid]
            if len(task.classes) != 1:
                b.problem(
                    "GK802",
                    f"{len(items)} keypoints of task '{tid}' have no parent region, and the task "
                    "has several classes to put them in",
                    items[0][1],
                    hint="draw a box of the instance's class and link its keypoints to it",
                )
                continue
            instance: dict[str, Any] = {"label": task.classes[0].id, "points": {}}
            b.append(tid, instance)
            region = _Region(task, [instance], None)
            for r, p in items:
                self._put_point(b, region, r, p)

    def _put_point(self, b: RecordBuilder, region: _Region, r: dict[str, Any], p: str) -> None:
        value = r["value"]
        name = value["keypointlabels"][0]
        coords = Coords(region.task, self._size(r, region.task))
        try:
            x, y = coords.point_in(float(value["x"]) / 100, float(value["y"]) / 100, frac=True)
        except NoSize:
            b.problem("GK807", "the keypoint has no original_width/original_height", p)
            return
        for item in region.items:
            pts = item.setdefault("points", {})
            if not isinstance(pts, dict):
                b.problem("GK802", "keypoints attached to a region that is not an instance", p)
                return
            if name in pts:
                b.problem("GK802", f"keypoint '{name}' is given twice for one instance", p)
            pts[name] = [x, y, 2]

    def _relations(
        self,
        b: RecordBuilder,
        relations: list[tuple[dict[str, Any], str]],
        regions: dict[str, _Region],
        groups: Mapping[str, str],
    ) -> None:
        """Relations into the relations task over the regions' task. Unlabelled relations
        between a keypoint instance and its own keypoints only draw the skeleton in Label
        Studio's keypoint templates; they carry no label and are not read."""
        for r, p in relations:
            src, dst = r.get("from_id"), r.get("to_id")
            if src is None or dst is None:
                b.problem("GK802", "a relation needs 'from_id' and 'to_id'", p)
                continue
            if (
                not r.get("labels")
                and str(src) in groups
                and groups.get(str(src)) == groups.get(str(dst))
            ):
                continue
            if r.get("direction") == "left":
                src, dst = dst, src
            region = regions.get(str(src)) or regions.get(str(dst))
            over = region.task.id if region is not None else None
            tasks = [t for t in self.g.tasks.values() if self._is(t, "relations")]
            fitting = [t for t in tasks if t.over == over] if over else tasks
            if len(fitting) != 1:
                why = (
                    "the guideline has no relations task"
                    if not tasks
                    else (
                        "its regions belong to no task that a relations task is over"
                        if not fitting
                        else "several relations tasks fit"
                    )
                )
                b.problem("GK804", f"relation {src!r} -> {dst!r} maps to no task: {why}", p)
                continue
            task = fitting[0]
            labels = r.get("labels") or [None]
            if not isinstance(labels, list):
                b.problem("GK802", "relation 'labels' must be a list", f"{p}/labels")
                continue
            for k, label in enumerate(labels):
                rel: dict[str, Any] = {}
                if label is not None:
                    rel["label"] = b.label(task, label, f"{p}/labels/{k}")
                rel["from"], rel["to"] = str(src), str(dst)
                b.append(task.id, rel)

    # -- classification ---------------------------------------------------------------------------
    def _classification(self, b: RecordBuilder, task: ir.Task, r: dict[str, Any], p: str) -> None:
        typ = r["type"].lower()
        value = r["value"]
        tt = tasktypes.of(task)
        if typ == "choices" or typ == "taxonomy":
            raw = value.get(typ)
            if not isinstance(raw, list):
                b.problem("GK802", f"'{typ}' must be a list", f"{p}/value/{typ}")
                return
            if typ == "taxonomy":
                raw = [path[-1] if isinstance(path, list) and path else path for path in raw]
            if tt.yes_no:
                b.data[task.id] = as_bool(raw[0]) if len(raw) == 1 else raw
                return
            labels = [b.label(task, x, f"{p}/value/{typ}/{k}") for k, x in enumerate(raw)]
            if tt.many_labels:
                b.data[task.id] = labels
            else:
                b.data[task.id] = labels[0] if len(labels) == 1 else labels
        elif typ == "textarea":
            text = value.get("text")
            if isinstance(text, list) and all(isinstance(x, str) for x in text):
                b.data[task.id] = "\n".join(text)
            elif isinstance(text, str):
                b.data[task.id] = text
            else:
                b.problem("GK802", "'text' must be a list of strings", f"{p}/value/text")
        elif typ == "number":
            b.data[task.id] = value.get("number")
        elif typ == "rating":
            rating = value.get("rating")
            if tt.rating_classes and isinstance(rating, int) and 1 <= rating <= len(task.classes):
                b.data[task.id] = task.classes[rating - 1].id
            else:
                b.data[task.id] = rating

    # -- inputs and metadata ------------------------------------------------------------------
    def _inputs(
        self, b: RecordBuilder, data: Mapping[str, Any], sizes: Mapping[str, tuple[float, float]]
    ) -> None:
        for name, spec in self.g.record.fields.items():
            if name not in data:
                continue
            value = data[name]
            if spec.type == "image" and isinstance(value, str):
                size = sizes.get(name) or (next(iter(sizes.values())) if len(sizes) == 1 else None)
                b.data[name] = image_field(value, *(size or (None, None)))
            else:
                b.data[name] = value


class _Missing:
    pass


_MISSING: Any = _Missing()


def _attr_value(decl: ir.Attribute | None, typ: str, value: Mapping[str, Any]) -> Any:
    if typ in ("choices", "taxonomy"):
        raw = value.get(typ)
        if not isinstance(raw, list) or not raw:
            return _MISSING
        if typ == "taxonomy":
            raw = [x[-1] if isinstance(x, list) and x else x for x in raw]
        if decl is not None and decl.type == "boolean" and len(raw) == 1:
            return as_bool(raw[0])
        if decl is not None and decl.type == "enum" and len(raw) == 1:
            for v in decl.values:
                if str(v) == str(raw[0]):
                    return v
        return raw[0] if len(raw) == 1 else raw
    if typ == "number":
        return value.get("number", _MISSING)
    if typ == "rating":
        return value.get("rating", _MISSING)
    text = value.get("text")
    if isinstance(text, list):
        return "\n".join(str(x) for x in text)
    return text if text is not None else _MISSING


def _video_track(
    b: RecordBuilder, value: Mapping[str, Any], coords: Coords, p: str
) -> dict[str, Any] | None:
    """The boxes of a ``videorectangle`` result: one per keyframe of its ``sequence`` (frames
    count from 1 in Label Studio, from 0 in guidekit); a keyframe with ``enabled: false``
    ends the track, written as an ``outside`` box on the next frame, as CVAT does."""
    seq = value.get("sequence")
    if not isinstance(seq, list):
        b.problem("GK802", "a video rectangle needs a 'sequence' list", f"{p}/value")
        return None
    boxes: list[dict[str, Any]] = []
    for k, step in enumerate(seq):
        nums = (
            [step.get(n) for n in ("frame", "x", "y", "width", "height")]
            if isinstance(step, dict)
            else []
        )
        if len(nums) != 5 or not all_nums(nums):
            b.problem(
                "GK802",
                "a sequence item needs numeric frame, x, y, width, height",
                f"{p}/value/sequence/{k}",
            )
            return None
        frame = int(nums[0]) - 1
        bbox = coords.box_in(*(float(v) / 100 for v in nums[1:]), frac=True)
        boxes.append({"frame": frame, "bbox": bbox, "keyframe": True, "outside": False})
        if step.get("enabled") is False:
            boxes.append({"frame": frame + 1, "bbox": bbox, "keyframe": True, "outside": True})
    shown = {x["frame"] for x in boxes if not x["outside"]}
    return {"boxes": [x for x in boxes if not (x["outside"] and x["frame"] in shown)]}
