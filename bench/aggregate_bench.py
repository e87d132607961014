"""Label aggregation at scale: ``guidekit aggregate`` on 100,000 items x 5 annotators.

    python bench/aggregate_bench.py [--items 100000] [--annotators 5] [--classes 5]

Writes a delivery (one record per rating) of simulated annotators with accuracies from 0.9
down to 0.5, then times, best of 3: the whole command from the CLI (reading, grouping,
aggregation, writing the delivery and the confidence file) for each method, and the
in-process Dawid–Skene on the arrays alone. Prints the item accuracy of each method against
the simulated truth.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from guidekit.quality.aggregate import Ratings, dawid_skene  # noqa: E402


def simulate(items: int, raters: int, classes: int, seed: int = 0) -> tuple[Ratings, np.ndarray]:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, classes, items)
    acc = np.linspace(0.9, 0.5, raters)
    right = rng.random((items, raters)) < acc
    wrong = (truth[:, None] + rng.integers(1, classes, (items, raters))) % classes
    labels = np.where(right, truth[:, None], wrong)
    it = np.repeat(np.arange(items), raters)
    ra = np.tile(np.arange(raters), items)
    return Ratings.of(it, ra, labels.ravel(), items, raters, classes), truth


def guideline_yaml(classes: int) -> str:
    names = ", ".join(f"c{i:02d}" for i in range(classes))
    return (
        "guidekit: 1\nid: bench\ntitle: Bench\nversion: 1.0.0\n"
        "brief: {objective: Benchmark aggregation.}\n"
        "record: {id: id, fields: {text: {type: text}}}\n"
        f"tasks:\n  label: {{type: single, classes: [{names}]}}\n"
        'lint: {severity: {GK401: "off", GK402: "off", GK407: "off"}}\n'
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--annotators", type=int, default=5)
    parser.add_argument("--classes", type=int, default=5)
    args = parser.parse_args()
    ratings, truth = simulate(args.items, args.annotators, args.classes)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        ds = dawid_skene(ratings)
        best = min(best, time.perf_counter() - start)
    conv = ds.convergence
    print(f"{'Dawid–Skene in process (arrays)':<44} {best:8.3f} s   {conv}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "project").mkdir()
        (root / "project" / "guideline.yaml").write_text(guideline_yaml(args.classes))
        delivery = root / "delivery.jsonl"
        with delivery.open("wb") as f:
            for i, r, lab in zip(ratings.item, ratings.rater, ratings.label, strict=True):
                f.write(
                    orjson.dumps(
                        {"id": f"i{i}", "annotator": f"a{r}", "text": "x", "label": f"c{lab:02d}"}
                    )
                    + b"\n"
                )
        size = delivery.stat().st_size / 1e6
        print(f"delivery: {len(ratings.item):,} records, {size:.1f} MB")
        for method in ("majority", "weighted", "dawid-skene"):
            out = root / f"{method}.jsonl"
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "guidekit",
                        "aggregate",
                        str(root / "project"),
                        str(delivery),
                        "-o",
                        str(out),
                        "--method",
                        method,
                        "--ties",
                        "random",
                        "--format",
                        "json",
                        "--report",
                        str(root / "report.json"),
                    ],
                    check=True,
                    env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
                )
                best = min(best, time.perf_counter() - start)
            got = [orjson.loads(x)["label"] for x in out.read_bytes().splitlines()]
            accuracy = np.mean([int(g[1:]) == t for g, t in zip(got, truth, strict=True)])
            print(
                f"{'guidekit aggregate --method ' + method:<44} {best:8.3f} s   "
                f"item accuracy {accuracy:.4f}"
            )


if __name__ == "__main__":
    main()
