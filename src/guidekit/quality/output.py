"""A quality report in the format the user asked for (text, Markdown, JSON or HTML)."""

from __future__ import annotations

from guidekit.quality.html import render_html
from guidekit.quality.report import Report, render_json, render_markdown, render_text


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return render_json(report)
    if fmt == "markdown":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report)
    return render_text(report)
