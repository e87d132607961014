"""What the handbook lends the task types' handbook hooks (``tasktypes/_handbook_page.py``).

:data:`MARKUP` escapes text; :class:`Page` adds the links, colours, pictures and ids of the
page being written, for the hooks that draw a record. A type's ``handbook_field`` hook returns
a :class:`Drawn` (re-exported here for plug-in types).
"""

from __future__ import annotations

from typing import Any

from guidekit import ir
from guidekit.generators.palette import Swatch
from guidekit.handbook.context import Ctx
from guidekit.handbook.sanitize import code, html_text, plain
from guidekit.tasktypes._handbook_page import Drawn


class Markup:
    """Escapers for Markdown text."""

    def code(self, text: str) -> str:
        return code(text)

    def plain(self, text: str) -> str:
        return plain(text)


MARKUP = Markup()


def chip(ctx: Ctx, task_id: str, label: str, text: str | None = None) -> str:
    sw = ctx.site.swatch(task_id, label)
    return (
        f'<span class="gk-chip" style="--gk-c:{sw.color};--gk-ink:{sw.ink}">'
        f"{html_text(text if text is not None else label)}</span>"
    )


def image(ctx: Ctx, value: Any, spec: ir.InputField) -> tuple[str | None, tuple[float, float]]:
    """URL of an image field's picture (copied into the handbook) and its size."""
    path = value.get("path") if isinstance(value, dict) else value
    url = value.get("url") if isinstance(value, dict) else None
    w = value.get("width") if isinstance(value, dict) else None
    h = value.get("height") if isinstance(value, dict) else None
    size = (float(w or spec.width or 100), float(h or spec.height or 100))
    src: str | None = None
    if isinstance(path, str) and "://" not in path:
        clean = path.replace("\\", "/").lstrip("./")
        target = ctx.layout.media(clean)
        ctx.site.images[clean] = target
        src = ctx.asset_url(target)
    else:
        remote = url if isinstance(url, str) else path
        if isinstance(remote, str) and remote.lower().startswith(("http://", "https://")):
            src = remote
    return src, size


class Page(Markup):
    """The page being written, as the task types' hooks see it."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.g = ctx.g

    def class_link(self, task_id: str, class_id: str) -> str:
        return self.ctx.class_link(task_id, class_id)

    def chip(self, task_id: str, label: str) -> str:
        return chip(self.ctx, task_id, label)

    def swatch(self, task_id: str, label: str) -> Swatch:
        return self.ctx.site.swatch(task_id, label)

    def image(self, value: Any, field: ir.InputField) -> tuple[str | None, tuple[float, float]]:
        return image(self.ctx, value, field)

    def unique(self, stem: str) -> str:
        return self.ctx.unique(stem)


__all__ = ["MARKUP", "Drawn", "Markup", "Page", "chip", "image"]
