"""CVAT labels JSON generated from the IR, checked against the rules CVAT's Raw label editor
applies (cvat-ui ``validateParsedLabel``/``validateParsedAttribute``)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from guidekit.bridges import TARGETS
from guidekit.bridges.cvat import cvat_guide, cvat_labels, cvat_notes

from .conftest import example, fixture

INPUT_TYPES = {"checkbox", "number", "text", "radio", "select"}


def cvat_accepts(labels: Any) -> None:
    """The checks CVAT's Raw label editor runs before it saves labels."""
    assert isinstance(labels, list), "Field is expected to be a JSON array"
    names = [label["name"] for label in labels]
    assert len(set(names)) == len(names), "Label names must be unique for the task"
    for label in labels:
        assert isinstance(label["name"], str) and label["name"].strip()
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", label["color"])
        assert label["type"] in {
            "any",
            "rectangle",
            "polygon",
            "polyline",
            "points",
            "ellipse",
            "cuboid",
            "skeleton",
            "mask",
            "tag",
        }
        assert isinstance(label["attributes"], list)
        attr_names = [a["name"] for a in label["attributes"]]
        assert len(set(attr_names)) == len(attr_names)
        for a in label["attributes"]:
            assert a["input_type"] in INPUT_TYPES
            assert isinstance(a["mutable"], bool)
            assert a["values"] and all(isinstance(v, str) for v in a["values"])
            assert len({v.strip() for v in a["values"]}) == len(a["values"])
            if a["input_type"] == "number":
                lo, hi, step = (float(v) for v in a["values"])
                assert lo <= float(a["default_value"]) <= hi and step > 0
            if a["input_type"] in ("select", "radio"):
                assert a["default_value"] in a["values"]
        for sub in label.get("sublabels", []):
            assert sub["type"] == "points"


def test_golden(golden) -> None:  # type: ignore[no-untyped-def]
    golden("bridges/all-types.cvat-labels.json", cvat_labels(fixture("all-types")))


def test_labels_attributes_and_skeleton() -> None:
    g = fixture("all-types")
    labels = json.loads(cvat_labels(g))
    cvat_accepts(labels)
    by_name = {label["name"]: label for label in labels}
    assert by_name["bottle"]["type"] == "rectangle"
    assert by_name["scratch"]["type"] == "polygon"
    assert by_name["billing_dispute"]["type"] == "tag"
    assert "billing" not in by_name  # parents are never labels (leaf_only)
    can = {a["name"]: a for a in by_name["can"]["attributes"]}
    assert can["dented"] == {
        "name": "dented",
        "mutable": False,
        "input_type": "checkbox",
        "default_value": "false",
        "values": ["false"],
    }
    assert can["fill"]["input_type"] == "number" and can["fill"]["values"] == ["0", "100", "1"]
    assert can["visibility"]["values"] == ["partial", "heavy"]
    assert "dented" not in {a["name"] for a in by_name["bottle"]["attributes"]}
    person = by_name["person"]
    assert person["type"] == "skeleton"
    assert [s["name"] for s in person["sublabels"]] == ["head", "left_hand", "right_hand"]
    svg = ET.fromstring(f"<svg>{person['svg']}</svg>")
    nodes = {c.get("data-label-name"): c.get("data-node-id") for c in svg if c.tag == "circle"}
    edges = {(c.get("data-node-from"), c.get("data-node-to")) for c in svg if c.tag == "line"}
    assert nodes == {"head": "1", "left_hand": "2", "right_hand": "3"}
    assert edges == {("1", "2"), ("1", "3")}


def test_tasks_cvat_cannot_hold_are_reported() -> None:
    notes = cvat_notes(fixture("all-types"))
    assert sorted(d.message.split("'")[1] for d in notes) == [
        "entities",
        "links",
        "score",
        "spam",
        "summary",
    ]
    assert {d.code for d in notes} == {"GK808"}
    assert all(d.location.line for d in notes)


def test_guide_embeds_version_and_handbook(tmp_path) -> None:  # type: ignore[no-untyped-def]
    g = fixture("all-types")
    guide = cvat_guide(g)
    assert "version **2.1.0**" in guide and "<https://handbook.example.org/all-types/>" in guide
    assert "- **can**: A metal can, upright or lying, any size." in guide
    generate, write = TARGETS["cvat"]
    paths = write(g, tmp_path)
    assert [p.name for p in paths] == ["cvat-labels.json", "cvat-guide.md"]
    assert paths[0].read_text(encoding="utf-8") == generate(g)


@pytest.mark.parametrize("name", ["retail-products", "manufacturing-defects"])
def test_example_guidelines(name: str) -> None:
    g = example(name)
    labels = json.loads(cvat_labels(g))
    cvat_accepts(labels)
    for task in g.tasks.values():
        if task.type in ("bbox", "polygon"):
            names = {label["name"] for label in labels}
            assert set(task.labels()) <= names


def test_same_named_classes_of_two_tasks_are_named_and_strict_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two box tasks that both have 'car' became one CVAT label silently; an export then
    cannot say which task a box belongs to."""
    from guidekit.cli import main

    project = tmp_path / "two"
    project.mkdir()
    (project / "guideline.yaml").write_text(
        "guidekit: 1\nid: two\ntitle: Two\nversion: 1.0.0\n"
        "brief: {objective: Two box tasks that share a class.}\n"
        "record: {id: image_id, fields: {image: {type: image}}}\n"
        "tasks:\n"
        "  vehicles: {type: bbox, over: image, classes: [car, bus]}\n"
        "  parked: {type: bbox, over: image, required: false, classes: [car]}\n"
        'lint: {severity: {GK401: "off", GK402: "off", GK407: "off"}}\n'
    )
    assert main(["build", str(project), "--target", "cvat", "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "class 'car' of tasks 'vehicles' and 'parked' becomes one CVAT label" in err
    assert "guideline.yaml:" in err  # located at the second task
    code = main(
        [
            "build",
            str(project),
            "--target",
            "cvat",
            "-o",
            str(tmp_path / "out"),
            "--strict",
            "--force",
        ]
    )
    assert code == 1
    assert "--strict" in capsys.readouterr().err
