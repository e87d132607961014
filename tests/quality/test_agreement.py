"""Agreement measured from records equals the reference packages on the same ratings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa

from guidekit import ir
from guidekit.quality.agreement import Options, measure_task
from guidekit.quality.ratings import read_annotations

from .conftest import INTENTS, TOPICS, URGENCY, pilot

TOL = 1e-9
Write = Callable[[str, list[dict[str, Any]]], Path]


def reliability(records: list[dict[str, Any]], task: str, domain: tuple[str, ...]) -> np.ndarray:
    items = list(dict.fromkeys(r["ticket_id"] for r in records))
    raters = sorted({r["annotator"] for r in records})
    out = np.full((len(raters), len(items)), np.nan)
    for r in records:
        out[raters.index(r["annotator"]), items.index(r["ticket_id"])] = domain.index(r[task])
    return out


@pytest.fixture
def records() -> list[dict[str, Any]]:
    return pilot(seed=1, items=80, annotators=4)


def _measure(
    guideline: ir.Guideline, write: Write, records: list[dict[str, Any]], task: str, **opts: Any
):  # type: ignore[no-untyped-def]
    path = write("ann.jsonl", records)
    annotations = read_annotations(guideline, [path])
    return measure_task(guideline, annotations, guideline.tasks[task], Options(**opts))


def test_single_label_task_equals_references(
    guideline: ir.Guideline, write_jsonl: Write, records: list
) -> None:
    result = _measure(guideline, write_jsonl, records, "intent")
    rel = reliability(records, "intent", INTENTS)
    assert result.level == "nominal"
    assert result.stat("krippendorff_alpha").value == pytest.approx(
        krippendorff.alpha(rel, level_of_measurement="nominal"), abs=TOL
    )
    for c, cid in enumerate(INTENTS):
        binary = np.where(np.isnan(rel), np.nan, (rel == c).astype(float))
        assert result.stat("krippendorff_alpha", cid).value == pytest.approx(
            krippendorff.alpha(binary, level_of_measurement="nominal"), abs=TOL
        )
    assert any("nominal level (implied by the single task)" in n for n in result.notes)


def test_fleiss_on_complete_ratings_equals_statsmodels(
    guideline: ir.Guideline, write_jsonl: Write
) -> None:
    records = pilot(seed=2, items=50, annotators=5, missing=0.0)
    result = _measure(guideline, write_jsonl, records, "intent")
    rel = reliability(records, "intent", INTENTS)
    table = np.stack([(rel == c).sum(axis=0) for c in range(3)], axis=1)
    assert result.stat("fleiss_kappa").value == pytest.approx(fleiss_kappa(table), abs=TOL)


def test_ordinal_task_uses_ordinal_alpha_and_weighted_cohen(
    guideline: ir.Guideline, write_jsonl: Write
) -> None:
    records = pilot(seed=3, items=70, annotators=2, missing=0.1)
    result = _measure(guideline, write_jsonl, records, "urgency")
    rel = reliability(records, "urgency", URGENCY)
    assert result.level == "ordinal"
    assert result.stat("krippendorff_alpha").value == pytest.approx(
        krippendorff.alpha(rel, level_of_measurement="ordinal", value_domain=[0, 1, 2, 3]), abs=TOL
    )
    both = ~np.isnan(rel).any(axis=0)
    expected = cohen_kappa_score(
        rel[0, both], rel[1, both], labels=[0, 1, 2, 3], weights="quadratic"
    )
    assert result.stat("cohen_kappa").value == pytest.approx(expected, abs=TOL)
    linear = _measure(guideline, write_jsonl, records, "urgency", weights="linear")
    assert linear.stat("cohen_kappa").value == pytest.approx(
        cohen_kappa_score(rel[0, both], rel[1, both], labels=[0, 1, 2, 3], weights="linear"),
        abs=TOL,
    )
    assert "Cohen's kappa with quadratic weights" in result.notes


def test_level_override_is_reported(
    guideline: ir.Guideline, write_jsonl: Write, records: list
) -> None:
    result = _measure(guideline, write_jsonl, records, "urgency", level="interval")
    rel = reliability(records, "urgency", URGENCY)
    assert result.level == "interval"
    assert result.stat("krippendorff_alpha").value == pytest.approx(
        krippendorff.alpha(rel, level_of_measurement="interval"), abs=TOL
    )
    assert any("set with --level" in n for n in result.notes)


def test_number_task_uses_interval_alpha(
    guideline: ir.Guideline, write_jsonl: Write, records: list
) -> None:
    result = _measure(guideline, write_jsonl, records, "score")
    items = list(dict.fromkeys(r["ticket_id"] for r in records))
    raters = sorted({r["annotator"] for r in records})
    rel = np.full((len(raters), len(items)), np.nan)
    for r in records:
        rel[raters.index(r["annotator"]), items.index(r["ticket_id"])] = r["score"]
    assert result.level == "interval"
    assert result.stat("krippendorff_alpha").value == pytest.approx(
        krippendorff.alpha(rel, level_of_measurement="interval"), abs=TOL
    )


def test_multi_label_per_class_and_pooled(
    guideline: ir.Guideline, write_jsonl: Write, records: list
) -> None:
    result = _measure(guideline, write_jsonl, records, "topics")
    items = list(dict.fromkeys(r["ticket_id"] for r in records))
    raters = sorted({r["annotator"] for r in records})
    bits = np.full((len(TOPICS), len(raters), len(items)), np.nan)
    for r in records:
        for c, cid in enumerate(TOPICS):
            bits[c, raters.index(r["annotator"]), items.index(r["ticket_id"])] = cid in r["topics"]
    for c, cid in enumerate(TOPICS):
        assert result.stat("krippendorff_alpha", cid).value == pytest.approx(
            krippendorff.alpha(bits[c], level_of_measurement="nominal"), abs=TOL
        )
    pooled = np.concatenate(list(bits), axis=1)  # units = item x class
    assert result.stat("krippendorff_alpha").value == pytest.approx(
        krippendorff.alpha(pooled, level_of_measurement="nominal"), abs=TOL
    )
    assert -1 <= result.stat("masi").value <= 1
    assert 0 <= result.stat("masi_similarity").value <= 1


def test_spans_pairwise_f1_exact_and_overlap(guideline: ir.Guideline, write_jsonl: Write) -> None:
    a = [{"start": 0, "end": 5, "label": "ORDER"}, {"start": 10, "end": 15, "label": "PRODUCT"}]
    b = [
        {"start": 0, "end": 5, "label": "ORDER"},
        {"start": 11, "end": 15, "label": "PRODUCT"},
        {"start": 20, "end": 22, "label": "PRODUCT"},
    ]
    records = [
        {"ticket_id": "1", "annotator": "x", "intent": "billing", "entities": a},
        {"ticket_id": "1", "annotator": "y", "intent": "billing", "entities": b},
    ]
    result = _measure(guideline, write_jsonl, records, "entities")
    assert result.stat("span_f1").value == pytest.approx(2 * 1 / 5)
    assert result.stat("span_f1_overlap").value == pytest.approx(2 * 2 / 5)
    assert result.stat("span_f1", "ORDER").value == 1.0
    assert result.stat("span_f1_overlap", "PRODUCT").value == pytest.approx(2 * 1 / 3)


def test_boxes_match_at_declared_threshold(guideline: ir.Guideline, write_jsonl: Write) -> None:
    # IoU of [0,0,10,10] and [5,0,10,10] = 50/150 = 1/3
    records = [
        {
            "ticket_id": "1",
            "annotator": "x",
            "intent": "other",
            "boxes": [{"label": "logo", "bbox": [0, 0, 10, 10]}],
        },
        {
            "ticket_id": "1",
            "annotator": "y",
            "intent": "other",
            "boxes": [{"label": "logo", "bbox": [5, 0, 10, 10]}],
        },
        {
            "ticket_id": "2",
            "annotator": "x",
            "intent": "other",
            "boxes": [{"label": "face", "bbox": [0, 0, 10, 10]}],
        },
        {
            "ticket_id": "2",
            "annotator": "y",
            "intent": "other",
            "boxes": [{"label": "face", "bbox": [1, 0, 10, 10]}],
        },
    ]
    result = _measure(guideline, write_jsonl, records, "boxes")  # the guideline declares iou 0.5
    assert set(result.stats) == {"box_f1@0.5"}
    assert result.stat("box_f1@0.5").value == pytest.approx(0.5)
    loose = _measure(guideline, write_jsonl, records, "boxes", iou=(0.3, 0.9))
    assert loose.stat("box_f1@0.3").value == 1.0
    assert loose.stat("box_f1@0.9").value == 0.0


def test_polygons_match_by_area(guideline: ir.Guideline, write_jsonl: Write) -> None:
    square = [[0, 0], [10, 0], [10, 10], [0, 10]]
    shifted = [[2, 0], [12, 0], [12, 10], [2, 10]]  # IoU 80/120
    records = [
        {
            "ticket_id": "1",
            "annotator": "x",
            "intent": "other",
            "areas": [{"label": "stain", "points": square}],
        },
        {
            "ticket_id": "1",
            "annotator": "y",
            "intent": "other",
            "areas": [{"label": "stain", "points": shifted}],
        },
    ]
    assert (
        _measure(guideline, write_jsonl, records, "areas", iou=(0.6,)).stat("box_f1@0.6").value
        == 1.0
    )
    assert (
        _measure(guideline, write_jsonl, records, "areas", iou=(0.7,)).stat("box_f1@0.7").value
        == 0.0
    )


def test_files_without_annotator_field_count_per_file(
    guideline: ir.Guideline, write_jsonl: Write
) -> None:
    one = write_jsonl(
        "kim.jsonl",
        [{"ticket_id": "1", "intent": "billing"}, {"ticket_id": "2", "intent": "other"}],
    )
    two = write_jsonl(
        "lee.jsonl",
        [{"ticket_id": "1", "intent": "billing"}, {"ticket_id": "2", "intent": "billing"}],
    )
    annotations = read_annotations(guideline, [one, two])
    assert annotations.annotators() == ["kim.jsonl", "lee.jsonl"]
    result = measure_task(guideline, annotations, guideline.tasks["intent"], Options())
    assert result.units == 2
    assert result.stat("percent_agreement").value == pytest.approx(0.5)


def test_same_annotator_twice_warns_and_keeps_the_later(
    guideline: ir.Guideline, write_jsonl: Write
) -> None:
    records = [
        {"ticket_id": "1", "annotator": "x", "intent": "billing"},
        {"ticket_id": "1", "annotator": "y", "intent": "other"},
        {"ticket_id": "1", "annotator": "x", "intent": "other"},
    ]
    result = _measure(guideline, write_jsonl, records, "intent")
    assert [d.code for d in result.diagnostics] == ["GK603"]
    assert result.diagnostics[0].location.line == 3
    assert result.stat("percent_agreement").value == 1.0


def test_invalid_values_are_left_out_and_counted(
    guideline: ir.Guideline, write_jsonl: Write
) -> None:
    records = [
        {"ticket_id": "1", "annotator": "x", "intent": "billing"},
        {"ticket_id": "1", "annotator": "y", "intent": "nonsense"},
        {"ticket_id": "1", "annotator": "z", "intent": "billing"},
        {"ticket_id": "2", "annotator": "x", "intent": "other", "skip": "empty"},
    ]
    result = _measure(guideline, write_jsonl, records, "intent")
    assert result.ignored == 1
    assert result.ratings == 2
    assert result.items == 1


def test_bootstrap_intervals_are_seeded(
    guideline: ir.Guideline, write_jsonl: Write, records: list
) -> None:
    first = _measure(guideline, write_jsonl, records, "intent", bootstrap=100, seed=7)
    again = _measure(guideline, write_jsonl, records, "intent", bootstrap=100, seed=7)
    stat = first.stat("krippendorff_alpha")
    assert stat == again.stat("krippendorff_alpha")
    assert stat.low < stat.value < stat.high
    billing = first.stat("krippendorff_alpha", "billing")
    assert billing.low is not None and billing.low <= billing.value <= billing.high


def test_no_pairable_item_says_so(guideline: ir.Guideline, write_jsonl: Write) -> None:
    records = [{"ticket_id": "1", "annotator": "x", "intent": "billing"}]
    result = _measure(guideline, write_jsonl, records, "intent")
    assert result.units == 0 and not result.stats
    assert "nothing to compare" in result.notes[-1]
