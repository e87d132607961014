"""The library API: load, the frozen IR, the error type, the code registry."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

import guidekit
from conftest import GUIDELINES, ROOT
from guidekit.diagnostics.codes import CODES, diag
from guidekit.ir import Guideline


def test_load_returns_a_frozen_ir() -> None:
    g = guidekit.load(GUIDELINES / "support-tickets")
    assert isinstance(g, Guideline)
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.version = "9.9.9"  # type: ignore[misc]
    task = g.tasks["intent"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        task.type = "multi"  # type: ignore[misc]
    leaf = task.leaves()[0]
    assert leaf.parent is not None and task.is_a(leaf.id, leaf.parent)
    assert set(task.labels()) == {c.id for c in task.classes if c.is_leaf}


def test_load_raises_one_error_with_every_diagnostic() -> None:
    with pytest.raises(guidekit.GuidekitError) as err:
        guidekit.load(ROOT / "tests" / "fixtures" / "check" / "GK303-cycle")
    codes = [d.code for d in err.value.diagnostics]
    assert "GK303" in codes and len(codes) >= 2
    assert all(d.severity is guidekit.Severity.ERROR for d in err.value.diagnostics)
    assert "GK" in str(err.value)


def test_strict_load_fails_on_warnings() -> None:
    path = ROOT / "tests" / "fixtures" / "check" / "GK402-no-negatives"
    assert guidekit.load(path).id == "fixture"
    with pytest.raises(guidekit.GuidekitError):
        guidekit.load(path, strict=True)


def test_ir_carries_normalised_examples() -> None:
    g = guidekit.load(GUIDELINES / "support-tickets")
    spans = g.tasks["entities"]
    ex = next(e for c in spans.classes for e in c.examples)
    assert ex.annotation and all({"start", "end", "label"} <= set(s) for s in ex.annotation)
    text = ex.record[spans.over]
    for s in ex.annotation:
        assert 0 <= s["start"] < s["end"] <= len(text)


def test_lint_severity_override(tmp_path: Path) -> None:
    src = ROOT / "tests" / "fixtures" / "check" / "GK402-no-negatives" / "guideline.yaml"
    (tmp_path / "guideline.yaml").write_text(
        src.read_text() + "lint:\n  severity: {GK402: off, GK407: error}\n"
    )
    result = guidekit.compile_guideline(tmp_path)
    assert [d.code for d in result.diagnostics] == []
    (tmp_path / "guideline.yaml").write_text(
        src.read_text() + "lint:\n  severity: {GK402: error, GK301: off}\n"
    )
    result = guidekit.compile_guideline(tmp_path)
    assert sorted((d.code, d.severity.value) for d in result.diagnostics) == [
        ("GK204", "error"),
        ("GK402", "error"),
    ]


def test_every_emitted_code_is_registered() -> None:
    emitted = set()
    for path in (ROOT / "src" / "guidekit").rglob("*.py"):
        emitted |= set(re.findall(r"\"(GK\d{3})\"", path.read_text()))
    assert emitted - set(CODES) == set()


def test_diag_uses_the_registered_severity() -> None:
    assert diag("GK402", "x").severity is guidekit.Severity.WARNING
    assert diag("GK301", "x").severity is guidekit.Severity.ERROR
