"""doccano JSONL: sequence labelling, relation extraction, text classification, intent
detection, and the image bounding-box and segmentation exports.

Reader: one record per JSON object (objects may span lines, as in doccano's own relation
example). ``label`` holds spans (``[start, end, label]``) or class names; ``entities``
spans as triples or objects (``start_offset``/``end_offset``, with ``id``); ``relations``
``from_id``/``to_id``/``type``; ``cats`` class names; ``bbox`` and ``segmentation`` image
regions in pixels. The record id is the object's id field (the guideline's, else ``id``),
else its line number.

Writer: the shape doccano exports for what the guideline holds -- ``label`` triples for
spans alone, ``entities`` + ``relations`` when there are relations, ``entities`` + ``cats``
for spans with a classification, ``label`` names for a classification alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from guidekit import ir, tasktypes
from guidekit.bridges._common import (
    Coords,
    NoSize,
    RecordBuilder,
    all_nums,
    is_num,
    pick_task,
)
from guidekit.bridges._export import Exported, extras, label_of, metadata_names, regions
from guidekit.bridges._images import shape_types
from guidekit.bridges._text import TextTasks, copy_known, json_values, put_classes
from guidekit.delivery.read import RawRecord

FMT = "doccano"


def _span(b: RecordBuilder, tasks: TextTasks, item: Any, ptr: str) -> dict[str, Any] | None:
    task = tasks.spans
    if isinstance(item, list) and len(item) == 3:
        start, end, label = item
        rid = None
    elif isinstance(item, dict):
        start = item.get("start_offset", item.get("start"))
        end = item.get("end_offset", item.get("end"))
        label, rid = item.get("label"), item.get("id")
    else:
        b.problem("GK802", "a span is [start, end, label] or an object with offsets", ptr)
        return None
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        b.problem("GK802", "span offsets must be integers", ptr)
        return None
    if task is None:
        b.problem("GK804", "the export has spans but the guideline has no spans task", ptr)
        return None
    span: dict[str, Any] = {"start": start, "end": end, "label": b.label(task, label, ptr)}
    if rid is not None and tasks.relations is not None:
        span["id"] = str(rid)
    return span


def _image(
    b: RecordBuilder, g: ir.Guideline, obj: Mapping[str, Any], options: Mapping[str, Any]
) -> None:
    for key, types, opt in (
        ("bbox", shape_types("box"), "task"),
        ("segmentation", shape_types("polygon"), "polygon_task"),
    ):
        items = obj.get(key)
        if items is None:
            continue
        task = pick_task(g, types, options.get(opt), fmt=FMT, file=b.file, option=opt)
        if task is None:
            b.problem(
                "GK804",
                f"the export has '{key}' regions but the guideline has no {types[0]} task",
                f"/{key}",
            )
            continue
        if not isinstance(items, list):
            b.problem("GK802", f"'{key}' must be a list", f"/{key}")
            continue
        if isinstance(obj.get("filename"), str) and task.over:
            b.data.setdefault(task.over, {"path": obj["filename"]})
        coords = Coords(task, None)
        for i, item in enumerate(items):
            ptr = f"/{key}/{i}"
            if not isinstance(item, dict):
                b.problem("GK802", "a region is an object", ptr)
                continue
            label = b.label(task, item.get("label"), f"{ptr}/label")
            try:
                if key == "bbox":
                    nums = [item.get(k) for k in ("x", "y", "width", "height")]
                    if not all_nums(nums):
                        b.problem("GK802", "a box needs numeric x, y, width, height", ptr)
                        continue
                    b.append(task.id, {"label": label, "bbox": coords.box_in(*nums, frac=False)})
                else:
                    flat = item.get("points")
                    if not (
                        isinstance(flat, list)
                        and len(flat) % 2 == 0
                        and all(is_num(v) for v in flat)
                    ):
                        b.problem(
                            "GK802",
                            "polygon points are a flat list [x1, y1, x2, y2, ...]",
                            f"{ptr}/points",
                        )
                        continue
                    pts = [
                        coords.point_in(flat[k], flat[k + 1], frac=False)
                        for k in range(0, len(flat), 2)
                    ]
                    b.append(task.id, {"label": label, "points": pts})
            except NoSize:
                b.problem(
                    "GK807",
                    "doccano gives pixels but the task's units are normalized and the image size is unknown",
                    ptr,
                )


def _text_regions(task: ir.Task) -> bool:
    """Whether ``task`` draws regions on a text (spans), not on an image."""
    tt = tasktypes.of(task)
    return tt.region and not tt.image


def read_doccano(path: str | Path, guideline: ir.Guideline, **options: Any) -> Iterator[RawRecord]:
    """Records of a doccano JSONL export (see the module docstring for the shapes read)."""
    path = Path(path)
    file = str(path)
    g = guideline
    image = any(tasktypes.of(t).image_shape() in ("box", "polygon") for t in g.tasks.values())
    tasks = (
        TextTasks.of(g, FMT, file, options)
        if not image or any(_text_regions(t) for t in g.tasks.values())
        else None
    )
    id_key = g.delivery.id
    text_key = str(options.get("text_key", "text"))
    label_key = str(options.get("label_key", "label"))
    for n, (line, obj, error) in enumerate(json_values(path, file), 1):
        if error is not None:
            yield RawRecord(file, line, b"", None, error)
            continue
        b = RecordBuilder(file, line)
        if not isinstance(obj, dict):
            b.problem("GK802", "each line of a doccano export is a JSON object", fatal=True)
            yield b.build()
            continue
        b.data[id_key] = obj.get(id_key, obj.get("id", n))
        if "bbox" in obj or "segmentation" in obj:
            _image(b, g, obj, options)
            copy_known(b, g, obj, skip=(id_key,))
            yield b.build()
            continue
        if tasks is None:
            b.problem("GK804", "a text item, but the guideline has no text task", fatal=True)
            yield b.build()
            continue
        text = obj.get(text_key)
        if isinstance(text, str):
            b.data[tasks.field] = text
        else:
            b.problem(
                "GK802",
                f"no text: the object has no '{text_key}' string",
                f"/{text_key}",
                hint=f"keys: {', '.join(map(str, obj))}; name the text and label keys with the "
                "options text_key=KEY label_key=KEY",
            )
        label: Any = obj.get(label_key)  # JSON: checked below
        spans_given = isinstance(label, list) and any(isinstance(x, list) for x in label)
        span_items: list[tuple[Any, str]] = []
        if spans_given:
            span_items += [(x, f"/{label_key}/{i}") for i, x in enumerate(label)]
        elif isinstance(label, list):
            if label:
                _classes(b, tasks, label, f"/{label_key}")
            elif tasks.spans is not None:
                b.data[tasks.spans.id] = []  # an empty label list: no spans
        elif label is not None:
            _classes(b, tasks, [label], f"/{label_key}")
        entities = obj.get("entities")
        if isinstance(entities, list):
            span_items += [(x, f"/entities/{i}") for i, x in enumerate(entities)]
        elif entities is not None:
            b.problem("GK802", "'entities' must be a list", "/entities")
        if tasks.spans is not None and (span_items or "entities" in obj or spans_given):
            b.data.setdefault(tasks.spans.id, [])
        for item, ptr in span_items:
            span = _span(b, tasks, item, ptr)
            if span is not None and tasks.spans is not None:
                b.append(tasks.spans.id, span)
        cats = obj.get("cats")
        if isinstance(cats, list):
            _classes(b, tasks, cats, "/cats")
        _relations(b, tasks, obj.get("relations"))
        copy_known(b, g, obj, skip=(id_key, tasks.field, text_key, label_key))
        yield b.build()


def _classes(b: RecordBuilder, tasks: TextTasks, labels: list[Any], ptr: str) -> None:
    if tasks.classes is None:
        tasks.no_classes(b, ptr)
        return
    put_classes(b, tasks.classes, labels, ptr)


def _relations(b: RecordBuilder, tasks: TextTasks, rels: Any) -> None:
    if rels is None:
        return
    if not isinstance(rels, list):
        b.problem("GK802", "'relations' must be a list", "/relations")
        return
    if tasks.relations is None:
        if rels:
            b.problem(
                "GK804",
                "the export has relations but the guideline has no relations task over its spans",
                "/relations",
            )
        return
    b.data.setdefault(tasks.relations.id, [])
    for i, rel in enumerate(rels):
        ptr = f"/relations/{i}"
        if not isinstance(rel, dict) or rel.get("from_id") is None or rel.get("to_id") is None:
            b.problem("GK802", "a relation is an object with from_id, to_id and type", ptr)
            continue
        b.append(
            tasks.relations.id,
            {
                "label": b.label(tasks.relations, rel.get("type"), f"{ptr}/type"),
                "from": str(rel["from_id"]),
                "to": str(rel["to_id"]),
            },
        )


# -- writer ----------------------------------------------------------------------------------------


def _int_id(value: Any, fallback: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return fallback


def write_doccano(
    records: Iterable[Mapping[str, Any]], guideline: ir.Guideline, out: str | Path, **options: Any
) -> Exported:
    """Write native records as doccano JSONL (one object per line)."""
    g = guideline
    out = Path(out)
    result = Exported()
    tasks = TextTasks.of(g, FMT, str(out), options)
    for task in g.tasks.values():
        if task not in (tasks.spans, tasks.classes, tasks.relations):
            result.warn_once(
                task.id,
                f"task '{task.id}' ({task.type}) is not written: doccano's text formats have no place for it",
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        for rec in records:
            row: dict[str, Any] = {"id": rec.get(g.delivery.id)}
            if g.delivery.id != "id":
                row[g.delivery.id] = rec.get(g.delivery.id)
            text = rec.get(tasks.field)
            if not isinstance(text, str):
                result.fail(rec, g, f"has no text in '{tasks.field}'; doccano needs the text")
                continue
            row["text"] = text
            spans = regions(rec, tasks.spans) if tasks.spans else []
            if any(sp.get("attributes") for sp in spans):
                result.warn_once(
                    "attributes", "span attributes are not written: doccano has no place for them"
                )
            labels = rec.get(tasks.classes.id) if tasks.classes else None
            classes = (
                [label_of(x) for x in (labels if isinstance(labels, list) else [labels])]
                if labels is not None
                else []
            )
            if tasks.relations is not None:
                ids: dict[str, int] = {}
                ents = []
                for k, s in enumerate(spans):
                    eid = _int_id(s.get("id"), k)
                    if s.get("id") is not None:
                        ids[str(s["id"])] = eid
                    ents.append(
                        {
                            "id": eid,
                            "start_offset": s.get("start"),
                            "end_offset": s.get("end"),
                            "label": s.get("label"),
                        }
                    )
                row["entities"] = ents
                row["relations"] = [
                    {
                        "id": k,
                        "from_id": ids.get(str(r.get("from")), r.get("from")),
                        "to_id": ids.get(str(r.get("to")), r.get("to")),
                        "type": r.get("label"),
                    }
                    for k, r in enumerate(regions(rec, tasks.relations))
                ]
                if tasks.classes is not None:
                    row["cats"] = classes
            elif tasks.spans is not None and tasks.classes is not None:
                row["entities"] = [[s.get("start"), s.get("end"), s.get("label")] for s in spans]
                row["cats"] = classes
            elif tasks.spans is not None:
                row["label"] = [[s.get("start"), s.get("end"), s.get("label")] for s in spans]
            else:
                row["label"] = classes
            for key, value in rec.items():
                if key in metadata_names(g) or (key in g.record.fields and key != tasks.field):
                    row[key] = value
            row.update({k: v for k, v in extras(rec, g, metadata_names(g)).items() if k not in row})
            f.write(orjson.dumps(row, option=orjson.OPT_NON_STR_KEYS) + b"\n")
            result.records += 1
    result.paths.append(out)
    return result
