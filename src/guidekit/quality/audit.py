"""Audits: draw a seeded, class-stratified sample; score the auditors' verdicts.

Sampling works on items (ids), not records: an item labelled by several annotators is audited
once, with all its records. Items are grouped by the label of one task (the first single or
ordinal task unless told otherwise); every group gets at least one item when the sample is
large enough to cover them all, and the rest is shared out in proportion to group size (largest
remainder). Within a group items are drawn with a seeded generator from the id-sorted list, so
the same delivery, rate and seed give the same sample whatever the record order.

A verdict file is JSON Lines, one verdict per audited item::

    {"id": "T-1001", "pass": false, "defects": ["wrong_label"], "auditor": "kim", "note": "..."}

``id`` is the item id (the name of the guideline's id field works as well), ``pass`` a
boolean, ``defects`` a list of defect types (free text, counted as given), ``auditor`` and
``note`` optional.
"""

from __future__ import annotations

import math
import os
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from guidekit import ir, tasktypes
from guidekit.delivery.read import read_records
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.errors import GuidekitError
from guidekit.quality.distribution import labels_in
from guidekit.quality.ratings import Annotation, item_id

NONE = "(no label)"


def stratify_task(guideline: ir.Guideline, name: str | None = None) -> ir.Task | None:
    if name is not None:
        task = guideline.tasks.get(name)
        if task is None:
            raise GuidekitError(diag("GK608", f"'{name}' is not a task of the guideline"))
        return task
    for task in guideline.tasks.values():
        if tasktypes.of(task).single_label():
            return task
    for task in guideline.tasks.values():
        if task.has_classes:
            return task
    return None


def stratum(task: ir.Task | None, records: Sequence[Annotation]) -> str:
    if task is None:
        return NONE
    labels: set[str] = set()
    for a in records:
        labels |= labels_in(task, a.data.get(task.id))
    return ",".join(sorted(labels)) if labels else NONE


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Share ``n`` draws among groups in proportion to their size (largest remainder, ties by
    group name); when ``n`` covers every group, each gets at least one, taken from the
    largest groups."""
    total = sum(sizes.values())
    n = min(n, total)
    groups = sorted(g for g, s in sizes.items() if s > 0)
    if not groups or n <= 0:
        return dict.fromkeys(groups, 0)
    quotas = {g: n * sizes[g] / total for g in groups}
    out = {g: math.floor(quotas[g]) for g in groups}
    rest = n - sum(out.values())
    for g in sorted(groups, key=lambda g: (-(quotas[g] - out[g]), g))[:rest]:
        out[g] += 1
    if n >= len(groups):
        for g in groups:
            if out[g] == 0:
                out[g] = 1
                donors = [h for h in groups if out[h] > 1]
                donor = max(donors, key=lambda h: (out[h] - quotas[h], out[h], h))
                out[donor] -= 1
    return out


@dataclass(slots=True)
class Sample:
    items: list[str]
    strata: dict[str, tuple[int, int]]  # group -> (drawn, size)
    task: str | None
    rate: float
    seed: int
    population: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "rate": self.rate,
            "seed": self.seed,
            "population": self.population,
            "sampled": len(self.items),
            "strata": {g: {"sampled": d, "items": s} for g, (d, s) in self.strata.items()},
            "items": self.items,
        }


def draw(
    guideline: ir.Guideline,
    records: Sequence[Annotation],
    rate: float,
    *,
    seed: int = 0,
    task: ir.Task | None = None,
) -> Sample:
    """A seeded class-stratified sample of ``ceil(rate * items)`` items."""
    by_item: dict[str, list[Annotation]] = {}
    for a in records:
        by_item.setdefault(a.item, []).append(a)
    groups: dict[str, list[str]] = {}
    for iid, recs in by_item.items():
        groups.setdefault(stratum(task, recs), []).append(iid)
    n = math.ceil(rate * len(by_item) - 1e-9)
    quota = allocate({g: len(v) for g, v in groups.items()}, n)
    rng = np.random.default_rng(seed)
    chosen: list[str] = []
    strata = {}
    for g in sorted(groups):
        ids = sorted(groups[g])
        k = quota.get(g, 0)
        picked: NDArray[np.int64] | list[int] = (
            rng.choice(len(ids), size=k, replace=False) if k else []
        )
        chosen.extend(ids[i] for i in sorted(picked))
        strata[g] = (k, len(ids))
    order = {iid: i for i, iid in enumerate(by_item)}
    chosen.sort(key=lambda i: order[i])
    return Sample(chosen, strata, task.id if task else None, rate, seed, len(by_item))


# -- verdicts -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    item: str
    passed: bool
    defects: tuple[str, ...]
    auditor: str | None
    note: str | None
    location: Location


def read_verdicts(
    guideline: ir.Guideline, path: str | os.PathLike[str]
) -> tuple[list[Verdict], list[Diagnostic]]:
    """Read a verdict file; every malformed line is an error diagnostic."""
    out: list[Verdict] = []
    problems: list[Diagnostic] = []
    seen: dict[str, Location] = {}
    for rec in read_records(path, format="jsonl"):
        if rec.data is None:
            if rec.error is not None:
                problems.append(rec.error)
            continue
        d, loc = rec.data, rec.location
        iid = item_id(d.get("id", d.get(guideline.delivery.id)))
        bad = []
        if iid is None:
            bad.append("no 'id'")
        if not isinstance(d.get("pass"), bool):
            bad.append("'pass' must be true or false")
        defects = d.get("defects", [])
        if defects is None:
            defects = []
        if not isinstance(defects, list) or not all(isinstance(x, str) for x in defects):
            bad.append("'defects' must be a list of defect types (text)")
        for key in ("auditor", "note"):
            if d.get(key) is not None and not isinstance(d.get(key), str):
                bad.append(f"'{key}' must be text")
        unknown = sorted(
            set(d) - {"id", guideline.delivery.id, "pass", "defects", "auditor", "note"}
        )
        if unknown:
            bad.append(f"unknown key(s) {', '.join(repr(k) for k in unknown)}")
        if bad:
            problems.append(diag("GK605", "; ".join(bad), loc))
            continue
        assert iid is not None
        if iid in seen:
            problems.append(
                diag("GK605", f"item '{iid}' has a second verdict (first at {seen[iid]})", loc)
            )
            continue
        seen[iid] = loc
        out.append(Verdict(iid, d["pass"], tuple(defects), d.get("auditor"), d.get("note"), loc))
    return out, problems


def wilson(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion."""
    if n == 0:
        return (0.0, 1.0)
    z = statistics.NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(slots=True)
class AuditScore:
    audited: int
    passed: int
    interval: tuple[float, float]
    confidence: float
    defects: dict[str, int] = field(default_factory=dict)
    auditors: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (passed, n)
    population: int | None = None
    unknown_items: list[str] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.audited if self.audited else None

    @property
    def coverage(self) -> float | None:
        return self.audited / self.population if self.population else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "audited": self.audited,
            "passed": self.passed,
            "pass_rate": self.pass_rate,
            "interval": list(self.interval),
            "confidence": self.confidence,
            "defects": self.defects,
            "auditors": {
                a: {"passed": p, "audited": n, "pass_rate": p / n if n else None}
                for a, (p, n) in self.auditors.items()
            },
            "population": self.population,
            "coverage": self.coverage,
        }


def score(
    verdicts: Sequence[Verdict],
    *,
    confidence: float = 0.95,
    population: set[str] | None = None,
) -> AuditScore:
    """Pass rate with its Wilson interval, defect histogram and per-auditor pass rates.

    With ``population`` (the delivery's item ids) verdicts on other items are left out and
    listed, and coverage (audited share of the delivery) is reported."""
    unknown = []
    kept = []
    for v in verdicts:
        if population is not None and v.item not in population:
            unknown.append(v.item)
        else:
            kept.append(v)
    passed = sum(v.passed for v in kept)
    defects = Counter(d for v in kept for d in dict.fromkeys(v.defects))
    auditors: dict[str, list[int]] = {}
    for v in kept:
        pair = auditors.setdefault(v.auditor or "(unnamed)", [0, 0])
        pair[0] += v.passed
        pair[1] += 1
    return AuditScore(
        audited=len(kept),
        passed=passed,
        interval=wilson(passed, len(kept), confidence),
        confidence=confidence,
        defects=dict(sorted(defects.items(), key=lambda kv: (-kv[1], kv[0]))),
        auditors={a: (p, n) for a, (p, n) in sorted(auditors.items())},
        population=len(population) if population is not None else None,
        unknown_items=unknown,
    )
