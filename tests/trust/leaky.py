"""A guideline with a unique marker in every text field at every sensitivity level.

:func:`write_leaky` writes the project; :data:`MARKERS` maps each marker to the level of the
text that holds it. A marker is letters and digits only (no escaping, Markdown or HTML, can
split or change it) and none is a prefix of another.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import yaml

LEVELS = ("public", "internal", "confidential")
#: audience -> its clearance (``None``: everything)
AUDIENCES: dict[str | None, str] = {
    None: "confidential",
    "vendor": "public",
    "annotator": "internal",
    "reviewer": "confidential",
}
#: marker -> (level of the text, the field kind it stands for)
MARKERS: dict[str, tuple[str, str]] = {}
#: the text of a held-out evaluation item: no audience may see it, at any clearance
HOLDOUT = "ZQHOLDOUTEVALUATIONITEMQZ"
_count = itertools.count(100)


def _m(level: str, kind: str) -> str:
    marker = f"ZQ{level[:4].upper()}{kind.upper().replace('_', '')}{next(_count)}QZ"
    MARKERS[marker] = (level, kind)
    return marker


def allowed(audience: str | None) -> set[str]:
    """The markers ``audience`` may see."""
    clearance = LEVELS.index(AUDIENCES[audience])
    return {m for m, (level, _) in MARKERS.items() if LEVELS.index(level) <= clearance}


def _attributes(level: str, owner: str) -> dict[str, Any]:
    return {
        f"{owner}_kind": {
            "type": "enum",
            "values": ["a", "b"],
            "description": _m(level, f"{owner}_attribute_description"),
            "value_descriptions": {"a": _m(level, f"{owner}_attribute_value_description")},
        }
    }


def _examples(cls_level: str, task: str, sibling: str) -> dict[str, Any]:
    """Examples, negatives and edge cases of one class: one of each at every level, and one
    that inherits the class's level."""
    out: dict[str, list[dict[str, Any]]] = {"examples": [], "negatives": [], "edge_cases": []}
    for level in (*LEVELS, None):
        at = level or cls_level
        extra = {"sensitivity": level} if level else {}
        out["examples"].append(
            {"text": _m(at, "example_record"), "note": _m(at, "example_note"), **extra}
        )
        out["negatives"].append(
            {
                "text": _m(at, "negative_record"),
                "label": sibling,
                "why": _m(at, "negative_why"),
                "note": _m(at, "negative_note"),
                **extra,
            }
        )
        out["edge_cases"].append(
            {
                "id": f"EC-{task}-{next(_count)}",
                "text": _m(at, "edge_case_record"),
                "question": _m(at, "edge_case_question"),
                "decision": sibling,
                "rationale": _m(at, "edge_case_rationale"),
                "since": "1.0.0",
                **extra,
            }
        )
    return out


def _class(cid: str, level: str, task: str, sibling: str, *, examples: bool) -> dict[str, Any]:
    cls: dict[str, Any] = {
        "id": cid,
        "name": _m(level, "class_name"),
        "definition": _m(level, "class_definition"),
        "includes": [_m(level, "class_include")],
        "excludes": [_m(level, "class_exclude")],
        "escalate": _m(level, "class_escalate"),
        "aliases": [_m(level, "class_alias").lower()],
        "changes": [{"version": "1.0.0", "note": _m(level, "class_change_note")}],
        "attributes": _attributes(level, "cls"),
        "sensitivity": level,
    }
    if examples:
        cls.update(_examples(level, task, sibling))
    return cls


def _task(tid: str, level: str, kind: str) -> dict[str, Any]:
    task: dict[str, Any] = {
        "type": kind,
        "title": _m(level, "task_title"),
        "question": _m(level, "task_question"),
        "description": _m(level, "task_description"),
        "sensitivity": level,
        "changes": [{"version": "1.0.0", "note": _m(level, "task_change_note")}],
        "attributes": _attributes(level, "task"),
    }
    if kind != "single":
        task["over"] = "photo" if kind == "bbox" else "text"
    ids = [f"{tid}_{lv[:4]}" for lv in LEVELS]
    task["classes"] = [
        _class(cid, cls_level, tid, ids[(i + 1) % len(ids)], examples=kind == "single")
        for i, (cid, cls_level) in enumerate(zip(ids, LEVELS, strict=True))
    ]
    if kind == "single":
        task["edge_cases"] = [
            {
                "id": f"EC-{tid}-task-{lv}",
                "text": _m(lv, "task_edge_case_record"),
                "question": _m(lv, "task_edge_case_question"),
                "decision": ids[0],
                "rationale": _m(lv, "task_edge_case_rationale"),
                "sensitivity": lv,
            }
            for lv in LEVELS
        ]
    return task


def guideline() -> dict[str, Any]:
    """The guideline as data; the same markers every time."""
    global _count
    MARKERS.clear()
    _count = itertools.count(100)
    tasks = {
        f"{kind}_{level[:4]}": _task(f"{kind}_{level[:4]}", level, kind)
        for kind in ("single", "spans", "bbox")
        for level in LEVELS
    }
    return {
        "guidekit": 1,
        "id": "leaky",
        "title": "Leaky",
        "version": "1.0.0",
        "brief": {"objective": "Prove that no output carries text above its audience."},
        "record": {
            "id": "item_id",
            "fields": {"text": {"type": "text"}, "photo": {"type": "image", "required": False}},
        },
        "tasks": tasks,
        "governance": {
            "levels": list(LEVELS),
            "default": "public",
            "audiences": {a: c for a, c in AUDIENCES.items() if a is not None},
        },
        "scope": {
            "skip_reasons": {"off": "Not in scope."},
            "out_of_scope_examples": [
                {
                    "text": _m(level, "out_of_scope_record"),
                    "skip": "off",
                    "why": _m(level, "out_of_scope_why"),
                    "note": _m(level, "out_of_scope_note"),
                    "sensitivity": level,
                }
                for level in LEVELS
            ],
        },
        "evaluation": {
            # every edge case becomes an item too, at its own level when that is higher
            "from": ["edge_cases"],
            "items": [
                {
                    "id": "EV-internal",
                    "text": _m("internal", "evaluation_record"),
                    "note": _m("internal", "evaluation_note"),
                    "annotations": {"single_publ": "single_publ_publ"},
                },
                {
                    "id": "EV-holdout",
                    "text": HOLDOUT,
                    "annotations": {"single_publ": "single_publ_publ"},
                    "holdout": True,
                },
            ],
        },
        "lint": {"severity": {"GK402": "off", "GK403": "off", "GK407": "off"}},
    }


def write_leaky(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(guideline(), sort_keys=False, allow_unicode=True)
    (folder / "guideline.yaml").write_text(text, encoding="utf-8")
    return folder
