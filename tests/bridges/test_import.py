"""``guidekit import`` on label sets we did not write (the corpus's Label Studio configs,
CVAT and COCO exports, BRAT configs, a doccano label set): the project it writes checks with
no errors, drift against the source reports nothing where guidekit has a drift check, and
the source's own data validates against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CORPUS
from guidekit.cli import main

LS = CORPUS / "labelstudio"
BRAT = CORPUS / "brat"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="needs the shared corpus")


def imported(tmp_path: Path, source: Path, *extra: str) -> Path:
    out = tmp_path / "project"
    assert main(["import", str(source), str(out), *extra]) == 0
    assert main(["check", str(out), "--format", "json"]) == 0  # warnings only: TODO definitions
    return out


@needs_corpus
@pytest.mark.parametrize(
    ("source", "drift"),
    [
        (LS / "sdk_export_yolo_label_config.xml", "--labelstudio"),
        (LS / "sdk_export_json_min_label_config.xml", "--labelstudio"),
        (BRAT / "tutorial_news" / "annotation.conf", "--brat"),
        (BRAT / "NCBI-disease" / "annotation.conf", "--brat"),
        (BRAT / "CoNLL-ST_2002_annotation.conf", "--brat"),
    ],
    ids=["ls-rectangles", "ls-polygons", "brat-news", "brat-ncbi", "brat-conll"],
)
def test_imported_projects_show_no_drift_against_their_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: Path, drift: str
) -> None:
    out = imported(tmp_path, source)
    capsys.readouterr()
    assert main(["drift", str(out), drift, str(source)]) == 0, capsys.readouterr().out


@needs_corpus
@pytest.mark.parametrize(
    ("source", "delivery", "records"),
    [
        (BRAT / "NCBI-disease" / "annotation.conf", BRAT / "NCBI-disease", 20),
        (BRAT / "tutorial_news" / "annotation.conf", BRAT / "tutorial_news", 13),
        (LS / "sdk_export_json_min_label_config.xml", None, 0),
    ],
    ids=["ncbi", "news", "ls-config-only"],
)
def test_the_sources_own_data_validates(
    tmp_path: Path, source: Path, delivery: Path | None, records: int
) -> None:
    out = imported(tmp_path, source)
    if delivery is None:
        return
    report = tmp_path / "report.json"
    code = main(["validate", str(out), str(delivery), "--format", "json", "-o", str(report)])
    data = json.loads(report.read_text("utf-8"))
    assert (code, data["records"], data["accepted_records"]) == (0, records, records)


@needs_corpus
def test_brat_hierarchy_events_and_attributes(tmp_path: Path) -> None:
    text = (
        imported(tmp_path, BRAT / "tutorial_news" / "annotation.conf") / "guideline.yaml"
    ).read_text()
    assert "- id: Marry\n" in text and "parent: Life" in text  # indented events under '!Life'
    assert "Org-Arg" in text and "Org-Arg2" not in text  # numbered roles are one role
    assert "values:\n        - High\n        - Neutral\n        - Low" in text
    assert "# TODO: definition of Person" in text


@needs_corpus
def test_cvat_export_labels_attributes_and_the_shapes_it_draws(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = imported(tmp_path, CORPUS / "cvat" / "datumaro_export_task_train.xml")
    notes = capsys.readouterr().err
    text = (out / "guideline.yaml").read_text()
    assert "type: bbox" in text
    project = imported(tmp_path / "p", CORPUS / "cvat" / "datumaro_export_project_annotations.xml")
    err = capsys.readouterr().err
    doc = (project / "guideline.yaml").read_text()
    assert "type: polygon" in doc and "type: keypoints" in doc  # label1 is drawn as both
    assert "values:\n          - v1\n          - v2\n          - v3" in doc
    assert "occluded" in doc
    assert "polyline" in err and "range" in err  # what it could not map is said
    assert notes is not None


@needs_corpus
def test_coco_categories_with_supercategories(tmp_path: Path) -> None:
    source = tmp_path / "instances.json"
    source.write_text(
        json.dumps(
            {
                "categories": [
                    {"id": 1, "name": "person", "supercategory": "person"},
                    {"id": 2, "name": "traffic light", "supercategory": "outdoor"},
                    {
                        "id": 3,
                        "name": "stop sign",
                        "supercategory": "outdoor",
                        "keypoints": ["top", "bottom"],
                        "skeleton": [[1, 2]],
                    },
                ]
            }
        )
    )
    text = (imported(tmp_path, source) / "guideline.yaml").read_text()
    assert "- id: traffic_light\n" in text and "aliases:\n      - traffic light" in text
    assert "parent: outdoor" in text and "edges:\n      - - top\n        - bottom" in text
    corpus = imported(tmp_path / "c", CORPUS / "coco" / "datumaro_instances_val.json")
    assert (corpus / "guideline.yaml").exists()


@needs_corpus
def test_doccano_label_set(tmp_path: Path) -> None:
    text = (
        imported(tmp_path, CORPUS / "doccano" / "label_types_valid_labels.json") / "guideline.yaml"
    ).read_text()
    assert "type: single" in text and "type: spans" in text


def test_taxonomy_table_with_parents_after_children(tmp_path: Path) -> None:
    source = tmp_path / "tax.csv"
    source.write_text(
        "id,parent,name,definition\n"
        "refund,billing,Refund,The customer wants money back.\n"
        "billing,,Billing,\n"
        "orphan,nowhere,Orphan,\n"
    )
    out = tmp_path / "project"
    assert main(["import", str(source), str(out)]) == 0
    text = (out / "guideline.yaml").read_text()
    assert "parent: billing" in text and "definition: The customer wants money back." in text
    assert "# TODO: definition of billing" in text and "# TODO: definition of refund" not in text
    assert "row 4: parent 'nowhere'" in text  # said, not dropped


def test_nested_json_taxonomy(tmp_path: Path) -> None:
    source = tmp_path / "tax.json"
    source.write_text(
        json.dumps(
            {
                "name": "vehicle",
                "children": [{"name": "car"}, {"name": "bus", "description": "Big."}],
            }
        )
    )
    text = (imported(tmp_path, source) / "guideline.yaml").read_text()
    assert "parent: vehicle" in text and "definition: Big." in text


@needs_corpus
def test_bad_sources_and_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01 not a label set")
    assert main(["import", str(junk), str(tmp_path / "a")]) == 1
    assert "--from" in capsys.readouterr().err
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    assert main(["import", str(BRAT / "NCBI-disease" / "annotation.conf"), str(busy)]) == 1
    assert (busy / "notes.txt").read_text() == "mine" and not (busy / "guideline.yaml").exists()
    assert main(["import", str(tmp_path / "missing.xml"), str(tmp_path / "b")]) == 1
    assert "cannot read" in capsys.readouterr().err
