"""Helpers of the bridge tests: fixture guidelines, records built from guideline examples,
and comparison with a tolerance for coordinates that went through another unit."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from guidekit import ir, load

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bridges"
GUIDELINES = Path(__file__).resolve().parents[2] / "guidelines"


@cache
def fixture(name: str) -> ir.Guideline:
    """A guideline under tests/fixtures/bridges/."""
    return load(FIXTURES / name)


@cache
def example(name: str) -> ir.Guideline:
    """One of the project's example guidelines (skips when it is not there)."""
    path = GUIDELINES / name
    if not (path / "guideline.yaml").exists():
        pytest.skip(f"example guideline {name} not found at {path}")
    return load(path)


def example_records(g: ir.Guideline, *, own_images: bool = False) -> list[dict[str, Any]]:
    """Native records made of the guideline's examples, negatives and decided edge cases
    (each is a record the compiler checked). ``own_images`` gives every record its own image
    file named after its id, as image formats identify records by image file name."""
    out: list[dict[str, Any]] = []
    for n, ex in enumerate(g.examples(), 1):
        if ex.kind == "out_of_scope" or not ex.decided or ex.task is None:
            continue
        rid = f"ex-{n:03d}"
        rec: dict[str, Any] = {g.delivery.id: rid, **ex.record}
        if ex.annotation is not None:
            rec[ex.task] = ex.annotation
        rec.update(ex.annotations)
        if own_images:
            for name, spec in g.record.fields.items():
                value = rec.get(name)
                if spec.type == "image" and isinstance(value, dict):
                    rec[name] = {**value, "path": f"images/{rid}.png"}
        out.append(rec)
    return out


def close(a: Any, b: Any, tol: float = 1e-6) -> bool:
    """Equal, with numbers compared to a relative and absolute tolerance."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=tol, abs_tol=tol)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k], tol) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(close(x, y, tol) for x, y in zip(a, b, strict=True))
    return a == b


def assert_close(actual: Any, expected: Any, tol: float = 1e-6) -> None:
    assert close(actual, expected, tol), f"\nactual:   {actual!r}\nexpected: {expected!r}"


def errors(records: list[Any]) -> list[tuple[str, int]]:
    """``(code, line)`` of each record's error."""
    return [(r.error.code, r.error.location.line) for r in records if r.error is not None]
