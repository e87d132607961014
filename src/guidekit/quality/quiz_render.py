"""The ``guidekit quiz score`` report as text, Markdown, JSON or HTML, for a calibration
meeting: the verdict per annotator, then the items ranked by how many got them wrong, each
with what in the guideline decides it and a link into the handbook.

Every format starts from one list of tables (:func:`tables`), so they say the same things.
"""

from __future__ import annotations

import html
from typing import Any

import orjson

from guidekit.quality.quiz import QuizReport
from guidekit.spec.markdown import escape_markdown

#: a table's title, header, rows; a cell is text, or (text, link) pairs for links
Cell = str | tuple[tuple[str, str | None], ...]
Table = tuple[str, list[str], list[list[Cell]]]


def _n(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"


def _show(v: Any) -> str:
    if v is None:
        return "(no answer)"
    if isinstance(v, list):
        return ", ".join(str(x.get("label") if isinstance(x, dict) else x) for x in v) or "(none)"
    return str(v)


def _text(c: Cell) -> str:
    return c if isinstance(c, str) else "; ".join(t for t, _ in c)


def tables(report: QuizReport) -> list[Table]:
    data = report.to_dict()
    out: list[Table] = []
    task_ids = sorted({t for a in data["annotators"] for t in a["tasks"]})
    rows: list[list[Cell]] = []
    for a in data["annotators"]:
        row: list[Cell] = [a["annotator"], f"{a['right']}/{a['answers']}", _n(a["accuracy"])]
        row += [_n(a["tasks"].get(t, {}).get("score")) for t in task_ids]
        row += [a["verdict"], "; ".join(a["reasons"])]
        rows.append(row)
    out.append(
        (
            "Annotators",
            ["annotator", "right", "accuracy", *task_ids, "verdict", "why"],
            rows,
        )
    )
    group_rows: list[list[Cell]] = []
    for a in data["annotators"]:
        for task, groups in a["groups"].items():
            for g in groups:
                kind = g["kind"].replace("_", " ")
                group_rows.append(
                    [a["annotator"], task, f"{kind} {g['name']}", str(g["items"]), _n(g["score"])]
                )
    out.append(
        (
            "Per class and edge case",
            ["annotator", "task", "group", "items", "score"],
            group_rows,
        )
    )
    item_rows: list[list[Cell]] = []
    for r in data["items_ranked"]:
        expected = "; ".join(f"{t}: {_show(v)}" for t, v in sorted(r["expected"].items()))
        answers = "; ".join(f"{w['answer']} ×{w['count']}" for w in r["wrong_answers"])
        decided = []
        for d in r["decided_by"]:
            name = f"{d['kind'].replace('_', ' ')} {d['id']}"
            decided.append((name + (f": {d['text']}" if d.get("text") else ""), d.get("link")))
        item_rows.append(
            [
                r["item"],
                f"{r['wrong']}/{r['of']}",
                expected,
                answers,
                tuple(decided),
            ]
        )
    out.append(
        (
            "Items ranked by how many got them wrong",
            ["item", "wrong", "right answer", "answers given", "decided by"],
            item_rows,
        )
    )
    if data["excluded"]:
        out.append(
            (
                "Not scored",
                ["what", "count", "why"],
                [[e["what"], str(e["count"]), e["why"]] for e in data["excluded"]],
            )
        )
    return out


def _title(report: QuizReport) -> str:
    return f"Qualification quiz {report.answers} on {report.guideline} ({report.items} items)"


def _verdict(report: QuizReport) -> str:
    if report.qualification is None:
        return "No qualification threshold is declared (`evaluation.qualification`)."
    failed = report.failed
    if failed:
        return f"Not qualified: {', '.join(failed)}."
    return "Every annotator qualified."


def render_text(report: QuizReport) -> str:
    lines = [_title(report), ""]
    for title, header, rows in tables(report):
        lines.append(title)
        if not rows:
            lines += ["  (none)", ""]
            continue
        texts = [[_text(c) for c in r] for r in rows]
        widths = [max(len(r[i]) for r in [header, *texts]) for i in range(len(header))]
        for r in [header, *texts]:
            cells = [c.ljust(w) for c, w in zip(r, widths, strict=True)]
            lines.append("  " + "  ".join(cells).rstrip())
        lines.append("")
    lines.append(_verdict(report))
    return "\n".join(lines) + "\n"


def _md(c: Cell) -> str:
    def one(text: str, link: str | None) -> str:
        shown = escape_markdown(text).replace("|", "\\|")
        return f"[{shown}](<{link}>)" if link else shown

    if isinstance(c, str):
        return one(c, None)
    return "<br>".join(one(t, link) for t, link in c)


def render_markdown(report: QuizReport) -> str:
    lines = [f"# {escape_markdown(_title(report))}", "", escape_markdown(_verdict(report)), ""]
    for title, header, rows in tables(report):
        lines += [f"## {escape_markdown(title)}", ""]
        if not rows:
            lines += ["*None.*", ""]
            continue
        lines.append("| " + " | ".join(_md(h) for h in header) + " |")
        lines.append("|" + "|".join("---" for _ in header) + "|")
        lines += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows]
        lines.append("")
    return "\n".join(lines)


def render_json(report: QuizReport) -> str:
    return orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n"


def _html(c: Cell) -> str:
    def one(text: str, link: str | None) -> str:
        if link:
            return f'<a href="{html.escape(link, quote=True)}">{html.escape(text)}</a>'
        return html.escape(text)

    if isinstance(c, str):
        return one(c, None)
    return "<br>".join(one(t, link) for t, link in c)


def render_html(report: QuizReport) -> str:
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(_title(report))}</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:2rem}"
        "table{border-collapse:collapse;margin-bottom:1.5rem}"
        "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
        "</style>",
        "</head><body>",
        f"<h1>{e(_title(report))}</h1>",
        f"<p><strong>{e(_verdict(report))}</strong></p>",
    ]
    for title, header, rows in tables(report):
        parts.append(f"<h2>{e(title)}</h2>")
        if not rows:
            parts.append("<p><em>None.</em></p>")
            continue
        parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in header))
        parts.append("</tr></thead><tbody>")
        parts += ["<tr>" + "".join(f"<td>{_html(c)}</td>" for c in r) + "</tr>" for r in rows]
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render(report: QuizReport, fmt: str) -> str:
    renderers: dict[str, Any] = {
        "json": render_json,
        "markdown": render_markdown,
        "html": render_html,
    }
    out: str = renderers.get(fmt, render_text)(report)
    return out


__all__ = ["render", "tables"]
