"""Throughput and memory of the tool-format readers and writers.

Generates a native delivery for two example guidelines -- retail-products (10 boxes with
attributes per image) and support-tickets (4 spans per ticket) -- writes it in every format
that holds its tasks, then reads each file back in a fresh process and reports records per
second and the reading process's peak memory.

    python bench/bridges_bench.py             # 20,000 image records, 100,000 text records
    python bench/bridges_bench.py --scale 0.1 # a quick run
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

IMAGE_FORMATS = ("labelstudio", "labelstudio-min", "coco", "yolo", "voc", "cvat")
TEXT_FORMATS = ("labelstudio", "doccano", "conll", "spacy")
WORDS = [
    "the",
    "order",
    "arrived",
    "broken",
    "and",
    "I",
    "want",
    "a",
    "refund",
    "for",
    "my",
    "kettle",
    "please",
    "help",
    "today",
]


def image_records(n: int, rng: random.Random) -> list[dict[str, Any]]:
    labels = ["bottle", "can", "carton", "box", "bag", "jar", "produce", "shelf_label"]
    out = []
    for i in range(n):
        boxes = []
        for _ in range(10):
            label = rng.choice(labels)
            w, h = rng.uniform(10, 40), rng.uniform(20, 60)
            box: dict[str, Any] = {
                "label": label,
                "bbox": [
                    round(rng.uniform(0, 320 - w), 2),
                    round(rng.uniform(0, 240 - h), 2),
                    round(w, 2),
                    round(h, 2),
                ],
            }
            if label == "bottle":
                box["attributes"] = {"material": rng.choice(["glass", "plastic", "metal"])}
            boxes.append(box)
        out.append(
            {
                "image_id": f"img-{i:07d}",
                "store": "supermarket",
                "image": {"path": f"images/img-{i:07d}.png", "width": 320, "height": 240},
                "products": boxes,
                "shelf_status": "stocked",
                "annotator": f"vendor-{i % 7}",
            }
        )
    return out


def text_records(n: int, rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(30)]
        text = " ".join(words)
        spans, pos = [], 0
        starts = []
        for w in words:
            starts.append(pos)
            pos += len(w) + 1
        for k in sorted(rng.sample(range(30), 4)):
            spans.append(
                {
                    "start": starts[k],
                    "end": starts[k] + len(words[k]),
                    "label": rng.choice(["PRODUCT", "ORDER_ID"]),
                }
            )
        out.append(
            {
                "ticket_id": f"T-{i:07d}",
                "channel": "email",
                "body": text,
                "entities": spans,
                "intent": "refund_request",
                "urgency": "low",
            }
        )
    return out


def child(fmt: str, project: str, path: str) -> None:
    from guidekit import load
    from guidekit.bridges import READERS

    g = load(ROOT / "guidelines" / project)
    start = time.perf_counter()
    n = errors = 0
    for rec in READERS[fmt](path, g):
        n += 1
        errors += rec.error is not None
    elapsed = time.perf_counter() - start
    rss = peak_rss_mb()
    print(json.dumps({"records": n, "errors": errors, "seconds": elapsed, "rss_mb": rss}))


def peak_rss_mb() -> float:
    """This process's peak resident memory (``VmHWM``; ``ru_maxrss`` survives ``exec`` and
    would report the parent's)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def size(path: Path) -> float:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6
    return path.stat().st_size / 1e6


def run(project: str, records: list[dict[str, Any]], formats: tuple[str, ...], tmp: Path) -> None:
    from guidekit import load
    from guidekit.bridges import FOLDER_FORMATS, WRITERS

    g = load(ROOT / "guidelines" / project)
    print(f"\n{project}: {len(records):,} records")
    print("| format | write rec/s | file MB | read rec/s | read peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    for fmt in formats:
        out = tmp / (f"{project}-{fmt}" if fmt in FOLDER_FORMATS else f"{project}.{fmt}")
        start = time.perf_counter()
        WRITERS[fmt](records, g, out)
        wrote = time.perf_counter() - start
        res = subprocess.run(
            [sys.executable, __file__, "--child", fmt, project, str(out)],
            capture_output=True,
            text=True,
            check=True,
        )
        got = json.loads(res.stdout)
        assert got["records"] == len(records), got
        print(
            f"| {fmt} | {len(records) / wrote:,.0f} | {size(out):.1f} | {got['records'] / got['seconds']:,.0f} | {got['rss_mb']:.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        run(
            "retail-products",
            image_records(int(20_000 * args.scale), rng),
            IMAGE_FORMATS,
            Path(tmp),
        )
        run(
            "support-tickets", text_records(int(100_000 * args.scale), rng), TEXT_FORMATS, Path(tmp)
        )


if __name__ == "__main__":
    main()
