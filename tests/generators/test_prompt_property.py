"""The prompt target's answer schema accepts exactly what ``validate`` accepts for the
support-tickets tasks: label values drawn from the IR (classes, parents, aliases, near
misses) and shapes around them, valid and invalid."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidekit import ir
from guidekit.cli import main
from guidekit.compiler.pipeline import load
from guidekit.record.values import check_value

ROOT = Path(__file__).resolve().parents[2]
TICKETS = ROOT / "guidelines" / "support-tickets"


@cache
def _guideline() -> ir.Guideline:
    return load(TICKETS)


#: what the validator checks and JSON Schema cannot say: relations between values
RELATIONS = {"span.bounds", "span.overlap"}
SCHEMAS: dict[str, dict[str, Any]] = {}


@pytest.fixture(scope="module", autouse=True)
def _schemas(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The answer schemas ``guidekit build --target prompt`` writes."""
    out = tmp_path_factory.mktemp("prompt")
    assert main(["build", str(TICKETS), "-t", "prompt", "-o", str(out)]) == 0
    for tid in _guideline().tasks:
        path = out / f"{tid}.answer.schema.json"
        SCHEMAS[tid] = json.loads(path.read_text(encoding="utf-8"))


def _labels(task: ir.Task) -> st.SearchStrategy[Any]:
    ids = [c.id for c in task.classes]
    near = [*ids, *(a for c in task.classes for a in c.aliases)]
    near += [i.upper() for i in ids] + [i + " " for i in ids] + ["", "other"]
    return st.one_of(st.sampled_from(near), st.text(max_size=8))


def _value(task: ir.Task) -> st.SearchStrategy[Any]:
    junk = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False))
    if task.type != "spans":
        return st.one_of(_labels(task), junk, st.lists(_labels(task), max_size=2))
    offset = st.integers(-2, 40)
    span = st.fixed_dictionaries(
        {"start": offset, "end": offset, "label": _labels(task)},
        optional={"text": st.text(max_size=5), "extra": st.integers(0, 1)},
    )
    return st.one_of(st.lists(span, max_size=3), junk, _labels(task))


def _accepts_schema(schema: dict[str, Any], tid: str, value: Any) -> bool:
    try:
        jsonschema.validate({tid: value}, schema)
    except jsonschema.ValidationError:
        return False
    return True


def _problems(task: ir.Task, value: Any) -> set[str]:
    g = _guideline()
    return {p.kind for p in check_value(g, task, value, None) if not p.warning}


@pytest.mark.parametrize("tid", ["intent", "urgency", "entities"])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_answer_schema_accepts_exactly_what_validate_accepts(
    tid: str, data: st.DataObject
) -> None:
    """Every value the validator accepts, the schema accepts; every value the schema
    accepts, the validator accepts too, but for relations between values (a span's end
    after its start, overlapping spans) that JSON Schema cannot state."""
    task = _guideline().tasks[tid]
    value = data.draw(_value(task))
    by_schema = _accepts_schema(SCHEMAS[tid], tid, value)
    problems = _problems(task, value)
    if not problems:
        assert by_schema, f"validate accepts {value!r}, the answer schema does not"
    elif by_schema:
        assert problems <= RELATIONS, f"the answer schema accepts {value!r}: {problems}"
