"""``guidekit eval`` of 1,000,000 predictions with 200 edge-case tags.

Generates a guideline with one single-label task (20 classes), 200 decided edge cases and
2,000 evaluation items (10 tagged with each edge case), a gold delivery of 998,000 records,
and predictions for all 1,000,000 key items (80 % right). Times the whole command (read
both files, score overall, per split, per class and per edge case, bootstrap the small
groups, write the JSON report) in a fresh process, best of ``--repeat``.

    python bench/eval_bench.py              # 1,000,000 predictions
    python bench/eval_bench.py --scale 0.1  # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CLASSES = [f"c{i:02d}" for i in range(20)]
EDGE_CASES = 200
PER_EDGE_CASE = 10


def write_project(folder: Path) -> list[tuple[str, str]]:
    rng = random.Random(0)
    edge_cases = [
        {
            "id": f"EC-{i:03d}",
            "body": f"hard case {i}",
            "decision": CLASSES[i % 20],
            "rationale": "Because.",
        }
        for i in range(EDGE_CASES)
    ]
    items = []
    key = []
    for i in range(EDGE_CASES * PER_EDGE_CASE):
        label = rng.choice(CLASSES)
        items.append(
            {
                "id": f"EV-{i:05d}",
                "body": f"evaluation item {i}",
                "annotations": {"intent": label},
                "edge_cases": [f"EC-{i % EDGE_CASES:03d}"],
                "split": "eval",
            }
        )
        key.append((f"EV-{i:05d}", label))
    doc = {
        "guidekit": 1,
        "id": "eval-bench",
        "title": "Eval bench",
        "version": "1.0.0",
        "brief": {"objective": "Time guidekit eval."},
        "record": {"id": "id", "fields": {"body": {"type": "text"}}},
        "tasks": {
            "intent": {
                "type": "single",
                "classes": [{"id": c, "definition": f"Class {c}."} for c in CLASSES],
                "edge_cases": edge_cases,
            }
        },
        "splits": ["train", "eval"],
        "evaluation": {"items": items},
        "acceptance": {"edge_cases": {"min_f1": 0.5}},
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "guideline.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    return key


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = int(1_000_000 * args.scale)
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        key = write_project(root / "project")
        gold_n = n - len(key)
        with (root / "gold.jsonl").open("w") as gold:
            for i in range(gold_n):
                label = rng.choice(CLASSES)
                gold.write(json.dumps({"id": f"G{i}", "intent": label, "split": "train"}) + "\n")
                key.append((f"G{i}", label))
        with (root / "preds.jsonl").open("w") as preds:
            for item, label in key:
                guess = label if rng.random() < 0.8 else rng.choice(CLASSES)
                preds.write(json.dumps({"id": item, "intent": guess}) + "\n")
        cmd = [
            sys.executable,
            "-m",
            "guidekit",
            "eval",
            str(root / "project"),
            str(root / "preds.jsonl"),
            "--gold",
            str(root / "gold.jsonl"),
            "--format",
            "json",
            "-o",
            str(root / "report.json"),
        ]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
            best = min(best, time.perf_counter() - start)
            if done.returncode not in (0, 1):
                sys.exit(done.stderr)
        report = json.loads((root / "report.json").read_text())
        groups = report["tasks"][0]["groups"]
        tagged = sum(1 for g in groups if g["kind"] == "edge_case")
        print(f"{n:,} predictions, {tagged} edge-case groups: best of {args.repeat}: {best:.2f} s")


if __name__ == "__main__":
    main()
