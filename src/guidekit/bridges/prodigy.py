"""Prodigy JSONL (``prodigy db-out``): the answers of ``ner.manual``, ``spans.manual``,
``textcat`` (binary, and multi-choice with ``options`` and ``accept``), ``choice`` and
``image.manual``.

One object per line. What a line holds decides where it goes:

- ``spans`` on a ``text``: spans of the guideline's spans task. When the line has
  ``tokens`` (as ``ner.manual`` and ``spans.manual`` write them), a span whose start or end
  is not a token boundary, or whose ``token_start``/``token_end`` disagree with its
  characters, is a GK802 finding.
- ``options`` and ``accept`` (``textcat.manual``, ``choice``): the ids in ``accept`` are
  classes of the classification task (by option id, else the option's text).
- ``label`` without ``options`` (binary ``textcat.teach``/``textcat.correct``): on a yes/no
  task ``accept`` is yes and ``reject`` is no; on a classification task an accepted label
  is the class.
- ``spans`` on an ``image`` (``image.manual``): a ``rect`` goes to the bbox task (or the
  polygon task when there is none), a ``polygon``/``freehand`` shape to the polygon task,
  in the pixels of ``width``/``height``.

``answer``: ``accept`` (or none) is read as labels. ``reject`` and ``ignore`` are skipped
records, never validated as empty annotations: the record carries no task values and its
skip reason is the option ``reject=REASON``/``ignore=REASON``, else the skip reason in
``meta`` (as guidekit writes it), else the guideline's declared
skip reason of the same name (``reject``/``rejected``, ``ignore``/``ignored``), else the
answer itself. When the guideline declares statuses, one named after the answer is set too.
The binary ``reject`` on a yes/no task is the one exception (it is the answer "no").

The writer (``guidekit export --format prodigy``) writes the same shapes back, one line per
record, with ``answer`` ``accept``, or ``ignore`` for a skipped record (``reject`` when its
reason is one), and the id and metadata in ``meta``.

The record id is the option ``id=KEY`` (a key of the line, or ``meta.KEY``), else the
guideline's id key on the line or in ``meta``, else ``_input_hash``, else ``_task_hash``,
else the line number.
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
    is_num,
    pick_task,
    record_size,
    resolve_label,
)
from guidekit.bridges._export import (
    Exported,
    extras,
    image_path,
    label_of,
    metadata_names,
    regions,
)
from guidekit.bridges._images import shape_types
from guidekit.bridges._text import TextTasks, copy_known, json_values, put_classes
from guidekit.delivery.read import RawRecord

FMT = "Prodigy JSONL"
SKIPPED = ("reject", "ignore")


def read_prodigy(path: str | Path, guideline: ir.Guideline, **options: Any) -> Iterator[RawRecord]:
    """Records of a Prodigy JSONL export (see the module docstring)."""
    path = Path(path)
    file = str(path)
    g = guideline
    reader = _Reader(g, file, options)
    for n, (line, obj, error) in enumerate(json_values(path, file), 1):
        if error is not None:
            yield RawRecord(file, line, b"", None, error)
            continue
        b = RecordBuilder(file, line)
        if not isinstance(obj, dict):
            b.problem("GK802", "each line is a JSON object", fatal=True)
        else:
            reader.record(b, obj, n)
        yield b.build()


class _Reader:
    def __init__(self, g: ir.Guideline, file: str, options: Mapping[str, Any]) -> None:
        self.g = g
        self.options = options
        has_text = any(f.type == "text" for f in g.record.fields.values())
        self.text = TextTasks.of(g, FMT, file, options) if has_text else None
        self.bbox = pick_task(g, shape_types("box"), options.get("image_task"), fmt=FMT, file=file)
        self.polygon = pick_task(
            g, shape_types("polygon"), options.get("polygon_task"), fmt=FMT, file=file
        )
        image_task = self.bbox or self.polygon
        self.image_field = image_task.over if image_task is not None else None
        self.classes = self.text.classes if self.text is not None else None
        if self.text is None:
            self.classes = pick_task(
                g,
                tuple(tt.name for tt in tasktypes.all_types() if tt.classification or tt.yes_no),
                options.get("classes_task"),
                fmt=FMT,
                file=file,
                option="classes_task",
            )

    # -- one line ----------------------------------------------------------------------------

    def record(self, b: RecordBuilder, obj: dict[str, Any], n: int) -> None:
        g = self.g
        meta = obj.get("meta")
        if not isinstance(meta, dict):
            meta = {}
        b.data[g.delivery.id] = self._id(obj, meta, n)
        text = obj.get("text")
        if self.text is not None and isinstance(text, str):
            b.data[self.text.field] = text
        image = obj.get("image")
        on_image = isinstance(image, str) and self.image_field is not None
        if on_image:
            self._image_field(b, obj, meta)
        answer = obj.get("answer", "accept")
        binary = "label" in obj and "options" not in obj
        yes_no = self.classes is not None and tasktypes.of(self.classes).yes_no
        if answer in SKIPPED and not (binary and yes_no and answer == "reject"):
            self._skip(b, answer, meta)
        elif answer not in ("accept", *SKIPPED):
            b.problem("GK802", f"answer {answer!r} is not accept, reject or ignore", "/answer")
        else:
            if self.text is not None and not isinstance(text, str) and not on_image:
                b.problem("GK802", "no 'text' string", "/text")
            if "spans" in obj:
                if on_image:
                    self._image_spans(b, obj)
                else:
                    self._text_spans(b, obj)
            if "options" in obj or "accept" in obj:
                self._choice(b, obj)
            elif binary:
                self._binary(b, obj, answer)
        copy_known(b, g, meta, skip=(g.delivery.id,))
        copy_known(b, g, obj, skip=(g.delivery.id, "text", "image", "answer"))

    def _id(self, obj: Mapping[str, Any], meta: Mapping[str, Any], n: int) -> Any:
        key = self.options.get("id")
        if key is not None:
            key = str(key)
            if key.startswith("meta."):
                return meta.get(key[5:], n)
            return obj.get(key, meta.get(key, n))
        for source in (obj, meta):
            if self.g.delivery.id in source:
                return source[self.g.delivery.id]
        for key in ("_input_hash", "_task_hash"):
            if key in obj:
                return obj[key]
        return n

    def _skip(self, b: RecordBuilder, answer: str, meta: Mapping[str, Any]) -> None:
        d = self.g.delivery
        names = (answer, f"{answer}ed" if answer.endswith("t") else f"{answer}d")
        chosen = self.options.get(answer, meta.get(d.metadata.skip))
        if chosen is None:
            reasons = self.g.scope.skip_reasons
            chosen = next((r for r in names if r in reasons), answer)
        b.set_meta(d.metadata.skip, str(chosen))
        if d.statuses is not None:
            status = next((s for s in names if s in d.statuses), None)
            b.set_meta(d.metadata.status, status)

    # -- text --------------------------------------------------------------------------------

    def _text_spans(self, b: RecordBuilder, obj: Mapping[str, Any]) -> None:
        items = obj["spans"]
        task = self.text.spans if self.text is not None else None
        if not isinstance(items, list):
            b.problem("GK802", "'spans' must be a list", "/spans")
            return
        if task is None:
            if items:
                b.problem(
                    "GK804", "the file has spans but the guideline has no spans task", "/spans"
                )
            return
        tokens = _tokens(obj.get("tokens"))
        if tokens is None and obj.get("tokens") is not None:
            b.problem(
                "GK802", "'tokens' must be a list of objects with integer start and end", "/tokens"
            )
        b.data[task.id] = []
        for i, span in enumerate(items):
            ptr = f"/spans/{i}"
            if not isinstance(span, dict) or not all(is_int(span.get(k)) for k in ("start", "end")):
                b.problem("GK802", "a span needs integer start and end and a label", ptr)
                continue
            start, end = span["start"], span["end"]
            if tokens is not None:
                _aligned(b, span, tokens, ptr)
            b.append(
                task.id,
                {
                    "start": start,
                    "end": end,
                    "label": b.label(task, span.get("label"), f"{ptr}/label"),
                },
            )

    def _choice(self, b: RecordBuilder, obj: Mapping[str, Any]) -> None:
        accept = obj.get("accept", [])
        options = obj.get("options", [])
        if not isinstance(accept, list) or not isinstance(options, list):
            b.problem("GK802", "'options' and 'accept' must be lists", "/accept")
            return
        texts = {
            str(o.get("id")): o.get("text") for o in options if isinstance(o, dict) and "id" in o
        }
        labels: list[Any] = []
        for i, chosen in enumerate(accept):
            label = str(chosen)
            if (
                self.classes is not None
                and not tasktypes.of(self.classes).yes_no
                and resolve_label(self.classes, label) is None
                and isinstance(texts.get(label), str)
            ):
                label = str(texts[label])
            if texts and str(chosen) not in texts:
                b.problem(
                    "GK802", f"accepted option {chosen!r} is not one of the options", f"/accept/{i}"
                )
            labels.append(label)
        if self.classes is None:
            if labels and self.text is not None:
                self.text.no_classes(b, "/accept")
            elif labels:
                b.problem(
                    "GK804",
                    "the export has class labels but the guideline has no classification task",
                    "/accept",
                )
            return
        put_classes(b, self.classes, labels, "/accept")
        if not labels and tasktypes.of(self.classes).many_labels:
            b.data[self.classes.id] = []

    def _binary(self, b: RecordBuilder, obj: Mapping[str, Any], answer: str) -> None:
        task = self.classes
        if task is None:
            b.problem(
                "GK804",
                "the export has class labels but the guideline has no classification task",
                "/label",
            )
            return
        if tasktypes.of(task).yes_no:
            b.data[task.id] = answer == "accept"
        else:
            put_classes(b, task, [obj.get("label")], "/label")

    # -- image -------------------------------------------------------------------------------

    def _image_field(
        self, b: RecordBuilder, obj: Mapping[str, Any], meta: Mapping[str, Any]
    ) -> None:
        assert self.image_field is not None
        image = obj.get("image")
        src = image if isinstance(image, str) and not image.startswith("data:") else None
        src = src or obj.get("path") or meta.get("file") or meta.get("path")
        value: dict[str, Any] = {}
        if isinstance(src, str):
            value["path"] = src
        for key in ("width", "height"):
            if is_num(obj.get(key)):
                value[key] = obj[key]
        b.data[self.image_field] = value

    def _image_spans(self, b: RecordBuilder, obj: Mapping[str, Any]) -> None:
        items = obj["spans"]
        if not isinstance(items, list):
            b.problem("GK802", "'spans' must be a list", "/spans")
            return
        w, h = obj.get("width"), obj.get("height")
        size = (float(w), float(h)) if is_num(w) and is_num(h) and w > 0 and h > 0 else None
        for task in (self.bbox, self.polygon):
            if task is not None:
                b.data[task.id] = []
        for i, span in enumerate(items):
            ptr = f"/spans/{i}"
            if not isinstance(span, dict):
                b.problem("GK802", "a shape is an object", ptr)
                continue
            kind = span.get("type", "rect" if "x" in span else "polygon")
            box = [span.get(k) for k in ("x", "y", "width", "height")]
            points = span.get("points")
            try:
                if kind == "rect" and self.bbox is not None:
                    if not all(is_num(v) for v in box):
                        b.problem("GK802", "a rect needs numeric x, y, width and height", ptr)
                        continue
                    value = Coords(self.bbox, size).box_in(*(float(v) for v in box), frac=False)  # type: ignore[arg-type]
                    label = b.label(self.bbox, span.get("label"), f"{ptr}/label")
                    b.append(self.bbox.id, {"label": label, "bbox": value})
                elif self.polygon is not None:
                    if not (
                        isinstance(points, list)
                        and len(points) >= 3
                        and all(
                            isinstance(p, list) and len(p) == 2 and all(is_num(v) for v in p)
                            for p in points
                        )
                    ):
                        b.problem(
                            "GK802", "a polygon needs at least three [x, y] points", f"{ptr}/points"
                        )
                        continue
                    coords = Coords(self.polygon, size)
                    pts = [coords.point_in(float(x), float(y), frac=False) for x, y in points]
                    label = b.label(self.polygon, span.get("label"), f"{ptr}/label")
                    b.append(self.polygon.id, {"label": label, "points": pts})
                else:
                    b.problem("GK804", f"a {kind} shape has no bbox or polygon task to go to", ptr)
            except NoSize:
                b.problem("GK807", "the image has no width/height to normalise coordinates", ptr)


Tokens = tuple[dict[int, int], dict[int, int]]


def _tokens(value: Any) -> Tokens | None:
    """Token index by start and by end character, or ``None`` without usable tokens."""
    if not isinstance(value, list):
        return None
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    for i, t in enumerate(value):
        if not (isinstance(t, dict) and is_int(t.get("start")) and is_int(t.get("end"))):
            return None
        starts.setdefault(t["start"], i)
        ends[t["end"]] = i
    return starts, ends


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _aligned(b: RecordBuilder, span: Mapping[str, Any], tokens: Tokens, ptr: str) -> None:
    """Report a span that does not start and end on token boundaries."""
    start, end = span["start"], span["end"]
    starts, ends = tokens
    bad = [f"start {start}"] if start not in starts else []
    bad += [f"end {end}"] if end not in ends else []
    if bad:
        b.problem(
            "GK802",
            f"span {' and '.join(bad)} {'is' if len(bad) == 1 else 'are'} not on a token boundary",
            ptr,
            hint="Prodigy's manual recipes snap spans to tokens; re-tokenise or fix the offsets",
        )
        return
    for key, want in (("token_start", starts[start]), ("token_end", ends[end])):
        got = span.get(key)
        if got is not None and got != want:
            b.problem(
                "GK802", f"span {key} {got!r} disagrees with its characters (token {want})", ptr
            )


def write_prodigy(
    records: Iterable[Mapping[str, Any]], guideline: ir.Guideline, out: str | Path, **options: Any
) -> Exported:
    """Write native records as Prodigy JSONL (see the module docstring)."""
    g = guideline
    out = Path(out)
    reader = _Reader(g, str(out), options)
    text_spans = reader.text.spans if reader.text is not None else None
    written = {t.id for t in (text_spans, reader.classes, reader.bbox, reader.polygon) if t}
    result = Exported()
    for task in g.tasks.values():
        if task.id not in written:
            result.warn_once(
                task.id,
                f"task '{task.id}' ({task.type}) is not written: Prodigy JSONL has no place for it",
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        for rec in records:
            row = _row(rec, g, reader, result)
            if row is not None:
                f.write(orjson.dumps(row, option=orjson.OPT_NON_STR_KEYS) + b"\n")
                result.records += 1
    result.paths.append(out)
    return result


def _row(
    rec: Mapping[str, Any], g: ir.Guideline, reader: _Reader, result: Exported
) -> dict[str, Any] | None:
    row: dict[str, Any] = {}
    if reader.text is not None and isinstance(rec.get(reader.text.field), str):
        row["text"] = rec[reader.text.field]
    image_task = reader.bbox or reader.polygon
    if image_task is not None and reader.image_field in rec:
        row["image"] = image_path(rec, image_task)
        size = record_size(g, image_task, rec)
        if size is not None:
            row["width"], row["height"] = size
    if not row:
        result.fail(rec, g, "has neither a text nor an image to write")
        return None
    text_spans = reader.text.spans if reader.text is not None else None
    if text_spans is not None and "text" in row:
        row["spans"] = [
            {"start": r.get("start"), "end": r.get("end"), "label": r.get("label")}
            for r in regions(rec, text_spans)
        ]
    if "image" in row:
        row["spans"] = _shapes(rec, g, reader, result)
    task = reader.classes
    value = rec.get(task.id) if task is not None else None
    if task is not None and value is not None:
        if tasktypes.of(task).yes_no:
            row["label"] = task.id
            row["answer"] = "accept" if value else "reject"
        else:
            chosen = [str(label_of(x)) for x in (value if isinstance(value, list) else [value])]
            row["options"] = [{"id": c.id, "text": c.name or c.id} for c in task.classes]
            row["accept"] = chosen
    skip = rec.get(g.delivery.metadata.skip)
    if skip is not None:
        row["answer"] = "reject" if str(skip) in ("reject", "rejected") else "ignore"
    row.setdefault("answer", "accept")
    meta = {g.delivery.id: rec.get(g.delivery.id)}
    for key in metadata_names(g):
        if key in rec:
            meta[key] = rec[key]
    meta.update(extras(rec, g, metadata_names(g)))
    row["meta"] = meta
    return row


def _shapes(
    rec: Mapping[str, Any], g: ir.Guideline, reader: _Reader, result: Exported
) -> list[dict[str, Any]]:
    shapes: list[dict[str, Any]] = []
    try:
        if reader.bbox is not None:
            coords = Coords(reader.bbox, record_size(g, reader.bbox, rec))
            for r in regions(rec, reader.bbox):
                x, y, w, h = coords.box_out(r["bbox"], frac=False)
                corners = [[x, y], [x, y + h], [x + w, y + h], [x + w, y]]
                shapes.append(
                    {
                        "label": r.get("label"),
                        "type": "rect",
                        "x": x,
                        "y": y,
                        "width": w,
                        "height": h,
                        "points": corners,
                    }
                )
        if reader.polygon is not None:
            coords = Coords(reader.polygon, record_size(g, reader.polygon, rec))
            for r in regions(rec, reader.polygon):
                pts = [list(coords.point_out(px, py, frac=False)) for px, py in r["points"]]
                shapes.append({"label": r.get("label"), "type": "polygon", "points": pts})
    except NoSize:
        result.fail(rec, g, "the image has no width/height to write pixel coordinates; left out")
        return []
    return shapes
