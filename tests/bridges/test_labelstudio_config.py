"""The Label Studio labeling config generated from the IR, checked with the SDK's parser."""

from __future__ import annotations

import re

import pytest

from guidekit.bridges import TARGETS
from guidekit.bridges.labelstudio import labelstudio_config, labelstudio_notes, write_labelstudio

from .conftest import example, fixture

LabelInterface = pytest.importorskip("label_studio_sdk.label_interface").LabelInterface


def _controls(xml: str) -> dict[str, object]:
    li = LabelInterface(xml)
    li.validate()  # the SDK's schema, unique names and toName checks
    return {c.name: c for c in li.controls}


def test_golden(golden) -> None:  # type: ignore[no-untyped-def]
    golden("bridges/all-types.labelstudio.xml", labelstudio_config(fixture("all-types")))


def test_deterministic_and_registered(tmp_path) -> None:  # type: ignore[no-untyped-def]
    g = fixture("all-types")
    assert labelstudio_config(g) == labelstudio_config(fixture("all-types"))
    generate, write = TARGETS["labelstudio"]
    assert generate(g) == labelstudio_config(g)
    paths = write(g, tmp_path)
    assert [p.name for p in paths] == ["labelstudio.xml"]
    assert paths[0].read_text(encoding="utf-8") == labelstudio_config(g)
    assert write_labelstudio(g, tmp_path / "again")[0].read_bytes() == paths[0].read_bytes()


def test_version_and_handbook_are_embedded() -> None:
    xml = labelstudio_config(fixture("all-types"))
    assert "all-types 2.1.0" in xml.splitlines()[0]
    assert 'value="All task types - guideline 2.1.0"' in xml
    assert "https://handbook.example.org/all-types/" in xml
    li = LabelInterface(xml)
    assert "guidekit_handbook" in {o.name for o in li.objects}


def test_controls_match_the_spec() -> None:
    g = fixture("all-types")
    controls = _controls(labelstudio_config(g))
    kinds = {name: c.tag for name, c in controls.items()}
    assert kinds == {
        "intent": "Taxonomy",
        "tags": "Choices",
        "urgency": "Choices",
        "entities": "Labels",
        "entities__verified": "Choices",
        "boxes": "RectangleLabels",
        "boxes__occluded": "Choices",
        "boxes__visibility": "Choices",
        "boxes__dented": "Choices",
        "boxes__fill": "Number",
        "outline": "PolygonLabels",
        "pose": "RectangleLabels",
        "pose__points": "KeyPointLabels",
        "summary": "TextArea",
        "score": "Number",
        "spam": "Choices",
    }
    for task in g.tasks.values():
        if task.type in ("tags", "urgency", "entities", "boxes", "outline", "pose"):
            assert list(controls[task.id].labels) == list(task.labels())
    assert list(controls["entities"].labels) == ["PRODUCT", "ORDER_ID"]
    assert list(controls["boxes"].labels) == ["bottle", "can"]
    assert list(controls["pose__points"].labels) == ["head", "left_hand", "right_hand"]
    assert list(controls["boxes__visibility"].labels) == ["partial", "heavy"]
    # the taxonomy holds the whole hierarchy, the leaves are what may be chosen
    assert set(controls["intent"].labels) == {
        "billing",
        "billing_dispute",
        "refund_request",
        "other",
    }
    assert controls["intent"].attr["leafsOnly"] == "true"
    assert controls["tags"].attr["choice"] == "multiple"
    assert controls["entities"].to_name == ["body"]
    assert controls["boxes"].to_name == ["photo"]
    assert controls["score"].attr["min"] == "0" and controls["score"].attr["max"] == "10"


def test_hints_colors_and_conditional_visibility() -> None:
    xml = labelstudio_config(fixture("all-types"))
    assert re.search(
        r'<Label value="PRODUCT" hint="Product: A product the shop sells[^"]*" background="#0072B2"/>',
        xml,
    )
    assert '<Choice value="billing_dispute" hint="Billing dispute: The customer contests' in xml
    assert 'hotkey="d"' in xml
    # class attributes show only for their class; attribute conditions follow the other attribute
    assert '<View visibleWhen="region-selected" whenTagName="boxes" whenLabelValue="can">' in xml
    assert 'whenTagName="boxes__occluded" whenChoiceValue="Yes"' in xml
    assert (
        '<View visibleWhen="region-selected" whenTagName="entities" whenLabelValue="ORDER_ID">'
        in xml
    )


def test_relations_block_and_second_relations_task_reported() -> None:
    g = fixture("all-types")
    xml = labelstudio_config(g)
    assert '<Relation value="ordered"' in xml
    assert labelstudio_notes(g) == []


@pytest.mark.parametrize(
    "name", ["support-tickets", "retail-products", "manufacturing-defects", "clinical-notes"]
)
def test_example_guidelines_give_valid_configs(name: str) -> None:
    g = example(name)
    controls = _controls(labelstudio_config(g))
    for task in g.tasks.values():
        if task.type == "relations":
            continue
        assert task.id in controls, task.id
        if task.is_region and task.type != "keypoints":
            assert list(controls[task.id].labels) == list(task.labels())
