"""Benchmark the handbook generator.

    python bench/handbook_bench.py                 # 10,000-class Markdown + the four examples
    python bench/handbook_bench.py --classes 2000 --runs 1

1. Markdown for a generated 10,000-class guideline (``bench/gen_guideline.py``: one task,
   10,000 leaf classes under 100 parents, 5 examples, 1 negative, an edge case every tenth):
   ``render_handbook`` on the loaded IR, best of ``--runs``. Target: under 10 s.
2. The full handbook (Markdown, mkdocs project, strict mkdocs-material build) of each
   bundled example guideline, best of ``--runs``. Target: under 15 s each.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

EXAMPLES = ("support-tickets", "retail-products", "manufacturing-defects", "clinical-notes")


def best(fn, runs: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times = []
    result = None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    from gen_guideline import generate

    from guidekit import load
    from guidekit.handbook import build_handbook, render_handbook

    ap = argparse.ArgumentParser()
    ap.add_argument("--classes", type=int, default=10_000)
    ap.add_argument("--examples", type=int, default=5)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        project = generate(Path(tmp) / "big", args.classes, args.examples)
        g = load(project)
        seconds, hb = best(lambda: render_handbook(g), args.runs)
        pages = hb.pages  # type: ignore[attr-defined]
        size = sum(len(t) for t in pages.values())
        print(
            f"markdown, {args.classes} classes: {seconds:.2f} s "
            f"({len(pages)} pages, {size / 1e6:.1f} MB of Markdown)"
        )
        seconds, hb = best(lambda: render_handbook(g, print_view=False), args.runs)
        print(f"markdown without the printable view: {seconds:.2f} s")

        for name in EXAMPLES:
            path = ROOT / "guidelines" / name
            if not (path / "guideline.yaml").is_file():
                print(f"{name}: not found")
                continue
            out = Path(tmp) / name
            seconds, _ = best(lambda p=path, o=out: build_handbook(p, o), args.runs)
            print(f"{name}: full handbook (load, Markdown, strict mkdocs build) {seconds:.2f} s")


if __name__ == "__main__":
    main()
