"""Small Markdown builders shared by the page renderers."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from urllib.parse import quote

from guidekit import ir
from guidekit.diagnostics.model import Location
from guidekit.handbook.context import Ctx
from guidekit.handbook.sanitize import block_start, cell, html_text, markdown, plain, safe_url
from guidekit.spec.format import Cond

_ARROW = re.compile(
    r"^(?P<text>.*?)\s*(?:→|->)\s*`?(?P<target>[A-Za-z][A-Za-z0-9_.\-]*)`?\s*$", re.S
)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table; cells must already be single-line Markdown."""
    if not rows:
        return ""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(c or " " for c in row) + " |" for row in rows]
    return "\n".join(lines)


def bullets(items: Sequence[str]) -> str:
    return "\n".join(f"- {block_start(i)}" for i in items)


def admonition(kind: str, title: str, body: str) -> str:
    """A Material admonition; ``title`` is plain text we wrote, ``body`` Markdown."""
    indented = "\n".join(("    " + line) if line.strip() else "" for line in body.split("\n"))
    return f'!!! {kind} "{title}"\n\n{indented}'


def boundary(ctx: Ctx, task: ir.Task, text: str) -> str:
    """An include/exclude item; a trailing ``→ class`` becomes a link to that class."""
    m = _ARROW.match(text)
    if m:
        cid = task.resolve_label(m.group("target"))
        if cid is not None:
            return f"{markdown(m.group('text'), inline=True)} → {ctx.class_link(task.id, cid)}"
    return markdown(text, inline=True)


def boundary_cell(ctx: Ctx, task: ir.Task, text: str) -> str:
    m = _ARROW.match(text)
    if m:
        cid = task.resolve_label(m.group("target"))
        if cid is not None:
            return f"{cell(m.group('text'))} → {ctx.class_link(task.id, cid)}"
    return cell(text)


def tree_order(task: ir.Task) -> list[ir.Class]:
    """Classes depth-first from the roots, each level in document order."""
    out: list[ir.Class] = []
    seen: set[str] = set()
    stack = list(reversed(task.roots()))
    while stack:
        c = stack.pop()
        if c.id in seen:
            continue
        seen.add(c.id)
        out.append(c)
        stack.extend(reversed([task[k] for k in c.children if k in task]))
    out.extend(c for c in task.classes if c.id not in seen)  # cycles: never lost
    return out


def tree_rows(task: ir.Task) -> list[tuple[ir.Class, int]]:
    """The hierarchy as an outline: each class with its depth, depth-first from the roots.
    A class under several parents is listed under each of them (with its subtree); a class
    on a cycle, which the compiler reports, is listed once."""
    out: list[tuple[ir.Class, int]] = []
    listed: set[str] = set()
    stack: list[tuple[ir.Class, int, frozenset[str]]] = [
        (c, 0, frozenset()) for c in reversed(task.roots())
    ]
    while stack:
        c, depth, above = stack.pop()
        out.append((c, depth))
        listed.add(c.id)
        path = above | {c.id}
        kids = [task[k] for k in c.children if k in task and k not in path]
        stack.extend((k, depth + 1, path) for k in reversed(kids))
    out.extend((c, 0) for c in task.classes if c.id not in listed)  # cycles: never lost
    return out


def cond_atoms(c: Cond) -> Iterator[Cond]:
    if c.all is not None:
        for x in c.all:
            yield from cond_atoms(x)
    elif c.any is not None:
        for x in c.any:
            yield from cond_atoms(x)
    elif c.not_ is not None:
        yield from cond_atoms(c.not_)
    else:
        yield c


def cond_mentions(c: Cond) -> set[tuple[str, str | None]]:
    """``(task, class)`` pairs a condition mentions (class ``None``: the task as a whole)."""
    out: set[tuple[str, str | None]] = set()
    for atom in cond_atoms(c):
        if atom.task is None:
            continue
        out.add((atom.task, None))
        for v in (atom.is_, atom.has, atom.has_any, atom.class_, atom.at_least, atom.at_most):
            if isinstance(v, str):
                out.add((atom.task, v))
            elif isinstance(v, list):
                out.update((atom.task, x) for x in v if isinstance(x, str))
    return out


def rules_about(g: ir.Guideline, task_id: str, class_id: str | None = None) -> list[ir.Rule]:
    out = []
    for rule in g.rules:
        mentions = cond_mentions(rule.when) | cond_mentions(rule.then)
        if (task_id, class_id) in mentions:
            out.append(rule)
    return out


def class_title(cls: ir.Class) -> str:
    return plain(cls.name)


def name_and_id(cls: ir.Class) -> str:
    """``Name (`id`)``, or just `` `id` `` when the name is the id."""
    from guidekit.handbook.sanitize import code

    return code(cls.id) if cls.name == cls.id else f"{plain(cls.name)} ({code(cls.id)})"


def edit_link(ctx: Ctx, loc: Location | None, what: str) -> str:
    """An "edit this page" link to the YAML that defines a page's class or task, at its line,
    when the guideline names its repository: ``links: {repository: URL}``, the guideline's
    folder as browsed on the web (``https://github.com/org/repo/blob/main/guidelines/x``;
    the link is ``URL/<file>#L<line>``), or a template with ``{path}`` and ``{line}``.
    Empty in the print view, without a location, or for a URL that is not ``http(s)``."""
    base = ctx.g.links.get("repository", "")
    if ctx.printing or loc is None or not loc.file or not base:
        return ""
    if not (safe_url(base) and re.fullmatch(r"(?i)https?://[^\s<>\"'`\\]+", base)):
        return ""
    path = quote(loc.file.replace("\\", "/"))
    line = loc.line or 1
    if "{path}" in base or "{line}" in base:
        url = base.replace("{path}", path).replace("{line}", str(line))
    else:
        url = f"{base.rstrip('/')}/{path}#L{line}"
    return (
        f'<a class="gk-edit" href="{html_text(url)}" title="Edit {html_text(what)} in '
        f'{html_text(loc.file)}, line {line}">Edit this page: {html_text(loc.file)}:{line}</a>'
    )
