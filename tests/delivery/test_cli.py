"""``guidekit validate`` and ``guidekit build`` on the command line: exit codes, formats,
files written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from delivery.conftest import FIXTURES
from guidekit.cli import main

GUIDE = str(FIXTURES / "tickets")
BATCH = str(FIXTURES / "tickets-batch.jsonl")


def _good(tmp_path: Path) -> str:
    lines = Path(BATCH).read_bytes().splitlines()
    path = tmp_path / "good.jsonl"
    path.write_bytes(lines[0] + b"\n" + lines[1] + b"\n")
    return str(path)


def test_accepted_delivery_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", GUIDE, _good(tmp_path), "-j", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ACCEPTED  fixture-tickets 1.4.2")


def test_rejected_delivery_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", GUIDE, BATCH, "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["verdict"] == "reject" and doc["records"] == 20


def test_misuse_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", GUIDE]) == 2
    assert main(["validate", GUIDE, BATCH, "--format", "pdf"]) == 2
    code = main(["validate", GUIDE, BATCH, "--split", str(tmp_path / "s"), "--max-errors", "3"])
    assert code == 2
    assert "--split needs the whole delivery" in capsys.readouterr().err


def test_bad_input_exits_1_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", GUIDE, str(tmp_path / "nope.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "GK001" in err and "Traceback" not in err
    assert main(["validate", str(tmp_path), BATCH]) == 1
    assert "GK002" in capsys.readouterr().err


def test_report_to_file_and_split(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r" / "report.html"
    split = tmp_path / "split"
    code = main(
        ["validate", GUIDE, BATCH, "--format", "html", "-o", str(report), "--split", str(split)]
    )
    assert code == 1
    assert report.read_text().startswith("<!DOCTYPE html>")
    err = capsys.readouterr().err
    assert "delivery rejected (13 of 20 records rejected)" in err
    assert sorted(p.name for p in split.iterdir()) == [
        "accepted.jsonl",
        "rejected.errors.jsonl",
        "rejected.jsonl",
    ]


def test_expect_and_max_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expect = FIXTURES / "tickets-expected.txt"
    assert main(["validate", GUIDE, _good(tmp_path), "--expect", str(expect)]) == 1
    assert "20 expected ids have no record" in capsys.readouterr().out
    assert main(["validate", GUIDE, BATCH, "--max-errors", "1", "--format", "markdown"]) == 1
    assert "GK548" in capsys.readouterr().out


def test_build_schema_and_models(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build"
    assert main(["build", GUIDE, "-t", "schema", "-o", str(out)]) == 0
    assert "schema: wrote 1 files" in capsys.readouterr().out
    schema = json.loads((out / "fixture-tickets.record.schema.json").read_text())
    assert schema["$id"].endswith(":1.4.2:delivery-record")
    assert main(["build", GUIDE, "-t", "schema", "-t", "models", "-o", str(out)]) == 0
    assert (out / "models" / "fixture_tickets_records.py").is_file()
    assert (out / "schema" / "fixture-tickets.record.schema.json").is_file()
    assert main(["build", GUIDE, "-t", "docx"]) == 2  # no such target
