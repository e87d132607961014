"""The chance-corrected family with analytic intervals at scale, from the command line.

    python bench/coefficients_bench.py [--items 100000] [--annotators 5] [--classes 20]

Writes a guideline with one single-label task of ``--classes`` classes and a JSON Lines file
of ``items x annotators`` ratings (70% the item's true class, 10% missing), then prints the
seconds of: each coefficient with its analytic standard error in-process, and
``guidekit agreement ... --stat`` (every coefficient, JSON report) as a subprocess, start-up
and reading included.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quality_bench import data, guideline_yaml  # noqa: E402

from guidekit.quality import coefficients as C  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--annotators", type=int, default=5)
    parser.add_argument("--classes", type=int, default=20)
    args = parser.parse_args()
    n, m, k = args.items, args.annotators, args.classes
    codes = data(n, m, k)
    print(f"{n} items x {m} annotators x {k} classes, 10% ratings missing\n")
    W = np.eye(k)
    total = 0.0
    for name in C.COEFFICIENTS:
        if name in ("cohen_kappa", "scott_pi"):
            continue  # two raters only
        start = time.perf_counter()
        est = C.FUNCTIONS[name](codes, W)
        took = time.perf_counter() - start
        total += took
        print(f"{name:<24} {took:7.3f} s   {est.value:.6f} se {est.se:.6f}")
    print(f"{'in-process, all':<24} {total:7.3f} s\n")

    names = [x for x in C.COEFFICIENTS if x not in ("cohen_kappa", "scott_pi")]
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "g"
        project.mkdir()
        (project / "guideline.yaml").write_text(guideline_yaml(k))
        path = Path(tmp) / "ann.jsonl"
        with path.open("wb") as f:
            for u in range(n):
                for r in range(m):
                    if codes[u, r] >= 0:
                        rec = {"id": f"i{u}", "annotator": f"a{r}", "label": f"c{codes[u, r]:02d}"}
                        f.write(orjson.dumps(rec) + b"\n")
        cmd = [sys.executable, "-m", "guidekit", "agreement", str(project), str(path)]
        cmd += [a for x in names for a in ("--stat", x)] + ["--format", "json"]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        for label, extra in (("CLI, every --stat", []), ("CLI, default statistics", None)):
            run = cmd if extra is not None else [*cmd[:6], "--format", "json"]
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                subprocess.run(run, check=True, env=env, stdout=subprocess.DEVNULL)
                best = min(best, time.perf_counter() - start)
            print(f"{label:<24} {best:7.3f} s (best of 3, start-up and reading included)")


if __name__ == "__main__":
    main()
