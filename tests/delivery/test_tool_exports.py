"""Labelling tools' exports through every command that reads deliveries, from the command
line, on exports the tools themselves produced (the shared corpus)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CORPUS
from guidekit.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bridges"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="needs the shared corpus")


def _report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object], str]:
    code = main([*args, "--format", "json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, json.loads(out), err


@pytest.mark.parametrize(
    ("guideline", "export", "fmt", "records", "codes"),
    [
        ("ls-detection", "labelstudio/sdk_export_csv_test.json", "labelstudio", 2, {"GK528": 1}),
        ("ls-mixed", "labelstudio/sdk_export_coco_data.json", "labelstudio", 1, {}),
        ("coco-abc", "coco/datumaro_instances_val.json", "coco", 1, {"GK521": 2, "GK806": 1}),
        # the polyline's GK806 is on a record that otherwise passes: it was dropped before
        (
            "cvat-labels",
            "cvat/datumaro_export_task_train.xml",
            "cvat",
            2,
            {"GK515": 1, "GK803": 1, "GK806": 1},
        ),
    ],
)
def test_validate_reads_an_export_detected_from_its_content(
    capsys: pytest.CaptureFixture[str],
    guideline: str,
    export: str,
    fmt: str,
    records: int,
    codes: dict[str, int],
) -> None:
    path = CORPUS / export
    code, report, err = _report(capsys, "validate", str(FIXTURES / guideline), str(path))
    assert f"reads as a {fmt} export" in err
    assert report["records"] == records
    got = {g["code"]: g["count"] for g in report["groups"]}  # type: ignore[attr-defined]
    assert got == codes
    assert code == (1 if codes else 0)
    # reader findings and validator findings are located in the export itself
    for group in report["groups"]:  # type: ignore[attr-defined]
        for ex in group["examples"]:
            assert ex["location"]["file"] == str(path)


def test_explicit_input_format_and_a_native_split(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    export = CORPUS / "labelstudio" / "sdk_export_csv_test.json"
    split = tmp_path / "split"
    args = ["validate", str(FIXTURES / "ls-detection"), str(export)]
    code, report, _ = _report(capsys, *args, "--input-format", "labelstudio", "--split", str(split))
    assert code == 1 and report["records"] == 2
    accepted = [json.loads(x) for x in (split / "accepted.jsonl").read_text().splitlines()]
    rejected = [json.loads(x) for x in (split / "rejected.jsonl").read_text().splitlines()]
    assert len(accepted) == 1 and len(rejected) == 1  # native JSON Lines, one record each
    [entry] = [json.loads(x) for x in (split / "rejected.errors.jsonl").read_text().splitlines()]
    assert entry["file"] == str(export) and entry["diagnostics"][0]["code"] == "GK528"


def test_a_wrong_native_format_says_which_to_use(
    capsys: pytest.CaptureFixture[str],
) -> None:
    export = CORPUS / "labelstudio" / "sdk_export_csv_test.json"
    args = ["validate", str(FIXTURES / "ls-detection"), str(export), "--input-format", "jsonl"]
    code, _, err = _report(capsys, *args)
    assert code == 1
    assert "use --input-format labelstudio" in err


def test_quality_commands_read_exports_too(capsys: pytest.CaptureFixture[str]) -> None:
    """agreement on a Label Studio export where two annotators labelled the same task."""
    export = CORPUS / "labelstudio" / "sdk_export_yolo_data.json"
    code = main(["agreement", str(FIXTURES / "ls-detection"), str(export), "--format", "json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "reads as a labelstudio export" in err
    assert code in (0, 1)
    task = json.loads(out)["agreement"][0]
    assert (task["task"], task["annotators"], task["pairable_items"]) == ("objects", 2, 1)
    assert task["stats"]["box_f1@0.5"]["value"] == 0.5


def test_export_converts_one_tools_export_into_another(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A Label Studio export (as the SDK wrote it) straight to COCO: the reader's records are
    checked like native ones, and the invalid one is named in the export itself."""
    export = CORPUS / "labelstudio" / "sdk_export_csv_test.json"
    out = tmp_path / "coco.json"
    args = ["export", str(FIXTURES / "ls-detection"), str(export), "--format", "coco"]
    code = main([*args, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()  # nothing written while a record is invalid
    assert f"{export}:1: GK809" in err and "reads as a labelstudio export" in err
    code = main([*args, "--out", str(out), "--skip-invalid", "--input-format", "labelstudio"])
    assert code == 1
    coco = json.loads(out.read_text())
    assert (len(coco["images"]), len(coco["annotations"])) == (1, 1)


def test_migrate_reads_a_tools_export_and_writes_json_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import shutil

    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(FIXTURES / "ls-detection", old)
    shutil.copytree(FIXTURES / "ls-detection", new)
    text = (new / "guideline.yaml").read_text()
    text = text.replace("version: 1.0.0", "version: 2.0.0")
    (new / "guideline.yaml").write_text(
        text.replace("      - white\n", "      - id: snow\n        aliases: [white]\n", 1)
    )
    export = tmp_path / "export.json"
    shutil.copy(CORPUS / "labelstudio" / "sdk_export_yolo_data.json", export)
    before = export.read_bytes()
    args = ["migrate", str(export), "--from", str(old), "--to", str(new)]
    assert main([*args, "--in-place"]) == 2  # an export is not replaced by JSON Lines
    capsys.readouterr()
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "reads as a labelstudio export" in err and "white → snow (4)" in out
    migrated = tmp_path / "export.migrated.jsonl"
    records = [json.loads(x) for x in migrated.read_text().splitlines()]
    assert len(records) == 3 and {r["guideline_version"] for r in records} == {"2.0.0"}
    labels = [b["label"] for r in records for b in r.get("objects") or []]
    assert labels.count("snow") == 4 and "white" not in labels
    assert export.read_bytes() == before  # the export itself is never touched


def test_audit_score_reads_the_audited_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    export = CORPUS / "labelstudio" / "sdk_export_yolo_data.json"
    verdicts = tmp_path / "verdicts.jsonl"
    verdicts.write_text('{"id": 1, "pass": true}\n{"id": 99, "pass": false}\n')
    args = ["audit", "score", str(FIXTURES / "ls-detection"), str(verdicts)]
    code = main([*args, "--delivery", str(export), "--input-format", "labelstudio"])
    err = capsys.readouterr().err
    assert code == 1 and "item '99' is not in" in err and "'1'" not in err
    verdicts.write_text('{"id": 1, "pass": true}\n')
    assert main([*args, "--delivery", str(export), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["audit"]["passed"] == 1


def test_a_cvat_project_export_keeps_images_of_each_subset_apart(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """CVAT's project export (written by datumaro) holds img0.jpg in Test, Train and
    Validation: three images, not one id delivered three times."""
    export = CORPUS / "cvat" / "datumaro_export_project_annotations.xml"
    project = tmp_path / "cvat-project"
    assert main(["import", str(export), str(project)]) == 0
    capsys.readouterr()
    code, report, _ = _report(capsys, "validate", str(project), str(export))
    got = {g["code"]: g["count"] for g in report["groups"]}  # type: ignore[attr-defined]
    assert "GK542" not in got and report["distinct_ids"] == 6, report
    assert code == 1 and got == {"GK806": 3}  # the polylines guidekit has no form for
    code, report, _ = _report(
        capsys, "validate", str(project), str(export), "-O", "subset_ids=never"
    )
    got = {g["code"]: g["count"] for g in report["groups"]}  # type: ignore[attr-defined]
    assert got["GK542"] == 4
    code = main(["validate", str(project), str(export), "-O", "subset_ids=maybe"])
    assert code == 1 and "subset_ids=maybe: use auto, always or never" in capsys.readouterr().err
