"""Data-driven check tests: each folder in tests/fixtures/check is a small broken guideline
and ``expected.txt`` beside it lists every diagnostic it must produce (code, severity,
file:line:column), in report order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guidekit import compile_guideline
from guidekit.diagnostics.codes import CODES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "check"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def _render(path: Path) -> list[str]:
    result = compile_guideline(path)
    return [
        f"{d.code} {d.severity.value} {d.location.file}:{d.location.line}:{d.location.column}"
        for d in result.diagnostics
    ]


@pytest.mark.parametrize("name", CASES)
def test_fixture_diagnostics(name: str) -> None:
    expected = (FIXTURES / name / "expected.txt").read_text().splitlines()
    assert _render(FIXTURES / name) == expected


@pytest.mark.parametrize("name", [c for c in CASES if re.match(r"GK\d{3}-", c)])
def test_fixture_shows_its_code(name: str) -> None:
    code = name.split("-")[0]
    assert any(line.startswith(code + " ") for line in _render(FIXTURES / name)), code


def test_every_compiler_code_has_a_fixture() -> None:
    compiler_codes = {c for c in CODES if c[2] in "1234"}
    covered = {name.split("-")[0] for name in CASES}
    assert compiler_codes - covered == set()


def test_clean_fixture_is_clean() -> None:
    assert _render(FIXTURES / "clean") == []
