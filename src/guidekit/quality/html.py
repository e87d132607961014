"""The HTML form of a quality report: one self-contained file (inline CSS and SVG charts)
that can be attached to a ticket or an email and opened offline.

The page is ``templates/report.html.j2`` (autoescaped); this module works out what it shows:
table rows as strings and the charts as inline SVG.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from guidekit._templates import environment
from guidekit.quality import _charts as charts
from guidekit.quality.agreement import TaskAgreement
from guidekit.quality.report import Report, class_stat_names, num, stat_text

STATUS = {"met": "met", "failed": "failed", "not_measured": "not measured"}


def _agreement(a: TaskAgreement, threshold: float | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "task": a.task,
        "type": a.type,
        "level": f", alpha at the {a.level} level" if a.level else "",
        "units": a.units,
        "annotators": a.annotators,
        "ratings": a.ratings,
        "stats": [[k, stat_text(v)] for k, v in a.stats.items()],
        "class_rows": [],
        "heatmap": None,
        "disagreements": [
            [d.item, num(d.disagreement, 2), "; ".join(f"{k}: {v}" for k, v in d.labels.items())]
            for d in a.disagreements
        ],
        "notes": a.notes,
    }
    names = class_stat_names(a)
    if a.classes and names:
        out["class_header"] = ["class", "ratings", *names]
        out["class_numeric"] = tuple(range(1, len(names) + 2))
        out["class_rows"] = [
            [c.id, str(c.ratings), *(stat_text(c.stats.get(n)) for n in names)] for c in a.classes
        ]
        main = "krippendorff_alpha" if "krippendorff_alpha" in names else names[0]
        stats = [c.stats.get(main) for c in a.classes]
        out["intervals"] = Markup(
            charts.intervals(
                [c.id for c in a.classes],
                [s.value if s else None for s in stats],
                [s.low if s else None for s in stats],
                [s.high if s else None for s in stats],
                f"{a.task}: {main} per class",
                f"{main} (one-vs-rest; lines: bootstrap interval when computed)",
                threshold,
            )
        )
    if a.coincidence is not None and a.labels and len(a.labels) <= 40:
        out["heatmap"] = Markup(
            charts.heatmap(
                a.labels,
                a.coincidence,
                f"{a.task}: how annotators' labels pair up (coincidences)",
                "label given by one annotator",
                "label given by another",
            )
        )
    return out


def _criteria(report: Report) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """The criteria table's rows, and the per-class alpha bounds to draw on the charts."""
    rows = []
    thresholds: dict[str, float] = {}
    for c in report.criteria:
        bound = f"{c.comparison} {c.bound:g}" if c.bound is not None and c.comparison else "–"
        rows.append(
            {
                "status": c.status,
                "name": c.name,
                "value": num(c.value),
                "bound": bound,
                "reason": c.reason,
            }
        )
        parts_of_name = c.name.split()
        if (
            c.kind == "agreement"
            and c.bound is not None
            and "krippendorff_alpha" in parts_of_name
            and "/" in parts_of_name[1]
        ):
            # a per-class alpha bound is drawn on the per-class chart
            thresholds.setdefault(parts_of_name[1].split("/")[0], c.bound)
    return rows, thresholds


def _distribution(report: Report) -> list[dict[str, Any]]:
    out = []
    for shares, bounds in report.distribution:
        classes = list(shares.counts)
        values = [shares.share(c) or 0.0 for c in classes]
        b = [
            (bounds[c].min_share, bounds[c].max_share) if c in bounds else (None, None)
            for c in classes
        ]
        chart = charts.distribution(
            classes, values, b, f"{shares.task}: share of records per class"
        )
        rows = [
            [
                c,
                str(shares.counts[c]),
                num(shares.share(c)),
                num(lo) if lo is not None else "–",
                num(hi) if hi is not None else "–",
            ]
            for c, (lo, hi) in zip(classes, b, strict=True)
        ]
        out.append({"task": shares.task, "chart": Markup(chart), "rows": rows})
    return out


def _audit(report: Report) -> dict[str, Any] | None:
    s = report.audit
    if s is None:
        return None
    lo, hi = s.interval
    return {
        "pass_rate": num(s.pass_rate),
        "passed": s.passed,
        "audited": s.audited,
        "confidence": f"{s.confidence:.0%}",
        "low": num(lo),
        "high": num(hi),
        "defects": [[d, str(n)] for d, n in s.defects.items()],
    }


def _gold(report: Report) -> list[dict[str, Any]]:
    out = []
    for g in report.gold:
        o = g.overall
        heatmap = None
        if o.confusion is not None and o.confusion.sum() > 0 and len(g.labels) <= 40:
            heatmap = Markup(
                charts.heatmap(
                    g.labels,
                    o.confusion.tolist(),
                    f"{g.task}: confusion against gold",
                    "delivered label",
                    "gold label",
                )
            )
        out.append(
            {
                "task": g.task,
                "scored": o.scored,
                "accuracy": num(o.metric("accuracy")),
                "macro_f1": num(o.metric("macro_f1")),
                "micro_f1": num(o.metric("micro_f1")),
                "rows": [
                    [c, num(v["precision"]), num(v["recall"]), num(v["f1"]), str(v["support"])]
                    for c, v in o.per_class().items()
                ],
                "heatmap": heatmap,
            }
        )
    return out


def render_html(report: Report) -> str:
    criteria, thresholds = _criteria(report)
    return (
        environment(__package__ or "guidekit.quality")
        .get_template("report.html.j2")
        .render(
            report=report,
            status=STATUS,
            criteria=criteria,
            distribution=_distribution(report),
            agreement=[_agreement(a, thresholds.get(a.task)) for a in report.agreement],
            audit=_audit(report),
            gold=_gold(report),
        )
    )
