"""Files written by Label Studio's own converters (label-studio-sdk) read by guidekit.

Two directions: the SDK's export samples converted by the SDK to COCO, YOLO and Pascal VOC
must read to the same labels and coordinates as the Label Studio JSON they came from; and
records guidekit writes as Label Studio JSON, with the config guidekit generates, must go
through the SDK's converters (COCO, CoNLL) and read back to the same records.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from guidekit.bridges import READERS, WRITERS
from guidekit.bridges.labelstudio import labelstudio_config

from .conftest import assert_close, errors, example, example_records, fixture

converter = pytest.importorskip("label_studio_sdk.converter")


def convert(config: str, source: Path, fmt: str, out: Path) -> Path:
    conv = converter.Converter(config=config, project_dir=str(out.parent), download_resources=False)
    conv.convert(str(source), str(out), fmt, is_dir=False)
    return out


def shapes(records: list[Any], task: str, nd: int = 3) -> Counter[tuple[Any, ...]]:
    """Every region of ``task`` as (label, rounded coordinates), counted."""
    out: Counter[tuple[Any, ...]] = Counter()
    for r in records:
        for region in r.data.get(task) or []:
            coords = region.get("bbox") or [v for p in region.get("points", []) for v in p]
            out[(region["label"], *(round(v, nd) for v in coords))] += 1
    return out


def test_coco_from_the_sdk(corpus: Path, tmp_path: Path) -> None:
    src = corpus / "labelstudio/sdk_export_yolo_data.json"
    out = convert(
        (corpus / "labelstudio/sdk_export_yolo_label_config.xml").read_text(),
        src,
        "COCO",
        tmp_path / "coco",
    )
    from_coco = list(READERS["coco"](out / "result.json", fixture("ls-detection")))
    from_json = list(READERS["labelstudio"](src, fixture("ls-detection")))
    assert errors(from_coco) == [] and len(from_coco) == len(from_json) == 3
    assert sum(shapes(from_coco, "objects").values()) == 6
    assert shapes(from_coco, "objects", 2) == shapes(from_json, "objects", 2)


def test_coco_polygons_from_the_sdk(corpus: Path, tmp_path: Path) -> None:
    src = corpus / "labelstudio/sdk_export_coco_data.json"
    out = convert(
        (corpus / "labelstudio/sdk_export_coco_label_config.xml").read_text(),
        src,
        "COCO",
        tmp_path / "coco",
    )
    (from_coco,) = READERS["coco"](out / "result.json", fixture("ls-mixed"), keypoints_task="marks")
    (from_json,) = READERS["labelstudio"](src, fixture("ls-mixed"))
    assert shapes([from_coco], "polys") == shapes([from_json], "polys")
    assert shapes([from_coco], "rects") == shapes([from_json], "rects")


def test_yolo_from_the_sdk(corpus: Path, tmp_path: Path) -> None:
    src = corpus / "labelstudio/sdk_export_yolo_data.json"
    out = convert(
        (corpus / "labelstudio/sdk_export_yolo_label_config.xml").read_text(),
        src,
        "YOLO",
        tmp_path / "yolo",
    )
    g = fixture("ls-detection-frac")
    from_yolo = list(READERS["yolo"](out, g))
    from_json = list(READERS["labelstudio"](src, g))
    assert errors(from_yolo) == []
    # YOLO keeps one label file per image: the converter writes the last annotation of each
    by_image = {r.data["image_id"]: r for r in from_yolo}
    assert len(by_image) == 2
    assert shapes(from_yolo, "objects", 6) <= shapes(from_json, "objects", 6)
    assert sum(shapes(from_yolo, "objects").values()) == 4


def test_voc_from_the_sdk(corpus: Path, tmp_path: Path) -> None:
    src = corpus / "labelstudio/sdk_export_csv_test.json"
    config = "<View><Image name='image' value='$image'/><RectangleLabels name='label' toName='image'><Label value='Car'/></RectangleLabels></View>"
    out = convert(config, src, "VOC", tmp_path / "voc")
    from_voc = list(READERS["voc"](out, fixture("ls-detection")))
    from_json = list(READERS["labelstudio"](src, fixture("ls-detection")))
    assert errors(from_voc) == [] and len(from_voc) == 2
    # VOC holds whole pixels: the converter rounds, so compare to a pixel
    voc = sorted(b for r in from_voc for b in (o["bbox"] for o in r.data["objects"]))
    ls = sorted(b for r in from_json for b in (o["bbox"] for o in r.data["objects"]))
    assert len(voc) == len(ls) == 3
    for a, b in zip(voc, ls, strict=True):
        assert all(abs(x - y) <= 1.0 for x, y in zip(a, b, strict=True))


def test_our_json_through_the_sdk_to_conll(tmp_path: Path) -> None:
    g = fixture("conll-ner")
    records = [
        {
            "sentence_id": "s1",
            "sentence": "Sebastian Thrun joined Google in 2007 .",
            "entities": [
                {"start": 0, "end": 15, "label": "PERSON"},
                {"start": 23, "end": 29, "label": "ORG"},
                {"start": 33, "end": 37, "label": "DATE"},
            ],
        },
        {
            "sentence_id": "s2",
            "sentence": "Recode met American executives",
            "entities": [
                {"start": 0, "end": 6, "label": "ORG"},
                {"start": 11, "end": 19, "label": "NORP"},
            ],
        },
    ]
    WRITERS["labelstudio"](records, g, tmp_path / "ls.json")
    out = convert(labelstudio_config(g), tmp_path / "ls.json", "CONLL2003", tmp_path / "conll")
    back = list(READERS["conll"](out / "result.conll", g))
    assert errors(back) == []
    got = [
        [(r.data["sentence"][s["start"] : s["end"]], s["label"]) for s in r.data["entities"]]
        for r in back
    ]
    want = [
        [(r["sentence"][s["start"] : s["end"]], s["label"]) for s in r["entities"]] for r in records
    ]
    assert got == want


def test_our_json_through_the_sdk_to_coco(tmp_path: Path) -> None:
    g = example("retail-products")
    records = [r for r in example_records(g, own_images=True) if r.get("products")]
    assert records
    WRITERS["labelstudio"](records, g, tmp_path / "ls.json")
    out = convert(labelstudio_config(g), tmp_path / "ls.json", "COCO", tmp_path / "coco")
    back = list(READERS["coco"](out / "result.json", g))
    assert len(back) == len(records)
    for rec, original in zip(back, records, strict=True):
        assert [b["label"] for b in rec.data["products"]] == [
            b["label"] for b in original["products"]
        ]
        for b, o in zip(rec.data["products"], original["products"], strict=True):
            assert_close(b["bbox"], o["bbox"], 1e-6)


def test_our_json_validates_against_our_config(tmp_path: Path) -> None:
    """Label Studio's own annotation validator accepts what guidekit writes."""
    LabelInterface = pytest.importorskip("label_studio_sdk.label_interface").LabelInterface
    import json

    g = example("retail-products")
    records = example_records(g, own_images=True)
    WRITERS["labelstudio"](records, g, tmp_path / "ls.json")
    li = LabelInterface(labelstudio_config(g))
    tasks = json.loads((tmp_path / "ls.json").read_text())
    for task in tasks:
        for ann in task["annotations"]:
            ok = li.validate_annotation(ann)
            assert ok, ann
