"""Render a diff: text for people, JSON for machines, GitHub annotations for pull requests,
and Markdown for a pull-request comment (:mod:`guidekit.versioning.markdown`).

Every format lists the same changes in the same order: by impact (major first), then in the
order they appear in the guideline. Output is deterministic: no timestamps, and file names
are the ones the caller chose (``prefix``).
"""

from __future__ import annotations

import json
from typing import Any

from guidekit.diagnostics.render import gh_escape
from guidekit.versioning import _words
from guidekit.versioning.bump import verdict
from guidekit.versioning.model import IMPACTS_DESC, Change, GuidelineDiff

FORMATS = ("text", "json", "github", "markdown")


def ordered(diff: GuidelineDiff) -> list[Change]:
    """Changes by impact (major first), in document order within an impact."""
    return [c for impact in IMPACTS_DESC for c in diff.by_impact(impact)]


def _file(c: Change, prefix: str) -> str | None:
    if c.loc is None or not c.loc.file:
        return None
    return f"{prefix}/{c.loc.file}" if prefix and prefix != "." else c.loc.file


def summary_line(diff: GuidelineDiff) -> str:
    counts = diff.counts()
    n = len(diff)
    if not n:
        return "no changes"
    parts = [f"{counts[i]} {i.value}" for i in IMPACTS_DESC if counts[i]]
    return f"{n} change{'s' if n != 1 else ''}: {', '.join(parts)}"


def render_text(diff: GuidelineDiff, *, prefix: str = "", check_bump: bool = True) -> str:
    head = f"{diff.new.id} {diff.old.version} → {diff.new.version}"
    if diff.old.source or diff.new.source:
        head += f" ({diff.old.source or '?'} → {diff.new.source or '?'})"
    lines = [head, summary_line(diff) + "."]
    if check_bump and len(diff):
        v = verdict(diff)
        lines.append(("" if v.ok else "problem: ") + v.message)
    lines.append("")
    for c in ordered(diff):
        where = _file(c, prefix)
        if where and c.loc and c.loc.line:
            where += f":{c.loc.line}"
        tag = c.impact.value + (" (declared)" if c.declared and c.declared is c.impact else "")
        lines.append(f"{where + ': ' if where else ''}{tag} [{c.rule}] {c.message}")
        detail = c.reason
        if c.note:
            detail += f" -- note: {c.note}"
        if c.accepted:
            detail += f" -- accepted by ignore file: {c.accepted}"
        lines.append(f"    {detail}")
        if c.words:
            lines.append(f"    {_words.render_text(c.words)}")
    for d in diff.problems:
        lines.append(str(d))
    return "\n".join(lines).rstrip() + "\n"


def as_dict(diff: GuidelineDiff, *, prefix: str = "") -> dict[str, Any]:
    v = verdict(diff)
    return {
        "old": _side(diff.old),
        "new": _side(diff.new),
        "required": diff.required.value if diff.required else None,
        "bump": {
            "kind": v.bump,
            "ok": v.ok,
            "suggestion": v.suggestion,
            "message": v.message,
        },
        "summary": {i.value: n for i, n in diff.counts().items()},
        "changes": [_change(c, prefix) for c in ordered(diff)],
        "fates": {
            task: {
                label: {"kind": f.kind, "targets": list(f.targets), "accepted": f.accepted}
                for label, f in fates.items()
                if f.kind != "kept"
            }
            for task, fates in diff.fates.items()
            if any(f.kind != "kept" for f in fates.values())
        },
        "problems": [d.to_dict() for d in diff.problems],
    }


def _side(side: Any) -> dict[str, Any]:
    return {"id": side.id, "version": side.version, "title": side.title, "source": side.source}


def _change(c: Change, prefix: str) -> dict[str, Any]:
    return {
        "rule": c.rule,
        "impact": c.impact.value,
        "computed": c.computed.value,
        "declared": c.declared.value if c.declared else None,
        "action": c.action,
        "subject": c.subject,
        "task": c.task,
        "class": c.class_id,
        "name": c.name,
        "message": c.message,
        "reason": c.reason,
        "note": c.note,
        "accepted": c.accepted,
        "old": c.old,
        "new": c.new,
        "targets": list(c.targets),
        "words": [list(op) for op in c.words] if c.words else None,
        "location": {
            "file": _file(c, prefix),
            "line": c.loc.line if c.loc else None,
            "column": c.loc.column if c.loc else None,
        },
    }


def render_json(diff: GuidelineDiff, *, prefix: str = "") -> str:
    return json.dumps(as_dict(diff, prefix=prefix), indent=2, ensure_ascii=False) + "\n"


_LEVEL = {"major": "warning", "minor": "notice", "patch": "notice"}


def render_github(diff: GuidelineDiff, *, prefix: str = "") -> str:
    """GitHub workflow commands: one annotation per change, on the line that changed."""
    lines = []
    for c in ordered(diff):
        props = []
        file = _file(c, prefix)
        if file:
            props.append(f"file={gh_escape(file, prop=True)}")
            if c.loc and c.loc.line:
                props.append(f"line={c.loc.line}")
        title = f"{c.impact.value} ({c.impact.word}): {c.rule}"
        props.append(f"title={gh_escape(title, prop=True)}")
        msg = c.message + "\n" + c.reason + (f"\nNote: {c.note}" if c.note else "")
        if c.accepted:
            msg += f"\nAccepted by ignore file: {c.accepted}"
        lines.append(f"::{_LEVEL[c.impact.value]} {','.join(props)}::{gh_escape(msg)}")
    return "\n".join(lines) + ("\n" if lines else "")


def render(diff: GuidelineDiff, fmt: str, *, prefix: str = "", link_base: str | None = None) -> str:
    """``diff`` in ``fmt``; ``link_base`` (markdown only): link each change to its line
    under this URL, with ``prefix`` as the guideline folder's path in the repository."""
    if fmt == "text":
        return render_text(diff, prefix=prefix)
    if fmt == "json":
        return render_json(diff, prefix=prefix)
    if fmt == "github":
        return render_github(diff, prefix=prefix)
    if fmt == "markdown":
        from guidekit.versioning.markdown import link_base as linker
        from guidekit.versioning.markdown import render_markdown

        return render_markdown(diff, link=linker(link_base, prefix) if link_base else None)
    raise ValueError(f"unknown format {fmt!r}")
