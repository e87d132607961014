"""Read annotation files into who-labelled-what, and lay one task out as a rating matrix.

An *annotation* is one delivered record: an item id, an annotator and the task values. The
same item labelled by several annotators is several records with the same id and different
annotators, in one file or across files. A record without an annotator field is attributed
to its file (so "one file per annotator" works without the field). Skipped records
(``skip`` set) rate nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from guidekit import ir
from guidekit.delivery.read import ToolReader, read_records
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location


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
    for path in paths:
        records = read_records(path, format=format, guideline=guideline, readers=readers)
        add_records(out, guideline, records, path)
    if split is not None:
        key = guideline.delivery.metadata.split
        out.records = [a for a in out.records if a.data.get(key) == split]
    return out


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
        if rec.data is None:
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


MISSING: Any = object()


def matrix(
    guideline: ir.Guideline,
    annotations: Annotations,
    task: ir.Task,
    canonical: Any,
) -> Matrix:
    """Lay ``task`` out as a matrix. ``canonical(value) -> (ok, comparable)`` turns a task
    value into what the metric compares; values it cannot read are left out and counted.

    An annotator who labelled the same item twice keeps the last label, with a warning."""
    annotators = annotations.annotators()
    col = {a: i for i, a in enumerate(annotators)}
    items: list[str] = []
    row: dict[str, int] = {}
    values: list[list[Any]] = []
    seen: dict[tuple[str, str], Annotation] = {}
    diags: list[Diagnostic] = []
    ignored = 0
    for a in annotations.records:
        if skipped(guideline, a.data):
            continue
        ok, value = canonical(a.data.get(task.id))
        if not ok:
            ignored += 1
            continue
        if value is MISSING:
            continue
        key = (a.item, a.annotator)
        if key in seen:
            first = seen[key]
            diags.append(
                diag(
                    "GK603",
                    f"annotator '{a.annotator}' labelled item '{a.item}' again (first at "
                    f"{first.location}); the later label counts",
                    a.location,
                )
            )
        seen[key] = a
        r = row.get(a.item)
        if r is None:
            r = row[a.item] = len(items)
            items.append(a.item)
            values.append([MISSING] * len(annotators))
        values[r][col[a.annotator]] = value
    return Matrix(task, items, annotators, values, diags, ignored)


def codes(m: Matrix) -> NDArray[np.int64]:
    """Integer codes (``-1`` missing) of a matrix whose values are already integers."""
    out = np.full((len(m.items), len(m.annotators)), -1, dtype=np.int64)
    for u, row in enumerate(m.values):
        for r, v in enumerate(row):
            if v is not MISSING:
                out[u, r] = v
    return out


def numbers(m: Matrix) -> NDArray[np.float64]:
    out = np.full((len(m.items), len(m.annotators)), np.nan)
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
