"""spaCy-style JSONL (as Prodigy and spaCy's ``Example`` helpers write it).

One object per line: ``text``; ``spans`` (objects with ``start``, ``end``, ``label``; or
``entities``/``ents`` as objects or ``[start, end, label]`` triples); ``cats`` (``{label:
score}``, a label applies when its score is at least 0.5); ``relations`` (objects with
``head_span`` and ``child_span`` and a ``label``, as Prodigy's relation recipes); ``meta``.
The record id is the object's id field (the guideline's, else ``id``), else the same key in
``meta``, else the line number. Prodigy's ``answer``: anything but ``accept`` is read as a
skipped record with that answer as its skip reason, so rejected examples are not taken for
labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from guidekit import ir, tasktypes
from guidekit.bridges._common import RecordBuilder
from guidekit.bridges._export import Exported, extras, label_of, metadata_names, regions
from guidekit.bridges._text import TextTasks, copy_known, json_values, put_classes
from guidekit.delivery.read import RawRecord

FMT = "spaCy JSONL"


def _span(item: Any) -> tuple[Any, Any, Any] | None:
    if isinstance(item, dict):
        return item.get("start"), item.get("end"), item.get("label")
    if isinstance(item, list) and len(item) == 3:
        return item[0], item[1], item[2]
    return None


def read_spacy(path: str | Path, guideline: ir.Guideline, **options: Any) -> Iterator[RawRecord]:
    """Records of a spaCy/Prodigy-style JSONL file (see the module docstring)."""
    path = Path(path)
    file = str(path)
    g = guideline
    tasks = TextTasks.of(g, FMT, file, options)
    id_key = g.delivery.id
    for n, (line, obj, error) in enumerate(json_values(path, file), 1):
        if error is not None:
            yield RawRecord(file, line, b"", None, error)
            continue
        b = RecordBuilder(file, line)
        if not isinstance(obj, dict):
            b.problem("GK802", "each line is a JSON object", fatal=True)
            yield b.build()
            continue
        meta = obj.get("meta")
        if not isinstance(meta, dict):
            meta = {}
        rid = obj.get(id_key, obj.get("id", meta.get(id_key, meta.get("id", n))))
        b.data[id_key] = rid
        text = obj.get("text")
        if isinstance(text, str):
            b.data[tasks.field] = text
        else:
            b.problem("GK802", "no 'text' string", "/text")
        key = next((k for k in ("spans", "entities", "ents") if k in obj), None)
        ids: dict[tuple[Any, Any], str] = {}
        if key is not None:
            items = obj[key]
            if not isinstance(items, list):
                b.problem("GK802", f"'{key}' must be a list", f"/{key}")
            elif tasks.spans is None:
                if items:
                    b.problem(
                        "GK804", "the file has spans but the guideline has no spans task", f"/{key}"
                    )
            else:
                b.data[tasks.spans.id] = []
                for i, item in enumerate(items):
                    ptr = f"/{key}/{i}"
                    got = _span(item)
                    if got is None or not all(
                        isinstance(v, int) and not isinstance(v, bool) for v in got[:2]
                    ):
                        b.problem("GK802", "a span needs integer start and end and a label", ptr)
                        continue
                    start, end, label = got
                    span: dict[str, Any] = {
                        "start": start,
                        "end": end,
                        "label": b.label(tasks.spans, label, f"{ptr}/label"),
                    }
                    if tasks.relations is not None:
                        span["id"] = ids.setdefault(
                            (start, end),
                            str(item.get("id", len(ids)) if isinstance(item, dict) else len(ids)),
                        )
                    b.append(tasks.spans.id, span)
        _cats(b, tasks, obj.get("cats"))
        _relations(b, tasks, obj.get("relations"), ids)
        answer = obj.get("answer")
        if isinstance(answer, str) and answer != "accept":
            b.set_meta(g.delivery.metadata.skip, answer)
        copy_known(b, g, meta, skip=(id_key,))
        copy_known(b, g, obj, skip=(id_key, tasks.field))
        yield b.build()


def _cats(b: RecordBuilder, tasks: TextTasks, cats: Any) -> None:
    if cats is None:
        return
    if not isinstance(cats, dict) or not all(isinstance(v, (int, float)) for v in cats.values()):
        b.problem("GK802", "'cats' must map labels to scores", "/cats")
        return
    chosen = [label for label, score in cats.items() if score >= 0.5]
    if tasks.classes is None:
        if chosen:
            tasks.no_classes(b, "/cats")
        return
    put_classes(b, tasks.classes, chosen, "/cats")


def _relations(
    b: RecordBuilder, tasks: TextTasks, rels: Any, ids: dict[tuple[Any, Any], str]
) -> None:
    if rels is None:
        return
    if not isinstance(rels, list):
        b.problem("GK802", "'relations' must be a list", "/relations")
        return
    if tasks.relations is None:
        if rels:
            b.problem(
                "GK804",
                "the file has relations but the guideline has no relations task over its spans",
                "/relations",
            )
        return
    b.data[tasks.relations.id] = []
    for i, rel in enumerate(rels):
        ptr = f"/relations/{i}"
        ends = []
        for key in ("head_span", "child_span"):
            span = rel.get(key) if isinstance(rel, dict) else None
            got = (span.get("start"), span.get("end")) if isinstance(span, dict) else None
            if got is None or got not in ids:
                b.problem("GK802", f"relation's {key} is not one of the spans", f"{ptr}/{key}")
                break
            ends.append(ids[got])
        else:
            b.append(
                tasks.relations.id,
                {
                    "label": b.label(tasks.relations, rel.get("label"), f"{ptr}/label"),
                    "from": ends[0],
                    "to": ends[1],
                },
            )


def write_spacy(
    records: Iterable[Mapping[str, Any]], guideline: ir.Guideline, out: str | Path, **options: Any
) -> Exported:
    """Write native records as spaCy-style JSONL."""
    g = guideline
    out = Path(out)
    tasks = TextTasks.of(g, FMT, str(out), options)
    result = Exported()
    for task in g.tasks.values():
        if task not in (tasks.spans, tasks.classes, tasks.relations):
            result.warn_once(
                task.id,
                f"task '{task.id}' ({task.type}) is not written: spaCy JSONL has no place for it",
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        for rec in records:
            text = rec.get(tasks.field)
            if not isinstance(text, str):
                result.fail(rec, g, f"has no text in '{tasks.field}'")
                continue
            row: dict[str, Any] = {"text": text}
            if tasks.spans is not None:
                spans = regions(rec, tasks.spans)
                if any(sp.get("attributes") for sp in spans):
                    result.warn_once(
                        "attributes",
                        "span attributes are not written: spaCy JSONL has no place for them",
                    )
                row["spans"] = [
                    {"start": s.get("start"), "end": s.get("end"), "label": s.get("label")}
                    for s in spans
                ]
                if tasks.relations is not None:
                    by_id = {str(s.get("id")): s for s in spans if s.get("id") is not None}
                    rels = []
                    for r in regions(rec, tasks.relations):
                        head, child = by_id.get(str(r.get("from"))), by_id.get(str(r.get("to")))
                        if head is None or child is None:
                            result.fail(
                                rec, g, "a relation refers to a span that is not there; left out"
                            )
                            continue
                        rels.append(
                            {
                                "head_span": {
                                    "start": head["start"],
                                    "end": head["end"],
                                    "label": head.get("label"),
                                },
                                "child_span": {
                                    "start": child["start"],
                                    "end": child["end"],
                                    "label": child.get("label"),
                                },
                                "label": r.get("label"),
                            }
                        )
                    row["relations"] = rels
            if tasks.classes is not None and rec.get(tasks.classes.id) is not None:
                value = rec[tasks.classes.id]
                chosen = {str(label_of(x)) for x in (value if isinstance(value, list) else [value])}
                yes_no = tasktypes.of(tasks.classes).yes_no
                names = [] if yes_no else [c.id for c in tasks.classes.classes]
                row["cats"] = (
                    {c: (1.0 if c in chosen else 0.0) for c in names}
                    if names
                    else {str(value): 1.0}
                )
            meta = {g.delivery.id: rec.get(g.delivery.id)}
            for key, value in rec.items():
                if key in metadata_names(g) or (key in g.record.fields and key != tasks.field):
                    meta[key] = value
            meta.update(extras(rec, g, metadata_names(g)))
            row["meta"] = meta
            f.write(orjson.dumps(row, option=orjson.OPT_NON_STR_KEYS) + b"\n")
            result.records += 1
    result.paths.append(out)
    return result
