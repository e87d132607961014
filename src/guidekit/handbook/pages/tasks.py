"""The quick-reference page of a task: classes, hierarchy, attributes, how to decide."""

from __future__ import annotations

from guidekit import ir, tasktypes
from guidekit.handbook.context import Ctx
from guidekit.handbook.describe import instruction
from guidekit.handbook.layout import RULES, anchor
from guidekit.handbook.page import chip
from guidekit.handbook.pages._common import (
    admonition,
    boundary_cell,
    bullets,
    edit_link,
    rules_about,
    table,
    tree_order,
    tree_rows,
)
from guidekit.handbook.pages.classes import attribute_rows, edge_case_anchor
from guidekit.handbook.records import render_example
from guidekit.handbook.sanitize import cell, code, first_sentence, markdown, plain


def _swatch(ctx: Ctx, task: ir.Task, cls: ir.Class) -> str:
    return chip(ctx, task.id, cls.id)


def _class_cell(ctx: Ctx, task: ir.Task, cls: ir.Class) -> str:
    text = ctx.class_link(task.id, cls.id)
    if cls.deprecated:
        text += " *(deprecated)*"
    return text


def _definition_cell(ctx: Ctx, task: ir.Task, cls: ir.Class) -> str:
    if ctx.site.restricted(cls.sensitivity):
        return "*Restricted in this handbook.*"
    text = cell(first_sentence(cls.definition))
    if cls.deprecated and cls.replaced_by:
        text = (
            (text + " " if text else "")
            + "Use "
            + ", ".join(ctx.class_link(task.id, r) for r in cls.replaced_by)
            + " instead."
        )
    return text


def _tree(ctx: Ctx, task: ir.Task) -> str:
    lines = []
    for cls, depth in tree_rows(task):
        summary = first_sentence(cls.definition, 120)
        tail = f" — {markdown(summary, inline=True)}" if summary else ""
        group = " *(group)*" if cls.children and task.leaf_only else ""
        lines.append(
            "    " * depth + f"- {ctx.class_link(task.id, cls.id)} {code(cls.id)}{group}{tail}"
        )
    return "\n".join(lines)


def _decide(ctx: Ctx, task: ir.Task) -> list[str]:
    out: list[str] = []
    levels = tasktypes.of(task).handbook_levels
    rows = []
    for cls in tree_order(task):
        if cls.deprecated:
            continue
        if task.leaf_only and not levels and cls.children:
            continue
        if not cls.includes and not cls.excludes:
            continue  # its definition is in the class table already: no row to repeat it
        choose = "; ".join(cell(i) for i in cls.includes) or cell(first_sentence(cls.definition))
        not_for = "; ".join(boundary_cell(ctx, task, e) for e in cls.excludes)
        rows.append([ctx.class_link(task.id, cls.id), choose, not_for])
    if rows:
        out.append(table(["Class", "Choose it for", "Not for (use instead)"], rows))
    confused = []
    for cls in task.classes:
        for neg in cls.negatives:
            right = _label_links(ctx, task, neg.label)
            confused.append(
                [
                    ctx.class_link(task.id, cls.id),
                    right,
                    cell(neg.why),
                ]
            )
    if confused:
        out.append("**Often confused.** Each row is a negative example from a class page.")
        out.append(table(["Looks like", "But is", "Because"], confused))
    return out


def _label_links(ctx: Ctx, task: ir.Task, label: object) -> str:
    if isinstance(label, str):
        return ctx.class_link(task.id, label)
    if isinstance(label, list) and label:
        return ", ".join(ctx.class_link(task.id, x) for x in label if isinstance(x, str))
    return "no label" if task.is_classification else "no region"


def task_page(ctx: Ctx, task: ir.Task) -> str:
    site = ctx.site
    out = [ctx.heading(1, plain(task.name))]
    task_type = tasktypes.of(task)
    facts = [f"Task {code(task.id)}", task_type.handbook_kind()]
    if task.over:
        facts.append(f"on {code(task.over)}")
    facts.append(f"{len(task.classes)} classes" if task.has_classes else "no classes")
    out.append(" · ".join(facts))
    out.append(edit_link(ctx, task.loc, f"task {task.id}"))
    if task.question:
        out.append(admonition("question", "Question", markdown(task.question)))
    out.append(instruction(ctx.g, task))
    if task.description:
        out.append(markdown(task.description))
    if site.restricted(task.sensitivity):
        out.append(
            admonition(
                "note", "Restricted", "The instructions of this task are not part of this handbook."
            )
        )

    if task.has_classes and task.classes:
        out.append(ctx.heading(2, "Classes", "classes"))
        if task_type.handbook_levels:
            rows = [
                [
                    str(c.index + 1),
                    _swatch(ctx, task, c),
                    _class_cell(ctx, task, c),
                    _definition_cell(ctx, task, c),
                ]
                for c in task.classes
            ]
            out.append(table(["Level", "Label", "Class", "Definition"], rows))
        else:
            rows = [
                [_swatch(ctx, task, c), _class_cell(ctx, task, c), _definition_cell(ctx, task, c)]
                for c in tree_order(task)
            ]
            out.append(table(["Label", "Class", "Definition"], rows))
        if any(c.parents for c in task.classes):
            out.append(ctx.heading(2, "Hierarchy", "hierarchy"))
            out.append(_tree(ctx, task))
        decide = _decide(ctx, task)
        if decide:
            out.append(ctx.heading(2, "How to decide", "how-to-decide"))
            out.extend(decide)

    rows = attribute_rows(ctx, task, None, origin=False)
    per_class = [(c, name) for c in task.classes for name in c.attributes]
    if rows or per_class:
        out.append(ctx.heading(2, "Attributes", "attributes"))
        if rows:
            out.append("For every class of the task:")
            out.append(table(["Attribute", "Value", "Required", "Applies", "Meaning"], rows))
        if per_class:
            crow = []
            for c, name in per_class:
                a = c.attributes[name]
                from guidekit.handbook.describe import (
                    attribute_description,
                    attribute_type,
                    attribute_when,
                )

                crow.append(
                    [
                        ctx.class_link(task.id, c.id),
                        code(name),
                        attribute_type(a),
                        "yes" if a.required else "no",
                        attribute_when(task, a),
                        attribute_description(a),
                    ]
                )
            out.append("For some classes (and their subclasses):")
            out.append(
                table(["Class", "Attribute", "Value", "Required", "Applies", "Meaning"], crow)
            )

    if task.edge_cases:
        out.append(ctx.heading(2, "Edge cases of the task", "edge-cases"))
        for ex in task.edge_cases:
            out.append(ctx.heading(3, plain(ex.id or "Edge case"), edge_case_anchor(ex)))
            out.append(render_example(ctx, task, ex))
    rules = rules_about(ctx.g, task.id)
    if rules:
        out.append(ctx.heading(2, "Rules", "rules"))
        out.append(
            bullets(
                [
                    ctx.link(plain(r.id), ctx.layout.page(RULES), "rule-" + anchor(r.id))
                    + f" — {markdown(r.description or r.message, inline=True)}"
                    for r in rules
                ]
            )
        )
    return "\n\n".join(p for p in out if p) + "\n"
