"""Markdown of a diff, made for a pull-request comment: a summary table by impact, what a
data team must do about a breaking release, the changes grouped by Keep a Changelog's
sections (breaking first in each, every change linked to its file and line when a link base
is given), then word-level diffs of the texts that changed.

The first line is an HTML comment (``<!-- guidekit-diff: ID -->``) that CI uses to find and
update its own comment instead of adding a new one on every push. GitHub rejects comments
over 65,536 characters: past ``max_chars`` the word diffs, then the editorial changes, are
left out with a note saying how many.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from guidekit.spec.markdown import HTML, escape_markdown
from guidekit.versioning import _words
from guidekit.versioning.bump import verdict
from guidekit.versioning.model import IMPACTS_DESC, Change, GuidelineDiff, Impact
from guidekit.versioning.sections import by_section, release_todo, shows_where, todo

#: a change -> the URL of its line (``None``: no link)
Linker = Callable[[Change], "str | None"]

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


def link_base(base: str, folder: str) -> Linker:
    """Links into a repository browser: ``BASE/FOLDER/FILE#LLINE`` (GitHub's form, with
    ``BASE`` such as ``https://github.com/OWNER/REPO/blob/SHA``)."""
    root = base.rstrip("/") + "/" + (f"{folder.strip('/')}/" if folder.strip("/.") else "")

    def link(c: Change) -> str | None:
        if c.loc is None or not c.loc.file:
            return None
        url = root + "/".join(quote(part) for part in c.loc.file.split("/"))
        return url + (f"#L{c.loc.line}" if c.loc.line else "")

    return link


def _item(c: Change, link: Linker | None = None) -> str:
    where = f"**{md(c.where)}**: " if shows_where(c) else ""
    declared = " *(declared)*" if c.declared is not None and c.declared is c.impact else ""
    url = link(c) if link is not None else None
    at = ""
    if url is not None and c.loc is not None and c.loc.file:
        shown = c.loc.file + (f":{c.loc.line}" if c.loc.line else "")
        at = f" ([{md(shown)}]({url}))"
    icon = _ICON[c.impact]
    line = f"- {icon} {where}{md(c.message)}{declared}{at} — {md(c.reason)} <sub>`{c.rule}`</sub>"
    step = todo(c)
    if step:
        line += f"\n  → **to do:** {md(step)}"
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
        "declare the impact of changes the tool cannot judge in a `changes:` note, or accept "
        "a known false positive in `.guidekit-ignore.yaml` with a reason."
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
    link: Linker | None = None,
) -> str:
    """The Markdown report for a pull-request comment, or with ``page`` the body of a
    handbook page (no comment marker, title, version verdict or footer). ``link`` gives the
    URL of each change's line (see :func:`link_base`)."""
    changes = {i: diff.by_impact(i) for i in IMPACTS_DESC}
    for level in ("full", "no-words", "no-patch"):
        text = _render(diff, changes, heading, level, page=page, link=link)
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
    link: Linker | None = None,
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
    to_do = release_todo(diff)
    if to_do:
        lines += [f"**What a data team must do:** {md(to_do)}", ""]
    left_out = 0
    for name, items in by_section(c for i in IMPACTS_DESC for c in changes[i]):
        shown = [c for c in items if level != "no-patch" or c.impact is not Impact.PATCH]
        left_out += len(items) - len(shown)
        if not shown:
            continue
        lines += [f"{h}# {name}", ""]
        lines += [_item(c, link) for c in shown]
        lines.append("")
    if left_out:
        lines += [
            f"{_ICON[Impact.PATCH]} {left_out} editorial changes left out to fit a comment; run `guidekit diff` to see them.",
            "",
        ]
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
