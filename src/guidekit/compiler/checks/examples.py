"""Examples, negatives and edge cases: unique ids, their records (fields and images),
their ``since`` versions -- and their annotations, checked in :mod:`.annotations`."""

from __future__ import annotations

from typing import Any

from guidekit import ir
from guidekit.compiler.checks._context import CheckContext
from guidekit.compiler.checks.annotations import example_annotation
from guidekit.compiler.yamlfile import file_problem
from guidekit.diagnostics.model import Location
from guidekit.record.images import image_size
from guidekit.spec import version


def check_examples(ctx: CheckContext) -> None:
    ids: dict[str, Location | None] = {}
    edge_ids: dict[str, Location | None] = {}
    for ex in ctx.g.examples():
        ctx.level(ex.sensitivity, ex.loc, f"{ex.kind.replace('_', ' ')}")
        if ex.id is not None:
            table = edge_ids if ex.kind == "edge_case" else ids
            if ex.id in table:
                first = table[ex.id]
                where = f" (first at line {first.line})" if first and first.line else ""
                ctx.add(
                    "GK301",
                    f"{'edge case' if ex.kind == 'edge_case' else 'example'} "
                    f"id '{ex.id}' is used twice{where}",
                    ex.loc,
                    first=first,
                )
            else:
                table[ex.id] = ex.loc
        example_record(ctx, ex)
        if ex.since is not None:
            since = version.parse(ex.since)
            if since is None:
                ctx.add("GK304", f"since '{ex.since}' is not a semantic version", ex.loc)
            else:
                own = version.parse(ctx.g.version)
                if own is not None and since.key() > own.key():
                    ctx.add(
                        "GK315",
                        f"edge case '{ex.id}' is since {ex.since}, later than "
                        f"the guideline's version {ctx.g.version}",
                        ex.loc,
                    )
        if ex.task is not None:
            example_annotation(ctx, ex)


def example_record(ctx: CheckContext, ex: ir.Example) -> None:
    fields = ctx.g.record.fields
    for name, value in ex.record.items():
        f = fields.get(name)
        if f is None:
            if name == ctx.g.record.id:
                continue
            ctx.add(
                "GK305",
                f"'{name}' is not a field of the record",
                ex.loc,
                hint=f"fields: {', '.join(fields)}",
            )
            continue
        problem = _field_problem(f, value)
        if problem:
            ctx.add("GK305", f"field '{name}': {problem}", ex.loc)
        elif f.type == "image":
            example_image(ctx, name, f, value, ex)


def example_image(
    ctx: CheckContext, name: str, f: ir.InputField, value: Any, ex: ir.Example
) -> None:
    path = value.get("path") if isinstance(value, dict) else value
    readable = False
    if isinstance(path, str) and "://" not in path and ctx.root is not None:
        target = ctx.root / path if "\0" not in path else None
        try:
            inside = target is not None and target.resolve().is_relative_to(ctx.root.resolve())
        except (OSError, RuntimeError, ValueError):
            inside = False
        if target is None:
            problem: str | None = "contains a NUL byte"
        else:
            problem = file_problem(target) if inside else None
        readable = inside and problem is None
        if not readable:
            why = f": it {problem}" if problem and problem != "does not exist" else ""
            shown = path.replace("\0", "\\0")
            ctx.add(
                "GK314",
                f"image '{shown}' of field '{name}' is not a file in the project{why}",
                ex.loc,
            )
    has_size = isinstance(value, dict) and "width" in value and "height" in value
    declared = (value["width"], value["height"]) if has_size else None
    fixed = (f.width, f.height) if f.width and f.height else None
    if declared is None and fixed is None:
        ctx.add(
            "GK314",
            f"the size of image field '{name}' is unknown",
            ex.loc,
            hint="give {path, width, height} or declare width/height on the field",
        )
    if declared is not None and fixed is not None and declared != fixed:
        ctx.add(
            "GK305",
            f"image size {declared[0]}x{declared[1]} differs from the "
            f"{fixed[0]}x{fixed[1]} that field '{name}' declares for every image",
            ex.loc,
        )
    if readable and isinstance(path, str) and ctx.root is not None:
        actual = image_size(ctx.root / path)
        expected = declared or fixed
        if actual is not None and expected is not None and actual != tuple(expected):
            ctx.add(
                "GK314",
                f"image '{path}' is {actual[0]}x{actual[1]} pixels, not the "
                f"{expected[0]}x{expected[1]} its example declares",
                ex.loc,
                hint="regions are checked against the declared size; make them agree",
            )


def _field_problem(f: ir.InputField, value: Any) -> str | None:
    t = f.type
    if value is None:
        return None if not f.required else "is null"
    if t in ("text", "string", "url", "datetime"):
        return None if isinstance(value, str) else "expected text"
    if t == "image":
        if isinstance(value, str):
            return None
        if isinstance(value, dict):
            unknown = set(value) - {"path", "url", "width", "height"}
            if unknown:
                return f"unknown image key(s): {', '.join(sorted(unknown))}"
            if "path" not in value and "url" not in value:
                return "an image needs `path` or `url`"
            for k in ("width", "height"):
                if k in value and (
                    not isinstance(value[k], int) or isinstance(value[k], bool) or value[k] <= 0
                ):
                    return f"image {k} must be a positive integer"
            return None
        return "expected an image path or {path, width, height}"
    if t == "integer":
        return (
            None
            if isinstance(value, int) and not isinstance(value, bool)
            else "expected an integer"
        )
    if t == "number":
        return (
            None
            if isinstance(value, (int, float)) and not isinstance(value, bool)
            else "expected a number"
        )
    if t == "boolean":
        return None if isinstance(value, bool) else "expected true or false"
    if t == "category":
        return None if value in (f.values or []) else f"{value!r} is not one of {f.values}"
    return None
