from __future__ import annotations

from pathlib import Path

import pytest

from guidekit import ir
from guidekit.compiler.pipeline import load

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "delivery"

_CACHE: dict[str, ir.Guideline] = {}


def fixture_guideline(name: str) -> ir.Guideline:
    """A fixture guideline of tests/fixtures/delivery, or a bundled one (``guidelines/...``)."""
    if name not in _CACHE:
        root = FIXTURES.parents[2] if name.startswith("guidelines/") else FIXTURES
        _CACHE[name] = load(root / name)
    return _CACHE[name]


@pytest.fixture
def tickets() -> ir.Guideline:
    return fixture_guideline("tickets")


@pytest.fixture
def images() -> ir.Guideline:
    return fixture_guideline("images")
