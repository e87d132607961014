"""The HTML form of a quality report: one self-contained file (inline CSS and SVG charts)
that can be attached to a ticket or an email and opened offline."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from guidekit.quality import _charts as charts
from guidekit.quality.agreement import TaskAgreement
from guidekit.quality.report import Report, _class_stat_names, num, stat_text

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.8rem 0;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.verdict{font-size:1.3rem;font-weight:700;padding:.5rem 1rem;display:inline-block;border-radius:4px}
.accept{background:#d8f0dd;color:#0b5a1c}.reject{background:#f8d7d3;color:#8a1c0f}
.met{color:#0b5a1c;font-weight:600}.failed{color:#8a1c0f;font-weight:600}
.not_measured{color:#6b5500;font-weight:600}.note{color:#555;font-size:.9rem}
figure{margin:1rem 0}svg{max-width:100%;height:auto}
"""

STATUS = {"met": "met", "failed": "failed", "not_measured": "not measured"}


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()
) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = []
    for r in rows:
        cells = "".join(
            f'<td class="n">{escape(str(c))}</td>' if i in numeric else f"<td>{escape(str(c))}</td>"
            for i, c in enumerate(r)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure(svg: str) -> str:
    return f"<figure>{svg}</figure>"


def _agreement(a: TaskAgreement, threshold: float | None) -> list[str]:
    out = [f"<h2>Agreement: {escape(a.task)}</h2>"]
    level = f", alpha at the {a.level} level" if a.level else ""
    out.append(
        f"<p>{escape(a.type)} task{escape(level)}; {a.units} items with two or more annotators, "
        f"{a.annotators} annotators, {a.ratings} ratings.</p>"
    )
    if a.stats:
        out.append(
            _table(["statistic", "value"], [[k, stat_text(v)] for k, v in a.stats.items()], (1,))
        )
    names = _class_stat_names(a)
    if a.classes and names:
        rows = [
            [c.id, str(c.ratings), *(stat_text(c.stats.get(n)) for n in names)] for c in a.classes
        ]
        out.append(_table(["class", "ratings", *names], rows, tuple(range(1, len(names) + 2))))
        main = "krippendorff_alpha" if "krippendorff_alpha" in names else names[0]
        stats = [c.stats.get(main) for c in a.classes]
        out.append(
            _figure(
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
        )
    if a.coincidence is not None and a.labels and len(a.labels) <= 40:
        out.append(
            _figure(
                charts.heatmap(
                    a.labels,
                    a.coincidence,
                    f"{a.task}: how annotators' labels pair up (coincidences)",
                    "label given by one annotator",
                    "label given by another",
                )
            )
        )
    if a.disagreements:
        rows = [
            [d.item, num(d.disagreement, 2), "; ".join(f"{k}: {v}" for k, v in d.labels.items())]
            for d in a.disagreements
        ]
        out.append("<p>Items with the most disagreement:</p>")
        out.append(_table(["item", "disagreement", "labels"], rows, (1,)))
    out += [f'<p class="note">{escape(n)}</p>' for n in a.notes]
    return out


def render_html(report: Report) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)}: {escape(report.guideline)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{escape(report.title)}</h1>",
        f"<p>Guideline <code>{escape(report.guideline)}</code></p>",
    ]
    thresholds: dict[str, float] = {}
    if report.decision is not None:
        parts.append(
            f'<p><span class="verdict {report.decision}">Verdict: {report.decision.upper()}</span></p>'
        )
        rows = []
        for c in report.criteria:
            bound = f"{c.comparison} {c.bound:g}" if c.bound is not None and c.comparison else "–"
            rows.append(
                f'<tr><td class="{c.status}">{STATUS[c.status]}</td><td>{escape(c.name)}</td>'
                f'<td class="n">{num(c.value)}</td><td class="n">{escape(bound)}</td>'
                f"<td>{escape(c.reason)}</td></tr>"
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
        parts.append(
            "<table><thead><tr><th>status</th><th>criterion</th><th>value</th><th>bound</th>"
            f"<th>reason</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    for shares, bounds in report.distribution:
        parts.append(f"<h2>Class distribution: {escape(shares.task)}</h2>")
        classes = list(shares.counts)
        values = [shares.share(c) or 0.0 for c in classes]
        b = [
            (bounds[c].min_share, bounds[c].max_share) if c in bounds else (None, None)
            for c in classes
        ]
        parts.append(
            _figure(
                charts.distribution(
                    classes, values, b, f"{shares.task}: share of records per class"
                )
            )
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
        parts.append(_table(["class", "records", "share", "min", "max"], rows, (1, 2, 3, 4)))
    for a in report.agreement:
        parts += _agreement(a, thresholds.get(a.task))
    if report.audit is not None:
        s = report.audit
        lo, hi = s.interval
        parts.append("<h2>Audit</h2>")
        parts.append(
            f"<p>Pass rate <strong>{num(s.pass_rate)}</strong> ({s.passed} of {s.audited} audited; "
            f"{s.confidence:.0%} Wilson interval {num(lo)}–{num(hi)}).</p>"
        )
        if s.defects:
            parts.append(
                _table(["defect", "count"], [[d, str(n)] for d, n in s.defects.items()], (1,))
            )
    for g in report.gold:
        o = g.overall
        parts.append(f"<h2>Gold: {escape(g.task)}</h2>")
        parts.append(
            f"<p>{o.scored} records scored; accuracy {num(o.metric('accuracy'))}, macro F1 "
            f"{num(o.metric('macro_f1'))}, micro F1 {num(o.metric('micro_f1'))}.</p>"
        )
        rows = [
            [c, num(v["precision"]), num(v["recall"]), num(v["f1"]), str(v["support"])]
            for c, v in o.per_class().items()
        ]
        parts.append(_table(["class", "precision", "recall", "f1", "support"], rows, (1, 2, 3, 4)))
        if o.confusion is not None and o.confusion.sum() > 0 and len(g.labels) <= 40:
            parts.append(
                _figure(
                    charts.heatmap(
                        g.labels,
                        o.confusion.tolist(),
                        f"{g.task}: confusion against gold",
                        "delivered label",
                        "gold label",
                    )
                )
            )
    parts += [f'<p class="note">{escape(n)}</p>' for n in report.notes]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
