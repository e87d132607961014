"""Where each page and picture of the handbook lives (paths relative to ``docs/``).

Paths are derived from ids only, so the same guideline always gives the same tree. Class
pages sit in their task's folder; ids that differ only in case get a numeric suffix so the
tree also works on case-insensitive file systems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from guidekit import ir

HOME = "index.md"
EDGE_CASES = "edge-cases.md"
RULES = "rules.md"
ACCEPTANCE = "acceptance.md"
SCOPE = "scope.md"
GOVERNANCE = "governance.md"
GLOSSARY = "glossary.md"
CHANGES = "changes.md"
SINCE = "changes-since.md"
PRINT = "print.md"
MEDIA = "media"
ASSETS = "assets"


def anchor(text: str) -> str:
    """An HTML id made of lowercase letters, digits and ``-``."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out or "x"


def stem(ident: str) -> str:
    """A page file name for an id: the id itself when it is ASCII; otherwise ``u-`` and its
    Punycode (``café`` -> ``u-caf-dma``, ``日本`` -> ``u-wgv71a``), so page paths, URLs and
    the anchors made of them are ASCII, stable and never normalised differently by a file
    system (macOS stores NFD names)."""
    if ident.isascii():
        return ident
    return "u-" + ident.encode("punycode").decode("ascii")


def _unique(ids: Iterable[str], reserved: Iterable[str] = ()) -> dict[str, str]:
    taken = {r.lower() for r in reserved}
    out: dict[str, str] = {}
    for i in ids:
        slug = stem(i)
        n = 2
        while slug.lower() in taken:
            slug = f"{stem(i)}-{n}"
            n += 1
        taken.add(slug.lower())
        out[i] = slug
    return out


class Layout:
    """Page paths of one guideline's handbook, under an optional ``prefix`` folder."""

    def __init__(self, g: ir.Guideline, prefix: str = "") -> None:
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self._tasks = _unique(g.tasks, reserved=("index",))
        self._classes = {
            tid: _unique((c.id for c in task.classes), reserved=("index",))
            for tid, task in g.tasks.items()
        }

    def _p(self, path: str) -> str:
        return self.prefix + path

    @property
    def home(self) -> str:
        return self._p(HOME)

    def task(self, task_id: str) -> str:
        return self._p(f"tasks/{self._tasks[task_id]}/index.md")

    def klass(self, task_id: str, class_id: str) -> str:
        return self._p(f"tasks/{self._tasks[task_id]}/{self._classes[task_id][class_id]}.md")

    def page(self, name: str) -> str:
        """One of the guideline-wide pages (``EDGE_CASES``, ``RULES``, ...)."""
        return self._p(name)

    def media(self, source: str) -> str:
        """Where an example image (a path relative to the guideline root) is copied."""
        return self._p(f"{MEDIA}/{source}")

    def asset(self, name: str) -> str:
        return self._p(f"{ASSETS}/{name}")
