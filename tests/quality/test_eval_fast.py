"""The columnar scoring of label tasks (``evaluation._score_labels``) writes the same report,
byte for byte, as the per-record path through ``gold.score_task``, on a file with everything
that leaves a denominator or is scored as wrong."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from guidekit.cli import main
from guidekit.compiler.pipeline import load
from guidekit.quality import evaluation as E

ROOT = Path(__file__).resolve().parents[2]
TICKETS = ROOT / "guidelines" / "support-tickets"


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _files(tmp_path: Path, seed: int) -> tuple[Path, Path, Path]:
    rng = random.Random(seed)
    g = load(TICKETS)
    classes = [c.id for c in g.tasks["intent"].classes]
    odd = ["dispute", "refund", "dämaged_item", "ünknown", "billing\u0301", "", 7, None]
    gold: list[dict[str, Any]] = []
    for i in range(400):
        r: dict[str, Any] = {
            "ticket_id": i if i % 50 == 0 else f"G{i}",
            "intent": rng.choice(classes),
        }
        if i % 3:
            r["split"] = rng.choice(["train", "test"])
        if i % 97 == 5:
            r["intent"] = "no_such_class"  # a key value that is not a class: not scored
        gold.append(r)
    keys = [i.id for i in g.evaluation.items] + [str(r["ticket_id"]) for r in gold]

    def predictions() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for item in keys:
            if rng.random() < 0.05:
                continue  # a key item without a prediction
            label: Any = rng.choice(classes) if rng.random() < 0.3 else None
            if label is None:
                label = rng.choice(odd) if rng.random() < 0.3 else rng.choice(classes)
            r: dict[str, Any] = {"ticket_id": int(item) if item.isdigit() else item}
            if rng.random() < 0.97:
                r["intent"] = label
            if isinstance(label, str) and rng.random() < 0.1:
                r["intent"] = unicodedata.normalize("NFD", label)
            if rng.random() < 0.03:
                r["skip"] = True
            if rng.random() < 0.2:
                r["annotator"] = rng.choice(["model-a", "modèle-b"])
            out.append(r)
        out.append({"ticket_id": "NOT-AN-ITEM", "intent": "billing"})  # unknown item
        out.append(dict(out[3]))  # repeated
        return out

    return (
        _write(tmp_path / "gold.jsonl", gold),
        _write(tmp_path / "preds.jsonl", predictions()),
        _write(tmp_path / "other.jsonl", predictions()),
    )


def _eval(tmp_path: Path, gold: Path, preds: Path, other: Path, out: str) -> tuple[int, bytes]:
    args = ["eval", str(TICKETS), str(preds), "--gold", str(gold), "--compare", str(other)]
    code = main([*args, "--format", "json", "-o", str(tmp_path / out)])
    return code, (tmp_path / out).read_bytes()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_columnar_report_is_the_per_record_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    gold, preds, other = _files(tmp_path, seed)
    used: list[bool] = []
    fast = E._score_labels

    def spy(*args: Any) -> Any:
        result = fast(*args)
        used.append(result is not None)
        return result

    monkeypatch.setattr(E, "_score_labels", spy)
    code, columnar = _eval(tmp_path, gold, preds, other, "fast.json")
    assert used and all(used)  # intent (both files) went the columnar way
    monkeypatch.setattr(E, "_score_labels", lambda *args: None)
    assert _eval(tmp_path, gold, preds, other, "slow.json") == (code, columnar)
    assert code in (0, 1)
    report = json.loads(columnar)
    intent = next(t for t in report["tasks"] if t["task"] == "intent")
    assert {g["kind"] for g in intent["groups"]} >= {"split", "edge_case"}
    whats = " ".join(e["what"] for e in report["excluded"])
    assert "unknown items" in whats and "repeated" in whats and "without a prediction" in whats
