"""One page per class: definition, boundaries, attributes, examples, negatives, edge cases,
rules, and the versions that changed it."""

from __future__ import annotations

from guidekit import ir, tasktypes
from guidekit.handbook.context import Ctx
from guidekit.handbook.describe import attribute_description, attribute_type, attribute_when
from guidekit.handbook.page import Page, chip
from guidekit.handbook.pages._common import (
    admonition,
    boundary,
    bullets,
    class_title,
    edit_link,
    rules_about,
    table,
)
from guidekit.handbook.pages.changes import class_changes, latest_change
from guidekit.handbook.records import render_example
from guidekit.handbook.sanitize import code, markdown, plain

#: Section ids of class and task pages; an edge case whose id would clash gets a prefix.
SECTIONS = frozenset(
    {
        "top",
        "definition",
        "attributes",
        "examples",
        "negatives",
        "edge-cases",
        "escalation",
        "rules",
        "classes",
        "hierarchy",
        "how-to-decide",
        "changes",
        "common-mistakes",
    }
)


def _share(tally: list[float] | None) -> str | None:
    if not tally or not tally[1]:
        return None
    right, n = tally
    return f"{100 * right / n:.0f} % of {int(n)} answer{'s' if n != 1 else ''}"


def edge_case_results(ctx: Ctx, ex: ir.Example) -> str:
    """How often annotators and the model got this edge case right in the latest results
    (empty when the handbook has none, or its reader is not cleared for them)."""
    from guidekit.handbook.results import ANNOTATORS, MODEL

    results = ctx.site.results
    if results is None or ex.id is None or ex.id not in results.edge_cases:
        return ""
    tally = results.edge_cases[ex.id]
    parts = []
    for source, who in ((ANNOTATORS, "annotators"), (MODEL, "the model")):
        shown = _share(tally.get(source))
        if shown is not None:
            parts.append(f"{who} {shown}")
    if not parts:
        return ""
    return f"**Got right in the latest results:** {'; '.join(parts)}."


def common_mistakes(ctx: Ctx, task: ir.Task, cls: ir.Class) -> list[str]:
    """The most frequent wrong labels of ``cls`` in the latest quiz and evaluation results."""
    results = ctx.site.results
    if results is None:
        return []
    rows = results.common_mistakes(task.id, cls.id)
    if not rows:
        return []
    known = {c.id for c in task.classes}
    out = [ctx.heading(2, "Common mistakes", "common-mistakes")]
    out.append(
        f"Items whose right label is {class_title(cls)} were labelled instead as "
        f"(latest results: {plain(', '.join(results.files))}):"
    )
    body = []
    for label, people, model in rows:
        shown = ctx.class_link(task.id, label) if label in known else plain(label)
        body.append([shown, str(people), str(model)])
    out.append(table(["Labelled as", "By annotators", "By the model"], body))
    return out


def edge_case_anchor(ex: ir.Example) -> str:
    from guidekit.handbook.layout import anchor

    name = anchor(ex.id or "case")
    return f"case-{name}" if name in SECTIONS else name


def attribute_rows(
    ctx: Ctx, task: ir.Task, cls: ir.Class | None, *, origin: bool = True
) -> list[list[str]]:
    """Rows of the attribute table of a class (with where each attribute comes from)."""
    rows = []
    attrs = task.attributes_for(cls.id) if cls is not None else dict(task.attributes)
    for name, a in attrs.items():
        where = ""
        if origin and cls is not None:
            if name in cls.attributes:
                where = "this class"
            elif name in task.attributes:
                where = "the task"
            else:
                owner = next(
                    (p for p in task.ancestors(cls.id) if name in task[p].attributes), None
                )
                where = ctx.class_link(task.id, owner) if owner else ""
        row = [
            code(name),
            attribute_type(a),
            "yes" if a.required else "no",
            attribute_when(task, a),
            attribute_description(a),
        ]
        if origin and cls is not None:
            row.append(where)
        rows.append(row)
    return rows


def class_page(ctx: Ctx, task: ir.Task, cls: ir.Class) -> str:
    site = ctx.site
    out: list[str] = [ctx.heading(1, class_title(cls))]
    facts = [chip(ctx, task.id, cls.id), f"Task: {ctx.task_link(task.id)}"]
    parents = [p for p in cls.parents if p in task]
    if parents:
        label = "Parent" if len(parents) == 1 else "Parents"
        facts.append(f"{label}: " + ", ".join(ctx.class_link(task.id, p) for p in parents))
    task_type = tasktypes.of(task)
    if task_type.handbook_levels:
        facts.append(f"Level {cls.index + 1} of {len(task.classes)}")
    if cls.hotkey:
        facts.append(f"Shortcut: {code(cls.hotkey)}")
    changed = latest_change(ctx, task, cls)
    if changed:
        facts.append(changed)
    out.append(" · ".join(facts))
    out.append(edit_link(ctx, cls.loc, f"class {cls.id}"))

    if cls.deprecated:
        body = [markdown(cls.deprecation_note) or "This class is no longer used."]
        if len(cls.replaced_by) == 1:
            body.append(f"Use {ctx.class_link(task.id, cls.replaced_by[0])} instead.")
        elif cls.replaced_by:
            links = ", ".join(ctx.class_link(task.id, r) for r in cls.replaced_by)
            body.append(f"It was split: use one of {links} instead.")
        body.append(
            "Deliveries that still use it are flagged; old labels are migrated to the replacement."
        )
        out.append(admonition("warning", "Deprecated", "\n\n".join(body)))
    if site.restricted(cls.sensitivity):
        # one message, in place of the definition (an empty "Definition" would contradict it)
        out.append(
            admonition(
                "note",
                "Restricted",
                f"The description of {code(cls.id)} is not part of this audience's handbook. "
                "Ask before you use this label.",
            )
        )
    else:
        out.append(ctx.heading(2, "Definition", "definition"))
        out.append(markdown(cls.definition) or "*No definition yet.*")
    if cls.includes:
        out.append("**Includes**")
        out.append(bullets([boundary(ctx, task, i) for i in cls.includes]))
    if cls.excludes:
        out.append("**Excludes**")
        out.append(bullets([boundary(ctx, task, e) for e in cls.excludes]))
    wholes = [w for w in cls.part_of if w in task]
    if wholes:
        links = ", ".join(ctx.class_link(task.id, w) for w in wholes)
        out.append(f"**Part of:** {links}.")
    parts = [c.id for c in task.classes if cls.id in c.part_of]
    if parts:
        out.append("**Has parts:** " + ", ".join(ctx.class_link(task.id, p) for p in parts) + ".")
    if cls.children:
        kids = ", ".join(ctx.class_link(task.id, k) for k in cls.children if k in task)
        if task.leaf_only and not task_type.handbook_levels:
            out.append(
                f"**Subclasses:** {kids}. Label the most specific one; this class is a group."
            )
        else:
            out.append(f"**Subclasses:** {kids}.")
    if cls.min_size is not None and (cls.min_size.width or cls.min_size.height):
        out.append(
            f"**Smallest box:** {cls.min_size.width:g} × {cls.min_size.height:g}; "
            "smaller objects are not labelled."
        )
    out.extend(task_type.handbook_class_notes(task, cls, Page(ctx)))
    if cls.aliases:
        names = ", ".join(code(a) for a in cls.aliases)
        out.append(
            f"**Also known as:** {names}. These older or tool names mean this class; "
            f"deliveries should write {code(cls.id)}."
        )

    rows = attribute_rows(ctx, task, cls)
    if rows:
        out.append(ctx.heading(2, "Attributes", "attributes"))
        out.append(table(["Attribute", "Value", "Required", "Applies", "Meaning", "From"], rows))

    if cls.examples:
        out.append(ctx.heading(2, "Examples", "examples"))
        for ex in cls.examples:
            out.append(render_example(ctx, task, ex))
    if cls.negatives:
        out.append(ctx.heading(2, f"Not {class_title(cls)}", "negatives"))
        out.append("These look like this class but are labelled differently.")
        for ex in cls.negatives:
            out.append(render_example(ctx, task, ex))
    if cls.edge_cases:
        out.append(ctx.heading(2, "Edge cases", "edge-cases"))
        for ex in cls.edge_cases:
            out.append(ctx.heading(3, plain(ex.id or "Edge case"), edge_case_anchor(ex)))
            out.append(render_example(ctx, task, ex))
            out.append(edge_case_results(ctx, ex))
    out += common_mistakes(ctx, task, cls)
    asked = ctx.site.questions.get(f"{task.id}/{cls.id}")
    if asked:
        out.append(ctx.heading(2, "Open questions", "open-questions"))
        out.append(
            "Asked by annotators and not yet decided (from the question log; internal only)."
        )
        out.append(
            bullets([f"**{plain(q)}** ({plain(when)}): {plain(text)}" for q, when, text in asked])
        )
    if cls.escalate:
        out.append(ctx.heading(2, "When to escalate", "escalation"))
        out.append(admonition("danger", "Escalate", markdown(cls.escalate)))
    rules = rules_about(ctx.g, task.id, cls.id)
    if rules:
        from guidekit.handbook.layout import RULES, anchor

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
    out += class_changes(ctx, task, cls)
    return "\n\n".join(p for p in out if p) + "\n"
