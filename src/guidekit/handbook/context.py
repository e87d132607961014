"""What a page renderer needs: the guideline, where pages live, how to link and to head.

One :class:`Site` holds what all pages share (the filtered guideline, the layout, class
colours, the history, the images to copy). A :class:`Ctx` is one page being written: it turns page paths
into relative links, writes headings with explicit ids, and in the printable view maps every
page onto a section of one long page (links become in-page anchors, headings shift down a
level, ids get the page's prefix so they stay unique).
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from guidekit import ir
from guidekit.generators.palette import Swatch, swatches
from guidekit.handbook import layout as lay
from guidekit.handbook.changes import Changes
from guidekit.handbook.results import Results
from guidekit.handbook.sanitize import plain


def relative(target: str, base: str) -> str:
    """``target`` (a docs path) relative to the folder ``base`` (``""``: the docs root).

    Both are normalised POSIX paths inside the docs, so this is a prefix comparison (much
    faster than :func:`posixpath.relpath`, which a 10,000-class handbook calls 150,000 times).
    """
    t = target.split("/")
    b = base.split("/") if base else []
    n = 0
    while n < len(b) and n < len(t) - 1 and b[n] == t[n]:
        n += 1
    return "/".join([".."] * (len(b) - n) + t[n:])


@dataclass
class Site:
    g: ir.Guideline
    layout: lay.Layout
    audience: str | None = None
    directory_urls: bool = False
    #: what changed between versions (computed where the handbook is built)
    changes: Changes = field(default_factory=lambda: Changes(""))
    #: example images to copy: source path (relative to the guideline root) -> docs path
    images: dict[str, str] = field(default_factory=dict)
    #: open questions by "task/class": (id, asked on, text); only in the internal handbook
    questions: Mapping[str, Sequence[tuple[str, str, str]]] = field(default_factory=dict)
    #: the latest quiz and evaluation results, for readers cleared for them only
    results: Results | None = None

    def __post_init__(self) -> None:
        self.swatches = swatches(self.g)

    def swatch(self, task_id: str, class_id: str | None) -> Swatch:
        task = self.g.tasks.get(task_id)
        cid = task.resolve_label(class_id) if task is not None and class_id else None
        found = self.swatches.get(task_id, {}).get(cid or "")
        return found or Swatch("#777777", "#FFFFFF")

    def restricted(self, level: str) -> bool:
        return not self.g.visible(level, self.audience)


class Ctx:
    """Rendering context of one page (or of the printable page)."""

    def __init__(self, site: Site, page: str, *, printing: bool = False) -> None:
        self.site = site
        self.g = site.g
        self.layout = site.layout
        self.page = page
        self.printing = printing
        self.shift = 1 if printing else 0
        self._ids = 0
        #: in the printable view: the page whose section is being written
        self.section = page

    # -- ids and links -------------------------------------------------------------------
    def page_id(self, page: str) -> str:
        return "p-" + lay.anchor(page.removesuffix(".md"))

    def anchor_id(self, name: str | None = None, page: str | None = None) -> str:
        """The id to give an element of ``page`` (default: the page being written)."""
        page = page or self.section
        if self.printing:
            return self.page_id(page) if name is None else f"{self.page_id(page)}--{name}"
        return name or "top"

    def href(self, target: str, name: str | None = None) -> str:
        """A Markdown link destination to ``target`` (a docs path) and optional anchor."""
        if self.printing:
            return "#" + self.anchor_id(name, target)
        if target == self.section:
            return f"#{name}" if name else "#top"
        rel = relative(target, posixpath.dirname(self.page))
        return f"{rel}#{name}" if name else rel

    def link(self, text: str, target: str, name: str | None = None) -> str:
        """``[text](...)``; ``text`` must already be Markdown-safe."""
        return f"[{text}]({self.href(target, name)})"

    def class_link(self, task_id: str, class_id: str, *, code: bool = False) -> str:
        """A link to a class page, labelled with its name (or ``id`` in code)."""
        task = self.g.tasks[task_id]
        cid = task.resolve_label(class_id)
        if cid is None:
            return f"`{class_id}`" if code else plain(class_id)
        cls = task[cid]
        text = f"`{cls.id}`" if code else plain(cls.name)
        return self.link(text, self.layout.klass(task_id, cid))

    def task_link(self, task_id: str) -> str:
        return self.link(plain(self.g.tasks[task_id].name), self.layout.task(task_id))

    def asset_url(self, target: str) -> str:
        """A URL for raw HTML (not rewritten by mkdocs) from the page's HTML location."""
        page = self.page
        base = posixpath.dirname(page)
        if self.site.directory_urls and posixpath.basename(page) != "index.md":
            base = page.removesuffix(".md")
        return relative(target, base)

    def unique(self, stem: str) -> str:
        """An id unique within the page being written (for SVG markers and the like)."""
        self._ids += 1
        return f"{stem}-{self._ids}"

    # -- headings ------------------------------------------------------------------------
    def heading(self, level: int, text: str, name: str | None = None) -> str:
        """A heading with an explicit id. Level 1 is the page title."""
        ident = self.anchor_id(name) if name or self.printing else None
        if level == 1 and self.printing:
            ident = self.anchor_id(None)
        elif level == 1:
            ident = "top"
        suffix = f" {{#{ident}}}" if ident else ""
        return f"{'#' * min(6, level + self.shift)} {text}{suffix}"
