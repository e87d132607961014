"""Write native records as Label Studio JSON (tasks with annotations) and JSON-MIN.

Controls are named as in the generated config (task id, ``<task>__<attribute>``,
``<task>__points``), so the output imports into a project built from that config and reads
back to the same records. Records sharing an id become one task with several annotations.
Metadata Label Studio has no place for (reviewer, status, ...) goes into the task's
``meta.guidekit`` list, one entry per annotation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import orjson

from guidekit import ir, tasktypes
from guidekit.bridges._common import Coords, NoSize, is_num, record_size, tidy
from guidekit.bridges._export import (
    Exported,
    class_path,
    extras,
    label_of,
    metadata_names,
    region_id,
    regions,
)
from guidekit.bridges._ls_names import (
    BOOL_CHOICES,
    attr_control,
    labelstudio_map,
    main_object,
    points_control,
)
from guidekit.bridges._tooling import attribute_specs
from guidekit.tasktypes._bridge_maps import LabelStudioMap

#: region controls whose results this writer draws (boxes, keypoint instances, polygons)
_SHAPE_TAGS = ("RectangleLabels", "PolygonLabels")
_KEYPOINT_WIDTH = 0.5  # Label Studio draws a keypoint as a dot of this width (in %)


def _dump(data: Any) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n"


def _pct(v: float) -> float:
    return v * 100


class _Results:
    """The Label Studio results of one native record."""

    def __init__(self, g: ir.Guideline, out: Exported) -> None:
        self.g = g
        self.out = out
        self.target = main_object(g)
        self.maps = {t.id: labelstudio_map(t) for t in g.tasks.values()}
        self.controls = {
            t.id: attr_control(t, attribute_specs(t))
            for t in g.tasks.values()
            if tasktypes.of(t).region
        }

    def build(self, rec: Mapping[str, Any]) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        for task in self.g.tasks.values():
            value = rec.get(task.id)
            if value is None:
                continue
            how = self.maps[task.id]
            kind = how.control if how is not None else None
            if kind == "choices":
                results.extend(self._choices(task, value, rec))
            elif kind == "yes-no":
                results.append(
                    self._result(task, "choices", {"choices": [BOOL_CHOICES[0 if value else 1]]})
                )
            elif kind == "textarea":
                results.append(self._result(task, "textarea", {"text": [str(value)]}))
            elif kind == "number":
                results.append(self._result(task, "number", {"number": value}))
            elif kind == "regions" and how is not None and how.tag == "Labels":
                results.extend(self._spans(task, rec))
            elif kind == "regions" and how is not None and how.tag in _SHAPE_TAGS:
                results.extend(self._shapes(task, rec, how))
            elif kind == "regions" and how is not None and how.tag == "VideoRectangle":
                results.extend(self._video(task, rec))
            elif kind == "relations":
                for rel in regions(rec, task):
                    item: dict[str, Any] = {
                        "from_id": str(rel.get("from")),
                        "to_id": str(rel.get("to")),
                        "type": "relation",
                        "direction": "right" if task.directed else "bi",
                    }
                    if rel.get("label") is not None:
                        item["labels"] = [rel["label"]]
                    results.append(item)
        return results

    def _result(
        self, task: ir.Task, typ: str, value: dict[str, Any], **extra: Any
    ) -> dict[str, Any]:
        return {
            **({"id": extra.pop("id")} if "id" in extra else {}),
            "from_name": extra.pop("from_name", task.id),
            "to_name": extra.pop("to_name", task.over or self.target),
            "type": typ,
            "value": value,
            **extra,
        }

    def _choices(self, task: ir.Task, value: Any, rec: Mapping[str, Any]) -> list[dict[str, Any]]:
        items = value if isinstance(value, list) else [value]
        labels = [label_of(x) for x in items]
        if any(isinstance(x, dict) and x.get("attributes") for x in items):
            self.out.warn_once(
                f"cls-attr:{task.id}",
                f"attributes of task '{task.id}' labels are not written: Label Studio "
                "classification controls have no per-label attributes",
            )
        hierarchical = any(c.parent for c in task.classes)
        if hierarchical:
            paths = [class_path(task, str(x)) if x in task else [str(x)] for x in labels]
            return [self._result(task, "taxonomy", {"taxonomy": paths}, to_name=self.target)]
        return [self._result(task, "choices", {"choices": labels}, to_name=self.target)]

    def _spans(self, task: ir.Task, rec: Mapping[str, Any]) -> list[dict[str, Any]]:
        text = rec.get(task.over or "")
        out = []
        for k, span in enumerate(regions(rec, task)):
            rid = region_id(task, span, k)
            value: dict[str, Any] = {"start": span.get("start"), "end": span.get("end")}
            if "text" in span:
                value["text"] = span["text"]
            elif (
                isinstance(text, str)
                and isinstance(value["start"], int)
                and isinstance(value["end"], int)
            ):
                value["text"] = text[value["start"] : value["end"]]
            geometry = dict(value)
            value["labels"] = [span.get("label")]
            out.append(self._result(task, "labels", value, id=rid))
            out.extend(self._attributes(task, span, rid, geometry, {}))
        return out

    def _shapes(
        self, task: ir.Task, rec: Mapping[str, Any], how: LabelStudioMap
    ) -> list[dict[str, Any]]:
        size = record_size(self.g, task, rec)
        coords = Coords(task, size)
        sized = {"original_width": tidy(size[0]), "original_height": tidy(size[1])} if size else {}
        out: list[dict[str, Any]] = []
        for k, region in enumerate(regions(rec, task)):
            rid = region_id(task, region, k)
            label = region.get("label")
            try:
                if how.tag == "RectangleLabels" and not how.points:
                    x, y, w, h = coords.box_out(region["bbox"], frac=True)
                    geometry: dict[str, Any] = {
                        "x": _pct(x),
                        "y": _pct(y),
                        "width": _pct(w),
                        "height": _pct(h),
                        "rotation": 0,
                    }
                    value = {**geometry, "rectanglelabels": [label]}
                    out.append(self._result(task, "rectanglelabels", value, id=rid, **sized))
                elif how.tag == "PolygonLabels":
                    pts = [
                        [_pct(v) for v in coords.point_out(p[0], p[1], frac=True)]
                        for p in region["points"]
                    ]
                    geometry = {"points": pts, "closed": True}
                    out.append(
                        self._result(
                            task,
                            "polygonlabels",
                            {**geometry, "polygonlabels": [label]},
                            id=rid,
                            **sized,
                        )
                    )
                else:
                    geometry = self._instance(task, region, coords)
                    out.append(
                        self._result(
                            task,
                            "rectanglelabels",
                            {**geometry, "rectanglelabels": [label]},
                            id=rid,
                            **sized,
                        )
                    )
                    out.extend(self._points(task, region, rid, coords, sized))
            except NoSize:
                self.out.fail(
                    rec,
                    self.g,
                    f"task '{task.id}': the image size is unknown, so "
                    "pixels cannot be turned into Label Studio's percentages",
                )
                return []
            except (KeyError, TypeError, ValueError, IndexError):
                self.out.fail(rec, self.g, f"task '{task.id}': region {k} is malformed")
                continue
            out.extend(self._attributes(task, region, rid, geometry, sized))
        return out

    def _video(self, task: ir.Task, rec: Mapping[str, Any]) -> list[dict[str, Any]]:
        """``videorectangle`` results: one per track, a sequence item per visible box (frames
        from 1); a visible box followed by an ``outside`` one ends the track (``enabled``)."""
        size = record_size(self.g, task, rec)
        coords = Coords(task, size)
        sized = {"original_width": tidy(size[0]), "original_height": tidy(size[1])} if size else {}
        out: list[dict[str, Any]] = []
        for k, track in enumerate(regions(rec, task)):
            try:
                boxes = sorted(track.get("boxes") or [], key=lambda x: x["frame"])
                hidden = {x["frame"] for x in boxes if x.get("outside")}
                seq = []
                for box in boxes:
                    if box.get("outside"):
                        continue
                    x, y, w, h = coords.box_out(box["bbox"], frac=True)
                    seq.append(
                        {
                            "frame": box["frame"] + 1,
                            "enabled": box["frame"] + 1 not in hidden,
                            "x": _pct(x),
                            "y": _pct(y),
                            "width": _pct(w),
                            "height": _pct(h),
                            "rotation": 0,
                        }
                    )
            except NoSize:
                self.out.fail(
                    rec,
                    self.g,
                    f"task '{task.id}': the video size is unknown, so "
                    "pixels cannot be turned into Label Studio's percentages",
                )
                return []
            except (KeyError, TypeError, ValueError, IndexError):
                self.out.fail(rec, self.g, f"task '{task.id}': track {k} is malformed")
                continue
            value = {"labels": [track.get("label")], "sequence": seq}
            out.append(
                self._result(task, "videorectangle", value, id=str(track.get("id")), **sized)
            )
        return out

    def _instance(self, task: ir.Task, region: Mapping[str, Any], coords: Coords) -> dict[str, Any]:
        pts = [
            coords.point_out(p[0], p[1], frac=True)
            for p in (region.get("points") or {}).values()
            if isinstance(p, list) and len(p) == 3 and p[2]
        ]
        if not pts:
            return {"x": 0, "y": 0, "width": 0, "height": 0, "rotation": 0}
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return {
            "x": _pct(min(xs)),
            "y": _pct(min(ys)),
            "width": _pct(max(xs) - min(xs)),
            "height": _pct(max(ys) - min(ys)),
            "rotation": 0,
        }

    def _points(
        self,
        task: ir.Task,
        region: Mapping[str, Any],
        rid: str,
        coords: Coords,
        sized: dict[str, Any],
    ) -> list[dict[str, Any]]:
        out = []
        for name, p in (region.get("points") or {}).items():
            if not (isinstance(p, list) and len(p) == 3):
                continue
            if p[2] != 2:
                self.out.warn_once(
                    "kp-visibility",
                    "Label Studio keypoints have no visibility: occluded points (v=1) are "
                    "written as visible and unlabelled points (v=0) are left out",
                )
            if not p[2]:
                continue
            x, y = coords.point_out(p[0], p[1], frac=True)
            value = {"x": _pct(x), "y": _pct(y), "width": _KEYPOINT_WIDTH, "keypointlabels": [name]}
            out.append(
                self._result(
                    task,
                    "keypointlabels",
                    value,
                    id=f"{rid}:{name}",
                    from_name=points_control(task),
                    parentID=rid,
                    **sized,
                )
            )
        return out

    def _attributes(
        self,
        task: ir.Task,
        region: Mapping[str, Any],
        rid: str,
        geometry: dict[str, Any],
        sized: dict[str, Any],
    ) -> list[dict[str, Any]]:
        attrs = region.get("attributes")
        if not isinstance(attrs, dict):
            return []
        label = region.get("label")
        out = []
        for name, value in attrs.items():
            control = f"{task.id}__{name}"
            decl = None
            for cname, spec in self.controls.get(task.id, []):
                if spec.name == name and (spec.classes is None or label in spec.classes):
                    control, decl = cname, spec.attr
                    break
            if isinstance(value, bool) and (decl is None or decl.type == "boolean"):
                val: dict[str, Any] = {"choices": [BOOL_CHOICES[0 if value else 1]]}
                typ = "choices"
            elif decl is not None and decl.type == "enum":
                val, typ = {"choices": [str(value)]}, "choices"
            elif is_num(value):
                val, typ = {"number": value}, "number"
            else:
                val, typ = {"text": [str(value)]}, "textarea"
            out.append(
                self._result(task, typ, {**geometry, **val}, id=rid, from_name=control, **sized)
            )
        return out


def _meta(g: ir.Guideline, rec: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The annotation's Label Studio fields and the metadata kept in ``meta.guidekit``."""
    m = g.delivery.metadata
    ann: dict[str, Any] = {}
    if rec.get(m.annotator) is not None:
        ann["completed_by"] = {"email": rec[m.annotator]}
    ann["was_cancelled"] = bool(rec.get(m.skip))
    for key in (m.created_at, m.updated_at):
        if rec.get(key) is not None:
            ann["created_at" if key == m.created_at else "updated_at"] = rec[key]
    kept = {
        k: v
        for k, v in rec.items()
        if k in metadata_names(g) and k not in (m.annotator, m.created_at, m.updated_at)
    }
    kept.update(extras(rec, g, metadata_names(g)))
    return ann, kept


def _data(g: ir.Guideline, rec: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, spec in g.record.fields.items():
        if name not in rec:
            continue
        value = rec[name]
        if spec.type == "image" and isinstance(value, dict):
            value = value.get("path")
        data[name] = value
    data[g.delivery.id] = rec.get(g.delivery.id)
    return data


def write_json(
    records: Iterable[Mapping[str, Any]],
    guideline: ir.Guideline,
    out: Path,
    annotations: bool | str = True,
    **_: Any,
) -> Exported:
    """Label Studio JSON; ``annotations=false`` writes the tasks only (their data, no
    annotation), as a project to be labelled is imported."""
    with_annotations = str(annotations).lower() not in ("false", "0", "no")
    result = Exported()
    builder = _Results(guideline, result)
    tasks: dict[str, dict[str, Any]] = {}
    extras_by_task: dict[str, list[dict[str, Any]]] = {}
    for n_ann, rec in enumerate(records, 1):
        rid = rec.get(guideline.delivery.id)
        key = json.dumps(rid, sort_keys=True)
        task = tasks.get(key)
        if task is None:
            task = {"id": len(tasks) + 1, "data": _data(guideline, rec), "annotations": []}
            tasks[key] = task
            extras_by_task[key] = []
        result.records += 1
        if not with_annotations:
            continue
        ann_fields, kept = _meta(guideline, rec)
        ann = {"id": n_ann, "result": builder.build(rec), **ann_fields}
        task["annotations"].append(ann)
        extras_by_task[key].append(kept)
    for key, task in tasks.items():
        kept_per_annotation = extras_by_task[key]
        if any(kept_per_annotation):
            task["meta"] = {"guidekit": kept_per_annotation}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(_dump(list(tasks.values())))
    result.paths.append(out)
    return result


def _pretty(typ: str, values: list[dict[str, Any]]) -> Any:
    """JSON-MIN's shape of one control's results (Label Studio's ``prettify_result``), except
    that per-region answers keep their region's id so they stay attached to it."""
    if any("id" in v for v in values):
        return values
    if typ == "choices" and len(values) == 1 and len(values[0]["choices"]) == 1:
        return values[0]["choices"][0]
    if typ == "textarea" and len(values) == 1 and len(values[0]["text"]) == 1:
        return values[0]["text"][0]
    if typ in ("choices", "textarea") and len(values) == 1:
        return values[0]
    return values


def write_min(
    records: Iterable[Mapping[str, Any]], guideline: ir.Guideline, out: Path, **_: Any
) -> Exported:
    result = Exported()
    builder = _Results(guideline, result)
    rows = []
    m = guideline.delivery.metadata
    for n, rec in enumerate(records, 1):
        row: dict[str, Any] = _data(guideline, rec)
        if guideline.delivery.id != "id":
            row["id"] = n
        grouped: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        for r in builder.build(rec):
            if r["type"] == "relation":
                result.warn_once(
                    "min-relations",
                    "relations are not written: Label Studio JSON-MIN has no place for them; "
                    "use --format labelstudio",
                )
                continue
            value = dict(r["value"])
            for k in ("original_width", "original_height", "id", "parentID"):
                if k in r:
                    value[k] = r[k]
            grouped.setdefault(r["from_name"], (r["type"], []))[1].append(value)
        for name, (typ, values) in grouped.items():
            row[name] = _pretty(typ, values)
        ann, kept = _meta(guideline, rec)
        row["annotator"] = rec.get(m.annotator)
        row["annotation_id"] = n
        row["created_at"] = ann.get("created_at")
        row["updated_at"] = ann.get("updated_at")
        if kept:
            row["guidekit"] = kept
        rows.append(row)
        result.records += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(_dump(rows))
    result.paths.append(out)
    return result
