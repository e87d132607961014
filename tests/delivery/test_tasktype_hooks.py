"""A task type that knows nothing of the fast path or the generators (as a third party's
may, registered through the ``guidekit.tasktypes`` entry point) still validates exactly:
its values take the full checker. The generators say clearly what they cannot state."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from delivery._gen import RecordFactory
from delivery.conftest import fixture_guideline
from guidekit import tasktypes
from guidekit.delivery import RecordValidator
from guidekit.delivery.check import RecordChecker
from guidekit.generators.jsonschema import build_schema
from guidekit.generators.models import build_models
from guidekit.tasktypes import NotRepresentable, TaskType

OPAQUE = ("text", "number", "boolean")  # the tickets fixture's tasks without classes


@pytest.fixture
def opaque() -> Iterator[None]:
    """Registers hook-less stand-ins for the types in OPAQUE, then restores the originals."""
    originals = [tasktypes.get(name) for name in OPAQUE]
    for name in OPAQUE:
        tasktypes.register(
            type(f"Opaque_{name}", (TaskType,), {"name": name, "has_classes": False})
        )
    try:
        yield
    finally:
        for tt in originals:
            tasktypes.register(tt)


def test_defaults_are_safe() -> None:
    tt = TaskType()
    task = next(iter(fixture_guideline("tickets").tasks.values()))
    assert tt.fast_value_type(task, "V_x_0") == "UnsetType"
    assert tt.cond_labels(task, "r.f1", bare=False, once=True) == "[]"
    assert tt.bounds_need(task) is None
    assert tt.csv_cell('{"a": 1}') == {"a": 1}


@pytest.mark.usefixtures("opaque")
def test_values_of_an_unknown_type_take_the_full_checker() -> None:
    g = fixture_guideline("tickets")
    ids = [t.id for t in g.tasks.values() if t.type in OPAQUE]
    fac, v, chk = RecordFactory(g), RecordValidator(g), RecordChecker(g)
    rnd = random.Random(11)
    for k in range(300):
        rec = fac.valid(rnd)
        if k % 2:
            rec = fac.mutate(rec, rnd)
        if any(rec.get(i) is not None for i in ids):
            assert not v.fast.clean(rec)
        assert v.validate(rec) == chk.check(rec)[0]


@pytest.mark.usefixtures("opaque")
def test_generators_refuse_an_unknown_type_clearly() -> None:
    g = fixture_guideline("tickets")
    with pytest.raises(NotRepresentable, match="cannot be stated in JSON Schema"):
        build_schema(g)
    with pytest.raises(NotRepresentable, match="cannot be stated as a pydantic model"):
        build_models(g)
