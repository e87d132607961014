"""Delivery validation benchmark: guidekit validate against parsing with orjson, the
generated pydantic models and the `jsonschema` library, plus peak memory at two sizes.

    python bench/validate_bench.py                     # 1M and 5M records, both tasks
    python bench/validate_bench.py --records 200000 --big 1000000 --only text

Deliveries are generated once into --dir (bench/gen_deliveries.py; about 1.2 GB per million
text records, 0.8 GB per million image records) and reused. Every measurement runs in a
fresh process (wall time and peak RSS of that process and its children); the competitors
run interleaved, best of --repeat. `jsonschema` and pydantic run on a sample and are
extrapolated. See bench/README.md for the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDES = {
    "text": ROOT / "bench" / "guidelines" / "text-tickets",
    "image": ROOT / "bench" / "guidelines" / "image-shelves",
}
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

# Runs a command, prints {"seconds", "max_rss_mb"} of it (and its children).
MEASURE = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
dt = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": dt, "max_rss_mb": rss, "rc": rc}))
"""

ORJSON = """
import sys, orjson
n = 0
with open(sys.argv[1], "rb") as f:
    for line in f:
        orjson.loads(line)
        n += 1
"""

SAMPLED = """
import itertools, json, sys, time
import orjson
kind, guide, path, sample = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
from guidekit.compiler.pipeline import load
g = load(guide)
with open(path, "rb") as f:
    lines = list(itertools.islice(f, sample))
out = {}
if kind == "jsonschema":
    import jsonschema
    from guidekit.generators.jsonschema import build_schema
    v = jsonschema.Draft202012Validator(build_schema(g))
    t = time.perf_counter()
    for line in lines:
        v.is_valid(orjson.loads(line))
    out["seconds"] = time.perf_counter() - t
else:
    import importlib.util, tempfile, pydantic
    from guidekit.generators.models import write_models
    (mod_path,) = write_models(g, tempfile.mkdtemp())
    spec = importlib.util.spec_from_file_location("m", mod_path)
    m = importlib.util.module_from_spec(spec); sys.modules["m"] = m; spec.loader.exec_module(m)
    t = time.perf_counter()
    for line in lines:
        try:
            m.Record.model_validate_json(line)
        except pydantic.ValidationError:
            pass
    out["seconds"] = time.perf_counter() - t
out["records"] = len(lines)
print(json.dumps(out))
"""


def measure(cmd: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd], env=ENV, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def ensure(kind: str, count: int, folder: Path) -> Path:
    path = folder / f"{kind}-{count}.jsonl"
    if not path.exists():
        print(f"generating {path} ...", file=sys.stderr)
        tmp = path.with_suffix(".tmp")
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "gen_deliveries.py"), kind, str(count), str(tmp)],
            check=True,
        )
        tmp.rename(path)
    return path


def guidekit(kind: str, path: Path, jobs: int, report: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "guidekit",
        "validate",
        str(GUIDES[kind]),
        str(path),
        "--format",
        "json",
        "-o",
        str(report),
        "--no-progress",
        "-j",
        str(jobs),
    ]


def run(kind: str, args: argparse.Namespace, folder: Path) -> dict[str, object]:
    small = ensure(kind, args.records, folder)
    report = Path(tempfile.mkdtemp()) / "report.json"
    best: dict[str, dict[str, float]] = {}
    commands = {
        "orjson parse": [sys.executable, "-c", ORJSON, str(small)],
        "guidekit validate -j 1": guidekit(kind, small, 1, report),
        f"guidekit validate -j {args.jobs}": guidekit(kind, small, args.jobs, report),
    }
    for _ in range(args.repeat):
        for name, cmd in commands.items():
            m = measure(cmd)
            if name not in best or m["seconds"] < best[name]["seconds"]:
                best[name] = m
    verdict = json.loads(report.read_text())
    out: dict[str, object] = {
        "records": args.records,
        "bytes": small.stat().st_size,
        "rejected_records": verdict["rejected_records"],
        "runs": best,
    }
    for lib in ("jsonschema", "pydantic"):
        res = subprocess.run(
            [sys.executable, "-c", SAMPLED, lib, str(GUIDES[kind]), str(small), str(args.sample)],
            env=ENV,
            capture_output=True,
            text=True,
            check=True,
        )
        sample = json.loads(res.stdout)
        out[lib] = sample["records"] / sample["seconds"]
    if args.big:
        big = ensure(kind, args.big, folder)
        out["memory"] = {
            "records_small": args.records,
            "records_big": args.big,
            "j1_small_mb": best["guidekit validate -j 1"]["max_rss_mb"],
            "j1_big_mb": measure(guidekit(kind, big, 1, report))["max_rss_mb"],
            "jN_small_mb": best[f"guidekit validate -j {args.jobs}"]["max_rss_mb"],
            "jN_big": measure(guidekit(kind, big, args.jobs, report)),
        }
    return out


def table(kind: str, res: dict[str, object]) -> str:
    runs: dict[str, dict[str, float]] = res["runs"]  # type: ignore[assignment]
    n = res["records"]
    base = n / runs["orjson parse"]["seconds"]  # type: ignore[operator]
    lines = [
        f"### {kind} task: {n:,} records, {res['bytes'] / 1e6:,.0f} MB, "  # type: ignore[operator]
        f"{res['rejected_records']:,} rejected",
        "",
        "| | records/s | vs orjson | seconds | peak RSS |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, m in runs.items():
        rate = n / m["seconds"]  # type: ignore[operator]
        lines.append(
            f"| {name} | {rate:,.0f} | {rate / base:.2f}x | {m['seconds']:.2f} | "
            f"{m['max_rss_mb']:.0f} MB |"
        )
    for lib in ("pydantic", "jsonschema"):
        rate = res[lib]
        label = (
            "generated pydantic models (strict)" if lib == "pydantic" else "`jsonschema` library"
        )
        lines.append(f"| {label}, sample | {rate:,.0f} | {rate / base:.3f}x | | |")  # type: ignore[operator]
    mem = res.get("memory")
    if mem:
        lines += [
            "",
            f"Peak RSS, {mem['records_small']:,} vs {mem['records_big']:,} records: "  # type: ignore[index]
            f"-j 1 {mem['j1_small_mb']:.0f} MB vs {mem['j1_big_mb']:.0f} MB; "  # type: ignore[index]
            f"-j N {mem['jN_small_mb']:.0f} MB vs {mem['jN_big']['max_rss_mb']:.0f} MB "  # type: ignore[index]
            f"({mem['records_big'] / mem['jN_big']['seconds']:,.0f} records/s).",  # type: ignore[index]
        ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--big", type=int, default=5_000_000, help="0 to skip the memory run")
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "gk-bench")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sample", type=int, default=20_000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--only", choices=list(GUIDES))
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    results = {}
    for kind in [args.only] if args.only else list(GUIDES):
        results[kind] = run(kind, args, args.dir)
        print(table(kind, results[kind]), "\n", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
