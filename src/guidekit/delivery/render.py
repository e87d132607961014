"""Render a delivery :class:`~guidekit.delivery.report.Report`: text, JSON, JUnit XML,
Markdown and a self-contained HTML page.

Every format shows the same things in the same order: the verdict and why, the counts,
diagnostics grouped by code (count and first examples with file, line and JSON pointer), the
acceptance criteria, and the split files. Output is deterministic: no timestamps.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from guidekit._version import __version__
from guidekit.delivery.report import CodeGroup, Report
from guidekit.diagnostics.codes import CODES
from guidekit.diagnostics.model import Diagnostic, Severity
from guidekit.record.acceptance import CriterionResult
from guidekit.spec.markdown import escape_markdown

FORMATS = ("text", "json", "junit", "markdown", "html")
MARK = {"met": "✓", "failed": "✗", "not_measured": "–"}


def _n(value: int) -> str:
    return f"{value:,}"


def _where(d: Diagnostic) -> str:
    loc = d.location
    text = loc.file or "<records>"
    if loc.line is not None:
        text += f":{loc.line}"
    return text


def _example(d: Diagnostic) -> str:
    ptr = f" {d.location.pointer}" if d.location.pointer else ""
    return f"{_where(d)}{ptr}  {d.message}"


def _criterion_value(c: CriterionResult) -> str:
    if c.status == "not_measured":
        return "not measured"
    value = f"{c.value:.1%}" if c.value is not None else "?"
    bound = f"{c.bound:.1%}" if c.bound is not None else "?"
    return f"{value} {c.comparison} {bound}"


def _summary_rows(r: Report) -> list[tuple[str, str]]:
    rows = [
        ("records", _n(r.records)),
        ("accepted records", _n(r.accepted_records)),
        ("rejected records", _n(r.rejected_records)),
        ("records with warnings", _n(r.with_warnings)),
        ("distinct ids", _n(r.distinct_ids)),
    ]
    if r.skipped:
        skipped = sum(r.skipped.values())
        detail = ", ".join(f"{k} {_n(v)}" for k, v in r.skipped.items())
        rows.append(("skipped", f"{_n(skipped)} ({detail})"))
    rows.append(("unresolved", _n(r.unresolved)))
    if r.versions:
        rows.append(
            ("guideline versions", ", ".join(f"{k} ({_n(v)})" for k, v in r.versions.items()))
        )
    return rows


def _files_line(r: Report) -> str:
    return ", ".join(f"{f.file} ({f.format}, {_n(f.records)} records)" for f in r.files)


def _sections(r: Report) -> tuple[list[CodeGroup], list[CodeGroup], list[CodeGroup]]:
    by = {s: [g for g in r.groups if g.severity is s] for s in Severity}
    return by[Severity.ERROR], by[Severity.WARNING], by[Severity.INFO]


# -- text -------------------------------------------------------------------------------------


def render_text(r: Report, *, color: bool = False) -> str:
    """Plain text (``color``: with rich markup, for a terminal)."""

    def style(text: str, tag: str) -> str:
        if not color:
            return text
        return f"[{tag}]{_esc_markup(text)}[/{tag}]"

    def plain(text: str) -> str:
        return _esc_markup(text) if color else text

    out: list[str] = []
    verdict = "ACCEPTED" if r.accepted else "REJECTED"
    out.append(
        style(f"{verdict}", "bold green" if r.accepted else "bold red")
        + plain(f"  {r.guideline} {r.version}: {_files_line(r)}")
    )
    for reason in r.reasons:
        out.append(plain(f"  - {reason}"))
    out.append("")
    width = max(len(k) for k, _ in _summary_rows(r))
    for key, value in _summary_rows(r):
        out.append(plain(f"  {key.ljust(width)}  {value}"))
    for d in r.delivery:
        out.append(plain(f"  {d.code} [{d.severity.value}] {d.message}"))
    errors, warnings, infos = _sections(r)
    for title, groups, tag in (
        ("Errors", errors, "red"),
        ("Warnings", warnings, "yellow"),
        ("Notes", infos, "blue"),
    ):
        if not groups:
            continue
        out.append("")
        out.append(style(f"{title} by code", "bold"))
        for g in groups:
            out.append(style(f"  {g.code}", tag) + plain(f"  {g.title}  ×{_n(g.count)}"))
            for d in g.examples:
                out.append(plain(f"      {_example(d)}"))
                if d.hint:
                    out.append(plain(f"        hint: {d.hint}"))
            if g.count > len(g.examples):
                out.append(plain(f"      … and {_n(g.count - len(g.examples))} more"))
    if r.criteria:
        out.append("")
        out.append(style("Acceptance criteria", "bold"))
        for c in r.criteria:
            split = f" [split {c.split}]" if c.split else ""
            tag = {"met": "green", "failed": "red", "not_measured": "dim"}[c.status]
            out.append(
                style(f"  {MARK[c.status]}", tag)
                + plain(f" {c.name}{split}: {_criterion_value(c)} ({c.reason})")
            )
    if r.split:
        out.append("")
        out.append(style("Split", "bold"))
        for kind, path in r.split.items():
            out.append(plain(f"  {kind}: {path}"))
    return "\n".join(out) + "\n"


def _esc_markup(text: str) -> str:
    return text.replace("[", "\\[")


# -- JSON -------------------------------------------------------------------------------------


def render_json(r: Report) -> str:
    doc = {"tool": "guidekit", "version": __version__, **r.to_dict()}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# -- JUnit XML --------------------------------------------------------------------------------


def render_junit(r: Report) -> str:
    """One test case per code group, delivery-level diagnostic and criterion."""
    cases: list[str] = []
    failures = skipped = 0
    name = f"guidekit validate {r.guideline} {r.version}"
    for d in r.delivery:
        body = escape(str(d))
        if d.severity is Severity.ERROR:
            failures += 1
            inner = (
                f"<failure type={quoteattr(d.code)} message={quoteattr(d.message)}>{body}</failure>"
            )
        else:
            inner = f"<system-out>{body}</system-out>"
        cases.append(
            f'    <testcase classname="delivery" name={quoteattr(d.code + " " + d.message)}>'
            f"{inner}</testcase>"
        )
    for g in r.groups:
        examples = "\n".join(_example(d) for d in g.examples)
        more = f"\n… and {g.count - len(g.examples)} more" if g.count > len(g.examples) else ""
        body = escape(f"{g.count} × {g.code} {g.title}\n{examples}{more}")
        label = f"{g.code} {g.title}"
        if g.severity is Severity.ERROR:
            failures += 1
            inner = (
                f"<failure type={quoteattr(g.code)} "
                f"message={quoteattr(f'{g.count} records: {g.title}')}>{body}</failure>"
            )
        else:
            inner = f"<system-out>{body}</system-out>"
        cases.append(
            f'    <testcase classname="records" name={quoteattr(label)}>{inner}</testcase>'
        )
    for c in r.criteria:
        split = f" [split {c.split}]" if c.split else ""
        text = escape(f"{_criterion_value(c)}: {c.reason}")
        if c.status == "failed":
            failures += 1
            inner = f'<failure type="criterion" message={quoteattr(c.reason)}>{text}</failure>'
        elif c.status == "not_measured":
            skipped += 1
            inner = f"<skipped message={quoteattr(c.reason)}/>"
        else:
            inner = f"<system-out>{text}</system-out>"
        cases.append(
            f'    <testcase classname="acceptance" name={quoteattr(c.name + split)}>'
            f"{inner}</testcase>"
        )
    if not cases:
        cases.append('    <testcase classname="delivery" name="validate"/>')
    tests = len(cases)
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="guidekit" tests="{tests}" failures="{failures}" skipped="{skipped}">',
        f'  <testsuite name={quoteattr(name)} tests="{tests}" failures="{failures}" '
        f'errors="0" skipped="{skipped}">',
    ]
    return "\n".join([*head, *cases, "  </testsuite>", "</testsuites>"]) + "\n"


# -- Markdown ---------------------------------------------------------------------------------


def render_markdown(r: Report) -> str:
    verdict = "✅ Accepted" if r.accepted else "❌ Rejected"
    out = [
        f"# {verdict}: {r.guideline} {r.version}",
        "",
        f"Delivery: {escape_markdown(_files_line(r))}",
        "",
    ]
    if r.reasons:
        out += [*(f"- {escape_markdown(x)}" for x in r.reasons), ""]
    out += [
        "| | |",
        "| --- | ---: |",
        *(f"| {k} | {escape_markdown(v)} |" for k, v in _summary_rows(r)),
        "",
    ]
    if r.delivery:
        out += ["## Delivery", ""]
        out += [
            f"- **{d.code}** ({d.severity.value}) {escape_markdown(d.message)}" for d in r.delivery
        ]
        out.append("")
    if r.groups:
        out += [
            "## Diagnostics by code",
            "",
            "| code | severity | title | count | first example |",
            "| --- | --- | --- | ---: | --- |",
        ]
        for g in r.groups:
            first = (
                f"`{_where(g.examples[0])}` {escape_markdown(g.examples[0].message)}"
                if g.examples
                else ""
            )
            out.append(
                f"| `{g.code}` | {g.severity.value} | "
                f"{escape_markdown(g.title)} | {g.count:,} | {first} |"
            )
        out += ["", "`guidekit explain CODE` says what a code means and how to fix it.", ""]
        for g in r.groups:
            out += [f"### {g.code} {g.title} ({g.count:,})", ""]
            for d in g.examples:
                ptr = f" `{d.location.pointer}`" if d.location.pointer else ""
                out.append(f"- `{_where(d)}`{ptr} {escape_markdown(d.message)}")
            if g.count > len(g.examples):
                out.append(f"- … and {g.count - len(g.examples):,} more")
            out.append("")
    if r.criteria:
        out += [
            "## Acceptance criteria",
            "",
            "| | criterion | split | measured | |",
            "| --- | --- | --- | --- | --- |",
        ]
        for c in r.criteria:
            out.append(
                f"| {MARK[c.status]} | {escape_markdown(c.name)} | {c.split or ''} | "
                f"{_criterion_value(c)} | {escape_markdown(c.reason)} |"
            )
        out.append("")
    if r.split:
        out += ["## Split", "", *(f"- {k}: `{v}`" for k, v in r.split.items()), ""]
    return "\n".join(out)


# -- HTML -------------------------------------------------------------------------------------


def _explain(code: str) -> str:
    """The registry's explanation of a code, as plain text for a tooltip."""
    entry = CODES.get(code)
    return entry.doc.replace("`", "") if entry else ""


def _bar_width(top: int) -> Callable[[CodeGroup], int]:
    return lambda g: max(1, round(120 * g.count / top))


def render_html(r: Report) -> str:
    """A self-contained page (inline CSS), from ``templates/report.html.j2``."""
    from guidekit._templates import environment  # Jinja2 only when an HTML report is asked for

    top = max((g.count for g in r.groups), default=1)
    return (
        environment(__package__ or "guidekit.delivery")
        .get_template("report.html.j2")
        .render(
            r=r,
            verdict="accept" if r.accepted else "reject",
            files_line=_files_line(r),
            summary=_summary_rows(r),
            explain=_explain,
            mark=MARK,
            version=__version__,
            n=_n,
            where=_where,
            criterion_value=_criterion_value,
            bar_width=_bar_width(top),
        )
    )


RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "markdown": render_markdown,
    "html": render_html,
}


def render(r: Report, fmt: str = "text", **kw: Any) -> str:
    if fmt == "text":
        return render_text(r, **kw)
    return RENDERERS[fmt](r)
