"""Fixtures of the quality tests: a guideline with every task type, and annotation files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson
import pytest

from guidekit import ir
from guidekit.compiler import load

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "quality" / "tickets"


@pytest.fixture(scope="session")
def guideline() -> ir.Guideline:
    return load(FIXTURE)


@pytest.fixture
def project() -> Path:
    return FIXTURE


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[[str, Iterable[dict[str, Any]]], Path]:
    def write(name: str, records: Iterable[dict[str, Any]]) -> Path:
        path = tmp_path / name
        path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
        return path

    return write
