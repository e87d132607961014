"""Class ids in any script and purely numeric ones: NFC on load, deliveries matched in NFC on
both validator paths, ASCII-safe handbook pages, and numbers read as their decimal text."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from guidekit.cli import main
from guidekit.compiler.pipeline import compile_guideline
from guidekit.delivery.stream import validate

NFC = "café"
NFD = unicodedata.normalize("NFD", NFC)
assert NFD != NFC

HEAD = """\
guidekit: 1
id: menu
title: Menu
version: 1.0.0
brief:
  objective: Say which kind of place a review is about.
record:
  id: item_id
  fields:
    body: {type: text}
governance:
  levels: [public]
tasks:
  place:
    type: single
    classes:
"""
CLASSES = f"""\
      - id: {NFD}
        definition: A small place that serves coffee, tea and light meals.
      - id: 日本料理
        definition: A restaurant that serves Japanese food and drinks.
      - id: 150
        definition: A place with the content code 150 of the public taxonomy.
      - id: restaurant
        parents: [150]
        definition: Any other place that serves full meals at tables.
"""


def project(tmp_path: Path, classes: str = CLASSES, name: str = "g") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "guideline.yaml").write_text(HEAD + classes, encoding="utf-8")
    return folder


def errors(capsys: pytest.CaptureFixture[str], folder: Path) -> tuple[int, list[Any]]:
    capsys.readouterr()
    code = main(["check", str(folder), "--format", "json"])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    return code, [
        (d["code"], d["location"]["line"], d["message"]) for d in found if d["severity"] == "error"
    ]


def test_unicode_and_numeric_ids_compile_in_nfc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = project(tmp_path, CLASSES + "      - 7\n")  # a bare class id, a YAML number
    assert errors(capsys, folder) == (0, [])
    g = compile_guideline(folder).guideline
    assert g is not None
    task = g.tasks["place"]
    assert task.class_ids() == (NFC, "日本料理", "150", "restaurant", "7")  # NFD read as NFC
    assert task["restaurant"].parents == ("150",)  # an unquoted number is its decimal text
    assert task.resolve_label(NFD) == NFC


@pytest.mark.parametrize(
    ("second", "line"),
    [
        (f"      - id: {NFC}\n        definition: The same id, typed composed.\n", 26),
        ("      - id: '150'\n        definition: The same id, quoted.\n", 26),
    ],
)
def test_ids_equal_after_normalising_are_duplicates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], second: str, line: int
) -> None:
    code, found = errors(capsys, project(tmp_path, CLASSES + second))
    assert code == 1
    assert [(c, n) for c, n, _ in found] == [("GK301", line)]


def test_a_bad_class_id_says_what_a_class_id_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = CLASSES + "      - id: _hidden\n        definition: Starts with an underscore.\n"
    code, found = errors(capsys, project(tmp_path, bad))
    assert code == 1
    assert found == [
        (
            "GK204",
            26,
            "'_hidden' is not a valid class id (a letter or digit of any script, then "
            "letters, digits, '_', '-' or '.')",
        )
    ]


def _delivery(tmp_path: Path, labels: list[str]) -> Path:
    path = tmp_path / "d.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i, label in enumerate(labels):
            rec = {"item_id": str(i), "body": "x", "place": label}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def test_deliveries_match_labels_in_nfc_on_both_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = project(tmp_path)
    labels = [NFC, NFD, "日本料理", "restaurant", "cafe", unicodedata.normalize("NFKD", "日本料理")]
    delivery = _delivery(tmp_path, labels)
    capsys.readouterr()
    assert main(["validate", str(folder), str(delivery), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    found = [(e["location"]["line"], e["message"]) for g in report["groups"] for e in g["examples"]]
    # NFD café is café (no alias warning); only the unknown label fails
    assert found == [(5, "'cafe' is not a class of task 'place'")]
    g = compile_guideline(folder).guideline
    assert g is not None
    fast = validate(g, delivery, examples=100)
    slow = validate(g, delivery, examples=100, fast=False)
    assert fast.to_dict() | {"split": None} == slow.to_dict() | {"split": None}
    assert (fast.records, fast.with_errors) == (6, 1)


def test_handbook_pages_of_unicode_ids_are_ascii_and_stable(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert main(["build", str(project(tmp_path)), "-t", "handbook", "-o", str(out)]) == 0
    pages = sorted(p.name for p in (out / "docs" / "tasks" / "place").iterdir())
    assert pages == ["150.md", "index.md", "restaurant.md", "u-caf-dma.md", "u-qevngt1bb95a.md"]
    html = out / "site" / "tasks" / "place"
    assert (html / "u-caf-dma.html").exists() or (html / "u-caf-dma" / "index.html").exists()
    index = (out / "docs" / "tasks" / "place" / "index.md").read_text(encoding="utf-8")
    assert "[café](u-caf-dma.md)" in index and "[日本料理](u-qevngt1bb95a.md)" in index


def test_the_same_guideline_typed_in_nfd_and_nfc_has_no_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = project(tmp_path, CLASSES, "old")
    new = project(tmp_path, CLASSES.replace(NFD, NFC), "new")
    capsys.readouterr()
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["changes"] == [] and report["required"] in (None, "none", "patch")
