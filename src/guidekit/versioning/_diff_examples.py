"""Differences of examples, negatives, out-of-scope examples and edge cases.

Examples are matched by id, then by content; what is left pairs up by position (an example
reworded in place). Edge cases are matched by id across the whole guideline, so a case moved
to another class is a move, not a removal and an addition. Old labels are read through the
renames and merges of their task first, so renaming a class does not change its examples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from guidekit import ir
from guidekit.versioning._emit import LONG, Emitter, Scope, canonical, code, snippet
from guidekit.versioning.classify import GUIDELINE
from guidekit.versioning.model import LabelFate

_NOUN = {
    "example": "example",
    "negative": "negative example",
    "out_of_scope": "out-of-scope example",
}


class Relabel:
    """Rewrites labels through the renames and merges of their task (``fates[task][label]``).

    Both sides are read through it: the old side because its labels were renamed, the new
    side because it may still use an old label (an alias, a deprecated class)."""

    def __init__(self, fates: dict[str, dict[str, LabelFate]]) -> None:
        self.maps = {
            tid: {old: f.targets[0] for old, f in fates_.items() if f.rewritable}
            for tid, fates_ in fates.items()
        }

    def label(self, task: str | None, label: Any) -> Any:
        mapping = self.maps.get(task or "", {})
        if isinstance(label, str):
            return mapping.get(label, label)
        return label

    def value(self, task: str | None, value: Any) -> Any:
        mapping = self.maps.get(task or "")
        if not mapping:
            return value
        if isinstance(value, str):
            return mapping.get(value, value)
        if isinstance(value, list):
            out = []
            for item in value:
                if isinstance(item, dict) and isinstance(item.get("label"), str):
                    out.append({**item, "label": mapping.get(item["label"], item["label"])})
                else:
                    out.append(self.value(task, item) if isinstance(item, str) else item)
            return out
        return value

    def example(self, x: ir.Example) -> ir.Example:
        if not self.maps.get(x.task or "") and not x.annotations:
            return x
        changes = {}
        for name in ("annotation", "label", "decision"):
            value = getattr(x, name)
            new = self.value(x.task, value)
            if new != value:
                changes[name] = new
        others = {k: self.value(k, v) for k, v in x.annotations.items()}
        if others != x.annotations:
            changes["annotations"] = others
        return replace(x, **changes) if changes else x


def _key(x: ir.Example) -> str:
    if x.id:
        return "id:" + x.id
    return canonical({"r": x.record, "a": x.annotation, "o": x.annotations, "l": x.label})


def _content(x: ir.Example) -> str:
    return canonical(
        {
            "r": x.record,
            "a": x.annotation,
            "o": x.annotations,
            "l": x.label,
            "w": x.why,
            "n": x.note,
            "s": x.skip,
        }
    )


def diff_examples(
    s: Scope,
    old: Sequence[ir.Example],
    new: Sequence[ir.Example],
    kind: str,
    on: str,
    relabel: Relabel | None = None,
) -> None:
    if relabel is not None:
        old = [relabel.example(x) for x in old]
        new = [relabel.example(x) for x in new]
    noun = _NOUN[kind]
    s = s.sub(kind.replace("_", "-"))
    ka = {_key(x): x for x in old}
    kb = {_key(x): x for x in new}
    for k, b in kb.items():
        a = ka.get(k)
        if a is not None and b.id and _content(a) != _content(b):
            _changed(s, a, b, noun, on)
    gone = [x for k, x in ka.items() if k not in kb]
    came = [x for k, x in kb.items() if k not in ka]
    plain_gone = [x for x in gone if not x.id]
    plain_came = [x for x in came if not x.id]
    paired = min(len(plain_gone), len(plain_came))
    for a, b in zip(plain_gone[:paired], plain_came[:paired], strict=True):
        _changed(s, a, b, noun, on)
    skip_came = {id(x) for x in plain_came[:paired]}
    skip_gone = {id(x) for x in plain_gone[:paired]}
    for b in came:
        if id(b) not in skip_came:
            s.add(
                "example-added",
                "added",
                f"{noun} added to {on}",
                new=snippet(b.record),
                name=b.id,
                loc=b.loc or s.context.get("loc"),
                levels=(*s.context.get("levels", ()), b.sensitivity),
            )
    for a in gone:
        if id(a) not in skip_gone:
            s.add(
                "example-removed",
                "removed",
                f"{noun} removed from {on}",
                old=snippet(a.record),
                name=a.id,
                levels=(*s.context.get("levels", ()), a.sensitivity),
            )


def _changed(s: Scope, a: ir.Example, b: ir.Example, noun: str, on: str) -> None:
    what = f"{noun} {('`' + b.id + '` ') if b.id else ''}of {on}"
    detail = []
    if canonical(a.record) != canonical(b.record):
        detail.append("text")
    if (canonical(a.annotation), canonical(a.annotations)) != (
        canonical(b.annotation),
        canonical(b.annotations),
    ):
        detail.append("annotation")
    if canonical(a.label) != canonical(b.label):
        detail.append(f"label {code(a.label)} → {code(b.label)}")
    if (a.why, a.note, a.skip) != (b.why, b.note, b.skip):
        detail.append("explanation")
    s.add(
        "example-changed",
        "changed",
        f"{what} changed ({', '.join(detail)})",
        old=snippet(a.record, LONG),
        new=snippet(b.record, LONG),
        words="text" in detail,
        name=b.id,
        loc=b.loc or s.context.get("loc"),
        levels=(*s.context.get("levels", ()), a.sensitivity, b.sensitivity),
    )


def diff_edge_cases(e: Emitter, old: ir.Guideline, new: ir.Guideline, relabel: Relabel) -> None:
    before = {x.id: relabel.example(x) for x in old.edge_cases() if x.id}
    after = {x.id: relabel.example(x) for x in new.edge_cases() if x.id}
    for xid, b in after.items():
        a = before.get(xid)
        s = e.scope(
            "edge-case",
            task=b.task,
            class_id=b.class_id,
            name=xid,
            loc=b.loc,
            owner=("edge", xid),
            levels=(b.sensitivity,) if a is None else (a.sensitivity, b.sensitivity),
        )
        if a is None:
            if b.decision is not None:
                s.add(
                    "edge-case-decided",
                    "added",
                    f"edge case `{xid}` added, decided {_decision(b.decision)}",
                    new=b.rationale or snippet(b.record),
                )
            else:
                s.add(
                    "edge-case-added",
                    "added",
                    f"open edge case `{xid}` added",
                    new=b.question or snippet(b.record),
                )
            continue
        _edge_case(s, a, b, xid)
    for xid, a in before.items():
        if xid not in after:
            was = f" (was decided {_decision(a.decision)})" if a.decision is not None else ""
            s = e.scope(
                "edge-case",
                task=a.task,
                class_id=a.class_id,
                name=xid,
                owner=_holder(new, a),
                levels=(a.sensitivity,),
            )
            s.add(
                "edge-case-removed",
                "removed",
                f"edge case `{xid}` removed{was}",
                old=a.rationale or snippet(a.record),
            )


def _edge_case(s: Scope, a: ir.Example, b: ir.Example, xid: str) -> None:
    if a.decision is None and b.decision is not None:
        s.add(
            "edge-case-decided",
            "changed",
            f"edge case `{xid}` decided {_decision(b.decision)}",
            new=b.rationale,
        )
    elif a.decision is not None and b.decision is None:
        s.add(
            "edge-case-reopened",
            "changed",
            f"decision of edge case `{xid}` withdrawn (was {_decision(a.decision)})",
        )
    elif canonical(a.decision) != canonical(b.decision):
        s.add(
            "edge-case-decision-changed",
            "changed",
            f"edge case `{xid}`: decision {_decision(a.decision)} → {_decision(b.decision)}",
            old=a.rationale,
            new=b.rationale,
        )
    if (a.task, a.class_id) != (b.task, b.class_id):
        s.add(
            "edge-case-moved", "changed", f"edge case `{xid}` moved from {_home(a)} to {_home(b)}"
        )
    for field in ("rationale", "question", "note"):
        s.text(
            "edge-case-text-changed",
            f"{field} of edge case `{xid}`",
            getattr(a, field),
            getattr(b, field),
        )
    if canonical(a.record) != canonical(b.record):
        s.add(
            "edge-case-text-changed",
            "changed",
            f"record of edge case `{xid}` changed",
            old=snippet(a.record, LONG),
            new=snippet(b.record, LONG),
            words=True,
        )
    s.value(
        "sensitivity-changed", f"sensitivity of edge case `{xid}`", a.sensitivity, b.sensitivity
    )


def _decision(value: Any) -> str:
    return code(value) if isinstance(value, (str, list)) else code(canonical(value))


def _home(x: ir.Example) -> str:
    return f"`{x.task}`" + (f" › `{x.class_id}`" if x.class_id else "")


def _holder(new: ir.Guideline, x: ir.Example) -> tuple[str, ...]:
    """Whose ``changes:`` notes apply to a removed edge case: its class, else its task (when
    the new version still has them), else the guideline's own."""
    task = new.tasks.get(x.task) if x.task else None
    if task is None:
        return GUIDELINE
    if x.class_id and task.get(x.class_id) is not None:
        return ("class", task.id, x.class_id)
    return ("task", task.id)
