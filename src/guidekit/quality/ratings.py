"""Read annotation files into who-labelled-what, and lay one task out as a rating matrix.

An *annotation* is one delivered record: an item id, an annotator and the task values. The
same item labelled by several annotators is several records with the same id and different
annotators, in one file or across files. A record without an annotator field is attributed
to its file (so "one file per annotator" works without the field). Skipped records
(``skip`` set) rate nothing.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from guidekit import ir
from guidekit.delivery.read import (
    RawRecord,
    ToolReader,
    detect_format,
    read_jsonl_blocks,
    read_records,
)
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.errors import GuidekitError


@dataclass(frozen=True, slots=True)
class Annotation:
    item: str
    annotator: str
    data: dict[str, Any]
    file: str
    line: int

    @property
    def location(self) -> Location:
        return Location(self.file, self.line)


@dataclass(slots=True)
class Annotations:
    """Every readable record of some files, with the problems met while reading them."""

    records: list[Annotation] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def items(self) -> list[str]:
        return list(dict.fromkeys(a.item for a in self.records))

    def annotators(self) -> list[str]:
        return sorted({a.annotator for a in self.records})

    def by_item(self) -> dict[str, list[Annotation]]:
        out: dict[str, list[Annotation]] = {}
        for a in self.records:
            out.setdefault(a.item, []).append(a)
        return out


def item_id(value: Any) -> str | None:
    """Ids compare as text (``12`` and ``"12"`` are the same item); other types have none."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int)):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def read_annotations(
    guideline: ir.Guideline,
    paths: Sequence[str | os.PathLike[str]],
    *,
    format: str | None = None,
    split: str | None = None,
    readers: Mapping[str, ToolReader] | None = None,
) -> Annotations:
    """Read every file; unreadable lines and records without an id become diagnostics.
    ``readers`` reads labelling tools' exports (see ``delivery.read.read_records``)."""
    out = Annotations()
    with paused_gc():
        _read(out, guideline, paths, format, readers)
    if split is not None:
        key = guideline.delivery.metadata.split
        out.records = [a for a in out.records if a.data.get(key) == split]
    return out


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while records become objects: collections would
    scan the hundreds of thousands of dicts again and again though all are in use (a third
    of the reading time of 450,000 ratings; ``bridges._common.paused_gc`` does the same)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read(
    out: Annotations,
    guideline: ir.Guideline,
    paths: Sequence[str | os.PathLike[str]],
    format: str | None,
    readers: Mapping[str, ToolReader] | None,
) -> None:
    for path in paths:
        if _plain_jsonl(path, format, readers):
            add_objects(out, guideline, read_jsonl_blocks(Path(path), str(path)), path)
            continue
        records = read_records(path, format=format, guideline=guideline, readers=readers)
        add_records(out, guideline, records, path)


def _plain_jsonl(
    path: str | os.PathLike[str], format: str | None, readers: Mapping[str, ToolReader] | None
) -> bool:
    """Whether ``read_records`` would read ``path`` as a native JSON Lines file."""
    if readers and format is not None and format in readers:
        return False
    p = Path(path)
    if not p.is_file():
        return False
    try:
        return (format or detect_format(p)) == "jsonl"
    except GuidekitError:
        return False


def add_objects(
    out: Annotations,
    guideline: ir.Guideline,
    blocks: Iterable[list[dict[str, Any] | RawRecord]],
    path: str | os.PathLike[str],
) -> None:
    """:func:`add_records` for the lines of ``delivery.read.read_jsonl_blocks``: the same
    annotations and diagnostics, without a record object per ordinary line."""
    id_key = guideline.delivery.id
    ann_key = guideline.delivery.metadata.annotator
    fallback = os.path.basename(str(path))
    file = str(path)
    append = out.records.append
    for line, obj in enumerate(chain.from_iterable(blocks), 1):
        if type(obj) is not dict:
            add_records(out, guideline, (obj,), path)
            continue
        raw = obj.get(id_key)
        iid = raw if type(raw) is str else item_id(raw)
        if iid is None:
            out.diagnostics.append(
                diag(
                    "GK602",
                    f"record has no usable id field '{id_key}'; left out",
                    Location(file, line),
                )
            )
            continue
        annotator = obj.get(ann_key)
        if type(annotator) is str and annotator != "":
            name = annotator
        else:
            name = (
                str(annotator)
                if isinstance(annotator, (str, int)) and annotator != ""
                else fallback
            )
        append(Annotation(iid, name, obj, file, line))


def add_records(
    out: Annotations,
    guideline: ir.Guideline,
    records: Iterable[Any],
    path: str | os.PathLike[str],
) -> None:
    id_key = guideline.delivery.id
    ann_key = guideline.delivery.metadata.annotator
    fallback = os.path.basename(str(path))
    for rec in records:
        if rec.data is None or (rec.error is not None and rec.error.code == "GK550"):
            # a record whose JSON repeats a key is left out (JSON readers disagree on which
            # of its values counts) and reported, like a line that does not parse
            if rec.error is not None:
                out.diagnostics.append(rec.error)
            continue
        iid = rec.data.get(id_key)
        if type(iid) is not str:
            iid = item_id(iid)
        if iid is None:
            out.diagnostics.append(
                diag("GK602", f"record has no usable id field '{id_key}'; left out", rec.location)
            )
            continue
        annotator = rec.data.get(ann_key)
        if type(annotator) is str:
            name = annotator or fallback
        else:
            name = (
                str(annotator)
                if isinstance(annotator, (str, int)) and annotator != ""
                else fallback
            )
        out.records.append(Annotation(iid, name, rec.data, rec.file, rec.line))


def skipped(guideline: ir.Guideline, data: dict[str, Any]) -> bool:
    return data.get(guideline.delivery.metadata.skip) not in (None, "", False)


@dataclass(slots=True)
class Matrix:
    """One task laid out as units x annotators. ``values[u][r]`` is the canonical value
    (``MISSING`` when the annotator did not rate the unit)."""

    task: ir.Task
    items: list[str]
    annotators: list[str]
    values: list[list[Any]]
    diagnostics: list[Diagnostic]
    ignored: int = 0
    #: the rated cells (rows, columns) with their values in the same order, when every
    #: cell is rated once: what :func:`codes`, :func:`numbers` and :func:`rated` lay out
    #: without walking ``values``
    cells: tuple[NDArray[np.int64], NDArray[np.int64], list[Any]] | None = None


MISSING: Any = object()
#: distinct text values :func:`matrix` remembers the comparable form of
MEMO = 4096


def matrix(
    guideline: ir.Guideline,
    annotations: Annotations,
    task: ir.Task,
    canonical: Any,
) -> Matrix:
    """Lay ``task`` out as a matrix. ``canonical(value) -> (ok, comparable)`` turns a task
    value into what the metric compares; values it cannot read are left out and counted.

    An annotator who labelled the same item twice keeps the last label, with a warning."""
    with paused_gc():
        return _matrix(guideline, annotations, task, canonical)


def _matrix(
    guideline: ir.Guideline,
    annotations: Annotations,
    task: ir.Task,
    canonical: Any,
) -> Matrix:
    annotators = annotations.annotators()
    col = {a: i for i, a in enumerate(annotators)}
    skip_key = guideline.delivery.metadata.skip
    tid = task.id
    # the comparable form of each distinct text value, asked once (labels repeat; a bound
    # keeps free-text values from filling it)
    memo: dict[str, tuple[bool, Any]] = {}
    memo_get = memo.get
    kept: list[Annotation] = []
    kept_values: list[Any] = []
    row: dict[str, int] = {}
    row_get = row.get
    rows: list[int] = []
    cols: list[int] = []
    ignored = 0
    for a in annotations.records:
        data = a.data
        if data.get(skip_key) not in (None, "", False):
            continue
        raw = data.get(tid)
        if type(raw) is str:
            known = memo_get(raw)
            if known is None:
                known = canonical(raw)
                if len(memo) < MEMO:
                    memo[raw] = known
            ok, value = known
        else:
            ok, value = canonical(raw)
        if not ok:
            ignored += 1
        elif value is not MISSING:
            kept.append(a)
            kept_values.append(value)
            r = row_get(a.item)
            if r is None:
                r = row[a.item] = len(row)
            rows.append(r)
            cols.append(col[a.annotator])
    items = list(row)
    diags: list[Diagnostic] = []
    cells = np.array(rows, dtype=np.int64) * len(annotators) + np.array(cols, dtype=np.int64)
    once = len(np.unique(cells)) == len(cells)
    if not once:
        diags = _relabelled(kept)
    values: list[list[Any]] = [[MISSING] * len(annotators) for _ in items]
    for r, c, value in zip(rows, cols, kept_values, strict=True):
        values[r][c] = value
    if once:
        at = np.divmod(cells, max(1, len(annotators)))
        return Matrix(task, items, annotators, values, diags, ignored, (*at, kept_values))
    return Matrix(task, items, annotators, values, diags, ignored)


def _relabelled(kept: Sequence[Annotation]) -> list[Diagnostic]:
    """GK603 for every rating of an item its annotator had already rated."""
    seen: dict[tuple[str, str], Annotation] = {}
    diags = []
    for a in kept:
        key = (a.item, a.annotator)
        first = seen.get(key)
        if first is not None:
            diags.append(
                diag(
                    "GK603",
                    f"annotator '{a.annotator}' labelled item '{a.item}' again (first at "
                    f"{first.location}); the later label counts",
                    a.location,
                )
            )
        seen[key] = a
    return diags


def rated(m: Matrix) -> NDArray[np.bool_]:
    """Units x annotators: which cells hold a rating."""
    if m.cells is not None:
        out = np.zeros((len(m.items), len(m.annotators)), dtype=bool)
        out[m.cells[0], m.cells[1]] = True
        return out
    return np.array([[v is not MISSING for v in row] for row in m.values], dtype=bool).reshape(
        len(m.items), len(m.annotators)
    )


def codes(m: Matrix) -> NDArray[np.int64]:
    """Integer codes (``-1`` missing) of a matrix whose values are already integers."""
    out = np.full((len(m.items), len(m.annotators)), -1, dtype=np.int64)
    if m.cells is not None and all(type(v) is int for v in m.cells[2]):
        out[m.cells[0], m.cells[1]] = np.array(m.cells[2], dtype=np.int64)
        return out
    for u, row in enumerate(m.values):
        for r, v in enumerate(row):
            if v is not MISSING:
                out[u, r] = v
    return out


def numbers(m: Matrix) -> NDArray[np.float64]:
    out = np.full((len(m.items), len(m.annotators)), np.nan)
    if m.cells is not None and all(type(v) is int or type(v) is float for v in m.cells[2]):
        out[m.cells[0], m.cells[1]] = np.array(m.cells[2], dtype=np.float64)
        return out
    for u, row in enumerate(m.values):
        for r, v in enumerate(row):
            if v is not MISSING:
                out[u, r] = v
    return out


def iter_pairs(m: Matrix) -> Iterator[tuple[int, int, int, Any, Any]]:
    """``(unit, rater_a, rater_b, value_a, value_b)`` for every pair of ratings of a unit."""
    for u, row in enumerate(m.values):
        present = [(r, v) for r, v in enumerate(row) if v is not MISSING]
        for i in range(len(present)):
            for j in range(i + 1, len(present)):
                yield u, present[i][0], present[j][0], present[i][1], present[j][1]
