"""The acceptance decision: every criterion the guideline declares, evaluated on the inputs
given, each with its reason. This module is the one place criteria are evaluated.

A criterion whose input is missing (no audit verdicts, no gold set, no item with two
annotators, ...) is ``not_measured`` with the reason; it never passes silently.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from guidekit import ir
from guidekit.quality import agreement as A
from guidekit.quality import audit as AU
from guidekit.quality import gold as G
from guidekit.quality.distribution import class_shares, unresolved_share
from guidekit.quality.ratings import Annotation, Annotations
from guidekit.record.acceptance import CriterionResult, Status


@dataclass(slots=True)
class Inputs:
    """What ``accept`` was given. ``annotations`` are multi-annotator files for agreement
    (the delivery itself is used when absent); ``errors`` is a callable that returns the
    share of records with a diagnostic of a severity (from the delivery validator), or
    ``None`` when no validator is available."""

    delivery: Annotations
    annotations: Annotations | None = None
    verdicts: list[AU.Verdict] | None = None
    gold: dict[str, Annotation] | None = None
    errors: Callable[[str], tuple[int, int]] | None = None
    options: A.Options = field(default_factory=lambda: A.Options(top=5))
    agreement: dict[tuple[str, str | None], A.TaskAgreement] = field(default_factory=dict)
    gold_reports: dict[tuple[str, str | None, float], G.GoldReport] = field(default_factory=dict)
    #: predictions on the evaluation set (``--predictions``), for ``edge_cases`` criteria
    predictions: Annotations | None = None
    eval_results: list[Any] | None = None


def _split(
    guideline: ir.Guideline, records: Sequence[Annotation], split: str | None
) -> list[Annotation]:
    if split is None:
        return list(records)
    key = guideline.delivery.metadata.split
    return [a for a in records if a.data.get(key) == split]


def _empty(split: str | None) -> str:
    return (
        f"the delivery has no record of split '{split}'" if split else "the delivery has no records"
    )


def _label(kind: str, task: str | None, class_: str | None, what: str, split: str | None) -> str:
    target = task if class_ is None else f"{task}/{class_}"
    parts = [kind, target, what] if target else [kind, what]
    name = " ".join(p for p in parts if p)
    return f"{name} [split {split}]" if split else name


def _compare(
    kind: str,
    name: str,
    value: float,
    bound: float,
    comparison: Literal[">=", "<="],
    split: str | None,
    what: str,
    details: dict[str, Any] | None = None,
) -> CriterionResult:
    ok = value >= bound - 1e-12 if comparison == ">=" else value <= bound + 1e-12
    verb = "at least" if comparison == ">=" else "at most"
    status: Status = "met" if ok else "failed"
    reason = f"{what} is {value:.4g}, {'meets' if ok else 'misses'} the bound ({verb} {bound:g})"
    return CriterionResult(
        kind,
        name,
        status,
        reason,
        value,
        bound,
        comparison,
        split,
        details or {},
    )


def _missing(kind: str, name: str, reason: str, crit: Any) -> CriterionResult:
    bound = getattr(crit, "min", None)
    if bound is None:
        bound = getattr(crit, "min_pass_rate", None)
    if bound is None:
        bound = getattr(crit, "max_share", None)
    comparison: Literal[">=", "<="] = ">=" if kind in ("agreement", "audit", "gold") else "<="
    return CriterionResult(
        kind,
        name,
        "not_measured",
        reason,
        None,
        bound,
        comparison,
        getattr(crit, "split", None),
    )


# -- agreement -----------------------------------------------------------------------------------

_CLASS_STAT = {"percent_agreement": "specific_agreement"}


def stat_name(crit: ir.Agreement) -> str:
    if crit.metric == "box_f1":
        return f"box_f1@{crit.iou if crit.iou is not None else 0.5:g}"
    return crit.metric


def agreement(guideline: ir.Guideline, inputs: Inputs, crit: ir.Agreement) -> CriterionResult:
    name = _label("agreement", crit.task, crit.class_, crit.metric, crit.split)
    task = guideline.tasks.get(crit.task)
    if task is None:
        return _missing("agreement", name, f"task '{crit.task}' does not exist", crit)
    source = inputs.annotations if inputs.annotations is not None else inputs.delivery
    key = (task.id, crit.split)
    result = inputs.agreement.get(key)
    if result is None:
        records = Annotations(_split(guideline, source.records, crit.split))
        result = A.measure_task(guideline, records, task, inputs.options)
        inputs.agreement[key] = result
    if crit.split is not None and result.items == 0:
        return _missing("agreement", name, f"no labelled record of split '{crit.split}'", crit)
    if result.units == 0:
        where = "the annotation files" if inputs.annotations is not None else "the delivery"
        return _missing(
            "agreement",
            name,
            f"no item in {where} has labels from two annotators"
            + ("" if inputs.annotations is not None else "; pass --annotations"),
            crit,
        )
    stat_key = stat_name(crit)
    if crit.class_ is not None:
        stat_key = _CLASS_STAT.get(stat_key, stat_key)
    stat = result.stat(stat_key, crit.class_)
    if stat is None:
        return _missing(
            "agreement", name, f"{crit.metric} is not measured for a {task.type} task", crit
        )
    if stat.value is None:
        why = (
            "no annotator drew a region"
            if crit.metric in ("span_f1", "box_f1")
            else "no variation to agree about"
        )
        return _missing(
            "agreement", name, f"{crit.metric} is undefined on these labels ({why})", crit
        )
    what = f"{crit.metric} over {result.units} items"
    return _compare(
        "agreement",
        name,
        stat.value,
        crit.min,
        ">=",
        crit.split,
        what,
        {"items": result.units, "annotators": result.annotators, "level": result.level},
    )


# -- audit ---------------------------------------------------------------------------------------


def audit(guideline: ir.Guideline, inputs: Inputs, crit: ir.Audit) -> CriterionResult:
    name = _label("audit", None, None, "pass rate", crit.split)
    if inputs.verdicts is None:
        return _missing("audit", name, "no audit verdicts were given (--audit)", crit)
    population = {a.item for a in _split(guideline, inputs.delivery.records, crit.split)}
    if not population:
        return _missing("audit", name, _empty(crit.split), crit)
    result = AU.score(inputs.verdicts, population=population)
    needed = math.ceil(crit.sample * len(population) - 1e-9)
    details = result.to_dict()
    if result.audited == 0:
        return _missing("audit", name, "no verdict is about an item of the delivery", crit)
    if result.audited < needed:
        return _missing(
            "audit",
            name,
            f"{result.audited} items audited; the guideline's {crit.sample:.0%} sample of "
            f"{len(population)} items needs {needed}",
            crit,
        )
    lo, hi = result.interval
    assert result.pass_rate is not None
    return _compare(
        "audit",
        name,
        result.pass_rate,
        crit.min_pass_rate,
        ">=",
        crit.split,
        f"pass rate over {result.audited} audited items (95% interval {lo:.3f}-{hi:.3f})",
        details,
    )


# -- gold ----------------------------------------------------------------------------------------


def gold(guideline: ir.Guideline, inputs: Inputs, crit: ir.Gold) -> CriterionResult:
    name = _label("gold", crit.task, crit.class_, crit.metric, crit.split)
    task = guideline.tasks.get(crit.task)
    if inputs.gold is None:
        return _missing("gold", name, "no gold set was given (--gold)", crit)
    if task is None:
        return _missing("gold", name, f"task '{crit.task}' does not exist", crit)
    if not G.supported(task):
        return _missing("gold", name, f"gold scores are not measured for {task.type} tasks", crit)
    if crit.min is None:
        return _missing("gold", name, "the criterion declares no minimum", crit)
    iou = 0.5
    key = (task.id, crit.split, iou)
    report = inputs.gold_reports.get(key)
    if report is None:
        records = _split(guideline, inputs.delivery.records, crit.split)
        report = G.score_task(guideline, task, inputs.gold, records, iou=iou)
        inputs.gold_reports[key] = report
    if report.overall.scored == 0:
        if crit.split is not None and not _split(guideline, inputs.delivery.records, crit.split):
            return _missing("gold", name, _empty(crit.split), crit)
        return _missing("gold", name, "no delivered record is of a gold item", crit)
    value = report.overall.metric(crit.metric, crit.class_)
    if value is None:
        return _missing("gold", name, f"{crit.metric} is not defined for this task or class", crit)
    return _compare(
        "gold",
        name,
        value,
        crit.min,
        ">=",
        crit.split,
        f"{crit.metric} over {report.overall.scored} gold records",
        {"scored": report.overall.scored},
    )


# -- delivery-only criteria -----------------------------------------------------------------------


def distribution(guideline: ir.Guideline, inputs: Inputs, crit: ir.Distribution) -> CriterionResult:
    name = _label("distribution", crit.task, crit.class_, "share", crit.split)
    task = guideline.tasks.get(crit.task)
    if task is None:
        return _missing("distribution", name, f"task '{crit.task}' does not exist", crit)
    shares = class_shares(guideline, task, _split(guideline, inputs.delivery.records, crit.split))
    share = shares.share(crit.class_)
    if share is None:
        reason = f"no record has a value for '{task.id}'"
        if crit.split is not None and not _split(guideline, inputs.delivery.records, crit.split):
            reason = _empty(crit.split)
        return _missing("distribution", name, reason, crit)
    count = shares.counts.get(crit.class_, 0)
    what = f"share of '{crit.class_}' ({count} of {shares.labelled} records)"
    details = {"count": count, "labelled": shares.labelled}
    low, high = crit.min_share, crit.max_share
    if low is not None and share < low - 1e-12:
        return _compare("distribution", name, share, low, ">=", crit.split, what, details)
    if high is not None:
        return _compare("distribution", name, share, high, "<=", crit.split, what, details)
    assert low is not None
    return _compare("distribution", name, share, low, ">=", crit.split, what, details)


def unresolved(guideline: ir.Guideline, inputs: Inputs, crit: ir.Unresolved) -> CriterionResult:
    name = _label("unresolved", None, None, "share", crit.split)
    flagged, total = unresolved_share(
        guideline, _split(guideline, inputs.delivery.records, crit.split)
    )
    if total == 0:
        return _missing("unresolved", name, _empty(crit.split), crit)
    return _compare(
        "unresolved",
        name,
        flagged / total,
        crit.max_share,
        "<=",
        crit.split,
        f"unresolved share ({flagged} of {total} records)",
        {"unresolved": flagged, "records": total},
    )


def errors(inputs: Inputs, severity: str, max_rate: float) -> CriterionResult:
    name = f"errors {severity} rate"
    if inputs.errors is None:
        return CriterionResult(
            "errors", name, "not_measured", "validator not available", None, max_rate, "<="
        )
    bad, total = inputs.errors(severity)
    if total == 0:
        return CriterionResult(
            "errors", name, "not_measured", "the delivery has no records", None, max_rate, "<="
        )
    return _compare(
        "errors",
        name,
        bad / total,
        max_rate,
        "<=",
        None,
        f"share of records with a validation {severity} ({bad} of {total})",
        {"records_with": bad, "records": total},
    )


# -- edge cases -----------------------------------------------------------------------------------


def edge_cases(guideline: ir.Guideline, inputs: Inputs) -> list[CriterionResult]:
    """``acceptance.edge_cases``: scored by :func:`guidekit.quality.evaluation.thresholds` on
    the predictions given; without them, one ``not_measured`` per criterion that says so."""
    from guidekit.quality import evaluation as E

    crits = guideline.acceptance.edge_cases
    if not crits:
        return []
    if inputs.predictions is None:
        out = []
        for crit in crits:
            names = ", ".join(crit.for_ or ()) or "every edge case"
            name = _label("edge_cases", crit.task, None, f"F1 on {names}", None)
            reason = (
                "needs predictions on the evaluation set: pass --predictions, "
                "or run `guidekit eval`"
            )
            out.append(
                CriterionResult("edge_cases", name, "not_measured", reason, None, crit.min_f1, ">=")
            )
        return out
    if inputs.eval_results is None:
        key, _ = E.key_from(guideline)
        screened = E.screen(guideline, key, inputs.predictions.records)
        inputs.eval_results = E.score(guideline, key, screened.records, samples=0)
    out = []
    for t in E.thresholds(guideline, inputs.eval_results):
        name = _label("edge_cases", t.task if t.task != "*" else None, None, t.edge_case, None)
        status: Status = (
            "met" if t.status == "met" else "failed" if t.status == "failed" else "not_measured"
        )
        out.append(
            CriterionResult(
                "edge_cases",
                f"{name} F1",
                status,
                t.reason,
                t.f1,
                t.min_f1,
                ">=",
                None,
                {"items": t.items},
            )
        )
    return out


def evaluate(guideline: ir.Guideline, inputs: Inputs) -> list[CriterionResult]:
    """Every declared criterion, in the order: agreement, audit, gold, distribution,
    unresolved, errors, edge cases (each group in declaration order)."""
    acc = guideline.acceptance
    out: list[CriterionResult] = []
    out += [agreement(guideline, inputs, c) for c in acc.agreement]
    out += [audit(guideline, inputs, c) for c in acc.audit]
    out += [gold(guideline, inputs, c) for c in acc.gold]
    out += [distribution(guideline, inputs, c) for c in acc.distribution]
    out += [unresolved(guideline, inputs, c) for c in acc.unresolved]
    out += [errors(inputs, sev, rate) for sev, rate in acc.errors.items()]
    out += edge_cases(guideline, inputs)
    return out


def validator_errors(
    guideline: ir.Guideline,
    paths: Sequence[str],
    input_format: str | None = None,
    readers: Mapping[str, Any] | None = None,
) -> Callable[[str], tuple[int, int]] | None:
    """The hook for ``errors`` criteria: a function ``severity -> (records with a diagnostic of
    that severity, records)`` backed by the delivery validator, or ``None`` while no
    validator is available (the criteria are then ``not_measured``)."""
    from guidekit.delivery.stream import validate

    options: dict[str, Any] = {"format": input_format} if input_format else {}
    if readers:
        options["readers"] = readers
    report = validate(guideline, list(paths), **options)
    return lambda severity: (report.records_with(severity), report.records)
