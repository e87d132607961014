"""Reading Label Studio JSON and JSON-MIN exports: the SDK's own samples, the SDK's converter
output, and malformed exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guidekit.bridges import READERS
from guidekit.errors import GuidekitError

from .conftest import assert_close, errors, fixture


def read(fmt: str, path: Path | str, name: str, **options: Any) -> list[Any]:
    return list(READERS[fmt](path, fixture(name), **options))


def write(tmp_path: Path, data: Any, name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


# -- the SDK's export samples ------------------------------------------------------------------


def test_boxes_with_reviews_and_annotators(corpus: Path) -> None:
    recs = read("labelstudio", corpus / "labelstudio/sdk_export_csv_test.json", "ls-detection")
    assert errors(recs) == []
    first = recs[0].data
    assert first["image_id"] == 1
    assert first["annotator"] == "hakan@heartex.com"
    assert first["reviewer"] == "review@heartex.com"
    assert first["image"]["width"] == 768 and first["image"]["height"] == 576
    # percentages of 768 x 576 become pixels: x = 4.857412088705009 % of 768
    assert_close(
        first["objects"], [{"label": "Car", "bbox": [37.30492484, 67.33832906, 710.4768, 413.3376]}]
    )
    assert [len(r.data["objects"]) for r in recs] == [1, 2]


def test_two_annotators_give_two_records(corpus: Path) -> None:
    recs = read("labelstudio", corpus / "labelstudio/sdk_export_yolo_data.json", "ls-detection")
    assert [(r.data["image_id"], r.data["annotator"]) for r in recs] == [
        (1, "2"),
        (1, "1"),
        (2, "1"),
    ]
    assert [r.line for r in recs] == [2, 2, 139]
    assert {b["label"] for r in recs for b in r.data["objects"]} == {"parasites", "white"}


def test_polygons(corpus: Path) -> None:
    recs = read(
        "labelstudio", corpus / "labelstudio/sdk_export_yolo_data_polygons.json", "ls-detection"
    )
    (rec,) = recs
    assert rec.error is None
    outline = rec.data["outlines"][0]
    assert outline["label"] == "Airplane" and len(outline["points"]) == 37
    assert_close(outline["points"][0], [384, 83.32231405])  # [60 %, 19.56 %] of 640 x 426


def test_keypoints_grouped_under_their_box(corpus: Path) -> None:
    (rec,) = read(
        "labelstudio", corpus / "labelstudio/sdk_export_yolo_data_keypoints.json", "ls-keypoints"
    )
    assert rec.error is None  # the skeleton-drawing relations are not labels
    (person,) = rec.data["pose"]
    assert person["label"] == "person"
    assert set(person["points"]) == {"nose", "left_eye", "right_eye"}
    assert_close(person["points"]["nose"], [139.2, 68.36595745, 2])


def test_mixed_shapes_and_loose_keypoints(corpus: Path) -> None:
    (rec,) = read("labelstudio", corpus / "labelstudio/sdk_export_coco_data.json", "ls-mixed")
    assert rec.error is None
    assert [r["label"] for r in rec.data["rects"]] == ["rectangle_label"]
    assert [r["label"] for r in rec.data["polys"]] == ["polygon_label"]
    (marks,) = rec.data["marks"]
    assert marks["label"] == "landmarks" and set(marks["points"]) == {
        "keypoint_label1",
        "keypoint_label2",
    }


def test_rotated_boxes_are_reported(corpus: Path) -> None:
    recs = read("labelstudio", corpus / "labelstudio/sdk_export_yolo_data_obb.json", "ls-detection")
    assert [e[0] for e in errors(recs)] == ["GK806"] * 3
    assert "rotated rectangle" in recs[0].error.message and "22 more" in recs[0].error.message
    assert recs[0].error.location.pointer == "/0/annotations/0/result/0/value/rotation"
    assert recs[2].error.location.line == 576


def test_choices_by_display_name(corpus: Path) -> None:
    (rec,) = read(
        "labelstudio", corpus / "labelstudio/sdk_export_csv_test_history.json", "ls-sentiment"
    )
    assert rec.error is None
    assert rec.data["sentiment"] == "positive"  # "Positive" is the class's name
    assert rec.data["text"].startswith("Calif. wildfires")


def test_chat_results_are_reported(corpus: Path) -> None:
    (rec,) = read(
        "labelstudio", corpus / "labelstudio/sdk_export_json_min_chat_data.json", "ls-sentiment"
    )
    assert rec.error.code == "GK806" and "chat messages" in rec.error.message


# -- the SDK's converter: JSON-MIN written by Label Studio's own code -------------------------------


@pytest.mark.parametrize(
    ("sample", "config", "guideline"),
    [
        ("sdk_export_yolo_data.json", "sdk_export_yolo_label_config.xml", "ls-detection"),
        ("sdk_export_json_min_data.json", "sdk_export_json_min_label_config.xml", "ls-detection"),
        ("sdk_export_coco_data.json", "sdk_export_coco_label_config.xml", "ls-mixed"),
    ],
)
def test_json_min_from_the_sdk_converter(
    corpus: Path, tmp_path: Path, sample: str, config: str, guideline: str
) -> None:
    converter = pytest.importorskip("label_studio_sdk.converter")
    src = corpus / "labelstudio" / sample
    conv = converter.Converter(
        config=(corpus / "labelstudio" / config).read_text(),
        project_dir=str(tmp_path),
        download_resources=False,
    )
    conv.convert(str(src), str(tmp_path / "min"), "JSON_MIN", is_dir=False)
    from_min = read("labelstudio-min", tmp_path / "min" / "result.json", guideline)
    from_json = read("labelstudio", src, guideline)
    assert errors(from_min) == []

    def key(r: Any) -> tuple[Any, ...]:
        return (r.data["image_id"], r.data.get("annotator"), r.data.get("created_at"))

    # same records (the converter sorts annotations newest first), same labels and coordinates
    a = sorted(from_min, key=key)
    b = sorted(from_json, key=key)
    assert [key(r) for r in a] == [key(r) for r in b]
    for x, y in zip(a, b, strict=True):
        for task in fixture(guideline).tasks:
            assert_close(x.data.get(task), y.data.get(task))


# -- malformed exports -------------------------------------------------------------------------------


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[\n  {"id": 1, "data": {}},\n  {"id": 2 "data": {}}\n]\n', encoding="utf-8")
    with pytest.raises(GuidekitError) as exc:
        read("labelstudio", path, "ls-detection")
    (d,) = exc.value.diagnostics
    assert d.check_tuple() == ("GK801", 3, 12)
    assert "delimiter" in d.message


def test_not_a_list(tmp_path: Path) -> None:
    with pytest.raises(GuidekitError) as exc:
        read("labelstudio", write(tmp_path, "text"), "ls-detection")
    assert exc.value.diagnostics[0].code == "GK801"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GuidekitError) as exc:
        read("labelstudio", tmp_path / "nope.json", "ls-detection")
    assert exc.value.diagnostics[0].code == "GK801"


def _task(result: Any, **ann: Any) -> dict[str, Any]:
    return {
        "id": 7,
        "data": {"image": "a.png"},
        "annotations": [{"id": 1, "result": result, **ann}],
    }


def _rect(label: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": "r1",
        "type": "rectanglelabels",
        "from_name": "label",
        "to_name": "image",
        "original_width": 200,
        "original_height": 100,
        "value": {
            "x": 10,
            "y": 20,
            "width": 30,
            "height": 40,
            "rotation": 0,
            "rectanglelabels": [label],
        },
        **extra,
    }


def test_items_that_are_not_tasks(tmp_path: Path) -> None:
    recs = read("labelstudio", write(tmp_path, [42, {"id": 1}, _task("nope")]), "ls-detection")
    assert [(r.error.code, r.error.location.pointer) for r in recs] == [
        ("GK802", "/0"),
        ("GK802", "/1"),
        ("GK802", "/2/annotations/0/result"),
    ]
    assert recs[0].data is None and recs[0].error.location.line == 2


def test_unmapped_label_is_kept_and_reported(tmp_path: Path) -> None:
    (rec,) = read("labelstudio", write(tmp_path, [_task([_rect("Truck")])]), "ls-detection")
    assert rec.error.code == "GK803"
    assert rec.error.location.pointer == "/0/annotations/0/result/0/value/rectanglelabels/0"
    assert "'Truck'" in rec.error.message and "aliases" in rec.error.hint
    assert rec.data["objects"] == [{"label": "Truck", "bbox": [20, 20, 60, 40]}]


def test_alias_maps_to_the_class(tmp_path: Path) -> None:
    (rec,) = read("labelstudio", write(tmp_path, [_task([_rect("butterfly")])]), "ls-detection")
    assert rec.error is None and rec.data["objects"][0]["label"] == "Butterfly"


def test_unknown_image_size(tmp_path: Path) -> None:
    r = _rect("Car")
    del r["original_width"], r["original_height"]
    (rec,) = read("labelstudio", write(tmp_path, [_task([r])]), "ls-detection")
    assert rec.error.code == "GK807"
    assert "objects" not in rec.data or rec.data["objects"] == []


def test_control_without_task(tmp_path: Path) -> None:
    result = [
        {
            "id": "t",
            "type": "textarea",
            "from_name": "comment",
            "to_name": "image",
            "value": {"text": ["hi"]},
        }
    ]
    (rec,) = read("labelstudio", write(tmp_path, [_task(result)]), "ls-detection")
    assert rec.error.code == "GK804" and "'comment'" in rec.error.message


def test_cancelled_annotation_is_a_skipped_record(tmp_path: Path) -> None:
    (rec,) = read(
        "labelstudio",
        write(tmp_path, [_task([], was_cancelled=True, completed_by=3)]),
        "ls-detection",
    )
    assert rec.error is None
    assert rec.data == {
        "image_id": 7,
        "annotator": "3",
        "skip": "cancelled",
        "image": {"path": "a.png"},
    }


def test_task_without_annotations(tmp_path: Path) -> None:
    (rec,) = read(
        "labelstudio",
        write(tmp_path, [{"id": 3, "data": {"image": "b.png"}, "annotations": []}]),
        "ls-detection",
    )
    assert rec.error is None and rec.data == {"image_id": 3, "image": {"path": "b.png"}}


def test_json_min_malformed_item(tmp_path: Path) -> None:
    path = write(tmp_path, [{"id": 1, "image": "a.png", "label": [{"foo": 1}]}, "x"])
    recs = read("labelstudio-min", path, "ls-detection")
    assert (recs[0].error.code, recs[0].error.location.pointer) == ("GK802", "/0/label/0")
    assert (recs[1].error.code, recs[1].error.location.pointer) == ("GK802", "/1")


def test_controls_option_names_the_task(tmp_path: Path) -> None:
    result = [
        {
            "id": "c",
            "type": "choices",
            "from_name": "q",
            "to_name": "body",
            "value": {"choices": ["low"]},
        }
    ]
    path = write(tmp_path, [{"id": 1, "data": {"body": "hi"}, "annotations": [{"result": result}]}])
    (rec,) = read("labelstudio", path, "all-types")
    assert rec.data["urgency"] == "low"  # the only task whose classes hold the label
    (rec,) = read("labelstudio", path, "all-types", controls="q=tags")
    assert rec.data["tags"] == ["low"] and rec.error.code == "GK803"
    with pytest.raises(GuidekitError) as exc:
        read("labelstudio", path, "all-types", controls="q=nope")
    assert exc.value.diagnostics[0].code == "GK805"
