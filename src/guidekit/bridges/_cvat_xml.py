"""Read and write "CVAT for images" XML 1.1 (the format is described in
:mod:`guidekit.bridges.cvat`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from guidekit import ir, tasktypes
from guidekit.bridges._common import (
    Coords,
    NoSize,
    RecordBuilder,
    all_present,
    file_error,
    fixed_size,
    image_field,
    parse_num,
    paused_gc,
    pick_task,
    put_flag,
    record_size,
    resolve_label,
    stem,
    tidy,
    typed,
)
from guidekit.bridges._cvat_labels import label_list, types_for
from guidekit.bridges._export import Exported, image_path, label_of, regions
from guidekit.bridges._text import label_types
from guidekit.bridges._xml import Node, parse_file
from guidekit.bridges._xmlout import DECLARATION, Element, add, element, to_lines
from guidekit.delivery.read import RawRecord

FMT = "CVAT XML"


# -- reader ----------------------------------------------------------------------------------------


class _Tasks:
    def __init__(self, g: ir.Guideline, file: str, options: Mapping[str, Any]) -> None:
        self.bbox = pick_task(g, types_for("box"), options.get("task"), fmt=FMT, file=file)
        self.polygon = pick_task(
            g,
            types_for("polygon"),
            options.get("polygon_task"),
            fmt=FMT,
            file=file,
            option="polygon_task",
        )
        self.keypoints = pick_task(
            g,
            types_for("skeleton"),
            options.get("keypoints_task"),
            fmt=FMT,
            file=file,
            option="keypoints_task",
        )
        #: the task whose values are "CVAT for video" ``<track>`` elements
        self.track = pick_task(
            g,
            types_for("track"),
            options.get("track_task"),
            fmt=FMT,
            file=file,
            option="track_task",
        )
        tags = [t for t in g.tasks.values() if t.type in label_types()]
        chosen = options.get("classes_task")
        self.tags = g.tasks.get(chosen) if chosen else (tags[0] if len(tags) == 1 else None)
        self.field = next(
            (t.over for t in (self.bbox, self.polygon, self.keypoints) if t is not None), None
        )
        if self.field is None:
            self.field = next((n for n, f in g.record.fields.items() if f.type == "image"), None)
        self.video = self.track.over if self.track is not None else None

        #: the XML element of each shape task's values (``box``, ``polygon``, ``skeleton``)
        self.elements = {t.id: tasktypes.of(t).cvat().element for t in self.shapes()}

    def shapes(self) -> list[ir.Task]:
        return [t for t in (self.bbox, self.polygon, self.keypoints) if t is not None]


def _meta_types(root: Node) -> dict[tuple[str, str], str]:
    """``(label, attribute) -> input_type`` from the file's meta."""
    out: dict[tuple[str, str], str] = {}
    meta = root.find("meta")
    holder = (meta.find("task") or meta.find("project") or meta.find("job")) if meta else None
    labels = holder.find("labels") if holder else None
    for label in labels.findall("label") if labels else []:
        name = label.findtext("name") or ""
        attrs = label.find("attributes")
        for attr in attrs.findall("attribute") if attrs else []:
            out[(name, attr.findtext("name") or "")] = attr.findtext("input_type") or "text"
    return out


def read(path: Path, guideline: ir.Guideline, **options: Any) -> Iterator[RawRecord]:
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise file_error("GK801", f"'{file}' is not a file", file)
    with paused_gc():
        root = parse_file(path, file)
    if root.tag != "annotations":
        raise file_error(
            "GK801", f"the root element is <{root.tag}>, not <annotations>", file, root.line
        )
    g = guideline
    tasks = _Tasks(g, file, options)
    types = _meta_types(root)
    id_from = str(options.get("id_from", "stem"))
    splits = {s.lower(): s for s in g.splits}
    # a project export repeats file names across its subsets (img0.jpg in Train and in Test
    # are two images): ids are then qualified by the subset, unless told otherwise
    qualify = str(options.get("subset_ids", "auto"))
    if qualify not in ("auto", "always", "never"):
        raise file_error(
            "GK801", f"-O subset_ids={qualify}: use auto, always or never", file, root.line
        )
    subsets = {n.attrib.get("subset") for n in root.children if n.tag == "image"}
    by_subset = qualify == "always" or (qualify == "auto" and len(subsets) > 1)
    if tasks.track is not None and root.find("track") is not None:
        yield _video_record(root, g, tasks.track, file, types)
        return
    for node in root.children:
        if node.tag in ("version", "meta"):
            continue
        b = RecordBuilder(file, node.line)
        if node.tag in ("track", "tag"):
            b.problem(
                "GK806",
                f"video {node.tag} (label '{node.attrib.get('label')}'): export the task as "
                "'CVAT for images' to read per-image annotations",
                fatal=True,
            )
            yield b.build()
            continue
        if node.tag != "image":
            b.problem("GK802", f"unexpected element <{node.tag}>", fatal=True)
            yield b.build()
            continue
        name = node.attrib.get("name", "")
        subset = node.attrib.get("subset")
        rid = (
            node.attrib.get("id")
            if id_from == "id"
            else (name if id_from == "name" else stem(name))
        )
        b.data[g.delivery.id] = f"{subset}/{rid}" if by_subset and subset else rid
        w, h = parse_num(node.attrib.get("width")), parse_num(node.attrib.get("height"))
        size = (w, h) if w and h and w > 0 and h > 0 else None
        if tasks.field:
            b.data[tasks.field] = image_field(name or None, *(size or (None, None)))
        if subset and subset.lower() in splits:
            b.data[g.delivery.metadata.split] = splits[subset.lower()]
        for t in tasks.shapes():
            b.data[t.id] = []
        for shape in node.children:
            _shape(b, g, tasks, shape, size, types)
        yield b.build()


def _attributes(
    b: RecordBuilder,
    task: ir.Task,
    cid: str | None,
    region: dict[str, Any],
    shape: Node,
    types: Mapping[tuple[str, str], str],
    label: str,
) -> None:
    put_flag(task, cid, region, "occluded", shape.attrib.get("occluded"))
    for attr in shape.findall("attribute"):
        name = attr.attrib.get("name")
        if not name:
            b.problem("GK802", "an <attribute> without a name", line=attr.line)
            continue
        decl = task.attributes_for(cid).get(name) if cid else None
        text = attr.text.strip()
        if decl is None:
            kind = types.get((label, name))
            value: Any = (
                text.lower() == "true"
                if kind == "checkbox"
                else (parse_num(text) if kind == "number" and parse_num(text) is not None else text)
            )
            value = tidy(value) if isinstance(value, float) else value
        else:
            value = typed(decl, text)
        region.setdefault("attributes", {})[name] = value


def _points(text: str | None) -> list[tuple[float, float]] | None:
    if not text:
        return None
    out = []
    for pair in text.split(";"):
        xy = pair.split(",")
        if len(xy) != 2:
            return None
        x, y = parse_num(xy[0]), parse_num(xy[1])
        if x is None or y is None:
            return None
        out.append((x, y))
    return out


def _shape(
    b: RecordBuilder,
    g: ir.Guideline,
    tasks: _Tasks,
    shape: Node,
    size: tuple[float, float] | None,
    types: Mapping[tuple[str, str], str],
) -> None:
    kind = shape.tag
    label = shape.attrib.get("label", "")
    line = shape.line
    if kind == "tag":
        if tasks.tags is None:
            b.problem(
                "GK804",
                f"tag '{label}', but the guideline has no (single) classification task",
                line=line,
            )
            return
        task = tasks.tags
        value = b.label(task, label, None, line=line)
        if tasktypes.of(task).many_labels:
            b.data.setdefault(task.id, []).append(value)
        elif task.id in b.data:
            prev = b.data[task.id]
            b.data[task.id] = [*(prev if isinstance(prev, list) else [prev]), value]
        else:
            b.data[task.id] = value
        return
    target = {
        "box": tasks.bbox,
        "polygon": tasks.polygon,
        "skeleton": tasks.keypoints,
        "points": tasks.keypoints,
    }.get(kind)
    if kind in ("polyline", "ellipse", "cuboid", "mask"):
        b.problem("GK806", f"{kind} '{label}' has no guidekit form", line=line)
        return
    if kind not in ("box", "polygon", "skeleton", "points"):
        b.problem("GK802", f"unknown shape <{kind}>", line=line)
        return
    if target is None:
        want = " or ".join(types_for("skeleton" if kind == "points" else kind))
        b.problem("GK804", f"{kind} '{label}', but the guideline has no {want} task", line=line)
        return
    task = target
    value = b.label(task, label, None, line=line)
    cid = resolve_label(task, value) if isinstance(value, str) else None
    coords = Coords(task, size or fixed_size(g, task))
    try:
        if kind == "box":
            nums = [parse_num(shape.attrib.get(k)) for k in ("xtl", "ytl", "xbr", "ybr")]
            if not all_present(nums):
                b.problem("GK802", "a box needs numeric xtl, ytl, xbr, ybr", line=line)
                return
            x1, y1, x2, y2 = nums
            if parse_num(shape.attrib.get("rotation")) not in (None, 0.0):
                b.problem(
                    "GK806",
                    f"rotated box ({shape.attrib['rotation']} degrees); guidekit boxes are axis-aligned",
                    line=line,
                )
                return
            region: dict[str, Any] = {
                "label": value,
                "bbox": coords.box_in(x1, y1, x2 - x1, y2 - y1, frac=False),
            }
        elif kind == "polygon":
            pts = _points(shape.attrib.get("points"))
            if pts is None:
                b.problem("GK802", "polygon points must be 'x,y;x,y;...'", line=line)
                return
            region = {"label": value, "points": [coords.point_in(x, y, frac=False) for x, y in pts]}
        elif kind == "skeleton":
            points: dict[str, list[Any]] = {}
            for el in shape.findall("points"):
                pts = _points(el.attrib.get("points"))
                if pts is None or len(pts) != 1:
                    b.problem("GK802", "a skeleton point needs one 'x,y'", line=el.line)
                    continue
                v = (
                    0
                    if el.attrib.get("outside") == "1"
                    else 1
                    if el.attrib.get("occluded") == "1"
                    else 2
                )
                points[el.attrib.get("label", "")] = [*coords.point_in(*pts[0], frac=False), v]
            region = {"label": value, "points": points}
        else:
            pts = _points(shape.attrib.get("points"))
            skel = task.skeleton_for(cid) if cid else None
            if pts is None or skel is None or len(pts) != len(skel.points):
                b.problem(
                    "GK804",
                    f"points '{label}' ({len(pts or [])} points) do not match a skeleton of task "
                    f"'{task.id}'; draw keypoints as a CVAT skeleton",
                    line=line,
                )
                return
            region = {
                "label": value,
                "points": {
                    n: [*coords.point_in(x, y, frac=False), 2]
                    for n, (x, y) in zip(skel.points, pts, strict=True)
                },
            }
    except NoSize:
        b.problem("GK807", "the image has no width/height to normalise coordinates", line=line)
        return
    _attributes(b, task, cid, region, shape, types, label)
    b.append(task.id, region)


# -- video tracks ------------------------------------------------------------------------------


def _video_record(
    root: Node, g: ir.Guideline, task: ir.Task, file: str, types: Mapping[tuple[str, str], str]
) -> RawRecord:
    """The whole file as one record: the video and its ``<track>`` elements as the value of
    ``task`` (a type whose CVAT map has a ``frame_shape``)."""
    shape_tag = tasktypes.of(task).cvat().frame_shape
    meta = root.find("meta")
    holder = meta.find("task") if meta else None
    source = (meta.findtext("source") if meta else None) or stem(file)
    b = RecordBuilder(file, root.line)
    b.data[g.delivery.id] = stem(source)
    video: dict[str, Any] = {"path": source}
    stop = parse_num(holder.findtext("stop_frame")) if holder else None
    if stop is not None:
        video["frames"] = int(stop) + 1
    size_el = holder.find("original_size") if holder else None
    w = parse_num(size_el.findtext("width")) if size_el else None
    h = parse_num(size_el.findtext("height")) if size_el else None
    size = (w, h) if w and h else None
    if size is not None:
        video["width"], video["height"] = int(w), int(h)  # type: ignore[arg-type]
    if task.over:
        b.data[task.over] = video
    coords = Coords(task, size or fixed_size(g, task))
    tracks: list[dict[str, Any]] = []
    for node in root.children:
        if node.tag in ("version", "meta"):
            continue
        if node.tag != "track":
            b.problem("GK806", f"<{node.tag}> in a video file has no guidekit form", line=node.line)
            continue
        label = node.attrib.get("label", "")
        value = b.label(task, label, None, line=node.line)
        cid = resolve_label(task, value) if isinstance(value, str) else None
        boxes = []
        for shape in node.children:
            if shape.tag != shape_tag:
                b.problem(
                    "GK806",
                    f"{shape.tag} in track {node.attrib.get('id')} ('{label}'): task "
                    f"'{task.id}' holds {shape_tag} tracks",
                    line=shape.line,
                )
                break
            box = _track_box(b, task, cid, shape, coords, types, label)
            if box is not None:
                boxes.append(box)
        else:
            tracks.append(
                {"id": node.attrib.get("id", str(len(tracks))), "label": value, "boxes": boxes}
            )
    b.data[task.id] = tracks
    return b.build()


def _track_box(
    b: RecordBuilder,
    task: ir.Task,
    cid: str | None,
    shape: Node,
    coords: Coords,
    types: Mapping[tuple[str, str], str],
    label: str,
) -> dict[str, Any] | None:
    nums = [parse_num(shape.attrib.get(k)) for k in ("xtl", "ytl", "xbr", "ybr")]
    frame = parse_num(shape.attrib.get("frame"))
    if frame is None or not all_present(nums):
        b.problem("GK802", "a track box needs frame, xtl, ytl, xbr, ybr", line=shape.line)
        return None
    x1, y1, x2, y2 = nums
    try:
        bbox = coords.box_in(x1, y1, x2 - x1, y2 - y1, frac=False)
    except NoSize:
        b.problem(
            "GK807", "the video has no width/height to normalise coordinates", line=shape.line
        )
        return None
    box: dict[str, Any] = {
        "frame": int(frame),
        "bbox": bbox,
        "keyframe": shape.attrib.get("keyframe") == "1",
        "outside": shape.attrib.get("outside") == "1",
    }
    attrs: dict[str, Any] = {}
    _attributes(b, task, cid, attrs, shape, types, label)
    if attrs.get("attributes"):
        box["attributes"] = attrs["attributes"]
    return box


def _track_els(task: ir.Task, rec: Mapping[str, Any], coords: Coords, start: int) -> list[Element]:
    """``<track>`` elements of a record's value of ``task``, numbered from ``start``."""
    out = []
    shape_tag = tasktypes.of(task).cvat().frame_shape or "box"
    for n, track in enumerate(rec.get(task.id) or []):
        el = element(
            "track", {"id": str(start + n), "label": str(label_of(track)), "source": "manual"}
        )
        for box in track.get("boxes") or []:
            x, y, w, h = coords.box_out(box["bbox"], frac=False)
            frame_el = add(
                el,
                element(
                    shape_tag,
                    {
                        "frame": str(box["frame"]),
                        "outside": "1" if box.get("outside") else "0",
                        "occluded": "0",
                        "keyframe": "1" if box.get("keyframe", True) else "0",
                        "xtl": _num(x),
                        "ytl": _num(y),
                        "xbr": _num(x + w),
                        "ybr": _num(y + h),
                        "z_order": "0",
                    },
                ),
            )
            for key, value in (box.get("attributes") or {}).items():
                text = str(value).lower() if isinstance(value, bool) else str(value)
                add(frame_el, element("attribute", {"name": str(key)}, text=text))
        out.append(el)
    return out


# -- writer ---------------------------------------------------------------------------------------


def _num(v: float) -> str:
    return str(tidy(v))


def _meta_labels(g: ir.Guideline) -> Element:
    el = element("labels")
    labels, _ = label_list(g)
    for label in labels:
        node = add(el, element("label"))
        add(node, element("name", text=label["name"]))
        add(node, element("color", text=label["color"]))
        add(node, element("type", text=label["type"]))
        attrs = add(node, element("attributes"))
        for a in label["attributes"]:
            an = add(attrs, element("attribute"))
            add(an, element("name", text=a["name"]))
            add(an, element("mutable", text="False"))
            add(an, element("input_type", text=a["input_type"]))
            add(an, element("default_value", text=a["default_value"]))
            add(an, element("values", text="\n".join(a["values"])))
        if "svg" in label:
            add(node, element("svg", text=label["svg"]))
        for sub in label.get("sublabels", []):
            sn = add(el, element("label"))
            add(sn, element("name", text=sub["name"]))
            add(sn, element("color", text=sub["color"]))
            add(sn, element("type", text="points"))
            add(sn, element("attributes"))
            add(sn, element("parent", text=label["name"]))
    return el


def write(
    records: Iterable[Mapping[str, Any]], guideline: ir.Guideline, out: Path, **options: Any
) -> Exported:
    g = guideline
    out = Path(out)
    tasks = _Tasks(g, str(out), options)
    result = Exported()
    for task in g.tasks.values():
        if task not in tasks.shapes() and task is not tasks.tags and task is not tasks.track:
            result.warn_once(
                task.id,
                f"task '{task.id}' ({task.type}) is not written: CVAT XML holds shapes and tags",
            )
    images: list[Element] = []
    tracks: list[Element] = []
    for rec in records:
        if tasks.track is not None:
            video = rec.get(tasks.video or "")
            size = (
                (video["width"], video["height"])
                if isinstance(video, dict) and "width" in video and "height" in video
                else fixed_size(g, tasks.track)
            )
            try:
                tracks += _track_els(tasks.track, rec, Coords(tasks.track, size), len(tracks))
            except NoSize:
                result.fail(rec, g, "the video size is unknown; CVAT needs pixel coordinates")
                continue
            except (KeyError, TypeError, ValueError, IndexError, AttributeError):
                result.fail(rec, g, "a track is malformed")
                continue
            if not tasks.shapes() and tasks.tags is None:
                result.records += 1
                continue
        node = _image_el(rec, g, tasks, len(images), result)
        if node is not None:
            images.append(node)
            result.records += 1
    root = element("annotations")
    add(root, element("version", text="1.1"))
    meta = add(root, element("meta"))
    task_el = add(meta, element("task"))
    add(task_el, element("name", text=f"{g.title} {g.version}"))
    add(task_el, element("size", text=str(len(images))))
    add(task_el, element("mode", text="interpolation" if tracks else "annotation"))
    add(task_el, _meta_labels(g))
    root.extend(images)
    root.extend(tracks)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        DECLARATION + "\n" + "\n".join(to_lines(root)) + "\n",
        encoding="utf-8",
        newline="\n",
    )
    result.paths.append(out)
    return result


def _image_el(
    rec: Mapping[str, Any], g: ir.Guideline, tasks: _Tasks, n: int, result: Exported
) -> Element | None:
    shapes = tasks.shapes()
    size = next((s for s in (record_size(g, t, rec) for t in shapes) if s), None)
    name = (image_path(rec, shapes[0]) if shapes else None) or str(rec.get(g.delivery.id))
    node = element("image", {"id": str(n), "name": name})
    if size is not None:
        node.attrib["width"], node.attrib["height"] = _num(size[0]), _num(size[1])
    split = rec.get(g.delivery.metadata.split)
    if split is not None:
        node.attrib["subset"] = str(split)
    try:
        for task in shapes:
            coords = Coords(task, size)
            for region in regions(rec, task):
                add(node, _shape_el(task, tasks.elements[task.id], region, coords))
    except NoSize:
        result.fail(rec, g, "the image size is unknown; CVAT needs pixel coordinates")
        return None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        result.fail(rec, g, "a region is malformed")
        return None
    if tasks.tags is not None and rec.get(tasks.tags.id) is not None:
        value = rec[tasks.tags.id]
        for item in value if isinstance(value, list) else [value]:
            add(node, element("tag", {"label": str(label_of(item)), "source": "manual"}))
    return node


def _shape_el(task: ir.Task, kind: str, region: Mapping[str, Any], coords: Coords) -> Element:
    label = str(region.get("label"))
    attrs = dict(region.get("attributes") or {})
    occluded = attrs.pop("occluded", None) if isinstance(attrs.get("occluded"), bool) else None
    flags = {"label": label, "source": "manual", "occluded": "1" if occluded else "0"}
    if kind == "box":
        x, y, w, h = coords.box_out(region["bbox"], frac=False)
        el = element(
            "box",
            {
                **flags,
                "xtl": _num(x),
                "ytl": _num(y),
                "xbr": _num(x + w),
                "ybr": _num(y + h),
                "z_order": "0",
            },
        )
    elif kind == "polygon":
        pts = [coords.point_out(p[0], p[1], frac=False) for p in region["points"]]
        el = element(
            "polygon",
            {**flags, "points": ";".join(f"{_num(x)},{_num(y)}" for x, y in pts), "z_order": "0"},
        )
    else:
        el = element("skeleton", {"label": label, "source": "manual", "z_order": "0"})
        for name, p in region["points"].items():
            x, y = coords.point_out(p[0], p[1], frac=False)
            add(
                el,
                element(
                    "points",
                    {
                        "label": name,
                        "source": "manual",
                        "outside": "1" if p[2] == 0 else "0",
                        "occluded": "1" if p[2] == 1 else "0",
                        "points": f"{_num(x)},{_num(y)}",
                    },
                ),
            )
    for key, value in attrs.items():
        add(
            el,
            element(
                "attribute",
                {"name": str(key)},
                text=str(value).lower() if isinstance(value, bool) else str(value),
            ),
        )
    return el
