"""Markdown of a diff, made for a pull-request comment: a summary table by impact, the
changes grouped by impact, then word-level diffs of the texts that changed.

The first line is an HTML comment (``<!-- guidekit-diff: ID -->``) that CI uses to find and
update its own comment instead of adding a new one on every push. GitHub rejects comments
over 65,536 characters: past ``max_chars`` the word diffs, then the editorial changes, are
left out with a note saying how many.
"""

from __future__ import annotations

from guidekit.spec.markdown import HTML, escape_markdown
from guidekit.versioning import _words
from guidekit.versioning.bump import verdict
from guidekit.versioning.model import IMPACTS_DESC, Change, GuidelineDiff, Impact

MAX_CHARS = 60_000
MARKER = "<!-- guidekit-diff: {id} -->"

_ICON = {Impact.MAJOR: "🔴", Impact.MINOR: "🟡", Impact.PATCH: "⚪"}
_TITLE = {
    Impact.MAJOR: "Major (breaking)",
    Impact.MINOR: "Minor (compatible)",
    Impact.PATCH: "Patch (editorial)",
}
_MEANING = {
    Impact.MAJOR: "existing labels may be rejected, mean something else or need re-annotation",
    Impact.MINOR: "existing labels stay valid; what annotators may produce changes",
    Impact.PATCH: "wording and examples; nothing a delivery holds changes",
}


def md(text: str) -> str:
    """Inline text for a Markdown list item or table cell (backticks are kept as code)."""
    return escape_markdown(text, HTML)


def _item(c: Change) -> str:
    where = f"**{md(c.where)}**: " if c.where else ""
    declared = " *(declared)*" if c.declared is not None and c.declared is c.impact else ""
    line = f"- {where}{md(c.message)}{declared} — {md(c.reason)} <sub>`{c.rule}`</sub>"
    if c.note:
        line += f"\n  > {md(c.note)}"
    if c.accepted:
        line += f"\n  > accepted by ignore file: {md(c.accepted)}"
    return line


def _bump_line(diff: GuidelineDiff) -> str:
    v = verdict(diff)
    required = diff.required
    if required is None:
        return "**No changes.**"
    head = f"**Requires a {required.value} version bump.**"
    if v.ok:
        return f"{head} ✅ {md(v.message.split(' covers')[0])} covers it."
    if v.code == "GK704":
        return f"{head} ⚠️ {md(v.message)}"
    suggestion = f" Set `version: {v.suggestion}`," if v.suggestion else ""
    version_part = f"{diff.old.version} → {diff.new.version}"
    return (
        f"{head} ❌ The version goes {version_part}, which is not enough.{suggestion} or "
        "declare the impact of changes the tool cannot judge in a `changes:` note."
    )


def _table(diff: GuidelineDiff) -> list[str]:
    counts = diff.counts()
    rows = ["| Impact | Changes | Meaning |", "| --- | ---: | --- |"]
    for i in IMPACTS_DESC:
        rows.append(f"| {_ICON[i]} {_TITLE[i]} | {counts[i]} | {_MEANING[i]} |")
    return rows


def _word_diffs(changes: list[Change]) -> list[str]:
    out = []
    for c in changes:
        if not c.words:
            continue
        title = md(c.message.replace(" reworded", "").replace(" changed", ""))
        where = f" ({md(c.where)})" if c.where else ""
        out += [
            f"<details><summary>{_strip_code(title)}{_strip_code(where)}</summary>",
            "",
            f"> {_words.render_markdown(c.words)}",
            "",
            "</details>",
        ]
    return out


def _strip_code(text: str) -> str:
    """``<summary>`` holds HTML, where backticks do not render: use <code>."""
    parts = text.split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def render_markdown(
    diff: GuidelineDiff,
    *,
    max_chars: int = MAX_CHARS,
    heading: str = "###",
    page: bool = False,
) -> str:
    """The Markdown report for a pull-request comment, or with ``page`` the body of a
    handbook page (no comment marker, title, version verdict or footer)."""
    changes = {i: diff.by_impact(i) for i in IMPACTS_DESC}
    for level in ("full", "no-words", "no-patch"):
        text = _render(diff, changes, heading, level, page=page)
        if len(text) <= max_chars:
            return text
    return _truncate(text, max_chars)


def _render(
    diff: GuidelineDiff,
    changes: dict[Impact, list[Change]],
    h: str,
    level: str,
    *,
    page: bool,
) -> str:
    old, new = diff.old, diff.new
    name = f"`{new.id}`" + (f" ({md(new.title)})" if new.title else "")
    lines = []
    if not page:
        lines += [
            MARKER.format(id=new.id),
            f"{h} Guideline {name}: {old.version} → {new.version}",
            "",
        ]
    if old.source or new.source:
        lines += [f"Compared `{old.source or '?'}` with `{new.source or '?'}`.", ""]
    if not page:
        lines += [_bump_line(diff), ""]
    if not len(diff):
        return "\n".join(lines).rstrip() + "\n"
    lines += _table(diff)
    lines.append("")
    for i in IMPACTS_DESC:
        items = changes[i]
        if not items:
            continue
        if i is Impact.PATCH:
            if level == "no-patch":
                lines += [
                    f"{_ICON[i]} {len(items)} editorial changes left out to fit a comment; run `guidekit diff` to see them.",
                    "",
                ]
                continue
            lines += [f"<details><summary>{_ICON[i]} {_TITLE[i]}: {len(items)}</summary>", ""]
            lines += [_item(c) for c in items]
            lines += ["", "</details>", ""]
            continue
        lines += [f"{h}# {_ICON[i]} {_TITLE[i]}", ""]
        lines += [_item(c) for c in items]
        lines.append("")
    texts = [c for i in IMPACTS_DESC for c in changes[i] if c.words]
    if texts and level == "full":
        lines += [f"{h}# Changed text", ""]
        lines += _word_diffs(texts)
        lines.append("")
    elif texts:
        lines += [f"Word diffs of {len(texts)} changed texts left out to fit a comment.", ""]
    if diff.problems:
        lines += [f"{h}# Problems with declarations", ""]
        lines += [f"- `{d.code}` {md(d.message)}" for d in diff.problems]
        lines.append("")
    lines.append(
        "<sub>Generated by `guidekit diff`. Impact rules: breaking = major, compatible = minor, editorial = patch.</sub>"
    )
    return "\n".join(lines).rstrip() + "\n"


def _truncate(text: str, max_chars: int) -> str:
    note = "\n\n… (cut to fit a comment; run `guidekit diff` for everything)\n"
    cut = text[: max_chars - len(note)]
    return cut[: cut.rfind("\n")] + note
