"""COCO as published: RLE masks beside boxes, iscrowd, and hostile files, from the command
line (``guidekit validate GUIDE export.json --input-format coco``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guidekit.bridges import READERS, WRITERS
from guidekit.bridges._rle import BadRLE, measure
from guidekit.cli import main

from .conftest import FIXTURES, fixture

CROWD = FIXTURES / "coco-crowd"


def encode(counts: list[int]) -> str:
    """COCO's compressed RLE string (``rleToString`` of its C API), to test the decoder."""
    out = []
    for i, x in enumerate(counts):
        if i > 2:
            x -= counts[i - 2]
        more = True
        while more:
            c = x & 0x1F
            x >>= 5
            more = x != -1 if c & 0x10 else x != 0
            if more:
                c |= 0x20
            out.append(chr(c + 48))
    return "".join(out)


def validate(
    tmp_path: Path, guide: Path, doc: dict[str, Any] | str, *extra: str
) -> tuple[int, dict[str, Any]]:
    path = tmp_path / "export.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, indent=1), encoding="utf-8")
    out = tmp_path / "report.json"
    code = main(
        [
            *("validate", str(guide), str(path), "--input-format", "coco", "--format", "json"),
            *("-o", str(out), "--no-progress", *extra),
        ]
    )
    return code, json.loads(out.read_text(encoding="utf-8"))


def findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [ex for g in report["groups"] for ex in g["examples"]]


# -- RLE without pycocotools -----------------------------------------------------------------------


def test_rle_area_and_bounds_uncompressed() -> None:
    # 4 rows x 3 columns, column-major: column 0 rows 2-3, column 1 rows 0-1
    mask = measure({"size": [4, 3], "counts": [2, 4, 6]})
    assert (mask.compressed, mask.area, mask.bounds) == (False, 4, [0, 0, 2, 4])
    assert measure({"size": [4, 3], "counts": [1, 1, 10]}).bounds == [0, 1, 1, 1]
    assert measure({"size": [4, 3], "counts": [12]}).bounds is None


@pytest.mark.parametrize("counts", [[2, 4, 6], [0, 12], [5, 1, 1, 1, 1, 3], [300, 7000, 2700]])
def test_rle_compressed_is_the_same_mask(counts: list[int]) -> None:
    h = 100 if sum(counts) == 10000 else 4
    plain = measure({"size": [h, sum(counts) // h], "counts": counts})
    packed = measure({"size": [h, sum(counts) // h], "counts": encode(counts)})
    assert packed.compressed and (packed.area, packed.bounds) == (plain.area, plain.bounds)


def test_rle_malformed() -> None:
    for seg in (
        {"size": [4, 3], "counts": [2, 4]},  # covers 6 of 12 pixels
        {"size": [4], "counts": [12]},
        {"size": [4, 3], "counts": "\x7f"},
        {"size": [4, 3], "counts": 12},
    ):
        with pytest.raises(BadRLE):
            measure(seg)


# -- the command line ------------------------------------------------------------------------------

IMAGES = [
    {"id": 1, "file_name": "img/one.jpg", "width": 100, "height": 50},
    {"id": 2, "file_name": "img/two.jpg", "width": 100, "height": 50},
]
CATS = [{"id": 1, "name": "person"}, {"id": 7, "name": "car"}]


def test_boxes_are_read_beside_rle_masks(tmp_path: Path) -> None:
    """A published ground truth: every annotation has an RLE mask, crowd or not."""
    anns = [
        {
            "id": 10,
            "image_id": 1,
            "category_id": 1,
            "bbox": [10, 5, 20, 10],
            "iscrowd": 1,
            "segmentation": {"size": [50, 100], "counts": encode([505, 10, 4485])},
        },
        {
            "id": 11,
            "image_id": 2,
            "category_id": 7,
            "bbox": [0, 0, 1, 5],
            "iscrowd": 0,
            "segmentation": {"size": [50, 100], "counts": [0, 5, 4995]},
        },
    ]
    doc = {"images": IMAGES, "categories": CATS, "annotations": anns}
    split = tmp_path / "split"
    code, report = validate(tmp_path, CROWD, doc, "--split", str(split))
    assert code == 0 and report["accepted_records"] == 2
    notes = findings(report)
    assert {n["code"] for n in notes} == {"GK815"}
    one = next(n for n in notes if n["location"]["pointer"] == "/annotations/0/segmentation")
    assert "1 compressed" in one["message"] and "10 px in [10, 5, 1, 10]" in one["message"]
    assert "iscrowd" not in one["message"]
    accepted = [
        json.loads(line)
        for line in (split / "accepted.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    boxes = {r["image_id"]: r["boxes"] for r in accepted}
    assert boxes == {
        "one": [{"label": "person", "bbox": [10, 5, 20, 10], "attributes": {"iscrowd": True}}],
        "two": [{"label": "car", "bbox": [0, 0, 1, 5]}],
    }


def test_iscrowd_the_class_cannot_carry_is_a_note(tmp_path: Path) -> None:
    anns = [{"id": 1, "image_id": 1, "category_id": 7, "bbox": [1, 1, 2, 2], "iscrowd": 1}]
    code, report = validate(
        tmp_path, CROWD, {"images": IMAGES[:1], "categories": CATS, "annotations": anns}
    )
    assert code == 0
    (note,) = findings(report)
    assert (note["code"], note["severity"], note["location"]["pointer"]) == (
        "GK816",
        "info",
        "/annotations/0/iscrowd",
    )


def test_hostile_file_findings_on_each_annotation(tmp_path: Path) -> None:
    images = [*IMAGES, {"id": 3, "file_name": "three.jpg", "width": 100, "height": 50}]
    text = json.dumps(
        {
            "images": images,
            "categories": CATS,
            "annotations": [
                {"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3, "NAN"]},
                {"id": 1, "image_id": 2, "category_id": 1, "bbox": [1, 2, 3, 4]},
                {"id": 3, "image_id": 3, "category_id": 1, "bbox": [1, 2, 3, 4]},
                {"id": 4, "image_id": 99, "category_id": 1, "bbox": [1, 2, 3, 4]},
                {"id": 5, "image_id": 3, "category_id": 42, "bbox": [1, 2, 3, 4]},
                {"id": 6, "image_id": 3, "category_id": 7, "bbox": [-4, 2, 3, 4]},
                {"id": 7, "image_id": 3, "category_id": 7, "bbox": [1, 2, "INF", 4]},
                {
                    "id": 8,
                    "image_id": 3,
                    "category_id": 7,
                    "bbox": [1, 2, 3, 4],
                    "segmentation": {"size": [50, 100], "counts": [1, 2]},
                },
            ],
        },
        indent=1,
    )
    # NaN and Infinity as Python's json and many exporters write them
    text = text.replace('"NAN"', "NaN").replace('"INF"', "Infinity")
    code, report = validate(tmp_path, CROWD, text)
    assert code == 1
    assert report["records"] == 4  # three images and the orphan annotation: the file was read
    messages = {n["location"]["pointer"]: n["message"] for n in findings(report)}
    assert "bbox[3] is nan" in messages["/annotations/0/bbox/3"]
    assert "annotation id 1 is also the id of /annotations/0" in messages["/annotations/1/id"]
    assert "image id 99" in messages["/annotations/3/image_id"]
    # image 3: one record, its first finding located, the others counted in the message
    three = messages["/annotations/4/category_id"]
    assert "category_id 42" in three and "and 3 more" in three
    assert "bbox[0] is negative (-4)" in three and "bbox[2] is inf" in three
    assert "malformed RLE mask" in three


def test_corpus_rle_annotation_keeps_its_box(corpus: Path) -> None:
    """Datumaro's instances file: a crowd RLE mask on a guideline with a polygon task is
    GK806 (a mask cannot become a polygon), and its box is read all the same."""
    (rec,) = list(READERS["coco"](corpus / "coco/datumaro_instances_val.json", fixture("coco-abc")))
    assert rec.data["boxes"] == [{"label": "b", "bbox": [0, 0, 1, 9]}]
    assert rec.error.code == "GK806"
    assert "1 uncompressed" in rec.error.message and "20 px in [0, 0, 2, 10]" in rec.error.message


@pytest.mark.parametrize(
    "name",
    ["datumaro_instances_val.json", "datumaro_stuff_val.json", "datumaro_instances_train.json"],
)
def test_corpus_files_from_the_command_line(corpus: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / "r.json"
    code = main(
        [
            *("validate", str(FIXTURES / "coco-abc"), str(corpus / "coco" / name)),
            *("--input-format", "coco", "--format", "json", "-o", str(out), "--no-progress"),
        ]
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    assert code in (0, 1) and report["records"] == 1
    if name != "datumaro_instances_train.json":  # these carry an RLE mask: reported, counted
        assert any("RLE mask" in n["message"] for n in findings(report))


def test_iscrowd_round_trip(tmp_path: Path) -> None:
    g = fixture("coco-crowd")
    rec = {
        "image_id": "one",
        "image": {"path": "one.jpg", "width": 100, "height": 50},
        "boxes": [
            {"label": "person", "bbox": [1, 2, 3, 4], "attributes": {"iscrowd": True}},
            {"label": "car", "bbox": [5, 6, 7, 8]},
        ],
    }
    out = tmp_path / "coco.json"
    WRITERS["coco"]([rec], g, out)
    anns = json.loads(out.read_text(encoding="utf-8"))["annotations"]
    assert [a["iscrowd"] for a in anns] == [1, 0] and all("attributes" not in a for a in anns)
    (back,) = list(READERS["coco"](out, g))
    assert back.error is None and back.data["boxes"] == rec["boxes"]


def test_a_note_met_first_does_not_hide_a_later_error_on_the_same_image(tmp_path: Path) -> None:
    """A crowd flag the class cannot carry (GK816, info) came first on the image, so the
    record's finding took its severity and a NaN box after it was accepted as a note."""
    anns = [
        {"id": 10, "image_id": 1, "category_id": 7, "bbox": [10, 5, 20, 10], "iscrowd": 1},
        {"id": 11, "image_id": 1, "category_id": 7, "bbox": [0, 0, 1, 5]},
    ]
    doc = json.dumps({"images": IMAGES[:1], "categories": CATS, "annotations": anns})
    doc = doc.replace("[0, 0, 1, 5]", "[NaN, 0, 1, 5]")
    code, report = validate(tmp_path, CROWD, doc)
    assert code == 1 and report["rejected_records"] == 1
    first = findings(report)[0]
    assert first["code"] == "GK802" and first["severity"] == "error"
    assert "iscrowd" in first["message"]  # the note is still told, after the error


def test_the_most_severe_problem_leads_a_records_finding() -> None:
    """Whatever the order a reader meets them in (the COCO reader happens to meet errors
    first; a reader that does not must not report an error as a note)."""
    from guidekit.bridges._common import RecordBuilder

    b = RecordBuilder("export.json", 3)
    b.problem("GK816", "a flag not carried", "/annotations/0/iscrowd")
    b.problem("GK802", "bbox[0] is nan", "/annotations/1/bbox")
    error = b.error()
    assert error is not None and (error.code, error.severity.value) == ("GK802", "error")
    assert "a flag not carried" in error.message
