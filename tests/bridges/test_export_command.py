"""``guidekit export``: check a native delivery, then write it in another format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidekit.bridges import READERS
from guidekit.cli import main

from .conftest import FIXTURES, fixture

PROJECT = str(FIXTURES / "conll-ner")
GOOD = [
    {
        "sentence_id": "1",
        "sentence": "Ann met Bob",
        "entities": [
            {"start": 0, "end": 3, "label": "PERSON"},
            {"start": 8, "end": 11, "label": "PERSON"},
        ],
    },
    {
        "sentence_id": "2",
        "sentence": "Google hired Ann",
        "entities": [{"start": 0, "end": 6, "label": "ORG"}],
    },
]
BAD = {"sentence_id": "3", "sentence": "Hi", "entities": [{"start": 0, "end": 9, "label": "ALIEN"}]}


def delivery(tmp_path: Path, records: list[dict]) -> Path:  # type: ignore[type-arg]
    path = tmp_path / "delivery.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_export_writes_the_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.conll"
    assert (
        main(
            [
                "export",
                PROJECT,
                str(delivery(tmp_path, GOOD)),
                "--format",
                "conll",
                "--out",
                str(out),
                "-O",
                "ids=true",
            ]
        )
        == 0
    )
    assert "wrote 2 records" in capsys.readouterr().out
    assert out.read_text().startswith("# id = 1\nAnn\tB-PERSON\nmet\tO\nBob\tB-PERSON\n")
    back = [r.data for r in READERS["conll"](out, fixture("conll-ner"))]
    assert back == GOOD


def test_invalid_records_block_the_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    src = delivery(tmp_path, [*GOOD, BAD])
    assert main(["export", PROJECT, str(src), "--format", "spacy", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "nothing written" in err and f"{src}:3" in err and "ALIEN" in err
    assert not out.exists()
    assert (
        main(
            ["export", PROJECT, str(src), "--format", "spacy", "--out", str(out), "--skip-invalid"]
        )
        == 1
    )
    captured = capsys.readouterr()
    assert "wrote 2 records" in captured.out and "GK809" in captured.err
    assert len(out.read_text().splitlines()) == 2


def test_malformed_line_is_reported_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "d.jsonl"
    src.write_text(json.dumps(GOOD[0]) + "\n{broken\n", encoding="utf-8")
    assert (
        main(
            ["export", PROJECT, str(src), "--format", "doccano", "--out", str(tmp_path / "o.jsonl")]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "GK501" in err and "Traceback" not in err


def test_bad_option_and_unknown_task(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = str(delivery(tmp_path, GOOD))
    assert (
        main(
            ["export", PROJECT, src, "--format", "conll", "--out", str(tmp_path / "o"), "-O", "ids"]
        )
        == 2
    )
    assert (
        main(
            [
                "export",
                PROJECT,
                src,
                "--format",
                "conll",
                "--out",
                str(tmp_path / "o"),
                "-O",
                "task=nope",
            ]
        )
        == 1
    )
    assert "GK805" in capsys.readouterr().err


def test_export_warns_about_tasks_the_format_cannot_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {
        "item_id": "t1",
        "body": "Order 5512",
        "intent": "other",
        "urgency": "low",
        "entities": [{"start": 6, "end": 10, "label": "ORDER_ID"}],
    }
    src = delivery(tmp_path, [record])
    out = tmp_path / "o.conll"
    assert (
        main(
            [
                "export",
                str(FIXTURES / "all-types"),
                str(src),
                "--format",
                "conll",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert "GK808" in err and "task 'intent'" in err
    assert out.read_text() == "Order\tO\n5512\tB-ORDER_ID\n"
