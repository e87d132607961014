"""The ``tracks`` task type: values, drawing, agreement, CVAT for video, and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from conftest import CORPUS
from guidekit import ir, load, tasktypes
from guidekit.bridges import READERS, WRITERS
from guidekit.cli import cli
from guidekit.quality.agreement import Options, measure_task
from guidekit.quality.ratings import read_annotations
from guidekit.record.values import check_value
from guidekit.tasktypes.tracks import filmstrip

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "bridges" / "cvat-video"
CORPUS_VIDEO = "cvat/datumaro_for_video_annotations.xml"
CLIP = {"path": "t.mp4", "frames": 20, "width": 25, "height": 20}


@pytest.fixture(scope="module")
def guideline() -> ir.Guideline:
    return load(FIXTURE)


def problems(g: ir.Guideline, value: Any, clip: Any = CLIP) -> list[tuple[str, str]]:
    task = g.tasks["objects"]
    return [(p.kind, p.pointer) for p in check_value(g, task, value, {"clip": clip}, {})]


def track(tid: Any = "1", label: str = "II", **extra: Any) -> dict[str, Any]:
    boxes = [{"frame": 0, "bbox": [1, 1, 5, 5], "keyframe": True, "outside": False}]
    return {"id": tid, "label": label, "boxes": boxes, **extra}


def test_registered_with_its_hooks() -> None:
    tt = tasktypes.get("tracks")
    assert "tracks" in tasktypes.BUILTIN
    assert tt.over_field_types == ("video",)
    assert tt.cvat().frame_shape == "box"


def test_a_valid_value_has_no_problems(guideline: ir.Guideline) -> None:
    assert problems(guideline, [track(), track("2", "klhg", attributes={"hgl": "jk"})]) == []


def test_value_checks_point_at_the_wrong_part(guideline: ir.Guideline) -> None:
    two_on_one_frame = track()
    two_on_one_frame["boxes"].append({"frame": 0, "bbox": [2, 2, 6, 6]})
    late = track("3")
    late["boxes"][0]["frame"] = 20
    outside = track("4")
    outside["boxes"][0]["bbox"] = [1, 1, 30, 5]
    flat = track("5")
    flat["boxes"][0]["bbox"] = [5, 1, 5, 5]
    attrs = track("6", "klhg", attributes={"hgl": "nope"})
    attrs["boxes"][0]["attributes"] = {"colour": "red"}
    value = [two_on_one_frame, late, outside, flat, attrs, track("6"), track("7", "cat")]
    assert problems(guideline, value) == [
        ("region.duplicate_id", "/0/boxes/1/frame"),
        ("value.range", "/1/boxes/0/frame"),
        ("bbox.outside", "/2/boxes/0/bbox"),
        ("bbox.area", "/3/boxes/0/bbox"),
        ("attribute.value", "/4/attributes/hgl"),
        ("attribute.unknown", "/4/boxes/0/attributes/colour"),
        ("region.duplicate_id", "/5/id"),
        ("label.unknown", "/6/label"),
    ]


def test_frames_and_size_are_checked_only_when_known(guideline: ir.Guideline) -> None:
    late = track()
    late["boxes"][0]["frame"] = 500
    late["boxes"][0]["bbox"] = [1, 1, 300, 300]
    assert problems(guideline, [late], clip="t.mp4") == []


def test_malformed_parts(guideline: ir.Guideline) -> None:
    value = [{"label": "II", "boxes": [{"frame": -1, "bbox": [1, 2], "extra": 1}]}, "x"]
    assert problems(guideline, value) == [
        ("value.missing", "/0/id"),
        ("value.unknown_key", "/0/boxes/0/extra"),
        ("value.type", "/0/boxes/0/frame"),
        ("bbox.shape", "/0/boxes/0/bbox"),
        ("value.type", "/1"),
    ]


def test_filmstrip_matches_golden(
    guideline: ir.Guideline, golden: Callable[[str, str | bytes], None]
) -> None:
    moving = track("1", "II")
    moving["boxes"] += [
        {"frame": 5, "bbox": [4, 4, 12, 10], "keyframe": False},
        {"frame": 9, "bbox": [10, 8, 20, 16], "keyframe": True},
        {"frame": 12, "bbox": [10, 8, 20, 16], "keyframe": True, "outside": True},
    ]
    other = track("2", "klhg")
    other["boxes"][0]["bbox"] = [15, 2, 24, 9]
    svg = filmstrip(guideline.tasks["objects"], [moving, other], (25.0, 20.0), lambda c: "#123")
    golden("handbook/tracks-filmstrip.svg", svg + "\n")
    assert svg.count("<text") == 3  # frames 0, 9 and 12; frame 5 is not a keyframe
    assert ">5</text>" not in svg


def _ann(annotator: str, tracks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"clip_id": "c1", "annotator": annotator, "clip": CLIP, "objects": tracks}


def _boxes(*frames: tuple[int, list[float]]) -> list[dict[str, Any]]:
    return [{"frame": f, "bbox": b, "keyframe": True} for f, b in frames]


def test_agreement_by_hand(guideline: ir.Guideline, tmp_path: Path) -> None:
    # a: one car on frames 0-2. b: the same boxes, but its id changes on frame 2 (one id
    # switch), and an extra box on frame 3 (one false positive).
    same = [0.0, 0.0, 10.0, 10.0]
    a = [{"id": "1", "label": "II", "boxes": _boxes((0, same), (1, same), (2, same))}]
    b = [
        {"id": "x", "label": "II", "boxes": _boxes((0, same), (1, same))},
        {"id": "y", "label": "II", "boxes": _boxes((2, same), (3, [15.0, 10.0, 20.0, 15.0]))},
    ]
    path = tmp_path / "ann.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in (_ann("a", a), _ann("b", b))))
    annotations = read_annotations(guideline, [path])
    result = measure_task(guideline, annotations, guideline.tasks["objects"], Options())
    stats = {k: v.value for k, v in result.stats.items()}
    # per-frame boxes: 3 in a, 4 in b, 3 matched -> F1 = 2*3 / (3 + 4)
    assert stats["box_f1@0.5"] == pytest.approx(6 / 7)
    # GT 3, FN 0, FP 1, IDSW 1 -> MOTA = 1 - 2/3
    assert stats["id_switches@0.5"] == 1
    assert stats["mota@0.5"] == pytest.approx(1 / 3)


def _read_corpus(g: ir.Guideline, corpus: Path) -> list[Any]:
    return list(READERS["cvat"](corpus / CORPUS_VIDEO, g))


@pytest.fixture(scope="module")
def corpus() -> Path:
    if not (CORPUS / CORPUS_VIDEO).is_file():
        pytest.skip("the CVAT corpus is not available (GUIDEKIT_CORPUS)")
    return CORPUS


def test_cvat_video_file_reads_as_one_record(guideline: ir.Guideline, corpus: Path) -> None:
    [rec] = _read_corpus(guideline, corpus)
    assert rec.data["clip_id"] == "t"
    assert rec.data["clip"] == {"path": "t.mp4", "frames": 20, "width": 25, "height": 20}
    [car] = rec.data["objects"]
    assert (car["id"], car["label"]) == ("0", "II")
    assert [(b["frame"], b["bbox"], b["outside"]) for b in car["boxes"]] == [
        (10, [3, 4, 10, 5], False),
        (13, [7, 6, 14, 8], True),
        (16, [8, 7, 14, 17], True),
    ]
    # the points and polyline tracks have no form in a box tracks task
    assert rec.error is not None and rec.error.code == "GK806"
    assert "points in track 1" in rec.error.message


def test_cvat_round_trip(guideline: ir.Guideline, tmp_path: Path) -> None:
    rec = _ann("a", [track("7", "klhg", attributes={"hgl": "jk"}), track("8")])
    rec["objects"][0]["boxes"][0]["attributes"] = {"hgl": "hgkf"}
    WRITERS["cvat"]([rec], guideline, tmp_path / "out.xml")
    xml = (tmp_path / "out.xml").read_text()
    assert '<track id="0" label="klhg"' in xml and "<image" not in xml
    [back] = READERS["cvat"](tmp_path / "out.xml", guideline)
    assert back.error is None
    got = back.data["objects"]
    assert [(t["id"], t["label"]) for t in got] == [("0", "klhg"), ("1", "II")]
    assert got[0]["boxes"][0]["bbox"] == rec["objects"][0]["boxes"][0]["bbox"]
    assert got[0]["boxes"][0]["attributes"] == {"hgl": "hgkf"}


def test_cli_checks_builds_and_validates_the_corpus_video(
    guideline: ir.Guideline, corpus: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["check", str(FIXTURE)])
    assert res.exit_code == 0, res.output
    out = tmp_path / "build"
    targets = ["-t", "schema", "-t", "models", "-t", "handbook", "-t", "cvat"]
    res = runner.invoke(cli, ["build", str(FIXTURE), *targets, "--no-site", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "gk-filmstrip" in (out / "handbook" / "docs" / "tasks" / "objects" / "II.md").read_text()
    # the corpus video, read by the CVAT reader, validates as a native delivery
    [rec] = _read_corpus(guideline, corpus)
    delivery = tmp_path / "video.jsonl"
    delivery.write_bytes(orjson.dumps(rec.data) + b"\n")
    res = runner.invoke(cli, ["validate", str(FIXTURE), str(delivery), "--format", "json"])
    assert res.exit_code == 0, res.output
    _schema_and_models_agree(out, rec.data)
    res = runner.invoke(
        cli,
        [
            "export",
            str(FIXTURE),
            str(delivery),
            "--format",
            "cvat",
            "--out",
            str(tmp_path / "v.xml"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert 'frame="16" outside="1"' in (tmp_path / "v.xml").read_text()


def _schema_and_models_agree(out: Path, record: dict[str, Any]) -> None:
    """The generated JSON Schema and pydantic models take the record's video object as the
    validator does, and refuse the same mistakes."""
    import importlib.util
    import json
    import sys

    import jsonschema
    import pydantic

    [schema_file] = (out / "schema").glob("*.schema.json")
    schema = json.loads(schema_file.read_text())
    [models_file] = (out / "models").glob("*.py")
    spec = importlib.util.spec_from_file_location("tracks_models", models_file)
    assert spec is not None and spec.loader is not None
    models = importlib.util.module_from_spec(spec)
    sys.modules["tracks_models"] = models  # pydantic resolves the annotations through it
    try:
        spec.loader.exec_module(models)
    finally:
        del sys.modules["tracks_models"]
    model = next(
        v
        for v in vars(models).values()
        if isinstance(v, type) and v.__module__ == "tracks_models" and "Record" in v.__name__
    )
    assert isinstance(record["clip"], dict) and record["clip"]["frames"] == 20
    jsonschema.validate(record, schema)
    model.model_validate(record)
    bad = dict(record, clip=dict(record["clip"], fps=25))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    with pytest.raises(pydantic.ValidationError):
        model.model_validate(bad)


def test_labelstudio_config_asks_for_video_rectangles(guideline: ir.Guideline) -> None:
    from guidekit.bridges.labelstudio import labelstudio_config

    config = labelstudio_config(guideline)
    assert '<Video name="clip" value="$clip"' in config
    assert '<VideoRectangle name="objects" toName="clip"' in config
    assert '<Labels name="objects__labels" toName="clip"' in config


def test_labelstudio_video_rectangle_reads_as_a_track(
    guideline: ir.Guideline, tmp_path: Path
) -> None:
    result = {
        "id": "abc",
        "from_name": "objects",
        "to_name": "clip",
        "type": "videorectangle",
        "original_width": 25,
        "original_height": 20,
        "value": {
            "framesCount": 20,
            "labels": ["II"],
            "sequence": [
                {"frame": 1, "enabled": True, "x": 4, "y": 5, "width": 40, "height": 50},
                {"frame": 6, "enabled": False, "x": 20, "y": 10, "width": 40, "height": 50},
            ],
        },
    }
    export = [
        {
            "id": 1,
            "data": {"clip": "t.mp4", "clip_id": "t"},
            "annotations": [{"id": 1, "result": [result]}],
        }
    ]
    path = tmp_path / "ls.json"
    path.write_bytes(orjson.dumps(export))
    [rec] = READERS["labelstudio"](path, guideline)
    assert rec.error is None, rec.error
    [got] = rec.data["objects"]
    assert got["id"] == "abc" and got["label"] == "II"
    assert [(x["frame"], x["bbox"], x["outside"]) for x in got["boxes"]] == [
        (0, [1, 1, 11, 11], False),
        (5, [5, 2, 15, 12], False),
        (6, [5, 2, 15, 12], True),
    ]


def test_labelstudio_round_trip(guideline: ir.Guideline, tmp_path: Path) -> None:
    rec = {"clip_id": "c1", "clip": CLIP, "objects": [track("7", "II"), track("8", "klhg")]}
    rec["objects"][0]["boxes"] += [
        {"frame": 4, "bbox": [5, 4, 15, 12], "keyframe": True, "outside": False},
        {"frame": 5, "bbox": [5, 4, 15, 12], "keyframe": True, "outside": True},
    ]
    WRITERS["labelstudio"]([rec], guideline, tmp_path / "ls.json")
    [back] = READERS["labelstudio"](tmp_path / "ls.json", guideline)
    assert back.error is None, back.error
    assert back.data["objects"] == rec["objects"]
