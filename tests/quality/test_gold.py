"""Gold scores equal scikit-learn's."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from guidekit import ir
from guidekit.quality.gold import gold_index, score_task
from guidekit.quality.ratings import read_annotations

from .conftest import INTENTS, TOPICS


def data(seed: int = 0) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rnd = random.Random(seed)
    gold, delivered = [], []
    for i in range(120):
        truth = rnd.choice(INTENTS[:2]) if i % 7 else "other"
        topics = sorted(rnd.sample(TOPICS, rnd.randint(0, 2)))
        gold.append({"ticket_id": f"G{i}", "intent": truth, "topics": topics})
        for ann in ("a", "b"):
            if rnd.random() < 0.2:
                continue
            label = truth if rnd.random() < 0.7 else rnd.choice(INTENTS)
            pred_topics = topics if rnd.random() < 0.6 else sorted(rnd.sample(TOPICS, 1))
            delivered.append(
                {"ticket_id": f"G{i}", "annotator": ann, "intent": label, "topics": pred_topics}
            )
    delivered.append({"ticket_id": "extra", "annotator": "a", "intent": "other"})
    return gold, delivered


@pytest.fixture
def scored(guideline: ir.Guideline, write_jsonl):  # type: ignore[no-untyped-def]
    gold, delivered = data()
    g = read_annotations(guideline, [write_jsonl("gold.jsonl", gold)])
    d = read_annotations(guideline, [write_jsonl("d.jsonl", delivered)])
    index, problems = gold_index(guideline, g.records)
    assert problems == []
    return gold, delivered, index, d.records


def test_single_label_scores_equal_scikit_learn(guideline: ir.Guideline, scored) -> None:  # type: ignore[no-untyped-def]
    gold, delivered, index, records = scored
    report = score_task(guideline, guideline.tasks["intent"], index, records)
    truth_of = {g["ticket_id"]: g["intent"] for g in gold}
    pairs = [
        (truth_of[r["ticket_id"]], r["intent"]) for r in delivered if r["ticket_id"] in truth_of
    ]
    y_true, y_pred = zip(*pairs, strict=True)
    p, r, f, support = precision_recall_fscore_support(
        y_true, y_pred, labels=list(INTENTS), zero_division=0
    )
    per_class = report.overall.per_class()
    for i, c in enumerate(INTENTS):
        assert per_class[c]["precision"] == pytest.approx(p[i], abs=1e-12)
        assert per_class[c]["recall"] == pytest.approx(r[i], abs=1e-12)
        assert per_class[c]["f1"] == pytest.approx(f[i], abs=1e-12)
        assert per_class[c]["support"] == support[i]
    o = report.overall
    assert o.metric("macro_f1") == pytest.approx(
        f1_score(y_true, y_pred, average="macro"), abs=1e-12
    )
    assert o.metric("micro_f1") == pytest.approx(
        f1_score(y_true, y_pred, average="micro"), abs=1e-12
    )
    assert o.metric("accuracy") == pytest.approx(accuracy_score(y_true, y_pred), abs=1e-12)
    assert o.metric("recall", "billing") == pytest.approx(r[0], abs=1e-12)
    assert np.array_equal(o.confusion, confusion_matrix(y_true, y_pred, labels=list(INTENTS)))
    assert report.without_gold == 1
    # per annotator
    a_pairs = [
        (truth_of[r["ticket_id"]], r["intent"])
        for r in delivered
        if r["ticket_id"] in truth_of and r["annotator"] == "a"
    ]
    at, ap = zip(*a_pairs, strict=True)
    assert report.annotators["a"].metric("macro_f1") == pytest.approx(
        f1_score(at, ap, average="macro"), abs=1e-12
    )


def test_multi_label_scores_equal_scikit_learn(guideline: ir.Guideline, scored) -> None:  # type: ignore[no-untyped-def]
    gold, delivered, index, records = scored
    report = score_task(guideline, guideline.tasks["topics"], index, records)
    truth_of = {g["ticket_id"]: set(g["topics"]) for g in gold}
    rows = [
        (truth_of[r["ticket_id"]], set(r.get("topics") or []))
        for r in delivered
        if r["ticket_id"] in truth_of
    ]
    y_true = np.array([[c in t for c in TOPICS] for t, _ in rows])
    y_pred = np.array([[c in p for c in TOPICS] for _, p in rows])
    o = report.overall
    assert o.metric("macro_f1") == pytest.approx(
        f1_score(y_true, y_pred, average="macro", zero_division=0), abs=1e-12
    )
    assert o.metric("micro_f1") == pytest.approx(
        f1_score(y_true, y_pred, average="micro", zero_division=0), abs=1e-12
    )
    assert o.metric("accuracy") == pytest.approx(accuracy_score(y_true, y_pred), abs=1e-12)


def test_spans_against_gold(guideline: ir.Guideline, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    gold = [
        {
            "ticket_id": "1",
            "intent": "other",
            "entities": [
                {"start": 0, "end": 4, "label": "ORDER"},
                {"start": 5, "end": 9, "label": "PRODUCT"},
            ],
        }
    ]
    delivered = [
        {
            "ticket_id": "1",
            "intent": "other",
            "entities": [
                {"start": 0, "end": 4, "label": "ORDER"},
                {"start": 5, "end": 8, "label": "PRODUCT"},
            ],
        }
    ]
    index, _ = gold_index(
        guideline, read_annotations(guideline, [write_jsonl("g.jsonl", gold)]).records
    )
    records = read_annotations(guideline, [write_jsonl("d.jsonl", delivered)]).records
    o = score_task(guideline, guideline.tasks["entities"], index, records).overall
    assert o.per_class()["ORDER"]["f1"] == 1.0
    assert o.per_class()["PRODUCT"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert o.metric("micro_f1") == pytest.approx(0.5)
    assert o.metric("accuracy") is None


def test_duplicate_gold_items_are_errors(guideline: ir.Guideline, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    gold = [{"ticket_id": "1", "intent": "other"}, {"ticket_id": "1", "intent": "billing"}]
    _, problems = gold_index(
        guideline, read_annotations(guideline, [write_jsonl("g.jsonl", gold)]).records
    )
    assert [(p.code, p.location.line) for p in problems] == [("GK606", 2)]
