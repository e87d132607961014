"""Parquet against JSON Lines, per CPU-second, side by side in one run (issue #14).

    python bench/parquet_bench.py                    # 200,000 records of each task
    python bench/parquet_bench.py --records 1000000 --only text

The JSON Lines delivery comes from bench/gen_deliveries.py (generated once into --dir);
the Parquet file holds the same records, structured values as JSON text (one column per
key, one row group per 100,000 rows) or, with --nested, as Arrow lists and structs. Each
figure is a fresh process: CPU seconds (user + system) and peak RSS, best of --repeat,
interleaved. Also measured: pyarrow's JSON reader (``pyarrow.json.read_json``) reading the
same JSON Lines into a table, the first step of a JSON Lines -> Arrow plan (item 4).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDES = {
    "text": ROOT / "bench" / "guidelines" / "text-tickets",
    "image": ROOT / "bench" / "guidelines" / "image-shelves",
}
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

# Runs a command; prints CPU seconds and peak RSS of it (its own, VmHWM-like via rusage).
MEASURE = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
dt = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": dt, "cpu": ru.ru_utime + ru.ru_stime, "rss": ru.ru_maxrss / 1024, "rc": rc}))
"""

ORJSON = """
import sys, orjson
with open(sys.argv[1], "rb") as f:
    for line in f:
        orjson.loads(line)
"""

ARROW_JSON = """
import sys, pyarrow.json as pj
pj.read_json(sys.argv[1], read_options=pj.ReadOptions(block_size=1 << 20, use_threads=False))
"""

TO_PARQUET = """
import sys, orjson, pyarrow as pa, pyarrow.parquet as pq
src, out, nested = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
rows = [orjson.loads(x) for x in open(src, "rb")]
keys = list(dict.fromkeys(k for r in rows for k in r))
if nested:
    table = pa.Table.from_pylist(rows, schema=pa.Table.from_pylist(rows[:5000]).schema)
else:
    cols = {}
    for k in keys:
        vals = [r.get(k) for r in rows]
        if any(isinstance(v, (list, dict)) for v in vals):
            vals = [None if v is None else orjson.dumps(v).decode() for v in vals]
        cols[k] = vals
    table = pa.table(cols)
pq.write_table(table, out, row_group_size=100_000)
"""


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd],
        capture_output=True,
        text=True,
        check=True,
        env=env or ENV,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=200_000)
    ap.add_argument("--dir", default="/tmp/gk-bench")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--only", choices=sorted(GUIDES))
    ap.add_argument("--nested", action="store_true")
    args = ap.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    for kind, guide in GUIDES.items():
        if args.only and kind != args.only:
            continue
        jsonl = folder / f"{kind}-{args.records}.jsonl"
        argv = [str(args.records), str(jsonl)]
        if not jsonl.exists():
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / "gen_deliveries.py"), kind, *argv],
                check=True,
            )
        tag = "nested" if args.nested else "text"
        parquet = folder / f"{kind}-{args.records}-{tag}.parquet"
        if not parquet.exists():
            subprocess.run(
                [sys.executable, "-c", TO_PARQUET, str(jsonl), str(parquet), str(int(args.nested))],
                check=True,
            )
        report = str(folder / "report.json")
        gk = [sys.executable, "-m", "guidekit", "validate", str(guide)]
        opts = ["--format", "json", "-o", report, "--no-progress", "-j", "1"]
        rows_env = {**ENV, "GUIDEKIT_PARQUET_ROWS": "1"}
        runs = {
            "orjson parse of the JSON Lines": ([sys.executable, "-c", ORJSON, str(jsonl)], None),
            "pyarrow.json.read_json of the JSON Lines": (
                [sys.executable, "-c", ARROW_JSON, str(jsonl)],
                None,
            ),
            "guidekit validate -j 1, JSON Lines": ([*gk, str(jsonl), *opts], None),
            "guidekit validate, Parquet": ([*gk, str(parquet), *opts], None),
            "guidekit validate, Parquet by rows (the reference)": (
                [*gk, str(parquet), *opts],
                rows_env,
            ),
        }
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.repeat):
            for name, (cmd, env) in runs.items():
                m = measure(cmd, env)
                if name not in best or m["cpu"] < best[name]["cpu"]:
                    best[name] = m
        base = best["orjson parse of the JSON Lines"]["cpu"]
        print(
            f"\n{kind}, {args.records:,} records ({jsonl.stat().st_size / 1e6:,.0f} MB JSON Lines, "
            f"{parquet.stat().st_size / 1e6:,.0f} MB Parquet, {tag} cells)"
        )
        print("| run | CPU s | records per CPU-s | vs orjson | peak RSS |")
        print("|---|---:|---:|---:|---:|")
        for name, m in best.items():
            print(
                f"| {name} | {m['cpu']:.2f} | {args.records / m['cpu']:,.0f} | "
                f"{base / m['cpu']:.2f}x | {m['rss']:.0f} MB |"
            )


if __name__ == "__main__":
    main()
