"""Audit samples are seeded and stratified; verdicts are scored with a Wilson interval."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from statsmodels.stats.proportion import proportion_confint

from guidekit import ir
from guidekit.quality.audit import allocate, draw, read_verdicts, score, stratify_task, wilson
from guidekit.quality.ratings import read_annotations


def delivery(n: int = 200) -> list[dict[str, Any]]:
    # 70% billing, 25% shipping, 5% other
    labels = ["billing"] * 70 + ["shipping"] * 25 + ["other"] * 5
    return [{"ticket_id": f"T{i:04d}", "intent": labels[i % 100]} for i in range(n)]


def test_same_seed_same_sample_whatever_the_order(guideline: ir.Guideline, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    records = delivery()
    a = read_annotations(guideline, [write_jsonl("a.jsonl", records)]).records
    b = read_annotations(guideline, [write_jsonl("b.jsonl", list(reversed(records)))]).records
    task = stratify_task(guideline)
    s1 = draw(guideline, a, 0.1, seed=42, task=task)
    s2 = draw(guideline, b, 0.1, seed=42, task=task)
    s3 = draw(guideline, a, 0.1, seed=43, task=task)
    assert sorted(s1.items) == sorted(s2.items)
    assert sorted(s1.items) != sorted(s3.items)
    assert len(s1.items) == 20


def test_sample_is_stratified_by_class(guideline: ir.Guideline, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    records = read_annotations(guideline, [write_jsonl("d.jsonl", delivery())]).records
    sample = draw(guideline, records, 0.1, seed=0, task=guideline.tasks["intent"])
    label = {r.item: r.data["intent"] for r in records}
    counts = Counter(label[i] for i in sample.items)
    # one for the rare class, the rest in proportion: 13.3 + 4.75 of 19 -> 14 and 5
    assert counts == {"billing": 14, "shipping": 5, "other": 1}
    assert sample.strata == {"billing": (14, 140), "other": (1, 10), "shipping": (5, 50)}


def test_allocation_is_proportional_with_one_per_group() -> None:
    assert allocate({"a": 90, "b": 9, "c": 1}, 10) == {"a": 8, "b": 1, "c": 1}
    assert allocate({"a": 5, "b": 5}, 1) == {"a": 1, "b": 0}
    assert allocate({"a": 2, "b": 1}, 10) == {"a": 2, "b": 1}


def test_wilson_matches_statsmodels_and_a_known_value() -> None:
    for k, n in [(81, 263), (0, 10), (10, 10), (47, 50)]:
        lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert wilson(k, n) == pytest.approx((lo, hi), abs=1e-9)
    # Newcombe (1998), example 1: 81/263 -> 0.2553 to 0.3662
    lo, hi = wilson(81, 263)
    assert round(lo, 4) == 0.2553 and round(hi, 4) == 0.3662


def _verdicts(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "verdicts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_score_reports_pass_rate_and_defects(guideline: ir.Guideline, tmp_path: Path) -> None:
    path = _verdicts(
        tmp_path,
        [
            '{"id": "T1", "pass": true, "auditor": "kim"}',
            '{"id": "T2", "pass": false, "defects": ["wrong_label", "missed_span"], "auditor": "kim"}',
            '{"id": "T3", "pass": false, "defects": ["wrong_label"], "auditor": "lee"}',
            '{"ticket_id": "T4", "pass": true, "defects": [], "auditor": "lee", "note": "ok"}',
        ],
    )
    verdicts, problems = read_verdicts(guideline, path)
    assert problems == []
    result = score(verdicts, population={"T1", "T2", "T3", "T4", "T5"})
    assert (result.passed, result.audited) == (2, 4)
    assert result.defects == {"wrong_label": 2, "missed_span": 1}
    assert result.auditors == {"kim": (1, 2), "lee": (1, 2)}
    assert result.coverage == pytest.approx(0.8)
    assert result.interval == pytest.approx(proportion_confint(2, 4, method="wilson"))


def test_bad_verdicts_are_errors_with_lines(guideline: ir.Guideline, tmp_path: Path) -> None:
    path = _verdicts(
        tmp_path,
        [
            '{"id": "T1", "pass": "yes"}',
            '{"pass": true}',
            '{"id": "T2", "pass": true, "defects": "typo"}',
            '{"id": "T3", "pass": true, "verdict": 1}',
            '{"id": "T4", "pass": true}',
            '{"id": "T4", "pass": false}',
            "not json",
        ],
    )
    verdicts, problems = read_verdicts(guideline, path)
    assert [v.item for v in verdicts] == ["T4"]
    assert [(d.code, d.location.line) for d in problems] == [
        ("GK605", 1),
        ("GK605", 2),
        ("GK605", 3),
        ("GK605", 4),
        ("GK605", 6),
        ("GK501", 7),
    ]
    assert "'pass' must be true or false" in problems[0].message
    assert "second verdict" in problems[4].message
