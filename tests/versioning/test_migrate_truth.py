"""`guidekit migrate` tells the truth (issue #18): after rewriting, every record is checked
against the new version, and the outcome of each is reported; the marker is a metadata
field every guideline accepts; clean records get the new version stamp; a changed attribute
default is written out; a change of the level of measurement marks nothing. End to end
through the command line, on the bundled guidelines in real git repositories."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from conftest import GUIDELINES
from guidekit.cli import main

from .edit_matrix import PRODUCTS, on_class, sub
from .helpers import Git, edit

RP, ST = "retail-products", "support-tickets"


def project(tmp_path: Path, name: str, change: Callable[[Path], None], version: str) -> Git:
    """``name`` committed and tagged ``base``, then changed and bumped to ``version``."""
    git = Git(tmp_path / "repo")
    shutil.copytree(GUIDELINES / name, git.root / name)
    git.commit("base")
    git.tag("base")
    change(git.root / name)
    edit(git.root / name, "guideline.yaml", lambda g: g.__setitem__("version", version))
    git.commit("change", date="2024-02-01T12:00:00Z")
    return git


def shelf(i: int, **more: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "image_id": f"IMG-{i}",
        "products": [
            {"label": "bottle", "bbox": [20, 20, 26, 92], "attributes": {"material": "glass"}}
        ],
        "shelf_status": "stocked",
        "annotator": "ann-1",
        "status": "labelled",
        "guideline_version": "1.2.0",
        "split": "train",
    }
    out.update(more)
    return out


def ticket(i: int, intent: str = "refund_request", **more: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ticket_id": f"T-{i}",
        "body": "Please refund order NW-1234567.",
        "channel": "email",
        "intent": intent,
        "urgency": "low",
        "entities": [{"start": 20, "end": 30, "label": "ORDER_ID"}],
        "annotator": "ann-1",
        "status": "labelled",
        "guideline_version": "2.3.0",
    }
    out.update(more)
    return out


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def migrate(
    capsys: pytest.CaptureFixture[str], git: Git, name: str, delivery: Path
) -> tuple[int, str, dict[str, Any], list[dict[str, Any]]]:
    out_path = delivery.with_name("out.jsonl")
    report = delivery.with_name("report.json")
    code = main(
        [
            "migrate",
            str(delivery),
            "--from",
            "base",
            "--to",
            str(git.root / name),
            "-o",
            str(out_path),
            "--report",
            str(report),
        ]
    )
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    rows = [orjson.loads(x) for x in out_path.read_bytes().splitlines()]
    return code, out, json.loads(report.read_text(encoding="utf-8")), rows


def validate(capsys: pytest.CaptureFixture[str], folder: Path, delivery: Path) -> tuple[int, str]:
    code = main(["validate", str(folder), str(delivery)])
    out, err = capsys.readouterr()
    return code, out + err


def test_clean_records_are_stamped_and_the_marker_is_accepted_by_the_validator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a major release of support-tickets: other_request split in two
    split = on_class(
        "taxonomy/intent.yaml",
        "other_request",
        lambda c: c.update(
            deprecated="Split.", replaced_by=["general_feedback", "feature_request"]
        ),
    )
    git = project(tmp_path, ST, split, "3.0.0")
    delivery = write(tmp_path / "d.jsonl", [ticket(1), ticket(2, "other_request")])
    code, out, report, rows = migrate(capsys, git, ST, delivery)
    assert code == 0, out
    assert rows[0]["guideline_version"] == "3.0.0", "valid as it is: stamped without --stamp-all"
    assert rows[1]["needs_reannotation"] == ["intent"]
    assert report["counts"]["valid"] == 1 and report["counts"]["needs_reannotation"] == 1
    assert report["records_not_clean"] == [
        {
            "line": 2,
            "id": "T-2",
            "outcome": "reannotate",
            "reasons": ["intent: other_request split into general_feedback, feature_request"],
        }
    ]
    code, text = validate(capsys, git.root / ST, tmp_path / "out.jsonl")
    # both records are accepted (the batch fails acceptance criteria of two records only)
    assert re.search(r"rejected records\s+0\n", text), text
    assert "needs_reannotation" not in text, "the marker is a field the format declares"
    assert "GK541" not in text, "every migrated record carries the new version"


def test_records_the_new_version_rejects_are_reported_not_counted_as_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def stricter(p: Path) -> None:
        sub(
            "guideline.yaml",
            "required_metadata: [annotator, status, guideline_version]",
            "required_metadata: [annotator, reviewer, status, guideline_version]",
        )(p)

    git = project(tmp_path, ST, stricter, "3.0.0")
    delivery = write(tmp_path / "d.jsonl", [ticket(1), ticket(2, reviewer="rev-1")])
    code, out, report, rows = migrate(capsys, git, ST, delivery)
    assert code == 1, "a record the new version rejects fails the run"
    assert "line 1 (T-1): still invalid: GK511 required metadata 'reviewer'" in out
    assert report["counts"]["invalid"] == 1 and report["counts"]["valid"] == 1
    assert rows[0]["guideline_version"] == "2.3.0", "an invalid record keeps its old stamp"
    assert rows[1]["guideline_version"] == "3.0.0"


@pytest.mark.parametrize(
    ("change", "finding"),
    [
        (
            on_class(PRODUCTS, "bottle", lambda c: c["min_size"].__setitem__("height", 100)),
            "GK5",
        ),
        (
            sub("guideline.yaml", "units: pixels, tolerance: 1", "units: pixels, tolerance: 0"),
            "GK5",
        ),
    ],
    ids=["min-box-size-raised", "box-tolerance-tightened"],
)
def test_stricter_boxes_leave_records_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Callable[[Path], None], finding: str
) -> None:
    git = project(tmp_path, RP, change, "2.0.0")
    outside = {"label": "bottle", "bbox": [300, 20, 20.5, 92], "attributes": {"material": "glass"}}
    delivery = write(tmp_path / "d.jsonl", [shelf(1, products=[outside])])
    code, _, report, _ = migrate(capsys, git, RP, delivery)
    (rec,) = report["records_not_clean"]
    assert rec["outcome"] == "invalid" and rec["reasons"][0].startswith(finding), rec
    assert code == 1


def test_a_changed_attribute_default_is_written_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flip = on_class(
        PRODUCTS,
        "bottle",
        lambda c: c["attributes"]["brand_visible"].__setitem__("default", True),
    )
    git = project(tmp_path, RP, flip, "2.0.0")
    given = {
        "label": "bottle",
        "bbox": [56, 20, 26, 92],
        "attributes": {"material": "glass", "brand_visible": True},
    }
    delivery = write(tmp_path / "d.jsonl", [shelf(1), shelf(2, products=[given])])
    code, out, report, rows = migrate(capsys, git, RP, delivery)
    assert code == 0, out
    assert rows[0]["products"][0]["attributes"] == {"material": "glass", "brand_visible": False}
    assert rows[1]["products"][0]["attributes"]["brand_visible"] is True
    assert report["old_defaults_written"] == {"products": {"bottle.brand_visible = False": 1}}
    assert "wrote the old default products: bottle.brand_visible = False (1)" in out
    assert report["counts"]["changed"] == 1 and report["counts"]["valid"] == 1


def test_nominal_to_ordinal_marks_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ordinal = sub(
        "guideline.yaml", "  shelf_status:\n    type: single", "  shelf_status:\n    type: ordinal"
    )
    git = project(tmp_path, RP, ordinal, "1.3.0")
    delivery = write(tmp_path / "d.jsonl", [shelf(1), shelf(2, shelf_status="gaps")])
    code, out, report, rows = migrate(capsys, git, RP, delivery)
    assert code == 0, out
    assert report["counts"]["needs_reannotation"] == 0 and report["counts"]["valid"] == 2
    assert all("needs_reannotation" not in r for r in rows)
    assert {r["guideline_version"] for r in rows} == {"1.3.0"}
