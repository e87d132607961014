"""What the text formats (doccano, CoNLL, spaCy) share: which tasks their parts go to, a
stream of JSON values that tolerates pretty-printed "JSONL", and tokenisation."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidekit import ir, tasktypes
from guidekit.bridges._common import RecordBuilder, file_error, pick_task
from guidekit.bridges._json import DECODER, JsonText
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.errors import GuidekitError


def label_types() -> tuple[str, ...]:
    """Names of the registered task types whose value labels the whole record (classifications
    and yes/no answers), which tools carry as record-level tags, in the registry's order."""
    return tuple(tt.name for tt in tasktypes.all_types() if tt.classification or tt.yes_no)


def span_types() -> tuple[str, ...]:
    """Names of the registered task types whose regions are spans of a text (regions not
    drawn on an image), in the registry's order."""
    return tuple(tt.name for tt in tasktypes.all_types() if tt.region and not tt.image)


@dataclass(frozen=True)
class TextTasks:
    """The tasks a text format fills: spans over ``field``, a classification, relations."""

    spans: ir.Task | None
    classes: ir.Task | None
    relations: ir.Task | None
    field: str
    classes_problem: str | None = None

    @classmethod
    def of(
        cls,
        g: ir.Guideline,
        fmt: str,
        file: str,
        options: Mapping[str, Any],
        *,
        need_classes: bool = True,
    ) -> TextTasks:
        spans = pick_task(g, span_types(), options.get("task"), fmt=fmt, file=file)
        classes, problem = None, None
        if need_classes:
            try:
                classes = pick_task(
                    g,
                    label_types(),
                    options.get("classes_task"),
                    fmt=fmt,
                    file=file,
                    option="classes_task",
                )
            except GuidekitError as exc:
                if options.get("classes_task") is not None:
                    raise
                d = exc.diagnostics[0]
                problem = f"{d.message} ({d.hint})" if d.hint else d.message
        relations = None
        if spans is not None:
            fitting = [
                t for t in g.tasks.values() if tasktypes.of(t).links_regions and t.over == spans.id
            ]
            relations = fitting[0] if len(fitting) == 1 else None
        field = spans.over if spans is not None and spans.over else _first_text(g)
        if field is None:
            raise file_error(
                "GK805", f"{fmt}: guideline '{g.id}' has no text field for the text", file
            )
        return cls(spans, classes, relations, field, problem)

    def no_classes(self, b: RecordBuilder, pointer: str) -> None:
        """Report class labels that have no task to go to."""
        if self.classes_problem is not None:
            b.problem("GK805", self.classes_problem, pointer)
        else:
            b.problem(
                "GK804",
                "the export has class labels but the guideline has no classification task",
                pointer,
            )


def _first_text(g: ir.Guideline) -> str | None:
    for name, spec in g.record.fields.items():
        if spec.type == "text":
            return name
    return None


def json_values(path: Path, file: str) -> Iterator[tuple[int, Any, Diagnostic | None]]:
    """``(line, value, error)`` for each JSON value of a JSON Lines file.

    Values may span lines (some tools pretty-print their "JSONL"). After a malformed value the
    reader resumes at the next line that starts with ``{``.
    """
    if not path.is_file():
        raise file_error("GK801", f"'{file}' is not a file", file)
    doc = JsonText.read(path, file)
    text = doc.text
    ws = re.compile(r"[ \t\n\r]*")  # matches everywhere (maybe empty): match() is never None
    pos = ws.match(text, 0).end()  # type: ignore[union-attr]
    while pos < len(text):
        line = doc.line(pos)
        try:
            value, end = DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            if not text[exc.pos :].strip():
                where = Location(file, line)
                message = (
                    "not valid JSON: the value starting here is cut off by the end of the file"
                )
            else:
                col = exc.pos - text.rfind("\n", 0, exc.pos)
                where = Location(file, doc.line(exc.pos), col)
                message = f"not valid JSON: {exc.msg}"
            yield line, None, diag("GK802", message, where)
            nxt = text.find("\n{", max(exc.pos, pos))
            if nxt < 0:
                return
            pos = nxt + 1
            continue
        except ValueError as exc:
            yield line, None, diag("GK802", str(exc), Location(file, line))
            nxt = text.find("\n{", pos)
            if nxt < 0:
                return
            pos = nxt + 1
            continue
        yield line, value, None
        pos = ws.match(text, end).end()  # type: ignore[union-attr]


def put_classes(b: RecordBuilder, task: ir.Task, labels: Sequence[Any], pointer: str) -> None:
    """A classification task's value from a list of tool labels."""
    tt = tasktypes.of(task)
    mapped = [x if tt.yes_no else b.label(task, x, f"{pointer}/{i}") for i, x in enumerate(labels)]
    if tt.many_labels:
        b.data[task.id] = mapped
    elif len(mapped) == 1:
        b.data[task.id] = mapped[0]
    elif mapped:
        b.data[task.id] = mapped


def copy_known(
    b: RecordBuilder, g: ir.Guideline, source: Mapping[str, Any], skip: Sequence[str] = ()
) -> None:
    """Copy record fields and metadata a tool object carries under their own names."""
    m = g.delivery.metadata
    names = {
        *g.record.fields,
        m.annotator,
        m.reviewer,
        m.status,
        m.created_at,
        m.updated_at,
        m.unresolved,
        m.question,
        m.guideline_version,
        m.skip,
        m.split,
    }
    for key, value in source.items():
        if key in names and key not in skip and key not in b.data:
            b.data[key] = value


_WORD = re.compile(r"\S+")


def tokenize(text: str, cuts: Sequence[int]) -> list[tuple[int, int]]:
    """Whitespace tokens of ``text`` as (start, end), also cut at the offsets in ``cuts`` so
    every span starts and ends on a token boundary."""
    points = sorted(set(cuts))
    out: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        start, end = m.span()
        i = bisect.bisect_right(points, start)
        while i < len(points) and points[i] < end:
            out.append((start, points[i]))
            start = points[i]
            i += 1
        out.append((start, end))
    return out
