"""Spark ``local[N]`` against ``guidekit validate`` on the same delivery, side by side.

    python bench/spark_bench.py [RECORDS]     # default 200,000 text records

Generates ``bench/guidelines/text-tickets`` records with ``bench/gen_deliveries.py`` into
/tmp/gk-spark-bench once, then times (wall, best of 2, in this order): the CLI with ``-j 1``
and ``-j 2`` as fresh processes, and ``guidekit.spark.validate`` in ``local[1]`` and
``local[2]`` with 1 and 2 partitions (one session per master, started before the clock;
its start-up is printed separately). Checks that every run gives the same report.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDELINE = ROOT / "bench" / "guidelines" / "text-tickets"
OUT = Path("/tmp/gk-spark-bench")


def _delivery(n: int) -> Path:
    path = OUT / f"text-{n}.jsonl"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        gen = [sys.executable, str(ROOT / "bench" / "gen_deliveries.py")]
        subprocess.run([*gen, "text", str(n), str(path)], check=True)
    return path


def _cli(path: Path, jobs: int) -> tuple[float, dict[str, object]]:
    out = OUT / f"cli-{jobs}.json"
    cmd = [sys.executable, "-m", "guidekit", "validate", str(GUIDELINE), str(path)]
    cmd += ["-j", str(jobs), "--format", "json", "-o", str(out), "--no-progress"]
    best = float("inf")
    for _ in range(2):
        t = time.perf_counter()
        subprocess.run(cmd, check=False, capture_output=True)
        best = min(best, time.perf_counter() - t)
    return best, json.loads(out.read_text(encoding="utf-8"))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    path = _delivery(n)
    size = path.stat().st_size
    print(f"{n:,} records, {size / 1e6:.0f} MB")
    rows = []
    reference = None
    for jobs in (1, 2):
        wall, report = _cli(path, jobs)
        reference = reference or report
        assert report == reference, "the CLI runs disagree"
        rows.append((f"guidekit validate -j {jobs} (fresh process)", wall))
    from pyspark.sql import SparkSession

    from guidekit.compiler.pipeline import load
    from guidekit.delivery.render import render
    from guidekit.spark import validate

    guideline = load(GUIDELINE)
    for cores in (1, 2):
        t = time.perf_counter()
        spark = (
            SparkSession.builder.master(f"local[{cores}]")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.memory", "1g")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        print(f"local[{cores}] session start: {time.perf_counter() - t:.1f} s")
        for parts in (1, 2):
            best = float("inf")
            for _ in range(2):
                t = time.perf_counter()
                result = validate(
                    str(path), guideline, spark=spark, partition_bytes=-(-size // parts)
                )
                best = min(best, time.perf_counter() - t)
                assert result.partitions == parts
                got = json.loads(render(result.report, "json"))
                assert got == reference, "Spark's report differs from the CLI's"
                result.unpersist()
            rows.append((f"guidekit.spark local[{cores}], {parts} partition(s)", best))
        spark.stop()
    base = rows[0][1]
    print("| run | wall s | records/s | vs -j 1 |\n|---|---:|---:|---:|")
    for what, wall in rows:
        print(f"| {what} | {wall:.2f} | {n / wall:,.0f} | {base / wall:.2f}x |")


if __name__ == "__main__":
    main()
