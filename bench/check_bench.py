"""Time `guidekit check` on a generated 10,000-class guideline (5 examples per class).

    python bench/check_bench.py [--classes 10000] [--examples 5]

Prints the CPU time of each stage (resolve, structure, lower, meaning, lint) and the
total, best of three runs. The compiler is single-threaded, so CPU time is the time on one
core, and it stays meaningful when other work shares the machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import itertools

from gen_guideline import generate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--classes", type=int, default=10_000)
    ap.add_argument("--examples", type=int, default=5)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()

    from guidekit.compiler.checks import check_meaning
    from guidekit.compiler.lint import check_lint
    from guidekit.compiler.lower import lower
    from guidekit.compiler.pipeline import compile_guideline
    from guidekit.compiler.resolve import resolve_file
    from guidekit.compiler.structure import check_structure

    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "g", a.classes, a.examples)
        size = sum(p.stat().st_size for p in root.rglob("*.yaml"))
        print(f"{a.classes} classes x {a.examples} examples, {size / 1e6:.1f} MB of YAML")
        best: dict[str, float] = {}
        for _ in range(a.runs):
            t = {"start": time.process_time()}
            doc = resolve_file(root)
            t["resolve"] = time.process_time()
            model, _ = check_structure(doc)
            t["structure"] = time.process_time()
            g, _, failed = lower(model, doc.source)
            t["lower"] = time.process_time()
            check_meaning(g, root, doc.source, failed)
            t["meaning"] = time.process_time()
            check_lint(g, doc.source)
            t["lint"] = time.process_time()
            keys = list(t)
            for prev, cur in itertools.pairwise(keys):
                best[cur] = min(best.get(cur, 1e9), t[cur] - t[prev])
            start = time.process_time()
            result = compile_guideline(root)
            best["total (compile_guideline)"] = min(
                best.get("total (compile_guideline)", 1e9), time.process_time() - start
            )
        for k, v in best.items():
            print(f"  {k:28s} {v:6.2f} s")
        print(f"  diagnostics: {len(result.diagnostics)}")


if __name__ == "__main__":
    main()
