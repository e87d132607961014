"""COCO JSON: detection (``bbox``), segmentation (polygon ``segmentation``), keypoints, and
image-level labels (annotations with a category only).

Reader: one record per entry of ``images``, carrying its annotations; the record id is the
image's file name without folder and extension (``id_from=name`` keeps the whole file name,
``id_from=id`` uses COCO's image id), and the image field gets ``{path, width, height}``.
An annotation goes to the keypoints task when it has ``keypoints``, to the polygon task when
its ``segmentation`` is a polygon, to the bbox task when it has a ``bbox``, and to a
classification task when it has no geometry; name tasks with ``task=``, ``polygon_task=``,
``keypoints_task=``, ``classes_task=`` when several fit. Category names map to classes by id,
name or alias; keypoint names come from the category's ``keypoints`` (or, when that list is
empty, from the task's skeleton in order). RLE masks, panoptic and caption files are
reported as unsupported. An annotation's ``attributes`` object becomes the region's
attributes.

Writer: a detection/segmentation/keypoints file with one category per class (ids from 1 in
the task's order), ``bbox`` and ``area`` on every annotation, keypoint categories with their
skeleton (1-based, as COCO's own files). Metadata rides along in each image's ``guidekit``
object.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from guidekit import ir, tasktypes
from guidekit.bridges._common import (
    Coords,
    NoSize,
    RecordBuilder,
    file_error,
    image_field,
    is_num,
    paused_gc,
    pick_task,
    put_flag,
    record_size,
    stem,
    tidy,
)
from guidekit.bridges._export import Exported, extras, image_path, metadata_names, regions
from guidekit.bridges._images import shape_types
from guidekit.bridges._json import JsonText
from guidekit.bridges._rle import BadRLE, Mask, measure
from guidekit.bridges._text import copy_known, label_types
from guidekit.delivery.read import RawRecord
from guidekit.diagnostics.codes import lookup
from guidekit.diagnostics.model import Severity

FMT = "COCO"

#: reports a problem of one annotation: ``(code, message, pointer below the annotation)``
Problem = Callable[..., None]
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class _Tasks:
    def __init__(self, g: ir.Guideline, file: str, options: Mapping[str, Any]) -> None:
        self.bbox = pick_task(g, shape_types("box"), options.get("task"), fmt=FMT, file=file)
        self.polygon = pick_task(
            g,
            shape_types("polygon"),
            options.get("polygon_task"),
            fmt=FMT,
            file=file,
            option="polygon_task",
        )
        self.keypoints = pick_task(
            g,
            shape_types("keypoints"),
            options.get("keypoints_task"),
            fmt=FMT,
            file=file,
            option="keypoints_task",
        )
        self.classes = (
            pick_task(
                g,
                label_types(),
                options.get("classes_task"),
                fmt=FMT,
                file=file,
                option="classes_task",
            )
            if options.get("classes_task") or not (self.bbox or self.polygon or self.keypoints)
            else None
        )
        if self.classes is None:
            found = [t for t in g.tasks.values() if t.type in label_types()]
            self.classes = found[0] if len(found) == 1 else None
        image_tasks = [t for t in (self.bbox, self.polygon, self.keypoints) if t is not None]
        self.image_field = (
            image_tasks[0].over
            if image_tasks
            else next((n for n, f in g.record.fields.items() if f.type == "image"), None)
        )

        #: the primitive of each image task's regions (``box``, ``polygon``, ``keypoints``)
        self.shape = {t.id: tasktypes.of(t).image_shape() for t in self.image_tasks()}

    def image_tasks(self) -> list[ir.Task]:
        return [t for t in (self.bbox, self.polygon, self.keypoints) if t is not None]


def _load(path: Path, file: str) -> tuple[dict[str, Any], dict[str, list[int]]]:
    if not path.is_file():
        raise file_error("GK801", f"'{file}' is not a file", file)
    doc = JsonText.read(path, file, lenient=True)  # a NaN fails its annotation, not the file
    kind, pos = doc.start()
    if kind != "{":
        raise file_error(
            "GK801",
            "a COCO file is a JSON object with 'images' and 'annotations'",
            file,
            doc.line(pos),
        )
    top: dict[str, Any] = {}
    lines: dict[str, list[int]] = {}
    with paused_gc():
        for key, value, item_lines in doc.object_members(
            pos, frozenset({"images", "annotations", "categories"})
        ):
            top[key] = value
            if item_lines is not None:
                lines[key] = item_lines
    for key in ("images", "annotations"):
        if not isinstance(top.get(key), list):
            raise file_error(
                "GK801", f"a COCO file needs an '{key}' list", file, 1, pointer=f"/{key}"
            )
    return top, lines


def read_coco(path: str | Path, guideline: ir.Guideline, **options: Any) -> Iterator[RawRecord]:
    """Records of a COCO JSON file (see the module docstring)."""
    path = Path(path)
    file = str(path)
    g = guideline
    top, lines = _load(path, file)
    tasks = _Tasks(g, file, options)
    id_from = str(options.get("id_from", "stem"))
    cats: dict[Any, dict[str, Any]] = {}
    for c in top.get("categories") or []:
        if isinstance(c, dict) and "id" in c:
            cats[c["id"]] = c
    by_image: dict[Any, list[tuple[int, dict[str, Any]]]] = {}
    orphans: list[tuple[int, Any]] = []
    image_ids = {img.get("id") for img in top["images"] if isinstance(img, dict)}
    for i, ann in enumerate(top["annotations"]):
        if isinstance(ann, dict) and ann.get("image_id") in image_ids:
            by_image.setdefault(ann["image_id"], []).append((i, ann))
        else:
            orphans.append((i, ann))
    ann_lines = lines.get("annotations", [])
    first_of: dict[Any, int] = {}
    for i, ann in enumerate(top["annotations"]):
        aid = ann.get("id") if isinstance(ann, dict) else None
        if isinstance(aid, (int, str)) and not isinstance(aid, bool):
            first_of.setdefault(aid, i)
    for k, img in enumerate(top["images"]):
        line = lines["images"][k] if k < len(lines.get("images", [])) else 1
        b = RecordBuilder(file, line)
        if not isinstance(img, dict) or "id" not in img:
            b.problem("GK802", "an image is an object with an 'id'", f"/images/{k}", fatal=True)
            yield b.build()
            continue
        name = img.get("file_name")
        if id_from == "id" or not isinstance(name, str):
            rid: Any = img["id"]
        else:
            rid = name if id_from == "name" else stem(name)
        b.data[g.delivery.id] = rid
        w, h = img.get("width"), img.get("height")
        size = (float(w), float(h)) if is_num(w) and is_num(h) and w > 0 and h > 0 else None
        if tasks.image_field:
            b.data[tasks.image_field] = image_field(
                name if isinstance(name, str) else None, *(size or (None, None))
            )
        for t in tasks.image_tasks():
            b.data[t.id] = []
        labels: list[Any] = []
        masks: list[tuple[str, int | None, Mask]] = []
        for i, ann in by_image.get(img["id"], []):
            aid = ann.get("id")
            if first_of.get(aid, i) != i:
                b.problem(
                    "GK802",
                    f"annotation id {aid!r} is also the id of /annotations/{first_of[aid]}",
                    f"/annotations/{i}/id",
                    line=ann_lines[i] if i < len(ann_lines) else None,
                )
            _annotation(
                b,
                tasks,
                cats,
                ann,
                f"/annotations/{i}",
                ann_lines[i] if i < len(ann_lines) else None,
                size,
                labels,
                masks,
            )
        if masks:
            _masks(b, tasks, masks)
        if labels and tasks.classes is not None:
            value = (
                labels
                if tasktypes.of(tasks.classes).many_labels
                else (labels[0] if len(labels) == 1 else labels)
            )
            b.data[tasks.classes.id] = value
        if isinstance(img.get("guidekit"), dict):
            copy_known(b, g, img["guidekit"])
            for key, value in img["guidekit"].items():
                b.data.setdefault(key, value)
        # the record's diagnostic is its first problem: the worst one goes first
        b.problems.sort(key=lambda p: _RANK[lookup(p.code).severity])
        yield b.build()
    for i, ann in orphans:
        line = ann_lines[i] if i < len(ann_lines) else 1
        b = RecordBuilder(file, line)
        if not isinstance(ann, dict):
            b.problem("GK802", "an annotation is an object", f"/annotations/{i}", fatal=True)
        elif "image_id" not in ann:
            b.problem("GK802", "an annotation needs an 'image_id'", f"/annotations/{i}", fatal=True)
        else:
            b.problem(
                "GK802",
                f"annotation refers to image id {ann['image_id']!r}, which is not in 'images'",
                f"/annotations/{i}/image_id",
                fatal=True,
            )
        yield b.build()


def _annotation(
    b: RecordBuilder,
    tasks: _Tasks,
    cats: Mapping[Any, Mapping[str, Any]],
    ann: Mapping[str, Any],
    ptr: str,
    line: int | None,
    size: tuple[float, float] | None,
    labels: list[Any],
    masks: list[tuple[str, int | None, Mask]],
) -> None:
    def problem(code: str, message: str, sub: str = "") -> None:
        b.problem(code, message, ptr + sub, line=line)

    if "segments_info" in ann:
        problem("GK806", "panoptic annotations (segments_info with PNG masks) are not supported")
        return
    if "caption" in ann and "category_id" not in ann:
        problem("GK806", "caption annotations are not supported")
        return
    cat = cats.get(ann.get("category_id"))
    if cat is None:
        problem(
            "GK802",
            f"category_id {ann.get('category_id')!r} is not in 'categories'",
            "/category_id",
        )
        return
    name = cat.get("name")
    seg: Any = ann.get("segmentation")  # JSON: checked below
    has_poly = isinstance(seg, list) and any(isinstance(r, list) and r for r in seg)
    if isinstance(ann.get("keypoints"), list) and tasks.keypoints is not None:
        _keypoints(b, tasks.keypoints, cat, ann, problem, size)
        return
    read: bool | None = False
    if has_poly and tasks.polygon is not None:
        read = _polygon(b, tasks.polygon, name, ann, seg, ptr, problem, size)
        if read is None:
            return
    if isinstance(seg, dict):
        try:
            masks.append((ptr, line, measure(seg)))
        except BadRLE as exc:
            problem("GK802", f"malformed RLE mask: {exc}", "/segmentation")
    bbox = ann.get("bbox")
    if bbox is not None and tasks.bbox is not None and not read:
        _box(b, tasks.bbox, name, ann, bbox, ptr, problem, size)
        return
    if read or isinstance(seg, dict):
        return
    if bbox is None and not has_poly and "keypoints" not in ann:
        if tasks.classes is None:
            problem(
                "GK804",
                "an image-level label, but the guideline has no (single) classification task",
            )
            return
        labels.append(b.label(tasks.classes, name, ptr + "/category_id"))
        return
    kind = "keypoints" if "keypoints" in ann else "polygon" if has_poly else "box"
    problem(
        "GK804",
        f"a {kind} annotation, but the guideline has no {' or '.join(shape_types(kind))} task",
    )


def _bad_number(values: list[Any], what: str) -> tuple[int, str] | None:
    """The index of the first value that is no finite, non-negative number, and why."""
    for k, v in enumerate(values):
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            return k, f"{what}[{k}] is not a number: {v!r}"
        if not math.isfinite(v):
            return k, f"{what}[{k}] is {v} (not a finite number)"
        if v < 0:
            return k, f"{what}[{k}] is negative ({tidy(v)})"
    return None


def _box(
    b: RecordBuilder,
    task: ir.Task,
    name: Any,
    ann: Mapping[str, Any],
    bbox: Any,
    ptr: str,
    problem: Problem,
    size: tuple[float, float] | None,
) -> None:
    if not (isinstance(bbox, list) and len(bbox) == 4):
        problem("GK802", "a COCO bbox is [x, y, width, height]", "/bbox")
        return
    bad = _bad_number(bbox, "bbox")
    if bad is not None:
        problem("GK802", bad[1], f"/bbox/{bad[0]}")
        return
    label = b.label(task, name, ptr + "/category_id", f" (category {ann.get('category_id')})")
    try:
        box = Coords(task, size).box_in(*(float(v) for v in bbox), frac=False)
    except NoSize:
        problem("GK807", "the image has no width/height to normalise coordinates")
        return
    region: dict[str, Any] = {"label": label, "bbox": box}
    _attributes(region, ann)
    _iscrowd(b, task, label, region, ann, problem)
    b.append(task.id, region)


def _polygon(
    b: RecordBuilder,
    task: ir.Task,
    name: Any,
    ann: Mapping[str, Any],
    seg: list[Any],
    ptr: str,
    problem: Problem,
    size: tuple[float, float] | None,
) -> bool | None:
    """Read the polygons of ``seg``; whether one was read (``None``: stop, size unknown)."""
    label = b.label(task, name, ptr + "/category_id", f" (category {ann.get('category_id')})")
    coords = Coords(task, size)
    read = False
    for r, ring in enumerate(seg):
        if not (isinstance(ring, list) and len(ring) % 2 == 0 and len(ring) >= 2):
            problem("GK802", "a polygon is a flat list [x1, y1, x2, y2, ...]", f"/segmentation/{r}")
            continue
        bad = _bad_number(ring, "polygon")
        if bad is not None:
            problem("GK802", bad[1], f"/segmentation/{r}/{bad[0]}")
            continue
        try:
            pts = [
                coords.point_in(ring[j], ring[j + 1], frac=False) for j in range(0, len(ring), 2)
            ]
        except NoSize:
            problem("GK807", "the image has no width/height to normalise coordinates")
            return None
        region: dict[str, Any] = {"label": label, "points": pts}
        _attributes(region, ann)
        _iscrowd(b, task, label, region, ann, problem)
        b.append(task.id, region)
        read = True
    return read


def _masks(b: RecordBuilder, tasks: _Tasks, masks: list[tuple[str, int | None, Mask]]) -> None:
    """One finding for the RLE masks of an image: counted, each with its area and bounds
    (computed from the run lengths), located at the first. The boxes were read apart."""
    ptr, line, _ = masks[0]
    packed = sum(m.compressed for _, _, m in masks)
    kinds = ", ".join(
        f"{n} {kind}"
        for n, kind in ((packed, "compressed"), (len(masks) - packed, "uncompressed"))
        if n
    )
    each = "; ".join(
        f"{p} {m.area} px in {m.bounds if m.bounds else 'nothing (empty)'}" for p, _, m in masks[:5]
    ) + ("; ..." if len(masks) > 5 else "")
    what = f"{len(masks)} RLE mask{'s' if len(masks) > 1 else ''} ({kinds}; [x, y, w, h]: {each})"
    box = (
        ("their boxes are read" if len(masks) > 1 else "its box is read")
        if tasks.bbox is not None
        else "the guideline has no box task"
    )
    if tasks.polygon is not None:
        message = (
            f"{what}: task '{tasks.polygon.id}' holds polygons, which a mask cannot become; {box}"
        )
        b.problem("GK806", message, ptr + "/segmentation", line=line)
    else:
        message = f"{what} not read: the guideline has no polygon task; {box}"
        b.problem("GK815", message, ptr + "/segmentation", line=line)


def _iscrowd(
    b: RecordBuilder,
    task: ir.Task,
    label: Any,
    region: dict[str, Any],
    ann: Mapping[str, Any],
    problem: Problem,
) -> None:
    """COCO's ``iscrowd`` as the attribute of that name when the class declares one."""
    crowd = ann.get("iscrowd")
    if crowd is None:
        return
    if crowd not in (0, 1):
        problem("GK802", f"iscrowd is 0 or 1, not {crowd!r}", "/iscrowd")
        return
    cid = label if isinstance(label, str) and label in task.class_ids() else None
    decl = task.attributes_for(cid).get("iscrowd") if cid else task.attributes.get("iscrowd")
    if decl is not None:
        put_flag(task, cid, region, "iscrowd", str(int(crowd)))
    elif crowd:
        problem(
            "GK816",
            f"iscrowd: 1 on a '{label}' region, but the class declares no 'iscrowd' "
            "attribute to carry it",
            "/iscrowd",
        )


def _attributes(region: dict[str, Any], ann: Mapping[str, Any]) -> None:
    attrs = ann.get("attributes")
    if isinstance(attrs, dict) and attrs:
        region["attributes"] = dict(attrs)


def _keypoints(
    b: RecordBuilder,
    task: ir.Task,
    cat: Mapping[str, Any],
    ann: Mapping[str, Any],
    problem: Problem,
    size: tuple[float, float] | None,
) -> None:
    flat = ann["keypoints"]
    label = b.label(task, cat.get("name"), None)
    if len(flat) % 3:
        problem("GK802", "keypoints are a flat list [x1, y1, v1, x2, y2, v2, ...]", "/keypoints")
        return
    bad = _bad_number(flat, "keypoints")
    if bad is not None:
        problem("GK802", bad[1], f"/keypoints/{bad[0]}")
        return
    names = cat.get("keypoints") or []
    if not names:
        cid = task.resolve_label(label) if isinstance(label, str) else None
        skel = task.skeleton_for(cid) if cid else task.skeleton
        names = list(skel.points) if skel else []
    if len(names) != len(flat) // 3:
        problem(
            "GK802",
            f"{len(flat) // 3} keypoints, but {len(names)} keypoint names "
            "(in the category or the task's skeleton)",
            "/keypoints",
        )
        return
    coords = Coords(task, size)
    points: dict[str, list[Any]] = {}
    try:
        for j, point_name in enumerate(names):
            x, y, v = flat[3 * j : 3 * j + 3]
            points[str(point_name)] = [
                *coords.point_in(x, y, frac=False),
                int(v) if float(v).is_integer() else v,
            ]
    except NoSize:
        problem("GK807", "the image has no width/height to normalise coordinates")
        return
    region: dict[str, Any] = {"label": label, "points": points}
    _attributes(region, ann)
    b.append(task.id, region)


# -- writer ----------------------------------------------------------------------------------------


def _area(points: list[tuple[float, float]]) -> float:
    n = len(points)
    return (
        abs(
            sum(
                points[i][0] * points[(i + 1) % n][1] - points[(i + 1) % n][0] * points[i][1]
                for i in range(n)
            )
        )
        / 2
    )


def _bounds(points: list[tuple[float, float]]) -> list[float | int]:
    if not points:
        return [0, 0, 0, 0]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return [tidy(min(xs)), tidy(min(ys)), tidy(max(xs) - min(xs)), tidy(max(ys) - min(ys))]


def write_coco(
    records: Iterable[Mapping[str, Any]], guideline: ir.Guideline, out: str | Path, **options: Any
) -> Exported:
    """Write native records as one COCO JSON file."""
    g = guideline
    out = Path(out)
    tasks = _Tasks(g, str(out), options)
    result = Exported()
    for task in g.tasks.values():
        if task not in tasks.image_tasks():
            result.warn_once(
                task.id,
                f"task '{task.id}' ({task.type}) is not written: COCO holds boxes, polygons and keypoints",
            )
    categories: list[dict[str, Any]] = []
    cat_ids: dict[tuple[str, str], int] = {}
    for task in tasks.image_tasks():
        shape = tasks.shape[task.id]
        for cid in task.labels():
            cls = task[cid]
            key = ("keypoints" if shape == "keypoints" else "shape", cid)
            if key in cat_ids:
                continue
            cat_ids[key] = len(categories) + 1
            cat: dict[str, Any] = {
                "id": cat_ids[key],
                "name": cid,
                "supercategory": cls.parent or "",
            }
            if len(cls.parents) > 1:
                result.warn_once(
                    f"parents:{task.id}:{cid}",
                    f"class '{cid}' of task '{task.id}' sits under {len(cls.parents)} parents "
                    f"({', '.join(cls.parents)}); a COCO supercategory holds one: "
                    f"'{cls.parent}' is written",
                )
            if shape == "keypoints":
                skel = task.skeleton_for(cid)
                pts = list(skel.points) if skel else []
                cat["keypoints"] = pts
                cat["skeleton"] = [
                    [pts.index(a) + 1, pts.index(b) + 1]
                    for a, b in (skel.edges if skel else [])
                    if a in pts and b in pts
                ]
            categories.append(cat)
    images: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for rec in records:
        image_id = len(images) + 1
        size = None
        for task in tasks.image_tasks():
            size = size or record_size(g, task, rec)
        main = tasks.image_tasks()[0] if tasks.image_tasks() else None
        name = (image_path(rec, main) if main else None) or str(rec.get(g.delivery.id))
        image: dict[str, Any] = {"id": image_id, "file_name": name}
        if size is not None:
            image["width"], image["height"] = tidy(size[0]), tidy(size[1])
        kept = {k: v for k, v in rec.items() if k in metadata_names(g)}
        kept.update(extras(rec, g, metadata_names(g)))
        if kept:
            image["guidekit"] = kept
        anns = _annotations(rec, g, tasks, size, cat_ids, image_id, len(annotations), result)
        if anns is None:
            continue
        images.append(image)
        annotations.extend(anns)
        result.records += 1
    doc = {
        "info": {
            "description": f"{g.title} {g.version}",
            "version": g.version,
            "contributor": "guidekit",
        },
        "licenses": [],
        "categories": categories,
        "images": images,
        "annotations": annotations,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS) + b"\n")
    result.paths.append(out)
    return result


def _annotations(
    rec: Mapping[str, Any],
    g: ir.Guideline,
    tasks: _Tasks,
    size: tuple[float, float] | None,
    cat_ids: Mapping[tuple[str, str], int],
    image_id: int,
    start: int,
    result: Exported,
) -> list[dict[str, Any]] | None:
    anns: list[dict[str, Any]] = []
    for task in tasks.image_tasks():
        shape = tasks.shape[task.id]
        coords = Coords(task, size)
        for region in regions(rec, task):
            key = ("keypoints" if shape == "keypoints" else "shape", str(region.get("label")))
            ann: dict[str, Any] = {
                "id": start + len(anns) + 1,
                "image_id": image_id,
                "category_id": cat_ids.get(key, 0),
                "iscrowd": 0,
            }
            try:
                if shape == "box":
                    x, y, w, h = coords.box_out(region["bbox"], frac=False)
                    ann["bbox"] = [tidy(x), tidy(y), tidy(w), tidy(h)]
                    ann["area"] = tidy(w * h)
                    ann["segmentation"] = []
                elif shape == "polygon":
                    pts = [coords.point_out(p[0], p[1], frac=False) for p in region["points"]]
                    ann["segmentation"] = [[tidy(v) for p in pts for v in p]]
                    ann["bbox"] = _bounds(pts)
                    ann["area"] = tidy(_area(pts))
                else:
                    skel = task.skeleton_for(str(region.get("label")))
                    names = list(skel.points) if skel else list(region["points"])
                    flat: list[Any] = []
                    visible = []
                    for n in names:
                        p = region["points"].get(n)
                        if p is None:
                            flat += [0, 0, 0]
                            continue
                        x, y = coords.point_out(p[0], p[1], frac=False)
                        flat += [tidy(x), tidy(y), p[2]]
                        if p[2]:
                            visible.append((x, y))
                    ann["keypoints"] = flat
                    ann["num_keypoints"] = len(visible)
                    ann["bbox"] = _bounds(visible)
                    ann["area"] = tidy(ann["bbox"][2] * ann["bbox"][3])
            except NoSize:
                result.fail(
                    rec,
                    g,
                    f"task '{task.id}': the image size is unknown, so coordinates cannot be written in pixels",
                )
                return None
            except (KeyError, TypeError, ValueError, IndexError, AttributeError):
                result.fail(rec, g, f"task '{task.id}': a region is malformed; left out")
                continue
            if ann["category_id"] == 0:
                result.fail(
                    rec, g, f"task '{task.id}': label {region.get('label')!r} is no class; left out"
                )
                continue
            attrs = region.get("attributes")
            if isinstance(attrs, dict) and attrs:
                attrs = dict(attrs)
                if attrs.pop("iscrowd", None):  # COCO's own field, as the reader reads it
                    ann["iscrowd"] = 1
                if attrs:
                    ann["attributes"] = attrs
            anns.append(ann)
    return anns
