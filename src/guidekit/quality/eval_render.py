"""The ``guidekit eval`` report as text, Markdown, JSON or HTML.

Every format starts from one list of tables (:func:`tables`), so they say the same things.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import orjson

from guidekit.quality.evaluation import EvalReport
from guidekit.spec.markdown import escape_markdown

Table = tuple[str, list[str], list[list[str]]]


def _n(v: float | None, digits: int = 3) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def _ci(v: Any) -> str:
    return "" if not v else f"[{v[0]:.3f}, {v[1]:.3f}]"


def _group_row(label: str, d: dict[str, Any]) -> list[str]:
    return [
        label,
        str(d["items"]),
        f"{_n(d['precision'])} {_ci(d['precision_interval'])}".strip(),
        f"{_n(d['recall'])} {_ci(d['recall_interval'])}".strip(),
        f"{_n(d['f1'])} {_ci(d['f1_interval'])}".strip(),
        f"{_n(d['accuracy'])} {_ci(d['accuracy_interval'])}".strip(),
    ]


GROUP_HEADER = ["group", "items", "precision [95% CI]", "recall", "F1 (bootstrap CI)", "accuracy"]


def tables(report: EvalReport) -> list[Table]:
    data = report.to_dict()
    out: list[Table] = []
    for t in data["tasks"]:
        rows = [_group_row("all", t["overall"])]
        rows += [_group_row(f"{g['kind']} {g['name']}", g) for g in t["groups"]]
        out.append((f"Task {t['task']} ({t['type']})", GROUP_HEADER, rows))
        out.append(
            (
                f"Task {t['task']}: per class",
                ["class", "precision", "recall", "F1", "support"],
                [
                    [c, _n(v["precision"]), _n(v["recall"]), _n(v["f1"]), str(v["support"])]
                    for c, v in t["classes"].items()
                ],
            )
        )
        if t["confusion"] is not None:
            labels = t["labels"]
            used = [
                i
                for i in range(len(labels))
                if any(t["confusion"][i]) or any(row[i] for row in t["confusion"])
            ]
            out.append(
                (
                    f"Task {t['task']}: confusion (rows: key, columns: predicted)",
                    ["key \\ predicted", *(labels[i] for i in used)],
                    [[labels[i], *(str(t["confusion"][i][j]) for j in used)] for i in used],
                )
            )
    for c in data["comparison"]:
        out.append(
            (
                f"Task {c['task']}: {report.predictions} (A) against {report.compare_with} (B)",
                ["group", "paired", "acc A", "acc B", "only A right", "only B right", "p", "B is"],
                [
                    [
                        f"{r['kind']} {r['name']}" if r["kind"] != "overall" else "all",
                        str(r["paired_items"]),
                        _n(r["accuracy_a"]),
                        _n(r["accuracy_b"]),
                        str(r["only_a_right"]),
                        str(r["only_b_right"]),
                        f"{r['p_value']:.4g}",
                        r["change"],
                    ]
                    for r in c["rows"]
                ],
            )
        )
    if data["acceptance"]:
        out.append(
            (
                "Acceptance: edge cases",
                ["edge case", "task", "F1", "min", "items", "status", "reason"],
                [
                    [
                        a["edge_case"],
                        a["task"],
                        _n(a["f1"]),
                        f"{a['min_f1']:g}",
                        str(a["items"]),
                        a["status"],
                        a["reason"],
                    ]
                    for a in data["acceptance"]
                ],
            )
        )
    out.append(
        (
            "Excluded from the scores",
            ["what", "count", "why"],
            [[e["what"], str(e["count"]), e["why"]] for e in data["excluded"]],
        )
    )
    return out


def _verdict(report: EvalReport) -> str:
    if not report.thresholds:
        return "No edge-case threshold is declared."
    return "Edge-case thresholds: failed." if report.failed else "Edge-case thresholds: all met."


def _title(report: EvalReport) -> str:
    return (
        f"Evaluation of {report.predictions} on {report.guideline} ({report.key_items} key items)"
    )


def render_text(report: EvalReport) -> str:
    lines = [_title(report), ""]
    for title, header, rows in tables(report):
        lines.append(title)
        if not rows:
            lines += ["  (none)", ""]
            continue
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        for r in [header, *rows]:
            lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
        lines.append("")
    lines.append(_verdict(report))
    return "\n".join(lines) + "\n"


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    def cell(v: str) -> str:
        return escape_markdown(v).replace("|", "\\|")

    out = ["| " + " | ".join(cell(h) for h in header) + " |"]
    out.append("|" + "|".join("---" for _ in header) + "|")
    out += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return out


def render_markdown(report: EvalReport) -> str:
    lines = [f"# {escape_markdown(_title(report))}", ""]
    for title, header, rows in tables(report):
        lines += [f"## {escape_markdown(title)}", ""]
        lines += _md_table(header, rows) if rows else ["*None.*"]
        lines.append("")
    lines.append(_verdict(report))
    return "\n".join(lines) + "\n"


def render_json(report: EvalReport) -> str:
    return orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n"


def render_html(report: EvalReport) -> str:
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(_title(report))}</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:2rem}"
        "table{border-collapse:collapse;margin-bottom:1.5rem}"
        "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}</style>",
        "</head><body>",
        f"<h1>{e(_title(report))}</h1>",
    ]
    for title, header, rows in tables(report):
        parts.append(f"<h2>{e(title)}</h2>")
        if not rows:
            parts.append("<p><em>None.</em></p>")
            continue
        parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in header))
        parts.append("</tr></thead><tbody>")
        for r in rows:
            parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>")
        parts.append("</tbody></table>")
    parts.append(f"<p>{e(_verdict(report))}</p></body></html>")
    return "\n".join(parts) + "\n"


def render(report: EvalReport, fmt: str) -> str:
    return {
        "json": render_json,
        "markdown": render_markdown,
        "html": render_html,
    }.get(fmt, render_text)(report)
