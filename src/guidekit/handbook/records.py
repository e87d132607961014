"""Example records as the annotator would see them, with their annotation drawn in.

A record shows its input fields in declaration order: text, images and plain values. The field
a task is over is drawn by the task's type (its ``handbook_field`` hook: spans highlighted in
the text, boxes, polygons and keypoints as SVG over the picture, ...). Below it, a list names
every region with its label and attributes (the accessible twin of the picture). :func:`card` wraps a record and the Markdown
that explains it (note, right label, decision, rationale) in one block.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from guidekit import ir, tasktypes
from guidekit.handbook.context import Ctx
from guidekit.handbook.page import Page, chip, image
from guidekit.handbook.sanitize import code, html_text, markdown, plain
from guidekit.handbook.svg import overlay
from guidekit.tasktypes._handbook_regions import attributes_html, regions, value_text

KIND_CLASS = {
    "example": "gk-card--example",
    "negative": "gk-card--negative",
    "edge_case": "gk-card--edge",
    "out_of_scope": "gk-card--skip",
}


def _region_items(ctx: Ctx, page: Page, task: ir.Task, value: Any, text: str | None) -> list[str]:
    items = []
    task_type = tasktypes.of(task)
    for r in regions(value):
        label = str(r.get("label", ""))
        what = task_type.handbook_region(task, r, text, page)
        rid = f' <small class="gk-rid">#{html_text(r["id"])}</small>' if "id" in r else ""
        items.append(f"<li>{chip(ctx, task.id, label)}{what}{rid}{attributes_html(r)}</li>")
    return items


def record_html(ctx: Ctx, task: ir.Task | None, ex: ir.Example) -> str:
    """The record of ``ex`` with its annotation of ``task`` drawn in, as one line of HTML.

    The task's type draws the field the task is over (``handbook_field``); a type that links
    the regions of another task (``links_regions``) is drawn over that task's field.
    """
    g = ctx.g
    page = Page(ctx)
    fields = g.record.fields
    value = ex.annotation
    task_type = tasktypes.of(task) if task is not None else None
    draw_task, draw_value = task, value
    links: list[tuple[str, str, str]] = []
    if task is not None and task_type is not None and task_type.links_regions:
        draw_task, draw_value = g.tasks.get(task.over or ""), ex.annotations.get(task.over or "")
        links = task_type.handbook_links(task, value)
    draw_type = tasktypes.of(draw_task) if draw_task is not None else None
    directed = task.directed if task is not None else True
    dt = draw_task.id if draw_task is not None else ""
    parts: list[str] = []
    below: list[str] = []
    text_for_regions: str | None = None
    names = [n for n in fields if n in ex.record] + [n for n in ex.record if n not in fields]
    for name in names:
        raw = ex.record[name]
        spec = fields.get(name)
        ftype = spec.type if spec is not None else "string"
        head = f'<div class="gk-field__name">{html_text(name)}</div>'
        drawn = None
        if draw_task is not None and draw_type is not None and draw_task.over == name:
            drawn = draw_type.handbook_field(
                draw_task, draw_value, name, raw, spec, page, links, directed
            )
        if drawn is not None:
            text_for_regions = drawn.text if drawn.text is not None else text_for_regions
            parts.append(f'<div class="gk-field">{head}{drawn.html}</div>')
        elif ftype == "text" and isinstance(raw, str):
            body = html_text(raw).replace("\n", "&#10;")
            parts.append(f'<div class="gk-field">{head}<div class="gk-text">{body}</div></div>')
        elif ftype == "image" and spec is not None:
            url, size = image(ctx, raw, spec)
            svg = overlay(
                url,
                size,
                [],
                lambda label: ctx.site.swatch(dt, label),
                title=f"{name}: no regions",
                marker_id=ctx.unique("gk-arrow"),
                directed=directed,
            )
            parts.append(f'<div class="gk-field">{head}{svg}</div>')
        else:
            shown = raw.get("url", raw.get("path", "")) if isinstance(raw, dict) else raw
            parts.append(
                f'<div class="gk-field gk-field--value">{head}'
                f"<code>{html_text(value_text(shown))}</code></div>"
            )
    if draw_task is not None and draw_task.is_region:
        below = _region_items(ctx, page, draw_task, draw_value, text_for_regions)
    rel_items: list[str] = []
    if task is not None and task_type is not None and task_type.links_regions:
        rel_items = task_type.handbook_link_items(
            task, value, draw_task, draw_value, text_for_regions, page
        )
    out = '<div class="gk-record">' + "".join(parts)
    if below:
        out += '<ol class="gk-regions">' + "".join(below) + "</ol>"
    if rel_items:
        out += '<ol class="gk-relations">' + "".join(rel_items) + "</ol>"
    if task is not None:
        out += "".join(_other_layer(ctx, page, ex, tid) for tid in drawn_others(ctx, task, ex))
    return out + "</div>"


def drawn_others(ctx: Ctx, task: ir.Task, ex: ir.Example) -> list[str]:
    """The other region tasks of ``ex`` drawn below its record, each in a layer of its own
    (its spans highlighted, its boxes drawn) that the reader can fold away."""
    skip = {task.id}
    if tasktypes.of(task).links_regions and task.over:
        skip.add(task.over)
    out = []
    for tid, value in ex.annotations.items():
        other = ctx.g.tasks.get(tid)
        if tid in skip or other is None or not other.is_region or not other.over:
            continue
        if other.over in ex.record and isinstance(value, list) and value:
            out.append(tid)
    return out


def _other_layer(ctx: Ctx, page: Page, ex: ir.Example, tid: str) -> str:
    other = ctx.g.tasks[tid]
    value = ex.annotations[tid]
    name = other.over or ""
    spec = ctx.g.record.fields.get(name)
    drawn = tasktypes.of(other).handbook_field(other, value, name, ex.record[name], spec, page)
    n = len(value)
    head = (
        f"<summary>Also labelled: <strong>{html_text(other.name)}</strong> "
        f"({n} region{'s' if n != 1 else ''} on {html_text(name)})</summary>"
    )
    body = ""
    text = None
    if drawn is not None:
        text = drawn.text
        body = f'<div class="gk-field">{drawn.html}</div>'
    items = _region_items(ctx, page, other, value, text)
    if items:
        body += '<ol class="gk-regions">' + "".join(items) + "</ol>"
    return f'<details class="gk-layer" data-task="{html_text(tid)}" open>{head}{body}</details>'


def label_md(ctx: Ctx, task: ir.Task, label: Any) -> str:
    """A label (class id, list of ids, ``None`` for no class, or a value) as Markdown with
    links."""
    if task.has_classes:
        if label is None or label == []:
            return f"no {plain(task.name)} label" if task.is_classification else "no region"
        if isinstance(label, str):
            return ctx.class_link(task.id, label)
        if isinstance(label, list):
            items = [
                ctx.class_link(task.id, x) if isinstance(x, str) else _label_item(ctx, task, x)
                for x in label
            ]
            return ", ".join(items)
        if isinstance(label, dict) and isinstance(label.get("label"), str):
            return _label_item(ctx, task, label)
    return _code(label)


def _label_item(ctx: Ctx, task: ir.Task, item: Any) -> str:
    if isinstance(item, dict) and isinstance(item.get("label"), str):
        attrs = item.get("attributes")
        extra = ""
        if isinstance(attrs, dict) and attrs:
            extra = " (" + ", ".join(f"{plain(k)}: {_code(v)}" for k, v in attrs.items()) + ")"
        return ctx.class_link(task.id, item["label"]) + extra
    return _code(item)


def _code(v: Any) -> str:
    """A value as a code span."""
    return code(value_text(v) if not isinstance(v, (list, dict)) else _compact(v))


def _compact(v: Any) -> str:
    import json

    return json.dumps(v, ensure_ascii=False, sort_keys=True)


def other_annotations(ctx: Ctx, ex: ir.Example, skip: Sequence[str]) -> list[str]:
    """Lines naming the annotations of other tasks the example carries (those drawn in a
    layer of their own below the record are skipped: see :func:`drawn_others`)."""
    out = []
    for tid, value in ex.annotations.items():
        if tid in skip or tid not in ctx.g.tasks:
            continue
        other = ctx.g.tasks[tid]
        if other.is_region or tasktypes.of(other).links_regions:
            n = len(value) if isinstance(value, list) else 0
            shown = f"{n} region{'s' if n != 1 else ''}"
        else:
            shown = label_md(ctx, other, value)
        out.append(f"{ctx.task_link(tid)}: {shown}")
    return out


def card(ctx: Ctx, kind: str, record: str, lines: Sequence[str]) -> str:
    """A card: the record's HTML, then Markdown ``lines`` (each its own paragraph)."""
    body = "\n\n".join(line for line in lines if line)
    inner = f"{record}\n\n{body}\n" if body else f"{record}\n"
    return f'<div class="gk-card {KIND_CLASS[kind]}" markdown="1">\n{inner}\n</div>'


def example_lines(ctx: Ctx, task: ir.Task, ex: ir.Example) -> list[str]:
    """The Markdown explaining an example, by kind."""
    lines: list[str] = []
    if ex.kind == "example" and task.is_classification:
        lines.append(f"**Label:** {label_md(ctx, task, ex.annotation)}")
    if ex.kind == "negative":
        lines.append(f"**Right label:** {label_md(ctx, task, ex.label)}")
        if ex.why:
            lines.append(f"**Why:** {markdown(ex.why, inline=True)}")
    if ex.kind == "edge_case":
        decision = (
            label_md(ctx, task, ex.decision) if ex.decision is not None else "*not decided yet*"
        )
        lines.append(f"**Decision:** {decision}")
        if ex.question:
            lines.append(f"**Question asked:** {markdown(ex.question, inline=True)}")
        if ex.rationale:
            lines.append(f"**Rationale:** {markdown(ex.rationale, inline=True)}")
        meta = []
        if ex.since:
            meta.append(f"since version {plain(ex.since)}")
        if ex.impact:
            meta.append(f"impact on existing labels: {plain(ex.impact)}")
        if meta:
            text = "; ".join(meta)
            lines.append(f"*{text[0].upper()}{text[1:]}*")
    if ex.note:
        lines.append(markdown(ex.note, inline=True))
    skip = [task.over] if tasktypes.of(task).links_regions and task.over else []
    skip += drawn_others(ctx, task, ex)
    others = other_annotations(ctx, ex, skip)
    if others:
        lines.append("**Also labelled:** " + " · ".join(others))
    if ex.tags:
        lines.append("Tags: " + ", ".join(_code(t) for t in ex.tags))
    return lines


def render_example(ctx: Ctx, task: ir.Task, ex: ir.Example) -> str:
    return card(ctx, ex.kind, record_html(ctx, task, ex), example_lines(ctx, task, ex))


def skip_reason(reasons: Mapping[str, str], key: str | None) -> str:
    if key is None:
        return ""
    text = reasons.get(key)
    return _code(key) + (f" — {markdown(text, inline=True)}" if text else "")
