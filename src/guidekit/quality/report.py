"""One report model for the quality commands, rendered as text, Markdown, JSON or HTML.

Every renderer starts from :class:`Report` (``to_dict`` is the JSON form), so the four
formats say the same thing. Output is deterministic: no timestamps, no absolute paths, keys
in a fixed order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from guidekit import ir
from guidekit.quality.agreement import Stat, TaskAgreement
from guidekit.quality.audit import AuditScore
from guidekit.quality.distribution import ClassShares
from guidekit.quality.gold import GoldReport
from guidekit.record.acceptance import CriterionResult
from guidekit.spec.markdown import escape_markdown

FORMATS = ("text", "markdown", "json", "html")
SYMBOL = {"met": "PASS", "failed": "FAIL", "not_measured": "N/A "}


@dataclass(slots=True)
class Bounds:
    """Declared share bounds of one class (for the distribution chart)."""

    min_share: float | None
    max_share: float | None


@dataclass(slots=True)
class Report:
    title: str
    guideline: str
    decision: str | None = None
    criteria: list[CriterionResult] = field(default_factory=list)
    agreement: list[TaskAgreement] = field(default_factory=list)
    distribution: list[tuple[ClassShares, dict[str, Bounds]]] = field(default_factory=list)
    gold: list[GoldReport] = field(default_factory=list)
    audit: AuditScore | None = None
    confusions: dict[str, list[tuple[str, str, float]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title, "guideline": self.guideline}
        if self.decision is not None:
            out["decision"] = self.decision
            out["criteria"] = [c.to_dict() for c in self.criteria]
        if self.agreement:
            out["agreement"] = [a.to_dict() for a in self.agreement]
        if self.distribution:
            out["distribution"] = [
                {
                    **s.to_dict(),
                    "bounds": {
                        c: {"min_share": b.min_share, "max_share": b.max_share}
                        for c, b in bounds.items()
                    },
                }
                for s, bounds in self.distribution
            ]
        if self.gold:
            out["gold"] = [g.to_dict() for g in self.gold]
        if self.audit is not None:
            out["audit"] = self.audit.to_dict()
        if self.confusions:
            out["confused_pairs"] = {
                t: [{"labels": [a, b], "coincidences": n} for a, b, n in pairs]
                for t, pairs in self.confusions.items()
            }
        if self.notes:
            out["notes"] = self.notes
        return out


def declared_bounds(guideline: ir.Guideline, task: str) -> dict[str, Bounds]:
    out: dict[str, Bounds] = {}
    for d in guideline.acceptance.distribution:
        if d.task == task and d.split is None:
            out[d.class_] = Bounds(d.min_share, d.max_share)
    return out


# -- helpers -------------------------------------------------------------------------------------


def num(v: float | None, digits: int = 3) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def stat_text(s: Stat | None) -> str:
    if s is None:
        return "–"
    text = num(s.value)
    if s.low is not None and s.high is not None:
        text += f" [{num(s.low)}, {num(s.high)}]"
    extra = s.extra or {}
    if "form" in extra:
        text = f"ICC({extra['form']}) " + text
    if s.se is not None:
        text += f" se {num(s.se)}"
    if s.p_value is not None:
        text += f" p {s.p_value:.2g}"
    bench = extra.get("benchmark")
    if s.value is not None and bench:
        text += f" {bench.get('probabilistic', bench['band'])}"
    return text


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    esc = [[escape_markdown(str(c), one_line=False) for c in r] for r in rows]
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in esc]
    return out


def _plain_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*header).rstrip()]
    out += [fmt.format(*map(str, r)).rstrip() for r in rows]
    return out


def class_stat_names(a: TaskAgreement) -> list[str]:
    names: list[str] = []
    for c in a.classes:
        for k in c.stats:
            if k not in names:
                names.append(k)
    return names


# -- text ----------------------------------------------------------------------------------------


def render_text(report: Report) -> str:
    lines = [f"{report.title}: {report.guideline}"]
    if report.decision is not None:
        lines.append("")
        for c in report.criteria:
            lines.append(f"  {SYMBOL[c.status]} {c.name}: {c.reason}")
        lines.append("")
        met = sum(c.status == "met" for c in report.criteria)
        failed = sum(c.status == "failed" for c in report.criteria)
        missing = sum(c.status == "not_measured" for c in report.criteria)
        lines.append(
            f"verdict: {report.decision.upper()} ({met} met, {failed} failed, "
            f"{missing} not measured)"
        )
    for a in report.agreement:
        lines += ["", *_agreement_text(a)]
        lines += _confusion_lines(report, a.task, plain=True)
        if a.disagreements:
            lines.append("  items with the most disagreement:")
            for d in a.disagreements:
                said = "; ".join(f"{k}: {_show(v)}" for k, v in d.labels.items())
                lines.append(f"    {d.item} ({num(d.disagreement, 2)}): {said}")
    if report.audit is not None:
        lines += ["", *_audit_lines(report.audit, plain=True)]
    for g in report.gold:
        lines += ["", *_gold_lines(g, plain=True)]
    for note in report.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines).rstrip() + "\n"


def _agreement_text(a: TaskAgreement) -> list[str]:
    head = (
        f"task {a.task} ({a.type}"
        + (f", {a.level} level" if a.level else "")
        + f"): {a.units} items with 2+ annotators, {a.annotators} annotators, {a.ratings} ratings"
    )
    lines = [head]
    if a.stats:
        lines += [
            "  " + r
            for r in _plain_table(
                ["statistic", "value"], [[k, stat_text(v)] for k, v in a.stats.items()]
            )
        ]
    names = class_stat_names(a)
    if a.classes and names:
        rows = [
            [c.id, str(c.ratings), *(stat_text(c.stats.get(n)) for n in names)] for c in a.classes
        ]
        lines += ["  " + r for r in _plain_table(["class", "ratings", *names], rows)]
    for note in a.notes:
        lines.append(f"  note: {note}")
    return lines


def _confusion_lines(report: Report, task: str, plain: bool) -> list[str]:
    pairs = report.confusions.get(task)
    if not pairs:
        return []
    rows = [[a, b, f"{n:g}"] for a, b, n in pairs]
    if plain:
        return ["  labels annotators confuse most:"] + [
            "    " + r for r in _plain_table(["label", "label", "pairings"], rows)
        ]
    return [
        "Labels annotators confuse most (pairable coincidences):",
        "",
        *_table(["label", "label", "pairings"], rows),
        "",
    ]


def _audit_lines(s: AuditScore, plain: bool) -> list[str]:
    lo, hi = s.interval
    head = "audit" if plain else "## Audit"
    lines = [
        head,
        f"pass rate {num(s.pass_rate)} ({s.passed} of {s.audited} audited; "
        f"{s.confidence:.0%} Wilson interval {num(lo)}-{num(hi)})",
    ]
    if s.coverage is not None:
        lines.append(f"coverage {num(s.coverage)} of {s.population} delivered items")
    if s.unknown_items:
        lines.append(
            f"{len(s.unknown_items)} verdict(s) about items not in the delivery were left out"
        )
    table = _plain_table if plain else _table
    if s.defects:
        lines += ["", *table(["defect", "count"], [[d, str(n)] for d, n in s.defects.items()])]
    if s.auditors:
        lines += [
            "",
            *table(
                ["auditor", "passed", "audited", "pass rate"],
                [
                    [a, str(p), str(n), num(p / n if n else None)]
                    for a, (p, n) in s.auditors.items()
                ],
            ),
        ]
    return lines


def _gold_lines(g: GoldReport, plain: bool) -> list[str]:
    table = _plain_table if plain else _table
    o = g.overall
    head = f"gold: task {g.task}" if plain else f"## Gold: {g.task}"
    lines = [
        head,
        f"scored {o.scored} records; accuracy {num(o.metric('accuracy'))}, macro F1 "
        f"{num(o.metric('macro_f1'))}, micro F1 {num(o.metric('micro_f1'))}",
        f"{g.without_gold} delivered record(s) without gold, {g.gold_not_delivered} gold item(s) not delivered",
    ]
    rows = [
        [c, num(v["precision"]), num(v["recall"]), num(v["f1"]), str(v["support"])]
        for c, v in o.per_class().items()
    ]
    if rows:
        lines += ["", *table(["class", "precision", "recall", "f1", "support"], rows)]
    if g.annotators:
        rows = [
            [
                a,
                str(s.scored),
                num(s.metric("accuracy")),
                num(s.metric("macro_f1")),
                num(s.metric("micro_f1")),
            ]
            for a, s in g.annotators.items()
        ]
        lines += ["", *table(["annotator", "scored", "accuracy", "macro F1", "micro F1"], rows)]
    if o.confusion is not None and o.confusion.sum() > 0:
        used = [
            i for i in range(len(g.labels)) if o.confusion[i].sum() + o.confusion[:, i].sum() > 0
        ]
        rows = [[f"gold {g.labels[i]}", *(str(int(o.confusion[i, j])) for j in used)] for i in used]
        lines += ["", *table(["", *(g.labels[j] for j in used)], rows)]
    for n in g.notes:
        lines.append(f"note: {n}")
    return lines


# -- markdown ------------------------------------------------------------------------------------


def render_markdown(report: Report) -> str:
    lines = [f"# {report.title}", "", f"Guideline: `{report.guideline}`", ""]
    if report.decision is not None:
        lines += [f"**Verdict: {report.decision.upper()}**", ""]
        rows = [
            [
                SYMBOL[c.status].strip(),
                c.name,
                num(c.value),
                f"{c.comparison} {c.bound:g}" if c.bound is not None and c.comparison else "–",
                c.reason,
            ]
            for c in report.criteria
        ]
        lines += [*_table(["status", "criterion", "value", "bound", "reason"], rows), ""]
    for shares, bounds in report.distribution:
        lines += [f"## Distribution: {shares.task}", ""]
        rows = []
        for c, n in shares.counts.items():
            b = bounds.get(c)
            rows.append(
                [
                    c,
                    str(n),
                    num(shares.share(c)),
                    num(b.min_share) if b and b.min_share is not None else "–",
                    num(b.max_share) if b and b.max_share is not None else "–",
                ]
            )
        lines += [*_table(["class", "records", "share", "min", "max"], rows), ""]
    for a in report.agreement:
        lines += [f"## Agreement: {a.task}", ""]
        lines.append(
            f"{a.type} task"
            + (f", alpha at the {a.level} level" if a.level else "")
            + f"; {a.units} items with two or more annotators, {a.annotators} annotators, "
            f"{a.ratings} ratings."
        )
        lines.append("")
        if a.stats:
            lines += [
                *_table(["statistic", "value"], [[k, stat_text(v)] for k, v in a.stats.items()]),
                "",
            ]
        names = class_stat_names(a)
        if a.classes and names:
            rows = [
                [c.id, str(c.ratings), *(stat_text(c.stats.get(n)) for n in names)]
                for c in a.classes
            ]
            lines += [*_table(["class", "ratings", *names], rows), ""]
        if a.pairs:
            pnames = list(a.pairs[0].stats)
            rows = [
                [f"{p.a} / {p.b}", str(p.shared), *(stat_text(p.stats.get(n)) for n in pnames)]
                for p in a.pairs
            ]
            lines += [*_table(["annotators", "shared items", *pnames], rows), ""]
        lines += _confusion_lines(report, a.task, plain=False)
        if a.disagreements:
            rows = [
                [
                    d.item,
                    num(d.disagreement, 2),
                    "; ".join(f"{k}: {_show(v)}" for k, v in d.labels.items()),
                ]
                for d in a.disagreements
            ]
            lines += ["Items with the most disagreement:", ""]
            lines += [*_table(["item", "disagreement", "labels"], rows), ""]
        lines += [f"- {n}" for n in a.notes] + [""]
    if report.audit is not None:
        lines += [*_audit_lines(report.audit, plain=False), ""]
    for g in report.gold:
        lines += [*_gold_lines(g, plain=False), ""]
    lines += [f"- {n}" for n in report.notes]
    return "\n".join(lines).rstrip() + "\n"


def _show(value: Any) -> str:
    if isinstance(value, (list, dict)):
        return orjson.dumps(value).decode()
    return str(value)


def render_json(report: Report) -> str:
    return orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n"
