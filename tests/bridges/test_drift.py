"""Drift between a tool's live config and the guideline, and the ``guidekit drift`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidekit.bridges.cvat import cvat_labels
from guidekit.bridges.drift import cvat_drift, labelstudio_drift
from guidekit.bridges.labelstudio import labelstudio_config
from guidekit.cli import main
from guidekit.errors import GuidekitError
from guidekit.generators.palette import class_colors

from .conftest import FIXTURES, example, fixture


def codes(diags: list) -> list[tuple[str, int | None]]:  # type: ignore[type-arg]
    return sorted((d.code, d.location.line) for d in diags)


def ls_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "live.xml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["all-types", "ls-detection", "cvat-labels"])
def test_generated_configs_do_not_drift(name: str, tmp_path: Path) -> None:
    g = fixture(name)
    assert labelstudio_drift(g, ls_file(tmp_path, labelstudio_config(g))) == []
    (tmp_path / "labels.json").write_text(cvat_labels(g), encoding="utf-8")
    assert cvat_drift(g, tmp_path / "labels.json") == []


@pytest.mark.parametrize(
    "name", ["support-tickets", "retail-products", "manufacturing-defects", "clinical-notes"]
)
def test_example_guidelines_do_not_drift(name: str, tmp_path: Path) -> None:
    g = example(name)
    assert labelstudio_drift(g, ls_file(tmp_path, labelstudio_config(g))) == []


def test_label_studio_edits_in_the_tool(tmp_path: Path) -> None:
    g = fixture("all-types")
    xml = labelstudio_config(g)
    # someone adds a label, removes one, renames one to its alias, drops a choice value
    xml = xml.replace('<Label value="can"', '<Label value="jar"/>\n      <Label value="can"')
    color = class_colors(g.tasks["entities"])["ORDER_ID"]
    removed = f'      <Label value="ORDER_ID" hint="An order number as printed on the invoice." background="{color}"/>\n'
    assert removed in xml
    xml = xml.replace(removed, "")
    xml = xml.replace('<Choice value="billing_dispute"', '<Choice value="dispute"')
    xml = xml.replace('        <Choice value="heavy"/>\n', "")
    xml = xml.replace(
        '<Number name="boxes__fill" toName="photo" perRegion="true" min="0" max="100" step="1"/>',
        "",
    )
    xml = xml.replace(
        '<Header value="spam"/>',
        '<Header value="spam"/>\n    <TextArea name="comment" toName="body"/>',
    )
    path = ls_file(tmp_path, xml)
    found = labelstudio_drift(g, path)
    by_code: dict[str, list[str]] = {}
    for d in found:
        by_code.setdefault(d.code, []).append(d.message)
    assert any("'jar'" in m for m in by_code["GK810"])
    assert any("'ORDER_ID'" in m for m in by_code["GK811"])
    assert any("'billing_dispute'" in m for m in by_code["GK811"]) is False  # renamed, not missing
    assert by_code["GK812"] == ["control 'intent' spells class 'billing_dispute' as 'dispute'"]
    assert any("visibility" in m and "partial" in m for m in by_code["GK813"])
    assert any("'fill'" in m for m in by_code["GK813"])
    assert any("'comment'" in m for m in by_code["GK813"])
    jar = next(d for d in found if d.code == "GK810")
    assert (
        path.read_text()
        .splitlines()[jar.location.line - 1]
        .strip()
        .startswith('<Label value="jar"')
    )


def test_label_studio_third_party_config(corpus: Path) -> None:
    found = labelstudio_drift(
        fixture("ls-detection"), corpus / "labelstudio/sdk_export_yolo_label_config.xml"
    )
    assert codes(found) == [("GK811", 4), ("GK811", 4), ("GK813", 1)]
    found = labelstudio_drift(
        fixture("ls-detection"), corpus / "labelstudio/sdk_export_json_min_label_config.xml"
    )
    assert ("GK813", 1) in codes(found)  # no boxes control: the objects task has no control
    assert not [d for d in found if d.code == "GK810"]


def test_label_studio_project_json(tmp_path: Path) -> None:
    g = fixture("ls-detection")
    (tmp_path / "project.json").write_text(
        json.dumps({"id": 3, "label_config": labelstudio_config(g)}), encoding="utf-8"
    )
    assert labelstudio_drift(g, tmp_path / "project.json") == []
    (tmp_path / "bad.json").write_text(json.dumps({"id": 3}), encoding="utf-8")
    with pytest.raises(GuidekitError) as exc:
        labelstudio_drift(g, tmp_path / "bad.json")
    assert exc.value.diagnostics[0].code == "GK814"


def test_label_studio_bad_xml(tmp_path: Path) -> None:
    with pytest.raises(GuidekitError) as exc:
        labelstudio_drift(fixture("ls-detection"), ls_file(tmp_path, "<View>\n<Labels>\n</View>"))
    assert exc.value.diagnostics[0].check_tuple()[:2] == ("GK814", 3)


def test_cvat_edits_in_the_tool(tmp_path: Path) -> None:
    g = fixture("all-types")
    labels = json.loads(cvat_labels(g))
    by_name = {label["name"]: label for label in labels}
    by_name["billing_dispute"]["name"] = "dispute"  # an alias of the class
    labels = [label for label in labels if label["name"] != "scratch"]  # removed in the tool
    labels.append(
        {"name": "jar", "color": "#000000", "type": "rectangle", "attributes": []}
    )  # added
    can = by_name["can"]
    can["attributes"] = [a for a in can["attributes"] if a["name"] != "fill"]
    can["attributes"].append(
        {
            "name": "brand",
            "mutable": False,
            "input_type": "text",
            "default_value": "",
            "values": [""],
        }
    )
    next(a for a in can["attributes"] if a["name"] == "visibility")["values"] = ["partial"]
    by_name["person"]["sublabels"] = by_name["person"]["sublabels"][:2]
    path = tmp_path / "labels.json"
    path.write_text(json.dumps(labels, indent=2), encoding="utf-8")
    found = cvat_drift(g, path)
    messages = {(d.code, d.message) for d in found}
    assert (
        "GK812",
        "CVAT label 'dispute' spells class 'billing_dispute' by an alias or name",
    ) in messages
    assert ("GK811", "class 'scratch' is missing from the CVAT labels") in messages
    assert any(c == "GK810" and "'jar'" in m for c, m in messages)
    assert any(c == "GK813" and "'fill'" in m and "missing" in m for c, m in messages)
    assert any(c == "GK813" and "'brand'" in m and "added" in m for c, m in messages)
    assert any(c == "GK813" and "'visibility'" in m for c, m in messages)
    assert any(c == "GK813" and "skeleton 'person'" in m for c, m in messages)
    jar = next(d for d in found if d.code == "GK810")
    assert path.read_text().splitlines()[jar.location.line - 1].strip() == "{"


def test_cvat_not_a_list(tmp_path: Path) -> None:
    (tmp_path / "l.json").write_text('{"name": "a"}', encoding="utf-8")
    with pytest.raises(GuidekitError) as exc:
        cvat_drift(fixture("cvat-labels"), tmp_path / "l.json")
    assert exc.value.diagnostics[0].code == "GK814"


# -- the command --------------------------------------------------------------------------------------


def test_drift_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = str(FIXTURES / "ls-detection")
    g = fixture("ls-detection")
    clean = ls_file(tmp_path, labelstudio_config(g))
    assert main(["drift", project, "--labelstudio", str(clean)]) == 0
    assert "no problems" in capsys.readouterr().out
    drifted = tmp_path / "drifted.xml"
    drifted.write_text(labelstudio_config(g).replace("white", "whitish"), encoding="utf-8")
    assert main(["drift", project, "--labelstudio", str(drifted), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert sorted(d["code"] for d in report["diagnostics"]) == ["GK810", "GK811"]
    assert report["diagnostics"][0]["location"]["file"] == str(drifted)


def test_drift_command_misuse_and_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = str(FIXTURES / "ls-detection")
    assert main(["drift", project]) == 2
    assert main(["drift", project, "--cvat", str(tmp_path / "missing.json")]) == 1
    err = capsys.readouterr().err
    assert "GK814" in err and "Traceback" not in err
