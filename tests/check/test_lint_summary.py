"""A generated taxonomy does not drown in warnings: parents no record may carry are not
asked for examples or negatives, and ``check --summary`` shows each warning code once."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from guidekit.cli import main


@pytest.fixture
def taxonomy(tmp_path: Path) -> Path:
    """300 leaves under 15 parents, imported as a project (no examples anywhere)."""
    table = tmp_path / "taxonomy.csv"
    with table.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "parent", "name"])
        for p in range(15):
            w.writerow([f"group{p}", "", f"Group {p}"])
            for k in range(20):
                w.writerow([f"item{p}_{k}", f"group{p}", f"Item {p}.{k}"])
    out = tmp_path / "big"
    assert main(["import", str(table), str(out)]) == 0
    return out


def _codes(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]]]:
    code = main(["check", *args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)["diagnostics"]


def test_parents_are_not_asked_for_examples(
    taxonomy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code, found = _codes(capsys, str(taxonomy))
    assert code == 0
    no_examples = [d for d in found if d["code"] in ("GK407", "GK402")]
    assert len(no_examples) == 2 * 300  # the leaves only: 630 before
    assert not any("'group" in str(d["message"]) for d in no_examples)
    # a parent still needs a definition: annotators read it
    assert sum(d["code"] == "GK401" for d in found) == 315


def test_summary_shows_each_warning_code_once(
    taxonomy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["check", str(taxonomy)]) == 0
    full = capsys.readouterr().out.splitlines()
    assert main(["check", str(taxonomy), "--summary"]) == 0
    short = capsys.readouterr().out
    assert len(full) > 900 and len(short.splitlines()) < 20
    assert "GK407" in short and "(and 299 more like it)" in short
    assert "916 warnings and notes in all, each code shown once below" in short
    _, found = _codes(capsys, str(taxonomy), "--summary")
    assert sorted(d["code"] for d in found) == ["GK401", "GK402", "GK404", "GK407"]


def test_summary_keeps_every_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "bad"
    project.mkdir()
    (project / "guideline.yaml").write_text(
        "guidekit: 1\nid: bad\ntitle: Bad\nversion: 1.0.0\nbrief: {objective: Broken on purpose.}\n"
        "record: {id: id, fields: {text: {type: text}}}\n"
        "tasks:\n  t: {type: single, classes: [{id: a, parent: nowhere}, {id: b, parent: elsewhere}]}\n"
    )
    code, found = _codes(capsys, str(project), "--summary")
    assert code == 1
    assert sum(d["severity"] == "error" for d in found) == 2
