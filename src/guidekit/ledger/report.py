"""``guidekit ledger report``: the program's trends as JSON, Markdown and one HTML page.

The HTML is self-contained: charts are inline SVG drawn by matplotlib (checked by the
command before any work), tables are sortable by a few lines of inline script. With an
audience, labels come from the guideline as that audience sees it
(:func:`guidekit.audience.for_audience`): a restricted class shows its id only.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from typing import Any

from guidekit import ir
from guidekit.ledger.summary import SMALL_SAMPLE, Summary, wilson

Label = Callable[[str, str | None], str]


def labeller(guideline: ir.Guideline | None) -> Label:
    """``label(task, class)``: the display name of a task/class as the IR spells it."""

    def label(task: str, cls: str | None) -> str:
        if guideline is None or task not in guideline.tasks:
            return task if cls is None else f"{task}/{cls}"
        t = guideline.tasks[task]
        if cls is None:
            return t.id
        names = {c.id: c.name for c in t.classes}
        return f"{t.id}/{names.get(cls, cls)}"

    return label


def bounds(guideline: ir.Guideline | None) -> dict[str, tuple[float | None, float | None]]:
    if guideline is None:
        return {}
    return {
        f"{d.task}/{d.class_}": (d.min_share, d.max_share)
        for d in guideline.acceptance.distribution
        if d.split is None
    }


def to_data(s: Summary, guideline: ir.Guideline | None) -> dict[str, Any]:
    label = labeller(guideline)
    passed, total = s.audit()
    declared = bounds(guideline)
    drift = []
    for batch, counts in s.classes.items():
        per_task: dict[str, int] = {}
        for key, n in counts.items():
            per_task[key.split("/", 1)[0]] = per_task.get(key.split("/", 1)[0], 0) + n
        for key, n in sorted(counts.items()):
            task, cls = key.split("/", 1)
            share = n / per_task[task] if per_task[task] else 0.0
            lo, hi = declared.get(key, (None, None))
            outside = (lo is not None and share < lo) or (hi is not None and share > hi)
            drift.append(
                {
                    "batch": batch,
                    "class": label(task, cls),
                    "share": share,
                    "min_share": lo,
                    "max_share": hi,
                    "outside": outside,
                }
            )
    return {
        "ledger": s.ledger,
        "batches": [
            {
                "batch": b.name,
                "vendor": b.vendor,
                "sent": b.sent.isoformat() if b.sent else None,
                "delivered": b.delivered.isoformat() if b.delivered else None,
                "accepted": b.accepted.isoformat() if b.accepted else None,
                "revisions": b.revisions,
                "guideline_versions": b.versions,
                "verdicts": b.verdicts,
                "records": b.records,
                "defects": b.defects,
                "audit": {
                    "passed": b.audit_passed,
                    "audited": b.audit_total,
                    "interval": list(wilson(b.audit_passed, b.audit_total))
                    if b.audit_total
                    else None,
                },
            }
            for b in s.batches
        ],
        "audit": {
            "passed": passed,
            "audited": total,
            "pass_rate": passed / total if total else None,
            "interval": list(wilson(passed, total)) if total else None,
        },
        "revision_rate": s.revision_rate,
        "turnaround_days": s.turnaround(),
        "agreement": [
            {
                "task": label(task, None),
                "class": None if cls is None else label(task, cls),
                "measure": measure,
                "points": [
                    {"batch": b, "version": v, "value": val, "low": lo, "high": hi}
                    for b, v, val, lo, hi in points
                ],
            }
            for (task, cls, measure), points in sorted(
                s.agreement.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2])
            )
        ],
        "defects": [
            {"vendor": vendor, "batch": batch, "defects": dict(sorted(d.items()))}
            for (vendor, batch), d in sorted(s.defects.items())
        ],
        "class_drift": drift,
        "annotators": [
            {
                "annotator": name,
                "scored": n,
                "errors": e,
                "error_rate": e / n if n else None,
                "small_sample": n < SMALL_SAMPLE,
            }
            for name, (n, e) in s.annotators.items()
        ],
        "questions": _questions(s, label),
    }


def _questions(s: Summary, label: Label) -> dict[str, Any]:
    q = s.questions
    if q is None:
        return {"open": 0, "answered": 0, "closed": 0, "open_by_age": {}, "open_by_class": {}}
    by_class: dict[str, int] = {}
    for key, n in sorted(q.open_by_class.items()):
        task, _, cls = key.partition("/")
        name = label(task, cls or None)
        by_class[name] = by_class.get(name, 0) + n
    return {
        "open": q.open,
        "answered": q.answered,
        "closed": q.closed,
        "open_by_age": q.by_age,
        "open_by_class": by_class,
        "answered_count": len(q.days_to_answer),
        "median_days_to_answer": q.median_days_to_answer,
    }


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def headline(data: dict[str, Any]) -> list[tuple[str, str]]:
    a = data["audit"]
    ta = data["turnaround_days"]
    interval = a["interval"]
    audit = _pct(a["pass_rate"])
    if interval:
        audit += f" [{_pct(interval[0])}, {_pct(interval[1])}] of {a['audited']}"
    verdicts = [
        b["verdicts"].get("accept") or b["verdicts"].get("validate") for b in data["batches"]
    ]

    def days(key: str) -> str:
        v = ta[key]
        if not v["n"]:
            return "–"
        return f"median {v['p50']:.1f} d, p90 {v['p90']:.1f} d (n={v['n']})"

    return [
        ("batches", str(len(data["batches"]))),
        ("accepted / rejected", f"{verdicts.count('accept')} / {verdicts.count('reject')}"),
        ("audit pass rate (Wilson 95%)", audit),
        ("revision rate", _pct(data["revision_rate"])),
        ("turnaround sent → delivered", days("sent_to_delivered")),
        ("turnaround delivered → accepted", days("delivered_to_accepted")),
        (
            "classes outside declared bounds",
            str(sum(1 for d in data["class_drift"] if d["outside"])),
        ),
        ("open questions", _open_questions(data["questions"])),
        ("time to answer", _answer_time(data["questions"])),
    ]


def _open_questions(q: dict[str, Any]) -> str:
    if not q["open"]:
        return "0"
    ages = ", ".join(f"{n} {age}" for age, n in q["open_by_age"].items() if n)
    return f"{q['open']} ({ages})"


def _answer_time(q: dict[str, Any]) -> str:
    median = q.get("median_days_to_answer")
    if median is None:
        return "–"
    return f"median {median:.1f} d (n={q['answered_count']})"


# -- Markdown --------------------------------------------------------------------------------


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(data: dict[str, Any]) -> str:
    out = ["# Program ledger", "", f"Ledger: `{_md(data['ledger'])}`", ""]
    out += ["| figure | value |", "|---|---|"]
    out += [f"| {k} | {_md(v)} |" for k, v in headline(data)]
    out += [
        "",
        "## Batches",
        "",
        "| batch | vendor | delivered | revisions | versions | verdict | audit |",
    ]
    out.append("|---|---|---|---|---|---|---|")
    for b in data["batches"]:
        a = b["audit"]
        audit = f"{a['passed']}/{a['audited']}" if a["audited"] else "–"
        verdict = b["verdicts"].get("accept") or b["verdicts"].get("validate") or "–"
        out.append(
            f"| {_md(b['batch'])} | {_md(b['vendor'] or '')} | {(b['delivered'] or '')[:10]} "
            f"| {b['revisions']} | {_md(', '.join(b['guideline_versions']))} | {verdict} | {audit} |"
        )
    q = data["questions"]
    if q["open_by_class"]:
        out += ["", "## Open questions by class", "", "| class | open |", "|---|---|"]
        out += [f"| {_md(c)} | {n} |" for c, n in q["open_by_class"].items()]
    out += ["", "## Agreement", "", "| task/class | measure | batch | version | value | interval |"]
    out.append("|---|---|---|---|---|---|")
    for s in data["agreement"]:
        for p in s["points"]:
            ci = f"[{_num(p['low'])}, {_num(p['high'])}]" if p["low"] is not None else ""
            out.append(
                f"| {_md(s['class'] or s['task'])} | {s['measure']} | {_md(p['batch'])} "
                f"| {_md(p['version'])} | {_num(p['value'])} | {ci} |"
            )
    out += ["", "## Defects by vendor and batch", "", "| vendor | batch | defect | count |"]
    out.append("|---|---|---|---|")
    for d in data["defects"]:
        for k, n in d["defects"].items():
            out.append(f"| {_md(d['vendor'])} | {_md(d['batch'])} | {_md(k)} | {n} |")
    out += ["", "## Class distribution against declared bounds", ""]
    out += ["| batch | class | share | bounds | outside |", "|---|---|---|---|---|"]
    for d in data["class_drift"]:
        b = f"{_pct(d['min_share'])} – {_pct(d['max_share'])}"
        out.append(
            f"| {_md(d['batch'])} | {_md(d['class'])} | {_pct(d['share'])} | {b} "
            f"| {'yes' if d['outside'] else ''} |"
        )
    out += [
        "",
        "## Annotators",
        "",
        "| annotator | scored | errors | error rate | |",
        "|---|---|---|---|---|",
    ]
    for a in data["annotators"]:
        caution = f"small sample (< {SMALL_SAMPLE})" if a["small_sample"] else ""
        out.append(
            f"| {_md(a['annotator'])} | {a['scored']} | {a['errors']} | {_pct(a['error_rate'])} "
            f"| {caution} |"
        )
    return "\n".join(out) + "\n"


# -- HTML ------------------------------------------------------------------------------------


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def charts(data: dict[str, Any], limit: int = 8) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"
    out: list[tuple[str, str]] = []
    order = {b["batch"]: i for i, b in enumerate(data["batches"])}
    versions = [
        b["guideline_versions"][-1] if b["guideline_versions"] else "" for b in data["batches"]
    ]
    changes = [i for i in range(1, len(versions)) if versions[i] != versions[i - 1]]

    def mark_versions(ax: Any) -> None:
        for i in changes:
            ax.axvline(i - 0.5, color="grey", linestyle=":", linewidth=1)
            ax.annotate(versions[i], (i - 0.5, 1), xycoords=("data", "axes fraction"), fontsize=7)

    series = [
        s
        for s in data["agreement"]
        if s["measure"] in ("krippendorff_alpha", "specific_agreement", "span_f1", "box_f1")
    ]
    if series:
        fig, ax = plt.subplots(figsize=(8, 3.2))
        for s in series[:limit]:
            pts = sorted(s["points"], key=lambda p: order.get(p["batch"], 0))
            xs = [order.get(p["batch"], 0) for p in pts]
            ys = [p["value"] for p in pts]
            ax.plot(xs, ys, marker="o", label=f"{s['class'] or s['task']} {s['measure']}")
            lo = [p["low"] if p["low"] is not None else p["value"] for p in pts]
            hi = [p["high"] if p["high"] is not None else p["value"] for p in pts]
            ax.fill_between(xs, lo, hi, alpha=0.15)
        mark_versions(ax)
        ax.set_ylabel("agreement")
        ax.set_xlabel("batch (in delivery order)")
        ax.legend(fontsize=7)
        out.append(
            (
                "Agreement per task and class, with intervals; dotted: guideline version changes",
                _svg(fig),
            )
        )
    audited = [(i, b["audit"]) for i, b in enumerate(data["batches"]) if b["audit"]["audited"]]
    if audited:
        fig, ax = plt.subplots(figsize=(8, 2.8))
        xs = [i for i, _ in audited]
        ys = [a["passed"] / a["audited"] for _, a in audited]
        err = [
            [y - a["interval"][0] for y, (_, a) in zip(ys, audited, strict=True)],
            [a["interval"][1] - y for y, (_, a) in zip(ys, audited, strict=True)],
        ]
        ax.errorbar(xs, ys, yerr=err, fmt="o", capsize=3)
        mark_versions(ax)
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("audit pass rate")
        out.append(("Audit pass rate per batch (Wilson 95% intervals)", _svg(fig)))
    if data["defects"]:
        totals: dict[str, int] = {}
        for d in data["defects"]:
            for k, n in d["defects"].items():
                totals[k] = totals.get(k, 0) + n
        top = sorted(totals, key=lambda k: -totals[k])[:limit]
        vendors = sorted({d["vendor"] for d in data["defects"]})
        fig, ax = plt.subplots(figsize=(8, 2.8))
        bottom = [0] * len(vendors)
        for k in top:
            vals = [
                sum(d["defects"].get(k, 0) for d in data["defects"] if d["vendor"] == v)
                for v in vendors
            ]
            ax.bar(vendors, vals, bottom=bottom, label=k)
            bottom = [a + b for a, b in zip(bottom, vals, strict=True)]
        ax.legend(fontsize=7)
        ax.set_ylabel("defects")
        out.append(("Defect types by vendor", _svg(fig)))
    return out


_SORT = """<script>
document.querySelectorAll('table.sortable th').forEach(function (th, i) {
  th.addEventListener('click', function () {
    var t = th.closest('table'), rows = Array.from(t.tBodies[0].rows);
    var asc = th.dataset.asc !== '1'; th.dataset.asc = asc ? '1' : '0';
    rows.sort(function (a, b) {
      var x = a.cells[i].dataset.v || a.cells[i].textContent, y = b.cells[i].dataset.v || b.cells[i].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return asc ? c : -c;
    });
    rows.forEach(function (r) { t.tBodies[0].appendChild(r); });
  });
});
</script>"""


def _table(head: list[str], rows: list[list[object]]) -> str:
    e = html.escape
    th = "".join(f"<th>{e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="sortable"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def page(data: dict[str, Any]) -> str:
    e = html.escape
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Program ledger</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
        "padding:.2em .5em}th{cursor:pointer;background:#f4f4f4}.caution{color:#a60}</style>",
        "</head><body><h1>Program ledger</h1>",
        f"<p>Ledger: <code>{e(data['ledger'])}</code></p>",
        _table(["figure", "value"], [list(r) for r in headline(data)]),
    ]
    for title, svg in charts(data):
        parts.append(f"<h2>{e(title)}</h2><figure>{svg}</figure>")
    parts.append("<h2>Batches</h2>")
    parts.append(
        _table(
            [
                "batch",
                "vendor",
                "sent",
                "delivered",
                "accepted",
                "revisions",
                "versions",
                "records",
                "defects",
            ],
            [
                [
                    b["batch"],
                    b["vendor"] or "",
                    (b["sent"] or "")[:10],
                    (b["delivered"] or "")[:10],
                    (b["accepted"] or "")[:10],
                    b["revisions"],
                    ", ".join(b["guideline_versions"]),
                    b["records"],
                    b["defects"],
                ]
                for b in data["batches"]
            ],
        )
    )
    parts.append("<h2>Defects by vendor and batch</h2>")
    parts.append(
        _table(
            ["vendor", "batch", "defect", "count"],
            [
                [d["vendor"], d["batch"], k, n]
                for d in data["defects"]
                for k, n in d["defects"].items()
            ],
        )
    )
    questions = data["questions"]
    if questions["open"]:
        parts.append("<h2>Open questions</h2>")
        parts.append(
            _table(["age", "open"], [[age, n] for age, n in questions["open_by_age"].items()])
        )
        parts.append(
            _table(["class", "open"], [[c, n] for c, n in questions["open_by_class"].items()])
        )
    parts.append("<h2>Class distribution against declared bounds</h2>")
    parts.append(
        _table(
            ["batch", "class", "share", "min", "max", "outside"],
            [
                [
                    d["batch"],
                    d["class"],
                    _pct(d["share"]),
                    _pct(d["min_share"]),
                    _pct(d["max_share"]),
                    "yes" if d["outside"] else "",
                ]
                for d in data["class_drift"]
            ],
        )
    )
    parts.append("<h2>Annotators</h2>")
    parts.append(
        f"<p class='caution'>Error rates from fewer than {SMALL_SAMPLE} scored labels are "
        "marked: too few to compare annotators.</p>"
    )
    parts.append(
        _table(
            ["annotator", "scored", "errors", "error rate", "caution"],
            [
                [
                    a["annotator"],
                    a["scored"],
                    a["errors"],
                    _pct(a["error_rate"]),
                    "small sample" if a["small_sample"] else "",
                ]
                for a in data["annotators"]
            ],
        )
    )
    parts.append(_SORT + "</body></html>\n")
    return "".join(parts)
