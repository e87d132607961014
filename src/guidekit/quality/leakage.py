"""Leakage between a training delivery and an evaluation set: shared ids, shared content.

Content is compared by a hash of the record's input fields (those the guideline's ``record``
declares, or those named), normalised so that trivial copies still collide: text is
NFKC-normalised, case-folded and its whitespace collapsed; other values are compared as
canonical JSON. Records that carry none of the fields have no content hash; the report says
how many.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from guidekit import ir
from guidekit.quality.ratings import Annotation


def normalise(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFKC", value).casefold().split())
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    return value


def content_hash(data: dict[str, Any], fields: Sequence[str]) -> str | None:
    present = {f: normalise(data[f]) for f in fields if data.get(f) not in (None, "")}
    if not present:
        return None
    blob = orjson.dumps(present, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(blob).hexdigest()


@dataclass(frozen=True, slots=True)
class Overlap:
    kind: str  # "id", "content" or "id+content"
    train_item: str
    eval_item: str
    train_at: str
    eval_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "train": {"id": self.train_item, "at": self.train_at},
            "eval": {"id": self.eval_item, "at": self.eval_at},
        }


@dataclass(slots=True)
class LeakageReport:
    fields: list[str]
    train_items: int
    eval_items: int
    overlaps: list[Overlap] = field(default_factory=list)
    train_without_content: int = 0
    eval_without_content: int = 0

    @property
    def clean(self) -> bool:
        return not self.overlaps

    def counts(self) -> dict[str, int]:
        out = {"id": 0, "content": 0, "id+content": 0}
        for o in self.overlaps:
            out[o.kind] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "clean": self.clean,
            "fields": self.fields,
            "train_items": self.train_items,
            "eval_items": self.eval_items,
            "overlaps": [o.to_dict() for o in self.overlaps],
            "counts": self.counts(),
            "train_without_content": self.train_without_content,
            "eval_without_content": self.eval_without_content,
        }


def _first(records: Sequence[Annotation]) -> dict[str, Annotation]:
    out: dict[str, Annotation] = {}
    for a in records:
        out.setdefault(a.item, a)
    return out


def find(
    guideline: ir.Guideline,
    train: Sequence[Annotation],
    evaluation: Sequence[Annotation],
    fields: Sequence[str] | None = None,
) -> LeakageReport:
    names = list(fields) if fields else list(guideline.record.fields)
    t_items, e_items = _first(train), _first(evaluation)
    report = LeakageReport(names, len(t_items), len(e_items))
    e_hash: dict[str, list[Annotation]] = {}
    for a in e_items.values():
        h = content_hash(a.data, names)
        if h is None:
            report.eval_without_content += 1
        else:
            e_hash.setdefault(h, []).append(a)
    for iid, a in t_items.items():
        h = content_hash(a.data, names)
        if h is None:
            report.train_without_content += 1
        same_content = e_hash.get(h, []) if h is not None else []
        matched = {b.item for b in same_content}
        if iid in e_items:
            kind = "id+content" if iid in matched else "id"
            b = e_items[iid]
            report.overlaps.append(Overlap(kind, iid, iid, str(a.location), str(b.location)))
        for b in same_content:
            if b.item != iid:
                report.overlaps.append(
                    Overlap("content", iid, b.item, str(a.location), str(b.location))
                )
    return report
