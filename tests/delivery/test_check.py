"""One record, one problem: each check of the full checker, with its code, pointer and
severity. Cases are data: a clean base record, a change, the diagnostics expected."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from delivery.conftest import fixture_guideline
from guidekit.delivery import RecordValidator
from guidekit.delivery.check import RecordChecker

BODY = "Order 5512 arrived broken: the X200 kettle leaks."

TICKET: dict[str, Any] = {
    "ticket_id": "T-1",
    "body": BODY,
    "channel": "email",
    "labeller": "ann-1",
    "guideline_version": "1.4.2",
    "intent": "refund_request",
    "urgency": "medium",
    "entities": [
        {"id": "e1", "start": 6, "end": 10, "label": "ORDER_ID", "text": "5512"},
        {"id": "e2", "start": 31, "end": 42, "label": "PRODUCT"},
    ],
    "links": [{"label": "order_of", "from": "e1", "to": "e2"}],
}

IMAGE: dict[str, Any] = {
    "image_id": "I-1",
    "image": {"path": "a.png", "width": 100, "height": 50},
    "objects": [
        {"id": 1, "label": "person", "bbox": [10, 10, 10, 20]},
        {"id": 2, "label": "car", "bbox": [40, 10, 30, 20], "attributes": {"colour": "red"}},
    ],
    "areas": [{"label": "road", "points": [[0, 0], [10, 0], [10, 10]]}],
    "pose": [{"label": "cyclist", "points": {"head": [5, 5, 2], "bike": [6, 6, 1]}}],
    "near": [{"label": "beside", "from": 1, "to": 2}],
}


def _set(rec: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(rec)
    keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split("/")]
    node = out
    for k in keys[:-1]:
        node = node[k]
    if value is DELETE:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return out


DELETE = object()

# (name, base, path, value, expected [(code, pointer, severity)])
CASES: list[tuple[str, str, str, Any, list[tuple[str, str, str]]]] = [
    ("missing id", "t", "ticket_id", DELETE, [("GK509", "/ticket_id", "error")]),
    ("empty id", "t", "ticket_id", "", [("GK514", "/ticket_id", "error")]),
    ("id not text", "t", "ticket_id", 1.5, [("GK512", "/ticket_id", "error")]),
    ("unknown field", "t", "colour", "red", [("GK510", "/colour", "error")]),
    ("unknown field warned", "i", "colour", "red", [("GK510", "/colour", "warning")]),
    ("required task missing", "t", "urgency", DELETE, [("GK511", "/urgency", "error")]),
    ("required metadata", "t", "labeller", DELETE, [("GK511", "/labeller", "error")]),
    ("required input", "t", "channel", DELETE, [("GK511", "/channel", "error")]),
    ("category value", "t", "channel", "fax", [("GK514", "/channel", "error")]),
    ("status", "t", "status", "done", [("GK514", "/status", "error")]),
    ("split", "t", "split", "test", [("GK514", "/split", "error")]),
    ("timestamp", "t", "created_at", "yesterday", [("GK514", "/created_at", "error")]),
    ("unresolved type", "t", "unresolved", "yes", [("GK512", "/unresolved", "error")]),
    ("unknown label", "t", "urgency", "urgent", [("GK515", "/urgency", "error")]),
    ("alias", "t", "intent", "dispute", [("GK518", "/intent", "warning")]),
    ("not a leaf", "t", "intent", "billing", [("GK516", "/intent", "error")]),
    ("deprecated", "t", "intent", "legacy_complaint", [("GK517", "/intent", "warning")]),
    (
        "too many labels",
        "t",
        "topics",
        ["shipping", "account", "shipping", "account"],
        [
            ("GK520", "/topics/2", "error"),
            ("GK520", "/topics/3", "error"),
            ("GK519", "/topics", "error"),
        ],
    ),
    ("too few labels", "t", "topics", [], [("GK519", "/topics", "error")]),
    (
        "required attribute",
        "t",
        "topics",
        ["product"],
        [("GK522", "/topics/0/attributes", "error")],
    ),
    (
        "conditional attribute missing",
        "t",
        "intent",
        {"label": "billing_dispute", "attributes": {"amount_known": True}},
        [("GK522", "/intent/attributes", "error")],
    ),
    (
        "conditional attribute not applicable",
        "t",
        "intent",
        {"label": "billing_dispute", "attributes": {"amount": 3}},
        [("GK521", "/intent/attributes/amount", "error")],
    ),
    (
        "attribute value",
        "t",
        "entities/0/attributes",
        {"confidence": "medium"},
        [("GK523", "/entities/0/attributes/confidence", "error")],
    ),
    (
        "attribute of another class",
        "t",
        "entities/0/attributes",
        {"sku_known": True},
        [("GK521", "/entities/0/attributes/sku_known", "error")],
    ),
    ("span past the text", "t", "entities/1/end", 80, [("GK524", "/entities/1/end", "error")]),
    ("empty span", "t", "entities/1/end", 31, [("GK524", "/entities/1/end", "error")]),
    ("negative start", "t", "entities/0/start", -1, [("GK514", "/entities/0/start", "error")]),
    ("quoted text", "t", "entities/0/text", "5513", [("GK525", "/entities/0/text", "error")]),
    ("overlap", "t", "entities/1/start", 8, [("GK526", "/entities/1", "error")]),
    ("span key", "t", "entities/0/note", "x", [("GK513", "/entities/0/note", "error")]),
    (
        "duplicate region id",
        "t",
        "entities/1/id",
        "e1",
        [
            ("GK534", "/entities/1/id", "error"),
            ("GK535", "/links/0/to", "error"),
            ("GK536", "/links/0/from", "error"),
        ],
    ),
    ("dangling relation", "t", "links/0/to", "e9", [("GK535", "/links/0/to", "error")]),
    ("relation pair", "t", "links/0/label", "price_of", [("GK536", "/links/0/from", "error")]),
    ("text length", "t", "summary", "hi", [("GK514", "/summary", "error")]),
    ("whole number", "t", "minutes", 2.5, [("GK512", "/minutes", "error")]),
    ("number range", "t", "minutes", 500, [("GK514", "/minutes", "error")]),
    ("boolean", "t", "legal_threat", "yes", [("GK512", "/legal_threat", "error")]),
    (
        "version, minor",
        "t",
        "guideline_version",
        "1.3.0",
        [("GK541", "/guideline_version", "warning")],
    ),
    (
        "version, major",
        "t",
        "guideline_version",
        "0.9.0",
        [("GK541", "/guideline_version", "error")],
    ),
    (
        "undeclared skip reason",
        "t",
        "skip",
        "bored",
        [
            ("GK539", "/skip", "error"),
            ("GK540", "/intent", "error"),
            ("GK540", "/urgency", "error"),
            ("GK540", "/entities", "error"),
            ("GK540", "/links", "error"),
        ],
    ),
    ("rule (error severity)", "t", "legal_threat", True, [("GK538", "/urgency", "error")]),
    ("rule (warning severity)", "t", "links", None, [("GK538", "/entities", "warning")]),
    (
        "no rules when a task value is wrong",
        "t",
        "entities",
        [],
        [("GK535", "/links/0/from", "error"), ("GK535", "/links/0/to", "error")],
    ),
    (
        "box outside",
        "i",
        "objects/0/bbox",
        [95, 10, 10, 20],
        [("GK528", "/objects/0/bbox", "error")],
    ),
    ("box within tolerance", "i", "objects/0/bbox", [91, 10, 10, 20], []),
    (
        "box without area",
        "i",
        "objects/0/bbox",
        [10, 10, 0, 20],
        [("GK527", "/objects/0/bbox", "error")],
    ),
    (
        "box too small",
        "i",
        "objects/0/bbox",
        [10, 10, 3, 20],
        [("GK529", "/objects/0/bbox", "error")],
    ),
    ("box shape", "i", "objects/0/bbox", [10, 10, 3], [("GK512", "/objects/0/bbox", "error")]),
    (
        "car colour required",
        "i",
        "objects/1/attributes",
        {},
        [("GK522", "/objects/1/attributes", "error")],
    ),
    (
        "polygon points",
        "i",
        "areas/0/points",
        [[0, 0], [1, 1]],
        [("GK530", "/areas/0/points", "error")],
    ),
    (
        "polygon crossing",
        "i",
        "areas/0/points",
        [[0, 0], [10, 10], [10, 0], [0, 6]],
        [("GK531", "/areas/0/points", "error")],
    ),
    (
        "polygon outside",
        "i",
        "areas/0/points",
        [[0, 0], [200, 0], [10, 10]],
        [("GK528", "/areas/0/points/1", "error")],
    ),
    (
        "polygon without area",
        "i",
        "areas/0/points",
        [[0, 0], [5, 5], [10, 10]],
        [("GK527", "/areas/0/points", "error")],
    ),
    (
        "keypoint name",
        "i",
        "pose/0/points/tail",
        [1, 1, 2],
        [("GK532", "/pose/0/points/tail", "error")],
    ),
    (
        "keypoint visibility",
        "i",
        "pose/0/points/head",
        [1, 1, 3],
        [("GK533", "/pose/0/points/head/2", "error")],
    ),
    (
        "keypoint outside",
        "i",
        "pose/0/points/head",
        [500, 1, 2],
        [("GK528", "/pose/0/points/head", "error")],
    ),
    ("keypoint not labelled may lie anywhere", "i", "pose/0/points/head", [500, 1, 0], []),
    (
        "image size",
        "i",
        "image",
        {"path": "a.png", "width": 0, "height": 5},
        [
            ("GK514", "/image/width", "error"),
            # an unusable size leaves every region task unchecked: an error by default
            ("GK549", "/objects", "error"),
            ("GK549", "/areas", "error"),
            ("GK549", "/pose", "error"),
        ],
    ),
    (
        "image needs a path",
        "i",
        "image",
        {"width": 100, "height": 50},
        [("GK511", "/image", "error")],
    ),
]


@pytest.mark.parametrize(
    ("name", "base", "path", "value", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_one_problem(
    name: str, base: str, path: str, value: Any, expected: list[tuple[str, str, str]]
) -> None:
    g = fixture_guideline("tickets" if base == "t" else "images")
    rec = _set(TICKET if base == "t" else IMAGE, path, value)
    if name == "rule (warning severity)":
        rec["entities"] = []
    found, _ = RecordChecker(g).check(rec, "d.jsonl", 7)
    got = [(d.code, d.location.pointer, d.severity.value) for d in found]
    assert sorted(got) == sorted(expected)
    assert all(d.location.file == "d.jsonl" and d.location.line == 7 for d in found)
    # the validator for pipelines gives the same answer, fast path or not
    assert [(d.code, d.location.pointer) for d in RecordValidator(g).validate(rec)] == [
        (d.code, d.location.pointer) for d in RecordChecker(g).check(rec)[0]
    ]


def test_base_records_are_clean() -> None:
    for name, rec in (("tickets", TICKET), ("images", IMAGE)):
        g = fixture_guideline(name)
        assert RecordChecker(g).check(rec)[0] == []
        assert RecordValidator(g).fast.clean(rec), f"fast path should take the {name} record"


def test_messages_name_the_problem() -> None:
    g = fixture_guideline("tickets")
    check = RecordChecker(g).check
    deprecated = check(_set(TICKET, "intent", "legacy_complaint"))[0][0]
    assert deprecated.message == "'legacy_complaint' is deprecated; use 'feedback'"
    span = check(_set(TICKET, "entities/1/end", 80))[0][0]
    assert span.message == f"end 80 is past the end of 'body' ({len(BODY)} characters)"
    rule = check(_set(TICKET, "legal_threat", True))[0][0]
    assert rule.message == "Legal threats are at least high urgency."
    assert rule.hint == "rule 'legal-is-urgent'"


def test_skipped_and_unresolved_records() -> None:
    g = fixture_guideline("tickets")
    check = RecordChecker(g).check
    skipped = {k: v for k, v in TICKET.items() if k not in g.tasks}
    assert check({**skipped, "skip": "not_english"})[0] == []
    unresolved = {**skipped, "unresolved": True, "question": "Which intent?"}
    assert check(unresolved)[0] == []
    # partial answers of an unresolved record are still checked; rules are not
    got = check({**unresolved, "urgency": "urgent", "legal_threat": True})[0]
    assert [d.code for d in got] == ["GK515"]


def test_bounds_not_checked_are_flagged() -> None:
    g = fixture_guideline("images")
    g = dataclasses.replace(g, delivery=dataclasses.replace(g.delivery, image_size="optional"))
    rec = _set(IMAGE, "image", "a.png")  # no size: boxes cannot be checked against it
    found, flags = RecordChecker(g).check(_set(rec, "objects/0/bbox", [500, 10, 10, 20]))
    assert found == []
    assert flags == 2


def test_an_unknown_image_size_is_an_error_by_default() -> None:
    g = fixture_guideline("images")
    rec = _set(IMAGE, "image", {"path": "a.png", "height": 5})  # height but no width
    found, flags = RecordChecker(g).check(_set(rec, "objects/0/bbox", [500, 10, 10, 20]))
    pointers = [(d.code, d.location.pointer) for d in found]
    assert pointers == [("GK549", "/objects"), ("GK549", "/areas"), ("GK549", "/pose")]
    assert flags == 0
