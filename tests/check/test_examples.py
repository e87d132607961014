"""The bundled guidelines are documentation and dogfood: they check clean, strictly."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, GUIDELINES
from guidekit import compile_guideline, load
from guidekit.ir import Guideline


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_checks_clean_strict(name: str) -> None:
    result = compile_guideline(GUIDELINES / name, strict=True)
    assert [str(d) for d in result.diagnostics] == []
    assert result.ok


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_meets_the_documented_minimum(name: str) -> None:
    g = load(GUIDELINES / name)
    assert isinstance(g, Guideline)
    assert len(list(g.edge_cases())) >= 3
    assert g.rules, "every example guideline declares rules"
    assert not g.acceptance.is_empty()
    assert len(g.governance.levels) >= 2 and g.governance.audiences
    for task in g.tasks.values():
        for cls in task.classes:
            if cls.deprecated:
                continue
            assert cls.definition and len(cls.definition.split()) >= 6, (task.id, cls.id)


def test_support_tickets_shape() -> None:
    g = load(GUIDELINES / "support-tickets")
    intent = g.tasks["intent"]
    assert intent.type == "single" and len(intent.leaves()) >= 10
    assert any(c.depth >= 1 for c in intent.classes)
    assert g.tasks["urgency"].type == "ordinal"
    assert g.tasks["entities"].type == "spans"


def test_retail_and_defects_and_clinical_shapes() -> None:
    retail = load(GUIDELINES / "retail-products")
    boxes = [t for t in retail.tasks.values() if t.type == "bbox"]
    assert boxes and len(boxes[0].classes) >= 8
    assert any(c.attributes for c in boxes[0].classes) or boxes[0].attributes
    defects = load(GUIDELINES / "manufacturing-defects")
    polys = [t for t in defects.tasks.values() if t.type == "polygon"]
    assert (
        polys and any(a.when is not None for c in polys[0].classes for a in c.attributes.values())
    ) or any(a.when is not None for a in polys[0].attributes.values())
    clinical = load(GUIDELINES / "clinical-notes")
    kinds = {t.type for t in clinical.tasks.values()}
    assert {"spans", "relations"} <= kinds
    assert any(ex.sensitivity in ("confidential", "restricted") for ex in clinical.examples())
