"""BRAT standoff: a folder of ``.ann``/``.txt`` pairs (or one ``.ann`` file), one record per
document.

Reader. The record's id is the document's path below the folder, without ``.ann``
(``PMID-3578281``, ``news/010-navigation``); its text field holds the ``.txt`` file. What
each annotation line becomes:

- ``T`` (text-bound): a span of the spans task, ``id`` the BRAT id, ``label`` the type
  mapped to a class (ids and aliases), ``text`` checked against the document. A
  discontinuous span (``0 5;9 14``) has no place in a record: GK806 on the document.
- ``R`` (relation): a relation of the relations task over those spans, ``from`` ``Arg1``
  and ``to`` ``Arg2``.
- ``E`` (event): the trigger is a span (its ``T`` line); each argument becomes a relation
  from the trigger to the argument, labelled with the role (``Theme``, and ``Org-Arg2``
  read as the role ``Org-Arg``, BRAT's numbering of repeated roles). An argument that is
  itself an event points to that event's trigger.
- ``A``/``M`` (attribute): ``attributes[NAME]`` of the span (an event's: of its trigger;
  a relation's: of the relation), the value, or ``true`` for a binary attribute.
- ``N`` (normalisation), ``#`` (note) and ``*`` (equivalence) have no place in a record:
  each document that has them gets one GK817 note counting them. Nothing is dropped
  silently.

Every problem is located at its ``.ann`` line. Writer: spans as ``T`` lines, relations as
``R`` lines (events are not told apart from relations once read), attributes as ``A``
lines, one ``.ann``/``.txt`` pair per record, and an ``annotation.conf`` generated from the
guideline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from guidekit import ir
from guidekit.bridges._common import RecordBuilder, file_error
from guidekit.bridges._export import Exported, regions
from guidekit.bridges._text import TextTasks
from guidekit.delivery.read import RawRecord

FMT = "brat"
_ROLE_NUMBER = re.compile(r"\d+$")


def _documents(path: Path) -> list[Path]:
    if path.is_file():
        if path.suffix != ".ann":
            raise file_error("GK801", f"brat: '{path}' is not a .ann file", str(path))
        return [path]
    if not path.is_dir():
        raise file_error("GK801", f"brat: '{path}' is neither a folder nor a .ann file", str(path))
    docs = sorted(p for p in path.rglob("*.ann") if p.is_file())
    if not docs:
        raise file_error(
            "GK801",
            f"brat: no .ann files in '{path}'",
            str(path),
            hint="a BRAT delivery is a folder of .ann/.txt pairs",
        )
    return docs


def read_brat(path: str | Path, guideline: ir.Guideline, **options: Any) -> Iterator[RawRecord]:
    """Records of a BRAT folder or ``.ann`` file (see the module docstring)."""
    root = Path(path)
    g = guideline
    docs = _documents(root)
    tasks = TextTasks.of(g, FMT, str(root), options, need_classes=False)
    base = root if root.is_dir() else root.parent
    for ann in docs:
        yield _document(ann, base, g, tasks)


def _document(ann: Path, base: Path, g: ir.Guideline, tasks: TextTasks) -> RawRecord:
    file = str(ann)
    b = RecordBuilder(file, 1)
    b.data[g.delivery.id] = ann.relative_to(base).with_suffix("").as_posix()
    txt = ann.with_suffix(".txt")
    try:
        text = txt.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        b.problem("GK802", f"the document's text '{txt.name}' cannot be read: {exc}", fatal=True)
        return b.build()
    try:
        lines = ann.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        b.problem("GK802", f"cannot read the annotations: {exc}", fatal=True)
        return b.build()
    b.data[tasks.field] = text
    spans: dict[str, dict[str, Any]] = {}
    rels: dict[str, dict[str, Any]] = {}
    triggers: dict[str, str] = {}  # event id -> trigger span id
    events: list[tuple[int, str, list[tuple[str, str]]]] = []
    attrs: list[tuple[int, str, str, str | None]] = []
    uncarried: dict[str, int] = {}
    if tasks.spans is not None:
        b.data[tasks.spans.id] = []
    if tasks.relations is not None:
        b.data[tasks.relations.id] = []
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        kind = raw[0]
        fields = raw.split("\t")
        head = fields[0]
        if kind == "T":
            _text_bound(b, tasks, text, n, fields, spans)
        elif kind == "R":
            _relation(b, tasks, n, fields, rels)
        elif kind == "E":
            parts = fields[1].split() if len(fields) > 1 else []
            if not parts or ":" not in parts[0]:
                b.problem("GK802", "an event is 'E<n>\\tType:Trigger Role:Arg ...'", line=n)
                continue
            trigger = parts[0].split(":", 1)[1]
            triggers[head] = trigger
            args = [tuple(p.split(":", 1)) for p in parts[1:] if ":" in p]
            events.append((n, head, [(a[0], a[1]) for a in args]))
        elif kind in "AM":
            parts = fields[1].split() if len(fields) > 1 else []
            if len(parts) not in (2, 3):
                b.problem("GK802", "an attribute is 'A<n>\\tName Target [Value]'", line=n)
                continue
            attrs.append((n, parts[0], parts[1], parts[2] if len(parts) == 3 else None))
        elif kind in "N#*":
            what = {"N": "normalisation", "#": "note", "*": "equivalence"}[kind]
            uncarried[what] = uncarried.get(what, 0) + 1
        else:
            b.problem("GK802", f"unknown BRAT annotation line '{head}'", line=n)
    _events(b, tasks, events, triggers, spans)
    for n, name, target, value in attrs:
        item = spans.get(triggers.get(target, target)) or rels.get(target)
        if item is None:
            b.problem("GK802", f"attribute {name} of '{target}', which is not annotated", line=n)
            continue
        item.setdefault("attributes", {})[name] = True if value is None else value
    if uncarried:
        counts = ", ".join(f"{k} {what}{'s' if k > 1 else ''}" for what, k in uncarried.items())
        b.problem(
            "GK817",
            f"{counts} not carried: a record has no place for them",
            hint="normalisations, notes and equivalences stay in the BRAT files",
        )
    return b.build()


def _text_bound(
    b: RecordBuilder,
    tasks: TextTasks,
    text: str,
    n: int,
    fields: list[str],
    spans: dict[str, dict[str, Any]],
) -> None:
    if len(fields) < 2:
        b.problem("GK802", "a text-bound annotation is 'T<n>\\tType Start End\\tText'", line=n)
        return
    tid = fields[0]
    head = fields[1].split(" ", 1)
    if len(head) != 2:
        b.problem("GK802", "a text-bound annotation needs a type and offsets", line=n)
        return
    kind, offsets = head
    frags: list[tuple[int, int]] = []
    for frag in offsets.split(";"):
        bits = frag.split()
        if len(bits) != 2 or not all(x.isdigit() for x in bits):
            b.problem("GK802", f"offsets '{offsets}' are not 'start end[;start end]'", line=n)
            return
        frags.append((int(bits[0]), int(bits[1])))
    if tasks.spans is None:
        b.problem("GK804", "the document has text-bound annotations but no spans task", line=n)
        return
    if len(frags) > 1:
        b.problem(
            "GK806",
            f"{tid} is a discontinuous span ({offsets}); a span of the format is one range",
            line=n,
            hint="split it into one span per fragment, or join the fragments",
        )
        return
    start, end = frags[0]
    span: dict[str, Any] = {
        "id": tid,
        "start": start,
        "end": end,
        "label": b.label(tasks.spans, kind, None, line=n),
    }
    if len(fields) > 2:
        quoted = fields[2]
        if text[start:end] != quoted:
            b.problem(
                "GK802",
                f"{tid} quotes {quoted[:40]!r} but the text at {start}-{end} is "
                f"{text[start:end][:40]!r}",
                line=n,
                hint="the .txt file is not the one these offsets were made on",
            )
            return
        span["text"] = quoted
    spans[tid] = span
    b.append(tasks.spans.id, span)


def _relation(
    b: RecordBuilder, tasks: TextTasks, n: int, fields: list[str], rels: dict[str, dict[str, Any]]
) -> None:
    parts = fields[1].split() if len(fields) > 1 else []
    args = dict(p.split(":", 1) for p in parts[1:] if ":" in p)
    if len(parts) != 3 or not {"Arg1", "Arg2"} <= set(args):
        b.problem("GK802", "a relation is 'R<n>\\tType Arg1:T<a> Arg2:T<b>'", line=n)
        return
    if tasks.relations is None:
        b.problem("GK804", "the document has relations but no relations task", line=n)
        return
    rel = {
        "id": fields[0],
        "label": b.label(tasks.relations, parts[0], None, line=n),
        "from": args["Arg1"],
        "to": args["Arg2"],
    }
    rels[fields[0]] = rel
    b.append(tasks.relations.id, rel)


def _events(
    b: RecordBuilder,
    tasks: TextTasks,
    events: list[tuple[int, str, list[tuple[str, str]]]],
    triggers: dict[str, str],
    spans: dict[str, dict[str, Any]],
) -> None:
    for n, eid, args in events:
        trigger = triggers[eid]
        if trigger not in spans:
            b.problem("GK802", f"event {eid}'s trigger '{trigger}' is not a span", line=n)
            continue
        if not args:
            continue
        if tasks.relations is None:
            b.problem(
                "GK804",
                f"event {eid} has arguments but the guideline has no relations task",
                line=n,
            )
            continue
        for k, (role, target) in enumerate(args):
            b.append(
                tasks.relations.id,
                {
                    "id": f"{eid}-{k + 1}",
                    "label": b.label(tasks.relations, _ROLE_NUMBER.sub("", role), None, line=n),
                    "from": trigger,
                    "to": triggers.get(target, target),
                },
            )


# -- writer ----------------------------------------------------------------------------------------


def write_brat(
    records: Iterable[Mapping[str, Any]], guideline: ir.Guideline, out: str | Path, **options: Any
) -> Exported:
    """One ``.ann``/``.txt`` pair per record in the folder ``out``, and ``annotation.conf``."""
    g = guideline
    out = Path(out)
    result = Exported()
    tasks = TextTasks.of(g, FMT, str(out), options, need_classes=False)
    for task in g.tasks.values():
        if task not in (tasks.spans, tasks.relations):
            result.warn_once(
                task.id,
                f"task '{task.id}' ({task.type}) is not written: BRAT holds spans and relations",
            )
    out.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    for rec in records:
        rid = rec.get(g.delivery.id)
        name = re.sub(r"[^\w.-]+", "_", str(rid)).strip("._") or "record"
        if name in seen:
            result.fail(rec, g, f"its id gives the file name '{name}' of an earlier record")
            continue
        seen.add(name)
        text = rec.get(tasks.field)
        if not isinstance(text, str):
            result.fail(rec, g, f"has no text in '{tasks.field}'; BRAT needs the text")
            continue
        lines: list[str] = []
        ids: dict[str, str] = {}
        attr_n = 0
        spans = regions(rec, tasks.spans) if tasks.spans is not None else []
        for k, sp in enumerate(spans, 1):
            tid = f"T{k}"
            if sp.get("id") is not None:
                ids[str(sp["id"])] = tid
            start, end = sp.get("start"), sp.get("end")
            lines.append(f"T{k}\t{sp.get('label')} {start} {end}\t{text[start:end]}")
            for key, value in (sp.get("attributes") or {}).items():
                attr_n += 1
                lines.append(f"A{attr_n}\t{key} {tid}" + ("" if value is True else f" {value}"))
        rels = regions(rec, tasks.relations) if tasks.relations is not None else []
        for k, r in enumerate(rels, 1):
            a1 = ids.get(str(r.get("from")), str(r.get("from")))
            a2 = ids.get(str(r.get("to")), str(r.get("to")))
            lines.append(f"R{k}\t{r.get('label')} Arg1:{a1} Arg2:{a2}\t")
        (out / f"{name}.txt").write_text(text, encoding="utf-8")
        (out / f"{name}.ann").write_text("".join(x + "\n" for x in lines), encoding="utf-8")
        result.paths += [out / f"{name}.ann", out / f"{name}.txt"]
        result.records += 1
    conf = out / "annotation.conf"
    conf.write_text(annotation_conf(g, tasks), encoding="utf-8")
    result.paths.append(conf)
    return result


def annotation_conf(g: ir.Guideline, tasks: TextTasks | None = None) -> str:
    """BRAT's ``annotation.conf`` for the guideline's spans and relations."""
    tasks = tasks or TextTasks.of(g, FMT, g.id, {}, need_classes=False)
    out = ["[entities]", ""]
    attrs: list[str] = []
    if tasks.spans is not None:
        for c in tasks.spans.classes:
            out.append(c.id)
            for name, a in tasks.spans.attributes_for(c.id).items():
                values = getattr(a, "values", None)
                spec = f"{name}\tArg:{c.id}" + (f", Value:{'|'.join(values)}" if values else "")
                attrs.append(spec)
    out += ["", "[relations]", ""]
    if tasks.relations is not None:
        for c in tasks.relations.classes:
            out.append(f"{c.id}\tArg1:<ENTITY>, Arg2:<ENTITY>")
    out += ["", "[events]", "", "[attributes]", "", *attrs, ""]
    return "\n".join(out)
