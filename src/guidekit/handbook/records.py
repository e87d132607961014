"""Example records as the annotator would see them, with their annotation drawn in.

A record shows its input fields in declaration order: text (with the spans of the task
highlighted when the task draws on it), images (with boxes, polygons and keypoints drawn as SVG
over the picture), and plain values. Below it, a list names every region with its label and
attributes (the accessible twin of the picture). :func:`card` wraps a record and the Markdown
that explains it (note, right label, decision, rationale) in one block.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from guidekit import ir
from guidekit.handbook.context import Ctx
from guidekit.handbook.sanitize import code, html_text, markdown, plain
from guidekit.handbook.spans import highlight, spans_of
from guidekit.handbook.svg import overlay, shapes_of

KIND_CLASS = {
    "example": "gk-card--example",
    "negative": "gk-card--negative",
    "edge_case": "gk-card--edge",
    "out_of_scope": "gk-card--skip",
}


def chip(ctx: Ctx, task_id: str, label: str, text: str | None = None) -> str:
    sw = ctx.site.swatch(task_id, label)
    return (
        f'<span class="gk-chip" style="--gk-c:{sw.color};--gk-ink:{sw.ink}">'
        f"{html_text(text if text is not None else label)}</span>"
    )


def _image(ctx: Ctx, value: Any, spec: ir.InputField) -> tuple[str | None, tuple[float, float]]:
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


def _attrs(attributes: Any) -> str:
    if not isinstance(attributes, dict) or not attributes:
        return ""
    items = " · ".join(
        f"{html_text(k)}: <code>{html_text(_value(v))}</code>" for k, v in attributes.items()
    )
    return f' <span class="gk-attrs">{items}</span>'


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return str(v)


def _region_items(ctx: Ctx, task: ir.Task, value: Any, text: str | None) -> list[str]:
    items = []
    if not isinstance(value, list):
        return items
    for r in value:
        if not isinstance(r, dict):
            continue
        label = str(r.get("label", ""))
        what = ""
        if task.type == "spans" and text is not None:
            s, e = r.get("start"), r.get("end")
            if isinstance(s, int) and isinstance(e, int):
                what = f" “{html_text(text[s:e])}” <small>{s}–{e}</small>"
        elif task.type == "bbox" and isinstance(r.get("bbox"), list):
            what = f" <small>{task.coordinates.format} {html_text(_coords(r['bbox']))}</small>"
        elif task.type == "polygon" and isinstance(r.get("points"), list):
            what = f" <small>{len(r['points'])} points</small>"
        elif task.type == "keypoints" and isinstance(r.get("points"), dict):
            shown = [
                k for k, p in r["points"].items() if isinstance(p, list) and len(p) == 3 and p[2]
            ]
            what = f" <small>{html_text(', '.join(shown))}</small>"
        rid = f' <small class="gk-rid">#{html_text(r["id"])}</small>' if "id" in r else ""
        items.append(
            f"<li>{chip(ctx, task.id, label)}{what}{rid}{_attrs(r.get('attributes'))}</li>"
        )
    return items


def _coords(values: Sequence[Any]) -> str:
    return "[" + ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values) + "]"


def _relation_items(
    ctx: Ctx, task: ir.Task, value: Any, over: ir.Task | None, regions: Any, text: str | None
) -> list[str]:
    by_id: dict[str, dict[str, Any]] = {}
    if isinstance(regions, list):
        by_id = {str(r["id"]): r for r in regions if isinstance(r, dict) and "id" in r}
    arrow = "→" if task.directed else "—"
    items = []
    for rel in value if isinstance(value, list) else []:
        if not isinstance(rel, dict):
            continue
        ends = []
        for end in ("from", "to"):
            r = by_id.get(str(rel.get(end)))
            if r is None or over is None:
                ends.append(f"<code>{html_text(rel.get(end))}</code>")
                continue
            quote = ""
            s, e = r.get("start"), r.get("end")
            if text is not None and isinstance(s, int) and isinstance(e, int):
                quote = f" “{html_text(text[s:e])}”"
            ends.append(f"{chip(ctx, over.id, str(r.get('label', '')))}{quote}")
        label = chip(ctx, task.id, str(rel.get("label", "")))
        items.append(
            f"<li>{ends[0]} {arrow} {label} {arrow} {ends[1]}{_attrs(rel.get('attributes'))}</li>"
        )
    return items


def record_html(ctx: Ctx, task: ir.Task | None, ex: ir.Example) -> str:
    """The record of ``ex`` with its annotation of ``task`` drawn in, as one line of HTML."""
    g = ctx.g
    fields = g.record.fields
    value = ex.annotation
    draw_task, draw_value = task, value
    relations: list[tuple[str, str, str]] = []
    if task is not None and task.type == "relations":
        over = g.tasks.get(task.over or "")
        draw_task, draw_value = over, ex.annotations.get(task.over or "")
        for rel in value if isinstance(value, list) else []:
            if isinstance(rel, dict):
                relations.append(
                    (str(rel.get("label", "")), str(rel.get("from")), str(rel.get("to")))
                )
    parts: list[str] = []
    below: list[str] = []
    text_for_regions: str | None = None
    names = [n for n in fields if n in ex.record] + [n for n in ex.record if n not in fields]
    for name in names:
        raw = ex.record[name]
        spec = fields.get(name)
        ftype = spec.type if spec is not None else "string"
        head = f'<div class="gk-field__name">{html_text(name)}</div>'
        drawn_here = draw_task is not None and draw_task.over == name and draw_task.is_region
        if ftype == "text" and isinstance(raw, str):
            if drawn_here and draw_task is not None and draw_task.type == "spans":
                spans = spans_of(draw_value, len(raw))
                tid = draw_task.id
                body = highlight(raw, spans, lambda label, tid=tid: ctx.site.swatch(tid, label))
                text_for_regions = raw
            else:
                body = html_text(raw).replace("\n", "&#10;")
            parts.append(f'<div class="gk-field">{head}<div class="gk-text">{body}</div></div>')
        elif ftype == "image" and spec is not None:
            url, size = _image(ctx, raw, spec)
            shapes = []
            if drawn_here and draw_task is not None:
                shapes = shapes_of(draw_task, draw_value, size)
            dt = draw_task.id if draw_task is not None else ""
            svg = overlay(
                url,
                size,
                shapes,
                lambda label, dt=dt: ctx.site.swatch(dt, label),
                title=f"{name}: " + (", ".join(s.label for s in shapes) or "no regions"),
                marker_id=ctx.unique("gk-arrow"),
                relations=relations if drawn_here else (),
                directed=task.directed if task is not None else True,
            )
            parts.append(f'<div class="gk-field">{head}{svg}</div>')
        else:
            shown = raw.get("url", raw.get("path", "")) if isinstance(raw, dict) else raw
            parts.append(
                f'<div class="gk-field gk-field--value">{head}'
                f"<code>{html_text(_value(shown))}</code></div>"
            )
    if draw_task is not None and draw_task.is_region:
        below = _region_items(ctx, draw_task, draw_value, text_for_regions)
    rel_items: list[str] = []
    if task is not None and task.type == "relations":
        rel_items = _relation_items(
            ctx,
            task,
            value,
            draw_task,
            draw_value,
            text_for_regions,
        )
    out = '<div class="gk-record">' + "".join(parts)
    if below:
        out += '<ol class="gk-regions">' + "".join(below) + "</ol>"
    if rel_items:
        out += '<ol class="gk-relations">' + "".join(rel_items) + "</ol>"
    return out + "</div>"


def label_md(ctx: Ctx, task: ir.Task, label: Any) -> str:
    """A label (class id, list of ids, ``none`` or a value) as Markdown with links."""
    if task.has_classes:
        if label is None or label == [] or label == "none":
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
    return code(_value(v) if not isinstance(v, (list, dict)) else _compact(v))


def _compact(v: Any) -> str:
    import json

    return json.dumps(v, ensure_ascii=False, sort_keys=True)


def other_annotations(ctx: Ctx, ex: ir.Example, skip: Sequence[str]) -> list[str]:
    """Lines naming the annotations of other tasks the example carries."""
    out = []
    for tid, value in ex.annotations.items():
        if tid in skip or tid not in ctx.g.tasks:
            continue
        other = ctx.g.tasks[tid]
        if other.is_region or other.type == "relations":
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
    skip = [task.over] if task.type == "relations" and task.over else []
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
