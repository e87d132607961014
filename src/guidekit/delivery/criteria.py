"""Counters over a delivery and the acceptance criteria a delivery alone can answer.

The fast path counts clean records in generated code (:mod:`guidekit.delivery._fast`);
:class:`Tally` counts the other records from their ``dict`` with the same definitions
(:func:`guidekit.record.rules.holds` on the same conditions), so the two agree.

Criteria evaluated here: ``distribution`` (share of the records carrying the task that carry
the class, descendants included), ``unresolved`` (share of records flagged unresolved) and
``errors`` (share of records with a diagnostic of a severity). ``agreement``, ``audit`` and
``gold`` need more than the delivery and are reported as not measured.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from guidekit import ir
from guidekit.delivery._codegen import distribution_cond
from guidekit.delivery.check import NC_IMAGE, NC_SPANS
from guidekit.record.acceptance import Comparison, CriterionResult
from guidekit.record.layout import Layout
from guidekit.record.rules import holds


class Tally:
    """Named counters (the fast path's names) plus versions and skip reasons."""

    def __init__(self, g: ir.Guideline, names: Sequence[str]) -> None:
        self.g = g
        self.layout = Layout.of(g)
        self.names = list(names)
        self.values = dict.fromkeys(self.names, 0)
        self.versions: dict[str, int] = {}
        self.skips: dict[str, int] = {}
        self.dist = [
            (d, distribution_cond(g.tasks[d.task], d.class_))
            for d in g.acceptance.distribution
            if d.task in g.tasks
        ]

    def add_counts(self, values: Sequence[int]) -> None:
        for name, v in zip(self.names, values, strict=True):
            self.values[name] += v

    def merge_fast_versions(self, clean: int) -> None:
        """Clean records carry the guideline's own version (or none, when not required;
        then the fast path counts those that carry one)."""
        n = self.values.pop("c_version", clean)
        if n:
            self.versions[self.g.version] = self.versions.get(self.g.version, 0) + n

    def count(self, data: Mapping[str, Any], flags: int) -> None:
        """Count a record that went through the full checker."""
        lay, v = self.layout, self.values
        meta = lay.meta
        unresolved = data.get(meta["unresolved"]) is True
        split = data.get(meta["split"])
        if unresolved:
            v["c_unresolved"] += 1
        version = data.get(meta["guideline_version"])
        if isinstance(version, str):
            self.versions[version] = self.versions.get(version, 0) + 1
        skip = data.get(meta["skip"])
        if isinstance(skip, str):
            self.skips[skip] = self.skips.get(skip, 0) + 1
        if flags & NC_SPANS and "c_nc_spans" in v:
            v["c_nc_spans"] += 1
        if flags & NC_IMAGE and "c_nc_image" in v:
            v["c_nc_image"] += 1
        for i, (d, cond) in enumerate(self.dist):
            if d.split is not None and split != d.split:
                continue
            if data.get(d.task) is None:
                continue
            v[f"c_dist_den_{i}"] += 1
            if holds(cond, self.g, data, data):
                v[f"c_dist_num_{i}"] += 1
        for i, u in enumerate(self.g.acceptance.unresolved):
            if u.split is not None and split == u.split:
                v[f"c_unres_den_{i}"] += 1
                if unresolved:
                    v[f"c_unres_num_{i}"] += 1


def _share(num: int, den: int) -> float:
    return num / den if den else 0.0


def evaluate(
    g: ir.Guideline,
    tally: Tally,
    records: int,
    with_severity: Mapping[str, int],
    stopped: bool,
) -> list[CriterionResult]:
    acc = g.acceptance
    v = tally.values
    out: list[CriterionResult] = []
    partial = "validation stopped early (--max-errors); the delivery was not read to the end"
    for a in acc.agreement:
        name = f"agreement {a.task}{' ' + a.class_ if a.class_ else ''} {a.metric}"
        out.append(
            CriterionResult(
                "agreement",
                name,
                "not_measured",
                "needs records annotated twice; run `guidekit accept`",
                bound=a.min,
                comparison=">=",
                split=a.split,
            )
        )
    for au in acc.audit:
        out.append(
            CriterionResult(
                "audit",
                f"audit pass rate (sample {au.sample:g})",
                "not_measured",
                "needs audit results; run `guidekit accept`",
                bound=au.min_pass_rate,
                comparison=">=",
                split=au.split,
            )
        )
    for go in acc.gold:
        out.append(
            CriterionResult(
                "gold",
                f"gold {go.task}{' ' + go.class_ if go.class_ else ''} {go.metric}",
                "not_measured",
                "needs a gold set; run `guidekit accept`",
                bound=go.min,
                comparison=">=",
                split=go.split,
            )
        )
    for i, d in enumerate(acc.distribution):
        if d.task not in g.tasks:
            continue
        den, num = v.get(f"c_dist_den_{i}", 0), v.get(f"c_dist_num_{i}", 0)
        bounds: tuple[tuple[float | None, Comparison, str], ...] = (
            (d.min_share, ">=", "min_share"),
            (d.max_share, "<=", "max_share"),
        )
        for bound, comparison, kind in bounds:
            if bound is None:
                continue
            name = f"distribution {d.task} {d.class_} {kind}"
            details = {"records": num, "of": den}
            if stopped:
                out.append(_nm("distribution", name, partial, bound, comparison, d.split))
            elif not den:
                where = f" of split '{d.split}'" if d.split else ""
                out.append(
                    _nm(
                        "distribution",
                        name,
                        f"no record{where} carries task '{d.task}'",
                        bound,
                        comparison,
                        d.split,
                    )
                )
            else:
                share = _share(num, den)
                ok = share >= bound if comparison == ">=" else share <= bound
                out.append(
                    CriterionResult(
                        "distribution",
                        name,
                        "met" if ok else "failed",
                        f"{num} of {den} records ({share:.1%}) carry '{d.class_}'",
                        value=share,
                        bound=bound,
                        comparison=comparison,
                        split=d.split,
                        details=details,
                    )
                )
    for i, u in enumerate(acc.unresolved):
        if u.split is None:
            num, den = v.get("c_unresolved", 0), records
        else:
            num, den = v.get(f"c_unres_num_{i}", 0), v.get(f"c_unres_den_{i}", 0)
        name = "unresolved share"
        if stopped:
            out.append(_nm("unresolved", name, partial, u.max_share, "<=", u.split))
        elif not den:
            where = f" of split '{u.split}'" if u.split else ""
            out.append(_nm("unresolved", name, f"no record{where}", u.max_share, "<=", u.split))
        else:
            share = _share(num, den)
            out.append(
                CriterionResult(
                    "unresolved",
                    name,
                    "met" if share <= u.max_share else "failed",
                    f"{num} of {den} records ({share:.1%}) are unresolved",
                    value=share,
                    bound=u.max_share,
                    comparison="<=",
                    split=u.split,
                    details={"records": num, "of": den},
                )
            )
    for severity, bound in acc.errors.items():
        name = f"records with {severity}s"
        num = with_severity.get(severity, 0)
        if stopped:
            out.append(_nm("errors", name, partial, bound, "<=", None))
        elif not records:
            out.append(_nm("errors", name, "the delivery holds no records", bound, "<=", None))
        else:
            share = _share(num, records)
            out.append(
                CriterionResult(
                    "errors",
                    name,
                    "met" if share <= bound else "failed",
                    f"{num} of {records} records ({share:.1%}) have a diagnostic of "
                    f"severity {severity}",
                    value=share,
                    bound=bound,
                    comparison="<=",
                    details={"records": num, "of": records},
                )
            )
    return out


def _nm(
    kind: str,
    name: str,
    reason: str,
    bound: float | None,
    comparison: Comparison,
    split: str | None,
) -> CriterionResult:
    return CriterionResult(
        kind, name, "not_measured", reason, bound=bound, comparison=comparison, split=split
    )
