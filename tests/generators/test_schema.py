"""The JSON Schema of a delivery record: golden files, validity, and agreement with the
validator's structural checks on generated records (property-based)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, GUIDELINES
from delivery._gen import RecordFactory
from delivery.conftest import FIXTURES
from guidekit import ir
from guidekit.compiler.pipeline import load
from guidekit.delivery.check import STRUCTURAL_CODES, RecordChecker
from guidekit.diagnostics.model import Severity
from guidekit.generators.jsonschema import build_schema, schema_filename, schema_json, write_schema

PROJECTS = [GUIDELINES / name for name in EXAMPLES] + [FIXTURES / "tickets", FIXTURES / "images"]
_LOADED: dict[Path, ir.Guideline] = {}


def _load(path: Path) -> ir.Guideline:
    if path not in _LOADED:
        _LOADED[path] = load(path)
    return _LOADED[path]


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_golden(project: Path, golden: Callable[[str, str], None]) -> None:
    g = _load(project)
    text = schema_json(g)
    golden(f"schema/{schema_filename(g)}", text)
    assert schema_json(g) == text  # deterministic


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_schema_is_valid_2020_12(project: Path) -> None:
    g = _load(project)
    schema = build_schema(g)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:guidekit:{g.id}:{g.version}:delivery-record"
    label_defs = [k for k in schema["$defs"] if k.endswith(".label")]
    assert label_defs, "class enums are $defs of their own"


def test_descriptions_come_from_the_definitions() -> None:
    g = _load(FIXTURES / "tickets")
    schema = build_schema(g)
    labels = schema["$defs"]["intent.label"]
    assert labels["enum"] == [
        "billing_dispute",
        "refund_request",
        "legacy_complaint",
        "feedback",
        "dispute",
    ]
    assert "`refund_request`: The customer wants money back" in labels["description"]
    assert "`legacy_complaint`: An old complaint class" in labels["description"]
    assert "Deprecated. Use feedback." in labels["description"]
    assert "`dispute`: alias of `billing_dispute`" in labels["description"]


def test_write_schema(tmp_path: Path) -> None:
    g = _load(FIXTURES / "images")
    (path,) = write_schema(g, tmp_path / "out")
    assert path.name == "fixture-images.record.schema.json"
    assert json.loads(path.read_text()) == build_schema(g)


def _structural_errors(g: ir.Guideline, rec: dict) -> list[str]:
    """JSON pointers of the structural errors guidekit finds."""
    found, _ = RecordChecker(g).check(rec)
    return [
        d.location.pointer or ""
        for d in found
        if d.code in STRUCTURAL_CODES and d.severity is Severity.ERROR
    ]


def _pointer(path: object) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)  # type: ignore[attr-defined]


def _related(a: str, b: str) -> bool:
    """Same place, or one inside the other (jsonschema reports a missing key, an unknown key
    or a failed ``anyOf`` at the enclosing object; guidekit at the key)."""
    return a == b or a.startswith(b + "/") or b.startswith(a + "/") or "" in (a, b)


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rnd=st.randoms(use_true_random=False), broken=st.integers(0, 2))
def test_schema_and_validator_agree(project: Path, rnd: random.Random, broken: int) -> None:
    """jsonschema rejects a record exactly when guidekit finds a structural error, and every
    error of one is at (or around) an error of the other."""
    g = _load(project)
    fac = RecordFactory(g)
    rec = fac.valid(rnd)
    if broken:
        rec = fac.mutate(rec, rnd)
    validator = jsonschema.Draft202012Validator(build_schema(g))
    theirs = [_pointer(e.absolute_path) for e in validator.iter_errors(rec)]
    ours = _structural_errors(g, rec)
    assert bool(theirs) == bool(ours), f"jsonschema at {theirs}; guidekit at {ours}"
    for p in ours:
        assert any(_related(p, t) for t in theirs), f"guidekit error at {p} not in {theirs}"
    for t in theirs:
        assert any(_related(p, t) for p in ours), f"jsonschema error at {t} not in {ours}"
