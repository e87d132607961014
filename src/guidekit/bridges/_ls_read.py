"""Read Label Studio exports (JSON and JSON-MIN) into native records.

One record per annotation (a task annotated twice gives two records with the same id, as
agreement needs); cancelled annotations become records whose skip reason is ``cancelled``.
Predictions are not annotations and are not read. How results become task values:
:mod:`guidekit.bridges._ls_results`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from guidekit import ir, tasktypes
from guidekit.bridges._common import RecordBuilder, bad_item, file_error, is_num
from guidekit.bridges._json import JsonText
from guidekit.bridges._ls_results import ATTRIBUTE_TYPES, REGION_TYPES, Mapper
from guidekit.delivery.read import RawRecord
from guidekit.diagnostics.pointer import escape as _esc

META_KEYS = {
    "id",
    "annotator",
    "annotation_id",
    "created_at",
    "updated_at",
    "lead_time",
    "agreement",
    "history",
    "was_cancelled",
}


# -- metadata ------------------------------------------------------------------------------------


def _person(value: Any) -> str | None:
    if isinstance(value, dict):
        email = value.get("email")
        if email:
            return str(email)
        value = value.get("id")
    if value is None or value == "" or value == {}:
        return None
    return str(value)


def _metadata(b: RecordBuilder, g: ir.Guideline, ann: Mapping[str, Any], extra: Any) -> None:
    m = g.delivery.metadata
    b.set_meta(m.annotator, _person(ann.get("completed_by")))
    b.set_meta(m.created_at, ann.get("created_at"))
    b.set_meta(m.updated_at, ann.get("updated_at"))
    reviews = ann.get("reviews")
    if isinstance(reviews, list) and reviews and isinstance(reviews[-1], dict):
        b.set_meta(m.reviewer, _person(reviews[-1].get("created_by")))
    if ann.get("was_cancelled") or ann.get("skipped"):
        b.set_meta(m.skip, "cancelled")
    if isinstance(extra, dict):
        for key, value in extra.items():
            b.set_meta(str(key), value)


def _id(g: ir.Guideline, data: Mapping[str, Any], fallback: Any) -> Any:
    key = g.delivery.id
    return data.get(key, fallback)


# -- JSON ----------------------------------------------------------------------------------------


def _top_items(path: Path, file: str, what: str) -> Iterator[tuple[int, int, Any]]:
    if not path.is_file():
        raise file_error("GK801", f"'{file}' is not a file", file)
    doc = JsonText.read(path, file)
    kind, pos = doc.start()
    if kind == "[":
        for i, (line, item) in enumerate(doc.array_items(pos)):
            yield i, line, item
    elif kind == "{":
        yield 0, doc.line(pos), doc.load()
    else:
        raise file_error("GK801", f"a {what} export is a JSON list of tasks", file, doc.line(pos))


def read_json(
    path: Path, guideline: ir.Guideline, *, controls: Any = None, **_: Any
) -> Iterator[RawRecord]:
    file = str(path)
    mapper = Mapper(guideline, file, controls)
    for i, line, task in _top_items(path, file, "Label Studio"):
        ptr = f"/{i}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            yield bad_item(file, line, "a Label Studio task is an object with a 'data' object", ptr)
            continue
        data = task["data"]
        annotations = task.get("annotations", task.get("completions"))
        if annotations is None:
            annotations = []
        if not isinstance(annotations, list):
            yield bad_item(file, line, "'annotations' must be a list", f"{ptr}/annotations")
            continue
        meta = task.get("meta")
        extras = meta.get("guidekit") if isinstance(meta, dict) else None
        if not annotations:
            b = RecordBuilder(file, line)
            b.data[guideline.delivery.id] = _id(guideline, data, task.get("id"))
            mapper._inputs(b, data, {})
            yield b.build()
            continue
        for k, ann in enumerate(annotations):
            aptr = f"{ptr}/annotations/{k}"
            if not isinstance(ann, dict):
                yield bad_item(file, line, "an annotation must be an object", aptr)
                continue
            b = RecordBuilder(file, line)
            b.data[guideline.delivery.id] = _id(guideline, data, task.get("id"))
            extra = extras[k] if isinstance(extras, list) and k < len(extras) else None
            _metadata(b, guideline, ann, extra)
            mapper.results(b, ann.get("result"), f"{aptr}/result", data)
            yield b.build()


# -- JSON-MIN ------------------------------------------------------------------------------------

_REGION_KEYS = (
    "rectanglelabels",
    "polygonlabels",
    "keypointlabels",
    "labels",
    "hypertextlabels",
    "ellipselabels",
    "brushlabels",
)


def _min_type(item: Mapping[str, Any]) -> str | None:
    for key in (*_REGION_KEYS, "choices", "taxonomy", "number", "rating", "text"):
        if key in item:
            return "textarea" if key == "text" and "start" not in item else key
    return None


def _geometry(value: Mapping[str, Any]) -> tuple[Any, ...]:
    keys = ("x", "y", "width", "height", "rotation", "start", "end")
    pts = value.get("points")
    return (*(value.get(k) for k in keys), repr(pts) if pts is not None else None)


def min_results(
    obj: Mapping[str, Any], g: ir.Guideline, b: RecordBuilder, ptr: str
) -> tuple[list[dict[str, Any]], list[str]]:
    """The results of one JSON-MIN object, and the pointer of each."""
    fields = g.record.fields
    reserved = META_KEYS | set(fields) | {g.delivery.id, "guidekit"} | set(_meta_fields(g))
    results: list[dict[str, Any]] = []
    pointers: list[str] = []
    for key, value in obj.items():
        if key in reserved or value is None:
            continue
        kp = f"{ptr}/{_esc(key)}"
        many = isinstance(value, list) and any(isinstance(v, dict) for v in value)
        for n, item in enumerate(value if many else [value]):
            ip = f"{kp}/{n}" if many else kp
            r = _min_result(g, key, item)
            if r is None:
                b.problem("GK802", f"cannot tell what kind of result '{key}' holds", ip)
                continue
            results.append(r)
            pointers.append(ip)
    # per-region attribute items carry the region's geometry but (often) not its id
    by_geometry: dict[tuple[Any, ...], Any] = {}
    for n, r in enumerate(results):
        if r["type"] in REGION_TYPES:
            if r.get("id") is None:
                r["id"] = f"min-{n}"
            by_geometry.setdefault(_geometry(r["value"]), r["id"])
    for r in results:
        if r["type"] in ATTRIBUTE_TYPES and r.get("id") is None:
            geo = _geometry(r["value"])
            if any(v is not None for v in geo) and geo in by_geometry:
                r["id"] = by_geometry[geo]
    return results, pointers


def _min_result(g: ir.Guideline, key: str, item: Any) -> dict[str, Any] | None:
    if isinstance(item, dict):
        typ = _min_type(item)
        if typ is None:
            return None
        moved = ("original_width", "original_height", "id", "parentID", "type")
        r: dict[str, Any] = {
            "from_name": key,
            "type": typ,
            "value": {k: v for k, v in item.items() if k not in moved},
        }
        for k in moved[:4]:
            if k in item:
                r[k] = item[k]
        return r
    if isinstance(item, str) or (isinstance(item, list) and all(isinstance(x, str) for x in item)):
        task = g.tasks.get(key)
        vals = item if isinstance(item, list) else [item]
        if task is not None and "textarea" in tasktypes.of(task).labelstudio_results():
            return {"from_name": key, "type": "textarea", "value": {"text": vals}}
        return {"from_name": key, "type": "choices", "value": {"choices": vals}}
    if is_num(item):
        return {"from_name": key, "type": "number", "value": {"number": item}}
    return None


def _meta_fields(g: ir.Guideline) -> list[str]:
    m = g.delivery.metadata
    return [m.annotator, m.reviewer, m.status, m.created_at, m.updated_at, m.skip, m.split]


def read_min(
    path: Path, guideline: ir.Guideline, *, controls: Any = None, **_: Any
) -> Iterator[RawRecord]:
    file = str(path)
    mapper = Mapper(guideline, file, controls)
    for i, line, obj in _top_items(path, file, "Label Studio JSON-MIN"):
        ptr = f"/{i}"
        if not isinstance(obj, dict):
            yield bad_item(file, line, "a JSON-MIN item is an object", ptr)
            continue
        b = RecordBuilder(file, line)
        b.data[guideline.delivery.id] = _id(guideline, obj, obj.get("id"))
        ann = {
            "completed_by": obj.get("annotator"),
            "created_at": obj.get("created_at"),
            "updated_at": obj.get("updated_at"),
        }
        _metadata(b, guideline, ann, obj.get("guidekit"))
        results, pointers = min_results(obj, guideline, b, ptr)
        mapper.results(b, results, ptr, obj, pointers)
        yield b.build()
