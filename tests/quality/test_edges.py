"""Issue #16 item 4: every edge of the agreement statistics gives a documented value or a
clear message with the reason, through the ``guidekit`` command."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from guidekit.cli import main

from .conftest import FIXTURE
from .test_cli import invoke, jsonl


def rec(item: str, annotator: str, **values: Any) -> dict[str, Any]:
    return {"ticket_id": item, "annotator": annotator, **values}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def agreement_json(*args: Any) -> dict[str, Any]:
    result = invoke("agreement", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = orjson.loads(result.output)
    return data


def test_level_ratio_on_a_class_task_says_how_classes_are_coded() -> None:
    records = [
        rec(f"T{i}", a, urgency=["low", "medium", "high", "critical"][(i + j) % 4])
        for i in range(8)
        for j, a in enumerate(["ann1", "ann2"])
        if j == 0 or i % 3
    ]
    path = jsonl(Path("p.jsonl"), records)
    result = invoke("agreement", FIXTURE, path, "-t", "urgency", "--level", "ratio")
    assert result.exit_code == 0, result.output
    assert "low=0, medium=1, high=2, critical=3" in result.output
    notes = agreement_json(FIXTURE, path, "-t", "urgency", "--level", "ratio")["agreement"][0][
        "notes"
    ]
    assert any("coded as the numbers 0..3" in n for n in notes)


def test_box_iou_exactly_at_the_threshold_is_a_match() -> None:
    # [x, y, w, h]: each pair overlaps with IoU exactly 0.5 (2d / 4d); float arithmetic
    # gives 0.49999999999999994 for both
    pairs = [
        ([2.7, 0, 23.1, 1], [10.4, 0, 23.1, 1]),
        ([0.1, 0, 0.3, 1], [0.2, 0, 0.3, 1]),
    ]
    records = []
    for i, (a, b) in enumerate(pairs):
        records.append(rec(f"T{i}", "ann1", boxes=[{"label": "logo", "bbox": a}]))
        records.append(rec(f"T{i}", "ann2", boxes=[{"label": "logo", "bbox": b}]))
    path = jsonl(Path("p.jsonl"), records)
    data = agreement_json(FIXTURE, path, "-t", "boxes", "--iou", "0.5")
    assert data["agreement"][0]["stats"]["box_f1@0.5"]["value"] == 1.0


def test_all_labels_invalid_gives_the_true_reason(capsys: pytest.CaptureFixture[str]) -> None:
    records = [rec(f"T{i}", a, intent="nonsense") for i in range(3) for a in ("ann1", "ann2")]
    path = jsonl(Path("p.jsonl"), records)
    assert main(["agreement", str(FIXTURE), str(path), "-t", "intent"]) == 1
    err = capsys.readouterr().err
    assert "GK604" in err
    assert "all 6 value(s) of task 'intent' are not valid for it" in err
    assert "labelled by two annotators" not in err


@pytest.mark.parametrize("command", ["agreement", "calibrate"])
def test_every_rater_picking_one_class_says_why_alpha_is_undefined(command: str) -> None:
    records = [rec(f"T{i}", a, intent="billing") for i in range(5) for a in ("ann1", "ann2")]
    path = jsonl(Path("p.jsonl"), records)
    text = invoke(command, FIXTURE, path, "-t", "intent")
    assert text.exit_code == 0, text.output
    assert "undefined" in text.output and "'billing'" in text.output
    result = invoke(command, FIXTURE, path, "-t", "intent", "--format", "json")
    assert result.exit_code == 0, result.output
    task = orjson.loads(result.output)["agreement"][0]
    for name in ("krippendorff_alpha", "fleiss_kappa", "cohen_kappa"):
        stat = task["stats"][name]
        assert stat["value"] is None
        assert "every rating is 'billing'" in stat["reason"]
    assert task["stats"]["percent_agreement"]["value"] == 1.0


@pytest.mark.parametrize("command", ["agreement", "calibrate"])
def test_weights_on_a_single_label_task_is_a_usage_error(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [rec(f"T{i}", a, intent="billing") for i in range(3) for a in ("ann1", "ann2")]
    path = jsonl(Path("p.jsonl"), records)
    args = [command, str(FIXTURE), str(path), "-t", "intent", "--weights", "linear"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "--weights" in err and "'intent'" in err and "nominal" in err


def _unicode_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    guideline = project / "guideline.yaml"
    doc = yaml.safe_load(guideline.read_text())
    # an alias written in composed form (NFC); deliveries may use either form
    doc["tasks"]["intent"]["classes"][2]["aliases"] = [unicodedata.normalize("NFC", "café")]
    doc["acceptance"] = {}
    guideline.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    return project


def test_unicode_labels_are_nfc_normalised_before_matching(tmp_path: Path) -> None:
    project = _unicode_project(tmp_path)
    nfd = unicodedata.normalize("NFD", "café")
    assert nfd != "café"
    records = [
        rec("T1", "ann1", intent="café"),
        rec("T1", "ann2", intent=nfd),
        rec("T2", "ann1", intent="billing"),
        rec("T2", "ann2", intent="billing"),
    ]
    path = jsonl(Path("p.jsonl"), records)
    task = agreement_json(project, path, "-t", "intent")["agreement"][0]
    assert task["ignored_values"] == 0
    assert task["stats"]["percent_agreement"]["value"] == 1.0


def test_check_lints_an_ordinal_scale_out_of_order(capsys: pytest.CaptureFixture[str]) -> None:
    project = Path(__file__).resolve().parent.parent / "fixtures" / "check" / "GK411-ordinal-order"
    assert main(["check", str(project)]) == 0  # advice, not an error
    out = capsys.readouterr()
    text = out.out + out.err
    assert "GK411" in text
    assert "'urgency' lists its classes out of scale order (low, high, medium)" in text
    assert "lowest first: low, medium, high" in text
    assert "'stars' lists its classes from highest to lowest" in text
    assert "severity" not in text.split("GK411", 1)[1].split("\n")[0]
    assert main(["check", str(project), "--strict"]) == 1


def test_level_on_a_task_without_a_level_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    records = [rec(f"T{i}", a, topics=["price"]) for i in range(3) for a in ("ann1", "ann2")]
    path = jsonl(Path("p.jsonl"), records)
    assert main(["agreement", str(FIXTURE), str(path), "-t", "topics", "--level", "ratio"]) == 2
    assert "--level" in capsys.readouterr().err
