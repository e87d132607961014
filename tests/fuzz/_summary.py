"""Figures for RELIABILITY.md from a ``GUIDEKIT_FUZZ_STATS`` file:
``python tests/fuzz/_summary.py STATS.jsonl``."""

from __future__ import annotations

import collections
import json
import sys


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    by_kind: dict[str, list[dict[str, object]]] = collections.defaultdict(list)
    for row in rows:
        by_kind[str(row["kind"])].append(row)
    print("| input class | runs | exit 0 / 1 / 2 | exit 3 or other | hangs | worst s | worst MB |")
    print("|---|---|---|---|---|---|---|")
    for kind, group in sorted(by_kind.items()):
        codes = collections.Counter(r.get("code") for r in group)
        other = sum(n for c, n in codes.items() if c not in (0, 1, 2, None))
        secs = max((float(str(r.get("seconds", 0))) for r in group), default=0.0)
        rss = max((float(str(r.get("rss_mb", 0))) for r in group), default=0.0)
        print(
            f"| {kind} | {len(group)} | {codes[0]} / {codes[1]} / {codes[2]} | {other} "
            f"| {codes[None]} | {secs:.2f} | {rss:.0f} |"
        )
    # guideline projects by the mutations they carry (a project may carry up to three)
    per: dict[str, list[dict[str, object]]] = collections.defaultdict(list)
    for row in by_kind.get("project-check", []):
        for m in set(row.get("mutations", [])):  # type: ignore[call-overload]
            per[m].append(row)
    if per:
        print("\n| project mutation | checks | exit 3 | hangs | worst s | worst MB |")
        print("|---|---|---|---|---|---|")
    for m, group in sorted(per.items()):
        bugs = sum(1 for r in group if r.get("code") not in (0, 1, 2, None))
        hangs = sum(1 for r in group if r.get("code") is None)
        secs = max(float(str(r.get("seconds", 0))) for r in group)
        rss = max(float(str(r.get("rss_mb", 0))) for r in group)
        print(f"| {m} | {len(group)} | {bugs} | {hangs} | {secs:.2f} | {rss:.0f} |")


if __name__ == "__main__":
    main(sys.argv[1])
