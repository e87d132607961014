"""Ledger benchmark: what ``--record`` adds to a large validation, and ``ledger report`` over
many batches.

    python bench/ledger_bench.py                       # 1M-record delivery, 500 batches
    python bench/ledger_bench.py --records 200000 --batches 100

The delivery comes from bench/gen_deliveries.py into --dir (reused). Validation with and
without ``--record`` runs interleaved in fresh processes, best of --repeat (a new ledger each
time, so every record is a first record: the file is hashed). The batches for the report are
written directly through ``guidekit.ledger.record`` (synthetic: 5 runs a batch with codes,
classes, annotators, criteria, audit samples and agreement rows, as a real program makes).
See bench/README.md for the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "bench" / "guidelines" / "text-tickets"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def delivery(folder: Path, records: int) -> Path:
    path = folder / f"text-{records}.jsonl"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "gen_deliveries.py"),
                "text",
                str(records),
                str(path),
            ],
            check=True,
            env=ENV,
        )
    return path


def timed(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(args, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def bench_record(path: Path, repeat: int) -> None:
    base = [sys.executable, "-m", "guidekit", "validate", str(GUIDE), str(path), "--format", "json"]
    plain, recorded = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeat):
            plain.append(timed(base))
            url = f"sqlite:///{tmp}/ledger-{i}.db"
            recorded.append(timed([*base, "--record", f"B{i}", "--ledger", url]))
    a, b = min(plain), min(recorded)
    size = path.stat().st_size / 1e6
    print(
        f"validate {path.name} ({size:,.0f} MB): {a:.2f} s; with --record: {b:.2f} s "
        f"(+{100 * (b - a) / a:.1f}%)"
    )


def synthetic(url: str, batches: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from guidekit import ledger

    db = ledger.open(url)
    rnd = random.Random(7)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    classes = [f"intent/c{i}" for i in range(16)]
    for n in range(batches):
        sent = start + timedelta(days=n)
        version = f"1.{n // 50}.0"
        for command in ("validate", "accept", "audit score", "agreement", "gold"):
            run = ledger.Run(
                batch=f"B{n:04d}",
                command=command,
                guideline="text-tickets",
                guideline_version=version,
                verdict=rnd.choice(["accept", "accept", "reject"]),
                files=[(f"b{n}.jsonl", f"{n:064x}")],
                report="{}",
                vendor=f"vendor-{n % 3}",
                sent=sent,
                delivered=sent + timedelta(days=rnd.uniform(1, 9)),
                records=1_000_000,
                rejected=rnd.randint(0, 20_000),
            )
            if command == "validate":
                for code in ("GK511", "GK521", "GK530", "GK540"):
                    run.counts["code", code] = rnd.randint(0, 5000)
            if command == "accept":
                run.counts.update({("class", c): rnd.randint(1000, 100_000) for c in classes})
                run.criteria.append(
                    ledger.Criterion("audit", "audit pass rate", "met", 0.95, 0.9, 0.98, 0.9, ">=")
                )
            if command == "audit score":
                run.audit = [
                    (f"r{i}", "pass" if rnd.random() < 0.95 else "fail") for i in range(200)
                ]
            if command == "agreement":
                for c in [None, *classes]:
                    v = rnd.uniform(0.6, 0.9)
                    run.agreement.append(
                        ledger.AgreementRow(
                            "intent", c, "krippendorff_alpha", v, v - 0.05, v + 0.05, 500
                        )
                    )
            if command == "gold":
                for a in range(40):
                    run.counts["annotator", f"ann{a}"] = 500
                    run.counts["annotator_errors", f"ann{a}"] = rnd.randint(5, 60)
            ledger.record(db, run)
    db.close()


def bench_report(batches: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/ledger.db"
        t = time.perf_counter()
        synthetic(url, batches)
        made = time.perf_counter() - t
        out = Path(tmp) / "report"
        took = timed(
            [
                sys.executable,
                "-m",
                "guidekit",
                "ledger",
                "report",
                str(GUIDE),
                "--ledger",
                url,
                "-o",
                str(out),
            ]
        )
        status = timed(
            [sys.executable, "-m", "guidekit", "ledger", "status", str(GUIDE), "--ledger", url]
        )
        size = Path(tmp, "ledger.db").stat().st_size / 1e6
        print(
            f"{batches} batches x 5 runs written in {made:.1f} s ({size:.1f} MB); "
            f"ledger report: {took:.2f} s; ledger status: {status:.2f} s"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--batches", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "gk-bench")
    ap.add_argument("--only", choices=["record", "report"])
    args = ap.parse_args()
    if args.only != "report":
        bench_record(delivery(args.dir, args.records), args.repeat)
    if args.only != "record":
        bench_report(args.batches)


if __name__ == "__main__":
    main()
