"""`none` is an ordinary class id; a negative says "no class applies" with `label: null`, and
the old spelling in a task without a class `none` is GK321 with the fix in its hint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidekit.cli import main

GUIDELINE = """\
guidekit: 1
id: moods
title: Moods
version: 1.0.0
brief:
  objective: Say which mood a short message shows, if any.
record:
  id: item_id
  fields:
    body: {type: text}
governance:
  levels: [public]
tasks:
  mood:
    type: single
    classes:
      - id: happy
        definition: The writer says or shows that they are glad about something.
        examples:
          - body: Best day ever, the parcel came early!
        negatives:
          - body: The parcel came on Tuesday.
            label: {label}
            why: A plain statement of fact shows no mood at all.
{more}"""
NONE_CLASS = """\
      - id: none
        definition: The message shows no mood, only plain facts, questions or requests.
        examples:
          - body: Where is my parcel?
"""


def write(tmp_path: Path, label: str, more: str = "") -> Path:
    folder = tmp_path / "g"
    folder.mkdir()
    text = GUIDELINE.replace("{label}", label).replace("{more}", more)
    (folder / "guideline.yaml").write_text(text, encoding="utf-8")
    return folder


def diagnostics(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> tuple[int, list[dict[str, object]]]:
    capsys.readouterr()
    code = main(["check", str(folder), "--format", "json"])
    found: list[dict[str, object]] = json.loads(capsys.readouterr().out)["diagnostics"]
    return code, [d for d in found if d["severity"] == "error"]


def test_old_none_spelling_is_an_error_with_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, errors = diagnostics(capsys, write(tmp_path, "none"))
    assert code == 1
    assert [(d["code"], d["location"]["line"], d["hint"]) for d in errors] == [  # type: ignore[index]
        ("GK321", 23, "write `label: null` when no class of the task applies")
    ]


def test_null_says_no_class_applies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write(tmp_path, "null")
    code, errors = diagnostics(capsys, folder)
    assert (code, errors) == (0, [])
    out = tmp_path / "site"
    assert main(["build", str(folder), "-t", "handbook", "--no-site", "-o", str(out)]) == 0
    page = (out / "docs" / "tasks" / "mood" / "happy.md").read_text(encoding="utf-8")
    assert "**Right label:** no mood label" in page


def test_none_is_an_ordinary_class(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write(tmp_path, "none", NONE_CLASS)
    code, errors = diagnostics(capsys, folder)
    assert (code, errors) == (0, [])
    out = tmp_path / "site"
    assert main(["build", str(folder), "-t", "handbook", "--no-site", "-o", str(out)]) == 0
    page = (out / "docs" / "tasks" / "mood" / "happy.md").read_text(encoding="utf-8")
    assert "**Right label:** [none](none.md)" in page
    delivery = tmp_path / "d.jsonl"
    delivery.write_text(
        '{"item_id": "1", "body": "ok", "mood": "none"}\n'
        '{"item_id": "2", "body": "ok", "mood": "nothing"}\n',
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["validate", str(folder), str(delivery), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["accepted_records"], report["rejected_records"]) == (1, 1)
