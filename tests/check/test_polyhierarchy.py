"""A class under several parents (`parents:`), and `part_of`, end to end: check, build,
validate, diff, import and export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from guidekit.cli import main
from guidekit.compiler.pipeline import compile_guideline

HEAD = """\
guidekit: 1
id: vehicles
title: Vehicles
version: 1.0.0
brief:
  objective: Label the vehicle a photo caption is about.
record:
  id: item_id
  fields:
    body: {type: text}
governance:
  levels: [public]
tasks:
  kind:
    type: single
    classes:
"""
CLASSES = """\
      - id: vehicle
        definition: Anything that carries people or goods from one place to another.
      - id: water
        definition: A vehicle that travels on water, floating or under it.
      - id: land
        parent: vehicle
        definition: A vehicle that travels on roads, rails or open ground.
      - id: amphibious_car
        parents: [land, water]
        definition: A car that drives on roads and also floats on water.
        examples:
          - body: The duck tour bus drove straight into the river.
      - id: wheel
        part_of: [amphibious_car]
        definition: A wheel of a vehicle, shown on its own in the photo.
"""


def project(tmp_path: Path, classes: str = CLASSES, name: str = "g") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "guideline.yaml").write_text(HEAD + classes, encoding="utf-8")
    return folder


def check_json(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, list[dict[str, Any]]]:
    capsys.readouterr()
    code = main(["check", str(path), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)["diagnostics"]


def errors(found: list[dict[str, Any]]) -> list[tuple[str, int, str]]:
    return [
        (str(d["code"]), int(d["location"]["line"]), str(d["message"]))
        for d in found
        if d["severity"] == "error"
    ]


def test_a_class_under_two_parents_compiles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = project(tmp_path)
    code, found = check_json(capsys, folder)
    assert code == 0 and not errors(found)
    task = compile_guideline(folder).guideline.tasks["kind"]
    assert task["amphibious_car"].parents == ("land", "water")
    assert task["amphibious_car"].parent == "land"
    assert task.ancestors("amphibious_car") == ("land", "water", "vehicle")
    assert task["water"].children == ("amphibious_car",)
    assert task.descendants("vehicle") == ("land", "amphibious_car")
    assert task.is_a("amphibious_car", "water")
    assert [c.id for c in task.roots()] == ["vehicle", "water", "wheel"]
    assert task["wheel"].part_of == ("amphibious_car",)
    assert task.labels() == ("amphibious_car", "wheel")  # leaf-only: groups are no labels


def test_parent_and_parents_together_is_an_error_at_parents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    both = CLASSES.replace("parents: [land, water]", "parent: land\n        parents: [water]")
    code, found = check_json(capsys, project(tmp_path, both))
    assert code == 1
    ((c, line, message),) = errors(found)
    assert (c, line) == ("GK204", 26)  # the `parents` key
    assert "`parent` or `parents`, not both" in message


def test_unknown_parent_in_the_list_is_located_at_its_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = CLASSES.replace("parents: [land, water]", "parents:\n          - land\n          - watr")
    code, found = check_json(capsys, project(tmp_path, bad))
    assert code == 1
    assert errors(found) == [
        ("GK302", 27, "parent 'watr' of class 'amphibious_car' is not a class of task 'kind'")
    ]
    assert any("did you mean 'water'" in str(d.get("hint")) for d in found)


def test_a_cycle_through_a_second_parent_is_reported_at_the_closing_edge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # water -> amphibious_car -> water: walking the classes in the written order, the edge
    # amphibious_car -> water (line 26) is the one that closes the cycle
    cyc = CLASSES.replace(
        "      - id: water\n", "      - id: water\n        parents: [vehicle, amphibious_car]\n"
    )
    code, found = check_json(capsys, project(tmp_path, cyc))
    assert code == 1
    cycles = [e for e in errors(found) if e[0] == "GK303"]
    assert cycles == [
        ("GK303", 26, "class hierarchy has a cycle: water -> amphibious_car -> water")
    ]


def test_part_of_must_name_a_class_and_not_cycle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = CLASSES.replace("part_of: [amphibious_car]", "part_of: [amphibious_car, tyre]")
    bad += "      - id: car_body\n        part_of: [car_door]\n"
    bad += "      - id: car_door\n        part_of: [car_body]\n"
    code, found = check_json(capsys, project(tmp_path, bad))
    assert code == 1
    assert errors(found) == [
        ("GK302", 30, "'wheel' is part of 'tyre', which is not a class of task 'kind'"),
        ("GK303", 35, "`part_of` has a cycle: car_body -> car_door -> car_body"),
    ]


def test_handbook_names_every_parent_and_lists_the_class_under_each(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert (
        main(["build", str(project(tmp_path)), "-t", "handbook", "--no-site", "-o", str(out)]) == 0
    )
    pages = out / "docs" / "tasks" / "kind"
    page = (pages / "amphibious_car.md").read_text(encoding="utf-8")
    assert "Parents: [land](land.md), [water](water.md)" in page
    assert "**Has parts:** [wheel](wheel.md)." in page
    assert "**Part of:** [amphibious\\_car](amphibious_car.md)." in (pages / "wheel.md").read_text(
        encoding="utf-8"
    )
    index = (pages / "index.md").read_text(encoding="utf-8")
    start = index.index("## Hierarchy")
    end = index.find("\n## ", start + 1)  # "How to decide" is left out when it would repeat
    tree = index[start : end if end != -1 else None]
    rows = [line for line in tree.splitlines() if line.lstrip().startswith("- ")]
    assert [(len(r) - len(r.lstrip())) // 4 for r in rows] == [0, 1, 2, 0, 1, 0]
    assert sum("amphibious_car.md" in r for r in rows) == 2  # under land and under water


def test_validate_follows_leaf_only_with_several_parents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    delivery = tmp_path / "d.jsonl"
    rows = [("1", "amphibious_car"), ("2", "water"), ("3", "wheel")]
    delivery.write_text(
        "".join(json.dumps({"item_id": i, "body": "x", "kind": k}) + "\n" for i, k in rows),
        encoding="utf-8",
    )
    code = main(["validate", str(project(tmp_path)), str(delivery), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    found = [
        (e["code"], e["location"]["line"], e["message"])
        for g in report["groups"]
        for e in g["examples"]
    ]
    assert found == [
        ("GK516", 2, "'water' has subclasses (amphibious_car); use one of them")
    ]  # water is a group now that amphibious_car sits under it


def _diff(capsys: pytest.CaptureFixture[str], old: Path, new: Path) -> dict[str, object]:
    capsys.readouterr()
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    report: dict[str, object] = json.loads(capsys.readouterr().out)
    return report


def test_diff_classifies_a_parent_added_and_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = project(tmp_path, name="old")
    three = CLASSES.replace("parents: [land, water]", "parents: [land, water, vehicle]")
    report = _diff(capsys, old, project(tmp_path, three, "added"))
    assert [(c["rule"], c["impact"]) for c in report["changes"]] == [  # type: ignore[attr-defined]
        ("class-parent-added", "minor")
    ]
    assert report["required"] == "minor"
    one = CLASSES.replace("parents: [land, water]", "parents: [land]")
    report = _diff(capsys, old, project(tmp_path, one, "removed"))
    rules = [(c["rule"], c["impact"]) for c in report["changes"]]  # type: ignore[attr-defined]
    assert ("class-parent-removed", "minor") in rules
    assert report["required"] == "minor"


def test_import_keeps_both_edges_of_a_child_under_two_parents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "taxonomy.csv"
    table.write_text(
        "id,parent,name\nvehicle,,Vehicle\nland,vehicle,Land\nwater,vehicle,Water\n"
        "amphibious_car,land,Amphibious car\namphibious_car,water,Amphibious car\n"
        "water,amphibious_car,Water again\n",
        encoding="utf-8",
    )
    out = tmp_path / "imported"
    assert main(["import", str(table), str(out)]) == 0
    data = yaml.safe_load((out / "guideline.yaml").read_text(encoding="utf-8"))
    classes = {c["id"]: c for c in data["tasks"]["category"]["classes"]}
    assert classes["amphibious_car"]["parents"] == ["land", "water"]
    assert "parent" not in classes["amphibious_car"]
    assert classes["water"]["parent"] == "vehicle"  # the edge that would cycle is left out
    code, found = check_json(capsys, out)
    assert code == 0 and not errors(found)
    task = compile_guideline(out).guideline.tasks["category"]
    assert task.ancestors("amphibious_car") == ("land", "water", "vehicle")


def test_import_of_a_nested_json_keeps_a_child_met_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = [
        {"name": "land", "children": [{"name": "amphibious_car"}]},
        {"name": "water", "children": [{"name": "amphibious_car"}]},
    ]
    source = tmp_path / "taxonomy.json"
    source.write_text(json.dumps(tree), encoding="utf-8")
    out = tmp_path / "imported"
    assert main(["import", str(source), str(out)]) == 0
    task = compile_guideline(out).guideline.tasks["category"]
    assert task["amphibious_car"].parents == ("land", "water")


def test_coco_export_says_it_keeps_one_parent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from guidekit.bridges.coco import write_coco

    boxes = HEAD.replace("    body: {type: text}", "    photo: {type: image}").replace(
        "    type: single", "    type: bbox\n    over: photo"
    )
    folder = tmp_path / "boxes"
    folder.mkdir()
    (folder / "guideline.yaml").write_text(boxes + CLASSES.replace("body:", "photo:"), "utf-8")
    g = compile_guideline(folder).guideline
    assert g is not None
    result = write_coco([], g, tmp_path / "coco.json")
    messages = [d.message for d in result.diagnostics if d.code == "GK808"]
    assert any("'amphibious_car'" in m and "'land' is written" in m for m in messages)
    cats = json.loads((tmp_path / "coco.json").read_text(encoding="utf-8"))["categories"]
    assert {c["name"]: c["supercategory"] for c in cats}["amphibious_car"] == "land"


def test_label_studio_taxonomy_lists_the_class_under_each_parent_and_does_not_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = project(tmp_path)
    out = tmp_path / "ls"
    capsys.readouterr()
    assert main(["build", str(folder), "-t", "labelstudio", "-o", str(out)]) == 0
    assert "GK808" not in "".join(capsys.readouterr())  # nothing flattened: no warning
    xml = (out / "labelstudio.xml").read_text(encoding="utf-8")
    assert xml.count('<Choice value="amphibious_car"') == 2  # under land and under water
    capsys.readouterr()
    assert main(["drift", str(folder), "--labelstudio", str(out / "labelstudio.xml")]) == 0
