"""Comparable forms of task values for agreement, gold scores and revisions.

Each converter is ``value -> (readable, comparable)``: ``readable`` is ``False`` for a value
the delivery validator would reject (it is left out and counted); an absent value is the
caller's ``missing`` sentinel (not rated). Labels become their index in the task's
label list, after resolving aliases.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from typing import Any

from guidekit import ir

Converter = Callable[[Any], tuple[bool, Any]]


def label_of(item: Any) -> Any:
    return item.get("label") if isinstance(item, dict) else item


def index_of(labels: list[str]) -> dict[str, int]:
    return {cid: i for i, cid in enumerate(labels)}


def resolve(task: ir.Task, label: Any) -> str | None:
    """The class id a label stands for. Labels are compared in Unicode NFC form, so a
    composed ``é`` and ``e`` + combining accent (what some tools and keyboards produce)
    are the same label."""
    if not isinstance(label, str):
        return None
    cid = task.resolve_label(label)
    if cid is not None:
        return cid
    nfc = unicodedata.normalize("NFC", label)
    for c in task.classes:
        for known in (c.id, *c.aliases):
            if unicodedata.normalize("NFC", known) == nfc:
                return c.id
    return None


#: distinct label strings a converter remembers (a delivery repeats a few labels millions
#: of times; a bound keeps a file of distinct junk labels from growing the cache)
LABEL_CACHE = 4096


def one_label(task: ir.Task, index: dict[str, int], missing: object) -> Converter:
    """One class (a label, or an object with a ``label``)."""
    seen: dict[str, tuple[bool, Any]] = {}

    def one(v: Any) -> tuple[bool, Any]:
        if v is None:
            return True, missing
        if type(v) is str:
            hit = seen.get(v)
            if hit is not None:
                return hit
        cid = resolve(task, label_of(v))
        out = (True, index[cid]) if cid in index else (False, None)
        if type(v) is str and len(seen) < LABEL_CACHE:
            seen[v] = out
        return out

    return one


def label_set(task: ir.Task, index: dict[str, int], missing: object) -> Converter:
    """A list of classes, compared as a set."""

    def many(v: Any) -> tuple[bool, Any]:
        if v is None:
            return True, missing
        if not isinstance(v, list):
            return False, None
        out = set()
        for item in v:
            label = label_of(item)
            cid = resolve(task, label)
            if cid not in index:
                return False, None
            out.add(index[cid])
        return True, frozenset(out)

    return many


def truth_value(missing: object) -> Converter:
    """``false``/``true`` as 0/1."""
    return lambda v: (
        (True, missing) if v is None else (True, int(v)) if isinstance(v, bool) else (False, 0)
    )


def number(missing: object) -> Converter:
    """A finite number."""
    return lambda v: (
        (True, missing)
        if v is None
        else (True, float(v))
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
        else (False, None)
    )


def folded_text(missing: object) -> Converter:
    """Text, case-folded with runs of spaces collapsed."""
    return lambda v: (
        (True, missing)
        if v is None
        else (True, " ".join(v.casefold().split()))
        if isinstance(v, str)
        else (False, None)
    )
