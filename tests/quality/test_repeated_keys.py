"""A record whose JSON repeats a key is reported by the quality commands and left out (JSON
readers disagree on which value counts); it used to be used silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidekit.cli import main

ROOT = Path(__file__).resolve().parents[2]
TICKETS = ROOT / "guidelines" / "support-tickets"


def _delivery(tmp_path: Path, repeat: bool) -> Path:
    lines = [
        json.dumps({"ticket_id": f"T{i}", "annotator": a, "intent": "other"})
        for i in range(1, 6)
        for a in ("a1", "a2")
    ]
    if repeat:
        lines[3] = lines[3][:-1] + ', "intent": "billing_dispute"}'
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def _pairable(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[dict[str, int], str]:
    assert main(["agreement", str(TICKETS), str(path), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    return {t["task"]: t["pairable_items"] for t in json.loads(out)["agreement"]}, err


def test_agreement_reports_and_leaves_out_a_record_with_a_repeated_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean, err = _pairable(capsys, _delivery(tmp_path, repeat=False))
    assert "GK550" not in err
    repeated, err = _pairable(capsys, _delivery(tmp_path, repeat=True))
    assert f"{tmp_path / 'd.jsonl'}:4: GK550 key 'intent' appears twice" in err
    assert repeated["entities"] == clean["entities"] - 1  # T2 has one annotator left
