"""The report of a migration: a one-screen text summary, JSON, and Markdown."""

from __future__ import annotations

import json
from typing import Any

from guidekit.versioning.markdown import md
from guidekit.versioning.migrate import MARKER, MigrationReport

MAX_LISTED = 20  # records listed on the terminal; the report lists more


def _rows(r: MigrationReport) -> list[tuple[str, int]]:
    return [
        ("records read", r.records),
        (f"changed and valid under {r.to_version}", r.rewritten),
        (f"unchanged and valid under {r.to_version}", r.valid),
        (f"need re-annotation (marked `{MARKER}`)", r.reannotate),
        (f"still invalid under {r.to_version}", r.invalid),
        (f"already at {r.to_version} (copied)", r.already_current),
        ("made under another version (copied)", r.other_version),
        ("unreadable lines (copied)", r.unreadable),
    ]


def as_dict(r: MigrationReport) -> dict[str, Any]:
    return {
        "delivery": r.delivery,
        "output": r.output,
        "guideline": r.guideline,
        "from": r.from_version,
        "to": r.to_version,
        "counts": {
            "records": r.records,
            "changed": r.rewritten,
            "valid": r.valid,
            "needs_reannotation": r.reannotate,
            "invalid": r.invalid,
            "already_current": r.already_current,
            "other_version": r.other_version,
            "unreadable": r.unreadable,
            "blank_lines": r.blank,
        },
        "rewrites": {
            task: [{"from": a, "to": b, "labels": n} for (a, b), n in sorted(c.items())]
            for task, c in sorted(r.rewrites.items())
        },
        "needs_reannotation": {
            task: [
                {"label": label, "why": r.why.get((task, label), ""), "labels": n}
                for label, n in sorted(c.items())
            ]
            for task, c in sorted(r.needs.items())
        },
        "records_not_clean": [
            {"line": o.line, "id": o.id, "outcome": o.outcome, "reasons": list(o.reasons)}
            for o in r.outcomes
        ],
        "more_records_not_clean": r.more_outcomes,
        "old_defaults_written": {
            task: dict(sorted(c.items())) for task, c in sorted(r.defaults.items())
        },
        "missing_required_tasks": dict(sorted(r.missing_tasks.items())),
        "removed_tasks": dict(sorted(r.removed_tasks.items())),
        "unknown_labels": {t: dict(sorted(c.items())) for t, c in sorted(r.unknown_labels.items())},
        "versions_seen": dict(sorted(r.versions.items())),
        "problems": [d.to_dict() for d in r.problems],
        "more_problems": r.more_problems,
    }


def render_json(r: MigrationReport) -> str:
    return json.dumps(as_dict(r), indent=2, ensure_ascii=False) + "\n"


def render_text(r: MigrationReport) -> str:
    lines = [f"{r.delivery}: {r.guideline} {r.from_version} → {r.to_version}"]
    width = max(len(str(n)) for _, n in _rows(r))
    lines += [
        f"  {n:>{width}}  {label.replace('`', '')}"
        for label, n in _rows(r)
        if n or label == "records read"
    ]
    for task, pairs in sorted(r.rewrites.items()):
        for (a, b), n in sorted(pairs.items()):
            lines.append(f"  rewrote {task}: {a} → {b} ({n})")
    for task, c in sorted(r.needs.items()):
        for label, n in sorted(c.items()):
            lines.append(f"  re-annotate {task}: {label}, {r.why.get((task, label), '')} ({n})")
    for task, n in sorted(r.missing_tasks.items()):
        lines.append(f"  re-annotate {task}: new required task, missing ({n})")
    for task, n in sorted(r.removed_tasks.items()):
        lines.append(f"  kept values of removed task {task} ({n})")
    for task, c in sorted(r.defaults.items()):
        for what, n in sorted(c.items()):
            lines.append(f"  wrote the old default {task}: {what} ({n})")
    for o in r.outcomes[:MAX_LISTED]:
        label = "re-annotate" if o.outcome == "reannotate" else "still invalid"
        lines.append(f"  line {o.line} ({o.id}): {label}: {'; '.join(o.reasons)}")
    more = len(r.outcomes) - MAX_LISTED + r.more_outcomes
    if more > 0:
        lines.append(f"  … and {more} more records (see --report)")
    if r.output:
        lines.append(f"wrote {r.output}")
    return "\n".join(lines) + "\n"


def render_markdown(r: MigrationReport) -> str:
    lines = [
        f"# Migration of `{md(r.delivery)}`: {md(r.guideline)} {r.from_version} → {r.to_version}",
        "",
        "| Records | Count |",
        "| --- | ---: |",
    ]
    lines += [f"| {label} | {n} |" for label, n in _rows(r)]
    lines.append("")
    if r.rewrites:
        lines += [
            "## Labels rewritten",
            "",
            "| Task | Old label | New label | Labels |",
            "| --- | --- | --- | ---: |",
        ]
        for task, pairs in sorted(r.rewrites.items()):
            lines += [f"| {task} | `{a}` | `{b}` | {n} |" for (a, b), n in sorted(pairs.items())]
        lines.append("")
    if r.needs or r.missing_tasks:
        lines += [
            "## Needs re-annotation",
            "",
            f'Records are marked with `"{MARKER}": [task ids]` and keep their old labels.',
            "",
            "| Task | Label | Why | Labels |",
            "| --- | --- | --- | ---: |",
        ]
        for task, c in sorted(r.needs.items()):
            for label, n in sorted(c.items()):
                lines.append(f"| {task} | `{label}` | {md(r.why.get((task, label), ''))} | {n} |")
        for task, n in sorted(r.missing_tasks.items()):
            lines.append(f"| {task} | — | new required task | {n} |")
        lines.append("")
    if r.outcomes:
        lines += [
            "## Records that did not migrate cleanly",
            "",
            "| Line | Id | Outcome | Why |",
            "| ---: | --- | --- | --- |",
        ]
        for o in r.outcomes:
            what = "re-annotate" if o.outcome == "reannotate" else "still invalid"
            why = "<br>".join(md(x) for x in o.reasons)
            lines.append(f"| {o.line} | {md(str(o.id))} | {what} | {why} |")
        if r.more_outcomes:
            lines.append(f"| … | | | and {r.more_outcomes} more |")
        lines.append("")
    if r.removed_tasks:
        lines += ["## Removed tasks", ""]
        lines += [
            f"- `{t}`: {n} values kept; the new version does not know the task."
            for t, n in sorted(r.removed_tasks.items())
        ]
        lines.append("")
    if r.unknown_labels:
        lines += ["## Labels the old version did not know (left as they are)", ""]
        for task, c in sorted(r.unknown_labels.items()):
            lines += [f"- {task}: `{label}` ({n})" for label, n in sorted(c.items())]
        lines.append("")
    if r.problems:
        lines += ["## Problems", ""]
        lines += [f"- line {d.location.line}: `{d.code}` {md(d.message)}" for d in r.problems]
        if r.more_problems:
            lines.append(f"- … and {r.more_problems} more")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
