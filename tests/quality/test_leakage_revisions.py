"""Leakage by id and by content; revision rates and turnaround."""

from __future__ import annotations

import pytest

from guidekit import ir
from guidekit.quality.leakage import content_hash, find
from guidekit.quality.ratings import read_annotations
from guidekit.quality.revisions import compare, turnaround


def test_leakage_by_id_and_by_normalised_content(guideline: ir.Guideline, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    train = [
        {"ticket_id": "A", "body": "My parcel is late"},
        {"ticket_id": "B", "body": "  MY   parcel is LATE "},
        {"ticket_id": "C", "body": "Refund please"},
        {"ticket_id": "D"},
    ]
    evaluation = [
        {"ticket_id": "A", "body": "Something else"},
        {"ticket_id": "X", "body": "my parcel is late"},
        {"ticket_id": "Y", "body": "Unrelated"},
    ]
    t = read_annotations(guideline, [write_jsonl("train.jsonl", train)]).records
    e = read_annotations(guideline, [write_jsonl("eval.jsonl", evaluation)]).records
    report = find(guideline, t, e)
    found = {(o.kind, o.train_item, o.eval_item) for o in report.overlaps}
    assert found == {("id", "A", "A"), ("content", "A", "X"), ("content", "B", "X")}
    assert report.train_without_content == 1
    assert not report.clean
    assert report.overlaps[0].train_at.endswith("train.jsonl:1")


def test_no_leakage_is_clean(guideline: ir.Guideline, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    t = read_annotations(
        guideline, [write_jsonl("t.jsonl", [{"ticket_id": "1", "body": "a"}])]
    ).records
    e = read_annotations(
        guideline, [write_jsonl("e.jsonl", [{"ticket_id": "2", "body": "b"}])]
    ).records
    assert find(guideline, t, e).clean


def test_content_hash_ignores_case_width_and_spaces() -> None:
    assert content_hash({"body": "Ｈello  World"}, ["body"]) == content_hash(
        {"body": "hello world"}, ["body"]
    )
    assert content_hash({"body": "hello"}, ["body"]) != content_hash({"body": "hello!"}, ["body"])
    assert content_hash({}, ["body"]) is None


def test_revision_rate_per_class(guideline: ir.Guideline, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    first = [
        {"ticket_id": "1", "annotator": "a", "intent": "billing"},
        {"ticket_id": "2", "annotator": "a", "intent": "billing"},
        {"ticket_id": "3", "annotator": "a", "intent": "shipping"},
        {"ticket_id": "4", "annotator": "a", "intent": "other"},
    ]
    second = [
        {"ticket_id": "1", "annotator": "a", "intent": "shipping"},
        {"ticket_id": "2", "annotator": "a", "intent": "billing"},
        {"ticket_id": "3", "annotator": "a", "intent": "shipping"},
        {"ticket_id": "5", "annotator": "a", "intent": "other"},
    ]
    f = read_annotations(guideline, [write_jsonl("1.jsonl", first)]).records
    s = read_annotations(guideline, [write_jsonl("2.jsonl", second)]).records
    report = compare(guideline, f, s, [guideline.tasks["intent"]])
    assert (report.paired, report.only_first, report.only_second) == (3, 1, 1)
    intent = report.tasks[0]
    assert (intent.revised, intent.compared) == (1, 3)
    assert intent.classes == {"billing": (1, 2), "shipping": (0, 1)}
    assert intent.changes == {"billing -> shipping": 1}


def test_turnaround_statistics(guideline: ir.Guideline, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    records = [
        {
            "ticket_id": "1",
            "annotator": "a",
            "created_at": "2024-05-01T10:00:00Z",
            "updated_at": "2024-05-01T10:01:00Z",
        },
        {
            "ticket_id": "2",
            "annotator": "a",
            "created_at": "2024-05-01T10:00:00+00:00",
            "updated_at": "2024-05-01T10:03:00+00:00",
        },
        {
            "ticket_id": "3",
            "annotator": "b",
            "created_at": "2024-05-01T10:00:00",
            "updated_at": "2024-05-01T11:00:00",
        },
        {
            "ticket_id": "4",
            "annotator": "b",
            "created_at": "yesterday",
            "updated_at": "2024-05-01T11:00:00",
        },
        {"ticket_id": "5", "annotator": "b"},
    ]
    t = turnaround(
        guideline, read_annotations(guideline, [write_jsonl("d.jsonl", records)]).records
    )
    assert t.timed == 3 and t.unreadable == 1
    summary = t.to_dict()["seconds"]
    assert summary["median"] == 180
    assert summary["mean"] == pytest.approx((60 + 180 + 3600) / 3)
    assert summary["max"] == 3600
    assert t.to_dict()["annotators"]["a"]["count"] == 2
