"""The history pages: the changelog (every version, newest first), "what changed since
version X" (everything at once), and the "changed in" notes of a class page.

They read the IR and the :class:`~guidekit.handbook.changes.Changes` the build computed
(already filtered for the audience); every text in them goes through :mod:`sanitize
<guidekit.handbook.sanitize>` like the rest of the handbook.
"""

from __future__ import annotations

from guidekit import ir
from guidekit.handbook import layout as lay
from guidekit.handbook.changes import IMPACTS, Changes, Item, Release
from guidekit.handbook.context import Ctx
from guidekit.handbook.pages._common import admonition, bullets
from guidekit.handbook.sanitize import code, fragment, markdown, plain
from guidekit.spec.version import sort_key

WORD = {"major": "Breaking", "minor": "Compatible", "patch": "Editorial"}
MEANING = {
    "major": "Existing labels may be rejected, mean something else or need re-annotation: "
    "read these first.",
    "minor": "Existing labels stay valid; what you may label, or how, changes.",
    "patch": "Wording and examples; no label changes meaning.",
}
NO_HISTORY = (
    "No recorded history: this handbook was built outside a git repository, or git holds no "
    "version of the guideline yet."
)


def _join(parts: list[str]) -> str:
    return "\n\n".join(p for p in parts if p) + "\n"


def version_anchor(version: str) -> str:
    return "v" + lay.anchor(version)


def since_title(changes: Changes) -> str:
    """Title of the "what changed since" page (it names the version compared with)."""
    if changes.since is None:
        return "What changed since the previous version"
    return f"What changed since {changes.since}"


def _version_link(ctx: Ctx, version: str) -> str:
    if ctx.site.changes.release(version) is None:
        return plain(version)
    return ctx.link(plain(version), ctx.layout.page(lay.CHANGES), version_anchor(version))


def _where(ctx: Ctx, item: Item) -> str:
    """``task › class › name``, linking the task and the class where the handbook has them."""
    task = ctx.g.tasks.get(item.task) if item.task else None
    if task is None:
        return plain(item.where) if item.where else ""
    parts = [ctx.link(code(task.id), ctx.layout.task(task.id))]
    if item.class_id:
        cid = item.class_id
        parts.append(
            ctx.link(code(cid), ctx.layout.klass(task.id, cid)) if cid in task else code(cid)
        )
    if item.name and item.name not in (item.task, item.class_id):
        parts.append(code(item.name))
    return " › ".join(parts)


def words(ops: tuple[tuple[str, str], ...]) -> str:
    """A word diff as inline HTML: removed words struck through, added ones underlined."""
    out = []
    for op, text in ops:
        piece = fragment(text)
        if op == "-":
            out.append(f"<del>{piece}</del>")
        elif op == "+":
            out.append(f"<ins>{piece}</ins>")
        else:
            out.append(piece)
    return '<span class="gk-words">' + "".join(out).strip() + "</span>"


def _item(ctx: Ctx, item: Item, *, reason: bool = False) -> str:
    where = _where(ctx, item)
    line = (f"{where}: " if where else "") + markdown(item.message, inline=True)
    if reason and item.reason:
        line += f" — *{markdown(item.reason, inline=True)}*"
    if item.note:
        line += f" **Note:** {markdown(item.note, inline=True)}"
    if item.words:
        line += "<br>" + words(item.words)
    return line


def summary(items: tuple[Item, ...]) -> str:
    """``3 changes: 1 breaking, 2 compatible.``"""
    if not items:
        return "Nothing in this handbook changed."
    counts = [(WORD[i].lower(), sum(1 for x in items if x.impact == i)) for i in IMPACTS]
    parts = ", ".join(f"{n} {word}" for word, n in counts if n)
    return f"{len(items)} change{'s' if len(items) != 1 else ''}: {parts}."


def _ref(r: Release) -> str:
    if r.tag:
        return f"tag {code(r.tag)}"
    return f"commit {code((r.commit or '')[:12])}"


def _release_line(changes: Changes, r: Release) -> str:
    this = " This handbook shows this version." if r.version == changes.version else ""
    if not r.released:
        held = "has no tag" if changes.source == "tags" else "is not committed"
        return f"Not released yet: this version {held} in git yet.{this} {summary(r.items)}"
    if r.previous is None:
        return f"Released {plain(r.date)} ({_ref(r)}); the first recorded version.{this}"
    return f"Released {plain(r.date)} ({_ref(r)}).{this} {summary(r.items)}"


def _grouped(ctx: Ctx, items: tuple[Item, ...]) -> list[str]:
    out = []
    for impact in IMPACTS:
        chosen = [i for i in items if i.impact == impact]
        if chosen:
            out.append(f"**{WORD[impact]}**")
            out.append(bullets([_item(ctx, i) for i in chosen]))
    return out


# -- pages ---------------------------------------------------------------------------------


def changes_page(ctx: Ctx) -> str:
    ch = ctx.site.changes
    out = [ctx.heading(1, "Changes")]
    out.append(
        "What changed in the guideline, newest version first. Breaking changes come first: "
        "existing labels may mean something else or need re-annotation. Each class page lists "
        "its own changes under *Changed in*."
    )
    if not ch.recorded:
        out.append(f"*{NO_HISTORY}*")
        out += _declared(ctx)
        return _join(out)
    out.append(
        f"Versions are read from git {'tags' if ch.source == 'tags' else 'commits'}. "
        + ctx.link(plain(since_title(ch)), ctx.layout.page(lay.SINCE))
        + " puts the changes since one version in one list."
    )
    for r in ch.releases:
        title = plain(r.version) + ("" if r.released else " (not released yet)")
        out.append(ctx.heading(2, title, version_anchor(r.version)))
        out.append(_release_line(ch, r))
        out += _grouped(ctx, r.items)
    return _join(out)


def _declared(ctx: Ctx) -> list[str]:
    """Without a history: the change notes the authors declared on classes, by version."""
    found: list[tuple[str, str, str, str | None, str]] = []
    for (tid, cid), notes in ctx.site.changes.notes.items():
        found += [(n.version, tid, cid, n.impact, n.text) for n in notes if n.declared]
    if not found:
        return []
    found.sort(key=lambda t: (t[1], t[2]))
    found.sort(key=lambda t: sort_key(t[0]), reverse=True)
    items = []
    for version, tid, cid, impact, text in found:
        kind = f"{WORD[impact]}: " if impact else ""
        link = ctx.class_link(tid, cid, code=True)
        items.append(f"**{plain(version)}** — {link}: {kind}{markdown(text, inline=True)}")
    return [
        ctx.heading(2, "Change notes", "notes"),
        "What the authors noted on classes, newest version first.",
        bullets(items),
    ]


def since_page(ctx: Ctx) -> str:
    ch = ctx.site.changes
    out = [ctx.heading(1, plain(since_title(ch)))]
    if not ch.recorded:
        out.append(f"*{NO_HISTORY} There is no earlier version to compare with.*")
        return _join(out)
    if ch.since is None:
        out.append(
            f"*{plain(ch.version)} is the first recorded version: there is no earlier version "
            "to compare with.*"
        )
        return _join(out)
    if ch.since == ch.version:
        out.append(f"*This handbook shows version {plain(ch.version)} itself.*")
        return _join(out)
    changelog = ctx.link("changelog", ctx.layout.page(lay.CHANGES))
    out.append(
        admonition(
            "info",
            "Compared versions",
            f"This handbook shows version **{plain(ch.version)}**. Below is everything that "
            f"changed since **{plain(ch.since)}**, in one list: a change made and undone in "
            f"between does not show. The {changelog} lists the changes version by version.",
        )
    )
    out.append(summary(ch.since_items))
    for impact in IMPACTS:
        chosen = [i for i in ch.since_items if i.impact == impact]
        if chosen:
            out.append(ctx.heading(2, f"{WORD[impact]} changes", WORD[impact].lower()))
            out.append(MEANING[impact])
            out.append(bullets([_item(ctx, i, reason=True) for i in chosen]))
    # releases are newest first: the ones since the base come before it
    between = ch.releases[: next(i for i, r in enumerate(ch.releases) if r.version == ch.since)]
    if between:
        out.append(ctx.heading(2, f"Versions since {plain(ch.since)}", "versions"))
        lines = []
        for r in between:
            when = f" ({plain(r.date)})" if r.date else " (not released yet)"
            lines.append(_version_link(ctx, r.version) + when + f" — {summary(r.items)}")
        out.append(bullets(lines))
    return _join(out)


# -- class pages -----------------------------------------------------------------------------


def latest_change(ctx: Ctx, task: ir.Task, cls: ir.Class) -> str | None:
    """ "Changed in 2.0.0", linking to the class page's notes (``None``: no notes)."""
    notes = ctx.site.changes.notes.get((task.id, cls.id))
    if not notes:
        return None
    return "Changed in " + ctx.link(plain(notes[0].version), ctx.section, "changes")


def class_changes(ctx: Ctx, task: ir.Task, cls: ir.Class) -> list[str]:
    """The "Changed in" section of a class page, newest first."""
    notes = ctx.site.changes.notes.get((task.id, cls.id))
    if not notes:
        return []
    items = []
    for n in notes:
        kind = f"{WORD[n.impact]}: " if n.impact else ""
        items.append(f"**{_version_link(ctx, n.version)}** — {kind}{markdown(n.text, inline=True)}")
    return [ctx.heading(2, "Changed in", "changes"), bullets(items)]
