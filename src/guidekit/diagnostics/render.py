"""Render a list of diagnostics: text, JSON, GitHub annotations, JUnit XML, SARIF.

Every format starts from the same sorted list (:func:`~guidekit.diagnostics.model.sort_diagnostics`),
so they agree on what was found and in which order. Output is deterministic: no timestamps,
no absolute paths beyond what the caller put in the locations.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from guidekit._version import __version__
from guidekit.diagnostics._terminal import (
    BOLD,
    SEVERITY_STYLE,
    FileLines,
    LineReader,
    excerpt,
    paint,
    use_color,
)
from guidekit.diagnostics.codes import CODES
from guidekit.diagnostics.model import (
    Diagnostic,
    Location,
    Severity,
    count_by_severity,
    sort_diagnostics,
)

Format = Literal["text", "json", "github", "junit", "sarif"]
FORMATS: tuple[str, ...] = ("text", "json", "github", "junit", "sarif")
__all__ = [
    "FORMATS",
    "RENDERERS",
    "FileLines",
    "render",
    "render_github",
    "render_json",
    "render_junit",
    "render_sarif",
    "render_text",
    "summary",
    "use_color",
]


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    counts = count_by_severity(diagnostics)
    parts = []
    for sev, word in (
        (Severity.ERROR, "error"),
        (Severity.WARNING, "warning"),
        (Severity.INFO, "note"),
    ):
        n = counts[sev]
        if n:
            parts.append(f"{n} {word}{'s' if n != 1 else ''}")
    return ", ".join(parts) if parts else "no problems"


def render_text(
    diagnostics: Sequence[Diagnostic],
    *,
    subject: str = "",
    color: bool = False,
    read_line: LineReader | None = None,
) -> str:
    """``file:line:col: CODE message`` per diagnostic, then its hint and ``note:`` lines for
    its related locations, then a summary line.

    With ``read_line`` (e.g. :class:`FileLines`) each diagnostic is followed by the source line
    it points at with a caret under the column; with ``color`` codes are coloured by severity.
    The CLI turns both on for a terminal (:func:`use_color`); the default is plain text.
    """
    lines = []
    for d in sort_diagnostics(diagnostics):
        sev = "" if d.severity is Severity.ERROR else f"[{d.severity.value}] "
        where = paint(str(d.location), BOLD, color)
        code = paint(d.code, SEVERITY_STYLE[d.severity], color)
        lines.append(f"{where}: {code} {sev}{d.message}")
        if read_line is not None:
            lines += [
                "    " + line
                for line in excerpt(d.location, read_line, color=color, severity=d.severity)
            ]
        if d.hint:
            lines.append(f"    {paint('hint', BOLD, color)}: {d.hint}")
        for r in d.related:
            lines.append(f"    {paint('note', BOLD, color)}: {r.location}: {r.message}")
            if read_line is not None:
                lines += [
                    "    " + line
                    for line in excerpt(r.location, read_line, color=color, severity=Severity.INFO)
                ]
    tail = summary(diagnostics)
    lines.append(f"{subject}: {tail}" if subject else tail)
    return "\n".join(lines) + "\n"


def render_json(diagnostics: Sequence[Diagnostic], *, subject: str = "") -> str:
    items = [d.to_dict() for d in sort_diagnostics(diagnostics)]
    counts = count_by_severity(diagnostics)
    doc = {
        "subject": subject,
        "summary": {s.value: counts[s] for s in Severity},
        "diagnostics": items,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(diagnostics: Sequence[Diagnostic], *, subject: str = "") -> str:
    lines = []
    kind = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    for d in sort_diagnostics(diagnostics):
        props = []
        if d.location.file:
            props.append(f"file={gh_escape(d.location.file, prop=True)}")
        if d.location.line:
            props.append(f"line={d.location.line}")
        if d.location.column:
            props.append(f"col={d.location.column}")
        props.append(
            f"title={gh_escape(d.code + ' ' + CODES[d.code].title, prop=True)}"
            if d.code in CODES
            else f"title={d.code}"
        )
        msg = d.message + (f"\n{d.hint}" if d.hint else "")
        lines.append(f"::{kind[d.severity]} {','.join(props)}::{gh_escape(msg)}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_junit(diagnostics: Sequence[Diagnostic], *, subject: str = "") -> str:
    diags = sort_diagnostics(diagnostics)
    failures = sum(1 for d in diags if d.severity is Severity.ERROR)
    name = subject or "guidekit"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name={quoteattr("guidekit")} tests="{max(len(diags), 1)}" '
        f'failures="{failures}">',
        f'  <testsuite name={quoteattr(name)} tests="{max(len(diags), 1)}" '
        f'failures="{failures}" errors="0" skipped="0">',
    ]
    if not diags:
        out.append(f'    <testcase classname={quoteattr(name)} name="check"/>')
    for d in diags:
        case = f"{d.code} {d.location}"
        out.append(
            f"    <testcase classname={quoteattr(d.location.file or name)} name={quoteattr(case)}>"
        )
        body = escape(str(d))
        if d.severity is Severity.ERROR:
            out.append(
                f"      <failure type={quoteattr(d.code)} message={quoteattr(d.message)}>"
                f"{body}</failure>"
            )
        else:
            out.append(f"      <system-out>{body}</system-out>")
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"


def _sarif_physical(location: Location, subject: str) -> dict[str, object]:
    region = {}
    if location.line:
        region["startLine"] = location.line
    if location.column:
        region["startColumn"] = location.column
    physical: dict[str, object] = {"artifactLocation": {"uri": location.file or subject}}
    if region:
        physical["region"] = region
    return physical


def render_sarif(diagnostics: Sequence[Diagnostic], *, subject: str = "") -> str:
    diags = sort_diagnostics(diagnostics)
    used = sorted({d.code for d in diags})
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    rules = [
        {
            "id": code,
            "name": CODES[code].title if code in CODES else code,
            "shortDescription": {"text": CODES[code].title if code in CODES else code},
            "fullDescription": {"text": CODES[code].doc if code in CODES else code},
            "help": {"text": CODES[code].doc if code in CODES else code},
            "defaultConfiguration": {
                "level": level[CODES[code].severity] if code in CODES else "error"
            },
        }
        for code in used
    ]
    results = []
    for d in diags:
        text = d.message + (f" Hint: {d.hint}" if d.hint else "")
        result: dict[str, object] = {
            "ruleId": d.code,
            "ruleIndex": used.index(d.code),
            "level": level[d.severity],
            "message": {"text": text},
            "locations": [{"physicalLocation": _sarif_physical(d.location, subject)}],
        }
        if d.related:
            result["relatedLocations"] = [
                {
                    "id": i,
                    "physicalLocation": _sarif_physical(r.location, subject),
                    "message": {"text": r.message},
                }
                for i, r in enumerate(d.related)
            ]
        results.append(result)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "guidekit",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "junit": render_junit,
    "sarif": render_sarif,
}


def render(diagnostics: Sequence[Diagnostic], fmt: str = "text", *, subject: str = "") -> str:
    return RENDERERS[fmt](diagnostics, subject=subject)
