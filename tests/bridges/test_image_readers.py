"""COCO, YOLO, Pascal VOC and CVAT XML readers on Datumaro's and Label Studio's test files,
and on malformed files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from guidekit.bridges import READERS
from guidekit.errors import GuidekitError

from .conftest import assert_close, errors, fixture


def read(fmt: str, path: Path | str, name: str, **options: Any) -> list[Any]:
    return list(READERS[fmt](path, fixture(name), **options))


# -- COCO ------------------------------------------------------------------------------------------


def test_coco_detection(corpus: Path) -> None:
    (rec,) = read("coco", corpus / "coco/datumaro_instances_train.json", "coco-abc")
    assert rec.error is None and rec.line == 35
    assert rec.data == {
        "image_id": "a",
        "image": {"path": "a.jpg", "width": 10, "height": 5},
        "boxes": [{"label": "b", "bbox": [2, 2, 3, 1]}],
        "masks": [],
    }


def test_coco_roboflow_naming(corpus: Path) -> None:
    (rec,) = read("coco", corpus / "coco/datumaro_roboflow__annotations.coco.json", "coco-abc")
    assert rec.error is None and rec.data["boxes"] == [{"label": "b", "bbox": [2, 2, 3, 1]}]


def test_coco_segmentation_polygon_and_rle(corpus: Path) -> None:
    (rec,) = read("coco", corpus / "coco/datumaro_instances_val.json", "coco-abc")
    assert rec.data["masks"] == [
        {
            "label": "a",
            "points": [[0, 0], [1, 0], [1, 2], [0, 2]],
            "attributes": {"x": 1, "y": "hello"},
        }
    ]
    assert rec.error.code == "GK806" and "RLE" in rec.error.message
    assert (rec.error.location.line, rec.error.location.pointer) == (
        76,
        "/annotations/1/segmentation",
    )


def test_coco_keypoints_named_by_the_skeleton(corpus: Path) -> None:
    (rec,) = read("coco", corpus / "coco/datumaro_person_keypoints_val.json", "coco-keypoints")
    assert rec.error is None
    assert rec.data["pose"][1] == {
        "label": "b",
        "points": {"p1": [2, 4, 2], "p2": [4, 4, 2], "p3": [4, 2, 2]},
    }


def test_coco_image_labels(corpus: Path) -> None:
    (rec,) = read("coco", corpus / "coco/datumaro_labels_val.json", "coco-abc")
    assert rec.error is None and rec.data["tags"] == ["a", "b"]


def test_coco_unsupported_variants(corpus: Path) -> None:
    (pan,) = read("coco", corpus / "coco/datumaro_panoptic_val.json", "coco-abc")
    assert pan.error.code == "GK806" and "panoptic" in pan.error.message


def test_coco_relaxed_in_fractions(corpus: Path) -> None:
    recs = read("coco", corpus / "coco/datumaro_relaxed_coco_annotations.json", "numbered")
    assert errors(recs) == []
    assert_close(
        [r.data["objects"] for r in recs],
        [
            [{"label": "label_0", "bbox": [0.2, 0.2, 0.3, 0.2]}],
            [{"label": "label_1", "bbox": [0, 0, 0.2, 0.8]}],
        ],
    )


def test_coco_malformed(tmp_path: Path) -> None:
    doc = {
        "images": [{"id": 1, "file_name": "x.jpg", "width": 10, "height": 10}],
        "categories": [{"id": 1, "name": "a"}, {"id": 2, "name": "zebra"}],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 2, "bbox": [1, 1, 2, 2]},
            {"id": 2, "image_id": 1, "category_id": 1, "bbox": [1, 1]},
            {"id": 3, "image_id": 9, "category_id": 1, "bbox": [1, 1, 2, 2]},
        ],
    }
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    recs = read("coco", path, "coco-abc")
    assert (
        recs[0].error.code == "GK803"
        and "zebra" in recs[0].error.message
        and "1 more" in recs[0].error.message
    )
    assert recs[0].data["boxes"] == [{"label": "zebra", "bbox": [1, 1, 2, 2]}]
    assert (recs[1].error.code, recs[1].error.location.pointer) == (
        "GK802",
        "/annotations/2/image_id",
    )
    assert recs[1].data is None
    path.write_text('{"images": 3}', encoding="utf-8")
    with pytest.raises(GuidekitError) as exc:
        read("coco", path, "coco-abc")
    assert exc.value.diagnostics[0].code == "GK801"


# -- YOLO ------------------------------------------------------------------------------------------


def test_yolo_darknet_layout(corpus: Path) -> None:
    (rec,) = read("yolo", corpus / "yolo/datumaro_strict", "numbered")
    assert rec.error is None
    assert rec.file.endswith("datumaro_strict/obj_train_data/1.txt")
    # cx 0.133333 - w/2 0.1333335 is a hair below 0: snapped onto the border
    assert_close(
        rec.data["objects"],
        [
            {"label": "label_2", "bbox": [0, 0.2, 0.2666665, 0.2]},
            {"label": "label_4", "bbox": [0.2000005, 0.3, 0.133333, 0.3]},
        ],
    )


def test_yolo_label_studio_sdk_sample(corpus: Path) -> None:
    recs = read("yolo", corpus / "yolo/labelstudio_sdk", "yolo-doors")
    assert [r.data["image_id"] for r in recs] == [f"img_{i}" for i in range(1, 8)]
    assert errors(recs) == []
    # pixels from the guideline's fixed 640 x 480 image size, boxes as xyxy
    assert_close(
        recs[0].data["objects"][0], {"label": "bus", "bbox": [10, 13.13069909, 627, 430.3951368]}
    )


def test_yolo_single_file_needs_a_class_list(corpus: Path) -> None:
    with pytest.raises(GuidekitError) as exc:
        read("yolo", corpus / "yolo/datumaro_relaxed_1.txt", "numbered")
    assert exc.value.diagnostics[0].code == "GK801"
    (rec,) = read(
        "yolo",
        corpus / "yolo/datumaro_relaxed_1.txt",
        "numbered",
        classes=corpus / "yolo/datumaro_strict/obj.names",
    )
    assert [o["label"] for o in rec.data["objects"]] == ["label_2", "label_4"]


def test_yolo_images_give_sizes_and_background(tmp_path: Path) -> None:
    from PIL import Image

    def write_png(path: Path, width: int, height: int, colour: tuple[int, int, int]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (width, height), colour).save(path)

    (tmp_path / "labels" / "train").mkdir(parents=True)
    (tmp_path / "classes.txt").write_text("bus\nnumber\n", encoding="utf-8")
    (tmp_path / "labels" / "train" / "a.txt").write_text("0 0.5 0.5 0.5 0.5\n", encoding="utf-8")
    write_png(tmp_path / "images" / "train" / "a.png", 200, 100, (0, 0, 0))
    write_png(tmp_path / "images" / "train" / "b.png", 20, 10, (0, 0, 0))
    g = fixture("yolo-doors")
    recs = list(READERS["yolo"](tmp_path, g))
    assert [r.data for r in recs] == [
        {
            "image_id": "a",
            "image": {"path": "images/train/a.png", "width": 200, "height": 100},
            "objects": [{"label": "bus", "bbox": [50, 25, 150, 75]}],
        },
        {
            "image_id": "b",
            "image": {"path": "images/train/b.png", "width": 20, "height": 10},
            "objects": [],
        },
    ]


def test_yolo_malformed_lines(tmp_path: Path) -> None:
    (tmp_path / "classes.txt").write_text("bus\n", encoding="utf-8")
    (tmp_path / "x.txt").write_text(
        "0 0.5 0.5 0.2 0.2\nbus 0.1 0.1 0.1 0.1\n0 0.5 0.5\n7 0.5 0.5 0.1 0.1\n", encoding="utf-8"
    )
    (rec,) = read("yolo", tmp_path, "yolo-doors")
    assert rec.error.code == "GK802" and rec.error.location.line == 2
    assert "2 more" in rec.error.message
    assert [o["label"] for o in rec.data["objects"]] == ["bus", "7"]


def test_yolo_pixels_without_size(tmp_path: Path) -> None:
    (tmp_path / "classes.txt").write_text("a\n", encoding="utf-8")
    (tmp_path / "x.txt").write_text("0 0.5 0.5 0.2 0.2\n", encoding="utf-8")
    (rec,) = read("yolo", tmp_path, "coco-abc")
    assert rec.error.code == "GK807"


# -- Pascal VOC ------------------------------------------------------------------------------------


def test_voc_flags_parts_and_actions(corpus: Path) -> None:
    (rec,) = read("voc", corpus / "voc/datumaro_voc1", "voc-objects")
    cat, person = rec.data["objects"]
    assert cat == {"label": "cat", "bbox": [1, 2, 3, 4], "attributes": {"truncated": True}}
    assert person["bbox"] == [4, 5, 6, 7]
    # actions the guideline does not declare are kept when set, for the validator to report
    assert person["attributes"] == {
        a: True for a in ("other", "phoning", "reading", "ridinghorse", "takingphoto", "walking")
    }
    assert rec.error.code == "GK804" and "part box 'head'" in rec.error.message
    assert rec.error.location.line == 31


def test_voc_without_size_and_single_file(corpus: Path) -> None:
    (rec,) = read("voc", corpus / "voc/datumaro_voc2", "voc-objects")
    assert rec.error is None
    assert rec.data == {
        "image_id": "a",
        "image": {"path": "a.jpg"},
        "objects": [
            {"label": "background", "bbox": [1, 2, 4, 6], "attributes": {"occluded": True}}
        ],
    }
    (rec,) = read("voc", corpus / "voc/datumaro_relaxed_voc_2007_000001.xml", "voc-objects")
    assert rec.error is None and [o["label"] for o in rec.data["objects"]] == ["cat", "person"]


def test_voc_malformed(tmp_path: Path) -> None:
    (tmp_path / "Annotations").mkdir()
    (tmp_path / "Annotations" / "a.xml").write_text(
        "<annotation><object><name>cat</name>\n<bndbox><xmin>1</xmin></bndbox></object></annotation>",
        encoding="utf-8",
    )
    (tmp_path / "Annotations" / "b.xml").write_text(
        "<annotation>\n<object>\n</annotation>", encoding="utf-8"
    )
    (tmp_path / "Annotations" / "c.xml").write_text(
        '<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<annotation/>', encoding="utf-8"
    )
    a, b, c = read("voc", tmp_path, "voc-objects")
    assert (a.error.code, a.error.location.line) == ("GK802", 1)
    assert (b.error.code, b.error.location.line, b.data) == ("GK802", 3, None)
    assert c.error.code == "GK802" and "DTD" in c.error.message


# -- CVAT XML --------------------------------------------------------------------------------------


def test_cvat_task_export(corpus: Path) -> None:
    img0, img1 = read("cvat", corpus / "cvat/datumaro_export_task_train.xml", "cvat-labels")
    assert img0.data["boxes"] == [
        {
            "label": "label1",
            "bbox": [0, 2, 4, 2],
            "attributes": {"occluded": True, "a1": True, "a2": "v3", "a3": "0003", "a4": 2.4},
        }
    ]
    assert (
        img0.error.code == "GK806"
        and "polyline" in img0.error.message
        and img0.error.location.line == 50
    )
    # an empty label is kept and reported; points that are no skeleton are reported
    assert img1.data["regions"] == [{"label": "", "points": [[1, 2], [3, 4], [6, 5]]}]
    assert img1.error.code == "GK803" and "1 more" in img1.error.message


def test_cvat_project_export_splits(corpus: Path) -> None:
    recs = read("cvat", corpus / "cvat/datumaro_export_project_annotations.xml", "cvat-labels")
    assert [(r.data["image_id"], r.data["split"]) for r in recs] == [
        ("Test/img0", "test"),
        ("Test/img1", "test"),
        ("Train/img0", "train"),
        ("Train/img1", "train"),
        ("Validation/img0", "validation"),
        ("Validation/img1", "validation"),
    ]


def test_cvat_video_is_reported(corpus: Path) -> None:
    recs = read("cvat", corpus / "cvat/datumaro_for_video_annotations.xml", "cvat-labels")
    assert [(r.error.code, r.error.location.line, r.data) for r in recs] == [
        ("GK806", 70, None),
        ("GK806", 78, None),
        ("GK806", 86, None),
    ]


def test_cvat_not_xml(tmp_path: Path) -> None:
    path = tmp_path / "a.xml"
    path.write_text("<annotations>\n<image name='a'>\n</annotations>", encoding="utf-8")
    with pytest.raises(GuidekitError) as exc:
        read("cvat", path, "cvat-labels")
    assert exc.value.diagnostics[0].check_tuple()[:2] == ("GK801", 3)


def test_folder_formats_accept_copies(corpus: Path, tmp_path: Path) -> None:
    shutil.copytree(corpus / "voc/datumaro_voc1", tmp_path / "voc")
    (rec,) = read("voc", tmp_path / "voc", "voc-objects")
    assert rec.file == f"{tmp_path / 'voc'}/Annotations/2007_000001.xml"
