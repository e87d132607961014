"""The record the annotator sees: each input field's declaration fits its type."""

from __future__ import annotations

from guidekit.compiler.checks._context import CheckContext, at


def check_record(ctx: CheckContext) -> None:
    for name, f in ctx.g.record.fields.items():
        loc = at(ctx.g.record.loc, "fields", name)
        if f.type == "category" and not f.values:
            ctx.add("GK310", f"category field '{name}' needs `values`", loc)
        if f.type != "image" and (f.width or f.height):
            ctx.add("GK310", f"field '{name}' is not an image; width/height do not apply", loc)
