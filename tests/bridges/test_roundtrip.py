"""Round trips native -> format -> native keep every label and coordinate.

Records come from the example guidelines' own examples, negatives and edge cases (every one
checked by the compiler), so the round trips cover real label sets, attributes, hierarchies,
relations and coordinates. A record is compared on what the format holds: its id, the tasks
the format carries, image paths, and the metadata formats with a place for it. Coordinates
may differ by float rounding only; attributes equal to their declared default may be left out.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from guidekit import ir
from guidekit.bridges import FOLDER_FORMATS, READERS, WRITERS

from .conftest import assert_close, errors, example, example_records, fixture

REGIONS = ("spans", "bbox", "polygon", "keypoints")
IMAGE = ("bbox", "polygon", "keypoints")
CLASSES = ("single", "multi", "ordinal")


def held(fmt: str, g: ir.Guideline) -> list[str]:
    """The tasks a format carries for this guideline."""
    tasks = list(g.tasks.values())
    one_class = [t.id for t in tasks if t.type in CLASSES]
    one_class = one_class if len(one_class) == 1 else []
    if fmt == "labelstudio":
        return [t.id for t in tasks]
    if fmt == "labelstudio-min":
        return [t.id for t in tasks if t.type != "relations"]
    if fmt == "coco":
        return [t.id for t in tasks if t.type in IMAGE]
    if fmt in ("yolo", "voc"):
        return [t.id for t in tasks if t.type in (IMAGE if fmt == "yolo" else ("bbox",))][:1]
    if fmt == "cvat":
        return [t.id for t in tasks if t.type in IMAGE] + one_class
    if fmt == "conll":
        return [t.id for t in tasks if t.type == "spans"]
    if fmt == "prodigy":
        return [t.id for t in tasks if t.type in ("spans", "bbox", "polygon")] + one_class
    return [t.id for t in tasks if t.type in ("spans", "relations")] + one_class  # doccano, spacy


NO_ATTRIBUTES = ("doccano", "spacy", "conll", "yolo", "prodigy")


def canon(rec: dict[str, Any], g: ir.Guideline, tasks: list[str], fmt: str = "") -> dict[str, Any]:
    """What a record means, on the given tasks: region ids renumbered where relations need
    them (and dropped elsewhere), quoted span text dropped, default attributes dropped (and
    all attributes for formats without them, whose writers say so)."""
    related = {t.over for t in g.tasks.values() if t.type == "relations"}
    out: dict[str, Any] = {}
    renamed: dict[str, dict[str, str]] = {}
    for tid in sorted(tasks, key=lambda t: g.tasks[t].type == "relations"):
        task = g.tasks[tid]
        value = rec.get(tid)
        if value is None or value == []:
            continue
        if task.type in REGIONS:
            items = []
            ids: dict[str, str] = {}
            for k, region in enumerate(value):
                r = {key: v for key, v in region.items() if key not in ("id", "text")}
                if tid in related:
                    r["id"] = ids.setdefault(str(region.get("id", k)), f"#{k}")
                attrs = {
                    name: v
                    for name, v in (region.get("attributes") or {}).items()
                    if v
                    != task.attributes_for(str(region.get("label")))
                    .get(name, ir.Attribute(name, "text"))
                    .default
                }
                r.pop("attributes", None)
                if attrs and fmt not in NO_ATTRIBUTES:
                    r["attributes"] = attrs
                items.append(r)
            renamed[tid] = ids
            out[tid] = items
        elif task.type == "relations":
            ids = renamed.get(task.over or "", {})
            out[tid] = [
                {**r, "from": ids.get(str(r["from"])), "to": ids.get(str(r["to"]))} for r in value
            ]
        else:
            out[tid] = value
    return out


def roundtrip(
    fmt: str, g: ir.Guideline, records: list[dict[str, Any]], tmp_path: Path, **options: Any
) -> list[Any]:
    out = tmp_path / ("out" if fmt in FOLDER_FORMATS else f"out.{fmt}")
    result = WRITERS[fmt](records, g, out, **options)
    assert result.records == len(records), [d.message for d in result.diagnostics]
    assert [d for d in result.diagnostics if d.code == "GK809"] == []
    back = list(READERS[fmt](out, g, **options))
    assert errors(back) == []
    return back


CASES = [
    ("labelstudio", "support-tickets"),
    ("labelstudio", "clinical-notes"),
    ("labelstudio", "retail-products"),
    ("labelstudio", "manufacturing-defects"),
    ("labelstudio-min", "support-tickets"),
    ("labelstudio-min", "retail-products"),
    ("labelstudio-min", "manufacturing-defects"),
    ("doccano", "support-tickets"),
    ("doccano", "clinical-notes"),
    ("spacy", "support-tickets"),
    ("spacy", "clinical-notes"),
    ("prodigy", "support-tickets"),
    ("prodigy", "clinical-notes"),
    ("prodigy", "retail-products"),
    ("prodigy", "manufacturing-defects"),
    ("coco", "retail-products"),
    ("coco", "manufacturing-defects"),
    ("yolo", "retail-products"),
    ("yolo", "manufacturing-defects"),
    ("voc", "retail-products"),
    ("cvat", "retail-products"),
    ("cvat", "manufacturing-defects"),
]


@pytest.mark.parametrize(("fmt", "name"), CASES)
def test_roundtrip_of_example_records(fmt: str, name: str, tmp_path: Path) -> None:
    g = example(name)
    image = fmt in ("coco", "yolo", "voc", "cvat")
    records = example_records(g, own_images=image)
    m = g.delivery.metadata
    for k, rec in enumerate(records):
        rec[m.annotator] = f"vendor-{k % 3}"
        rec[m.created_at] = f"2025-01-{k % 28 + 1:02d}T10:00:00Z"
    back = roundtrip(fmt, g, records, tmp_path)
    assert len(back) == len(records)
    tasks = held(fmt, g)
    assert tasks
    for rec, original in zip(back, records, strict=True):
        assert rec.data[g.delivery.id] == original[g.delivery.id]
        assert_close(canon(rec.data, g, tasks, fmt), canon(original, g, tasks, fmt))
        for name_, spec in g.record.fields.items():
            if spec.type == "image" and fmt != "yolo":
                assert rec.data[name_]["path"] == original[name_]["path"]
            if spec.type == "text" and any(g.tasks[t].over == name_ for t in tasks):
                assert rec.data[name_] == original[name_]
        if fmt in ("labelstudio", "labelstudio-min", "coco", "doccano", "spacy", "prodigy"):
            assert rec.data[m.annotator] == original[m.annotator]
            assert rec.data[m.created_at] == original[m.created_at]


@pytest.mark.parametrize("name", ["support-tickets", "clinical-notes"])
def test_conll_roundtrip_keeps_spans(name: str, tmp_path: Path) -> None:
    """CoNLL keeps tokens, not text: labels and the text under each span survive; offsets
    move where whitespace or punctuation next to a span is re-tokenised."""
    g = example(name)
    records = [r for r in example_records(g) if r.get("entities")]
    nested = [r for r in records if _overlaps(r["entities"])]
    result = WRITERS["conll"](nested, g, tmp_path / "nested.conll")
    assert len([d for d in result.diagnostics if d.code == "GK809"]) >= len(nested)
    records = [r for r in records if r not in nested]
    back = roundtrip("conll", g, records, tmp_path, ids="true")
    for rec, original in zip(back, records, strict=True):
        assert rec.data[g.delivery.id] == original[g.delivery.id]
        text, orig = (
            rec.data["note" if name == "clinical-notes" else "body"],
            original["note" if name == "clinical-notes" else "body"],
        )
        got = [
            (text[s["start"] : s["end"]].replace(" ", ""), s["label"]) for s in rec.data["entities"]
        ]
        want = [
            (orig[s["start"] : s["end"]].replace(" ", ""), s["label"])
            for s in sorted(original["entities"], key=lambda s: s["start"])
        ]
        assert got == want


def _overlaps(spans: list[dict[str, Any]]) -> bool:
    ordered = sorted((s["start"], s["end"]) for s in spans)
    return any(b[0] < a[1] for a, b in itertools.pairwise(ordered))


def test_conll_roundtrip_is_exact_on_tokenised_text(tmp_path: Path) -> None:
    g = fixture("conll-ner")
    records = [
        {
            "sentence_id": "1",
            "sentence": "Sebastian Thrun joined Google in 2007 .",
            "entities": [
                {"start": 0, "end": 15, "label": "PERSON"},
                {"start": 23, "end": 29, "label": "ORG"},
                {"start": 33, "end": 37, "label": "DATE"},
            ],
        }
    ]
    back = roundtrip("conll", g, records, tmp_path)
    assert back[0].data == records[0]


KEYPOINTS = [
    {
        "image_id": "k1",
        "image": {"path": "k1.png", "width": 640, "height": 480},
        "pose": [
            {
                "label": "person",
                "points": {
                    "head": [100.5, 50, 2],
                    "left_hand": [80, 120.25, 1],
                    "right_hand": [0, 0, 0],
                },
            },
            {
                "label": "person",
                "points": {
                    "head": [300, 200, 2],
                    "left_hand": [310, 260, 2],
                    "right_hand": [290, 262, 2],
                },
            },
        ],
    },
]


@pytest.mark.parametrize("fmt", ["coco", "cvat", "yolo"])
def test_keypoints_roundtrip(fmt: str, tmp_path: Path) -> None:
    g = fixture("all-types")
    back = (
        roundtrip(fmt, g, KEYPOINTS, tmp_path, task="pose")
        if fmt == "yolo"
        else roundtrip(fmt, g, KEYPOINTS, tmp_path)
    )
    expected = KEYPOINTS[0]["pose"]
    if fmt == "yolo":  # YOLO keeps no coordinates for an unlabelled point
        expected = [
            {**expected[0], "points": {**expected[0]["points"], "right_hand": [0, 0, 0]}},
            expected[1],
        ]
    assert_close(back[0].data["pose"], expected)


def test_keypoints_in_label_studio(tmp_path: Path) -> None:
    """Label Studio keypoints have no visibility: occluded points read back as visible and
    unlabelled points are left out (the writer says so)."""
    g = fixture("all-types")
    result = WRITERS["labelstudio"](KEYPOINTS, g, tmp_path / "ls.json")
    assert [d.code for d in result.diagnostics] == ["GK808"]
    (rec,) = READERS["labelstudio"](tmp_path / "ls.json", g)
    assert_close(
        rec.data["pose"],
        [
            {"label": "person", "points": {"head": [100.5, 50, 2], "left_hand": [80, 120.25, 2]}},
            KEYPOINTS[0]["pose"][1],
        ],
    )


def test_all_task_types_through_label_studio(tmp_path: Path) -> None:
    g = fixture("all-types")
    record = {
        "item_id": "t1",
        "body": "Order 5512: my BlendPro broke",
        "photo": {"path": "img/1.png", "width": 640, "height": 480},
        "channel": "email",
        "intent": "billing_dispute",
        "tags": ["angry", "vip"],
        "urgency": "high",
        "entities": [
            {
                "id": "e1",
                "start": 6,
                "end": 10,
                "text": "5512",
                "label": "ORDER_ID",
                "attributes": {"verified": True},
            },
            {"id": "e2", "start": 15, "end": 23, "text": "BlendPro", "label": "PRODUCT"},
        ],
        "links": [{"label": "ordered", "from": "e1", "to": "e2"}],
        "boxes": [
            {
                "label": "can",
                "bbox": [10, 20, 110, 220],
                "attributes": {"dented": True, "fill": 40, "occluded": True, "visibility": "heavy"},
            },
            {"label": "bottle", "bbox": [1.5, 2.25, 33.75, 44]},
        ],
        "outline": [{"label": "dent", "points": [[1, 1], [50, 2], [20, 30]]}],
        "pose": [{"label": "person", "points": {"head": [100, 50, 2], "left_hand": [80, 120, 2]}}],
        "summary": "A dispute.",
        "score": 7,
        "spam": False,
        "annotator": "ann@example.org",
        "status": "approved",
        "question": "Is 5512 the order?",
    }
    for fmt in ("labelstudio", "labelstudio-min"):
        out = tmp_path / f"{fmt}.json"
        WRITERS[fmt]([record], g, out)
        (rec,) = READERS[fmt](out, g)
        assert rec.error is None
        expected = dict(record)
        if fmt == "labelstudio-min":
            del expected["links"]
        assert_close(rec.data, expected)
