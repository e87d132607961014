"""Fixtures of the quality tests: a guideline with every task type, and annotation files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson
import pytest

from guidekit import ir
from guidekit.compiler.pipeline import load

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "quality" / "tickets"


@pytest.fixture(scope="session")
def guideline() -> ir.Guideline:
    return load(FIXTURE)


@pytest.fixture
def project() -> Path:
    return FIXTURE


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[[str, Iterable[dict[str, Any]]], Path]:
    def write(name: str, records: Iterable[dict[str, Any]]) -> Path:
        path = tmp_path / name
        path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
        return path

    return write


INTENTS = ("billing", "shipping", "other")
URGENCY = ("low", "medium", "high", "critical")
TOPICS = ("price", "delay", "damage", "refund")


def pilot(
    seed: int = 0, items: int = 60, annotators: int = 3, missing: float = 0.15
) -> list[dict[str, Any]]:
    """Records of ``items`` tickets each labelled by up to ``annotators`` people, with
    real structure (a true label most pick) and some missing ratings."""
    import random

    rnd = random.Random(seed)
    out = []
    for i in range(items):
        intent = rnd.choice(INTENTS)
        urgency = rnd.randrange(4)
        topics = set(rnd.sample(TOPICS, 2))
        score = urgency * 2 + rnd.random()
        for a in range(annotators):
            if rnd.random() < missing:
                continue
            u = min(3, max(0, urgency + rnd.choice([0, 0, 0, 1, -1])))
            rec: dict[str, Any] = {
                "ticket_id": f"T{i:03d}",
                "annotator": f"ann{a + 1}",
                "body": f"Ticket number {i} about order 55{i}",
                "intent": intent if rnd.random() < 0.75 else rnd.choice(INTENTS),
                "urgency": URGENCY[u],
                "topics": sorted(topics if rnd.random() < 0.6 else {rnd.choice(TOPICS)}),
                "score": round(score + rnd.choice([0, 0, 0.5, -0.5]), 1),
                "spam": rnd.random() < 0.15,
                "entities": [{"start": 0, "end": 6, "label": "ORDER"}]
                + (
                    [{"start": 7, "end": 13 + rnd.choice([0, 0, 1]), "label": "PRODUCT"}]
                    if rnd.random() < 0.7
                    else []
                ),
                "boxes": [{"label": "logo", "bbox": [10 + rnd.choice([0, 0, 8]), 10, 20, 20]}],
            }
            out.append(rec)
    return out
