"""The guideline's problems on top of every page of ``guidekit serve``: errors first (with the
source line they point at), warnings folded, so one error is never buried among warnings and
the page you were on stays where it was."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from guidekit.diagnostics.model import Diagnostic, Severity
from guidekit.handbook.sanitize import html_text

#: inline styles: the overlay must read well without the handbook's stylesheet (the first
#: build may have failed) and on both themes' palettes
_BOX = (
    "position:relative;z-index:10;margin:0;padding:.8rem 1rem;background:#fff4f4;"
    "color:#3b0000;border-bottom:3px solid #b00020;font:14px/1.45 system-ui,sans-serif"
)
_PRE = (
    "white-space:pre-wrap;overflow-wrap:anywhere;margin:.4rem 0;padding:.5rem;"
    "background:#fff;border:1px solid #e8c0c0;font:12px/1.4 ui-monospace,monospace"
)
_BODY = re.compile(r"<body\b[^>]*>", re.I)


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def overlay(diagnostics: Sequence[Diagnostic], root: Path | None = None) -> str:
    """The HTML block listing ``diagnostics``: errors open (each with its source line; paths
    relative to ``root``), then warnings (and notes) folded in a ``<details>``; ``""`` when
    there is nothing to show."""
    from guidekit.diagnostics.render import FileLines, render_text

    lines = FileLines()

    def read_line(file: str, line: int) -> str | None:
        path = Path(file)
        return lines(
            str(root / path if root is not None and not path.is_absolute() else path), line
        )

    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    others = [d for d in diagnostics if d.severity is not Severity.ERROR]
    if not errors and not others:
        return ""
    head = (
        f"<strong>The guideline has {_count(len(errors), 'error')}</strong>, so this "
        "is the last good build of the handbook (or none yet). Fix "
        f"{'it' if len(errors) == 1 else 'them'} and save; the page reloads."
    )
    parts = [f'<div id="gk-serve-errors" class="gk-serve-errors" role="alert" style="{_BOX}">']
    parts.append(f'<p style="margin:0">{head}</p>')
    if errors:
        text = render_text(errors, read_line=read_line)
        parts.append(f'<pre class="gk-serve-error" style="{_PRE}">{html_text(text)}</pre>')
    if others:
        text = render_text(others)
        parts.append(
            f'<details class="gk-serve-warnings"><summary>{_count(len(others), "warning")}'
            f'</summary><pre style="{_PRE}">{html_text(text)}</pre></details>'
        )
    parts.append("</div>")
    return "".join(parts)


def inject(page: str, block: str) -> str:
    """``page`` with ``block`` right after its ``<body>`` tag (unchanged without either)."""
    if not block:
        return page
    m = _BODY.search(page)
    if m is None:
        return page
    return page[: m.end()] + block + page[m.end() :]
