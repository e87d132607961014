"""Guideline-wide pages: home, edge-case log, rules, acceptance, scope, governance, glossary."""

from __future__ import annotations

import re

from guidekit import ir, tasktypes
from guidekit.handbook import layout as lay
from guidekit.handbook.context import Ctx
from guidekit.handbook.describe import duration, metric, percent
from guidekit.handbook.pages._common import admonition, bullets, table
from guidekit.handbook.pages.changes import since_title
from guidekit.handbook.pages.classes import edge_case_anchor, edge_case_results
from guidekit.handbook.records import label_md, render_example, skip_reason
from guidekit.handbook.sanitize import cell, code, first_sentence, markdown, plain, safe_url
from guidekit.record.rules import describe
from guidekit.spec.version import sort_key

SEVERITY = {
    "error": "**error** — the record is rejected",
    "warning": "**warning** — the record is reported for review",
    "info": "**info** — a hint for the reviewer",
}


def _join(parts: list[str]) -> str:
    return "\n\n".join(p for p in parts if p) + "\n"


# -- home ------------------------------------------------------------------------------------


def home_page(ctx: Ctx) -> str:
    g = ctx.g
    out = [ctx.heading(1, plain(g.title))]
    status = f"Guideline {code(g.id)}, version **{plain(g.version)}** ({plain(g.status)})."
    if ctx.site.audience is not None:
        aud = g.governance.audiences[ctx.site.audience]
        status += (
            f" This handbook is for **{plain(aud.name)}** readers: it shows what is cleared up "
            f"to the level {code(aud.clearance)}."
        )
    out.append(admonition("info", "Version", status))
    out.append(markdown(g.description))
    b = g.brief
    out.append(ctx.heading(2, "Data brief", "brief"))
    brief = [
        ("Objective", b.objective),
        ("The decision the model makes", b.decision),
        ("Source data", b.source_data),
        ("How the labels are used", b.label_use),
    ]
    for title, text in brief:
        if text:
            out.append(f"**{title}.** {markdown(text)}")
    if b.privacy:
        out.append(admonition("warning", "Privacy", markdown(b.privacy)))
    if b.notes:
        out.append(admonition("tip", "Before you start", markdown(b.notes)))

    out.append(ctx.heading(2, "What you label", "tasks"))
    rows = []
    for task in g.tasks.values():
        rows.append(
            [
                ctx.task_link(task.id),
                tasktypes.of(task).handbook_kind(),
                cell(task.question or first_sentence(task.description)),
                str(len(task.classes)) if task.has_classes else "—",
            ]
        )
    out.append(table(["Task", "Kind", "Question", "Classes"], rows))

    out.append(ctx.heading(2, "What you see", "record"))
    frows = [
        [code(name), plain(f.type), "yes" if f.required else "no", cell(f.description)]
        for name, f in g.record.fields.items()
    ]
    out.append(f"Each item is identified by {code(g.record.id)} and shows these fields:")
    out.append(table(["Field", "Type", "Always present", "Description"], frows))

    out.append(ctx.heading(2, "More", "more"))
    more = [
        ctx.link("Edge-case log", ctx.layout.page(lay.EDGE_CASES))
        + " — every hard case and its decision",
        ctx.link("Rules", ctx.layout.page(lay.RULES)) + " — checks across tasks",
        ctx.link("Acceptance criteria", ctx.layout.page(lay.ACCEPTANCE))
        + " — when a delivery is accepted",
        ctx.link("What not to label", ctx.layout.page(lay.SCOPE)) + " — skip reasons",
        ctx.link("Governance", ctx.layout.page(lay.GOVERNANCE))
        + " — who sees what, retention, who to ask",
        ctx.link("Glossary", ctx.layout.page(lay.GLOSSARY)) + " — terms and label aliases",
        ctx.link("Changes", ctx.layout.page(lay.CHANGES)) + " — what each version changed",
        ctx.link(plain(since_title(ctx.site.changes)), ctx.layout.page(lay.SINCE))
        + " — everything at once",
    ]
    if not ctx.printing:
        more.append(
            ctx.link("Printable version", ctx.layout.page(lay.PRINT)) + " — the whole handbook"
        )
    out.append(bullets(more))
    if g.owners:
        out.append(ctx.heading(2, "Maintainers", "owners"))
        owners = []
        for o in g.owners:
            line = plain(o.name)
            if o.role:
                line += f" — {plain(o.role)}"
            if o.email:
                line += f" ({plain(o.email)})"
            owners.append(line)
        out.append(bullets(owners))
    if g.links:
        out.append(ctx.heading(2, "Links", "links"))
        items = []
        for name, url in g.links.items():
            if safe_url(url) and re.fullmatch(r"(?i)https?://[^\s<>\"'`\\]+", url):
                items.append(f"{plain(name)}: <{url}>")
            else:
                items.append(f"{plain(name)}: {code(url)}")
        out.append(bullets(items))
    return _join(out)


# -- edge-case log ---------------------------------------------------------------------------


def all_edge_cases(g: ir.Guideline) -> list[tuple[ir.Task, ir.Class | None, ir.Example]]:
    """Every edge case with its task and class, newest decision first, then by id."""
    found: list[tuple[ir.Task, ir.Class | None, ir.Example]] = []
    for task in g.tasks.values():
        for cls in task.classes:
            found.extend((task, cls, ex) for ex in cls.edge_cases)
        found.extend((task, None, ex) for ex in task.edge_cases)
    by_id = sorted(found, key=lambda t: (t[2].id or "", t[0].id))
    return sorted(
        by_id,
        key=lambda t: sort_key(t[2].since or ""),
        reverse=True,
    )


def edge_case_page(ctx: Ctx) -> str:
    g = ctx.g
    cases = all_edge_cases(g)
    out = [ctx.heading(1, "Edge-case log")]
    out.append(
        f"{len(cases)} hard case{'s' if len(cases) != 1 else ''} and how they were decided, "
        "newest first. Each one is also on its class page. Type in the box to filter the "
        "table; the site search finds them too."
    )
    if not cases:
        out.append("*No edge cases yet.*")
        return _join(out)
    rows = []
    for task, cls, ex in cases:
        ident = ctx.link(plain(ex.id), ctx.section, edge_case_anchor(ex)) if ex.id else "?"
        rows.append(
            [
                ident,
                ctx.task_link(task.id),
                ctx.class_link(task.id, cls.id) if cls else "*(task)*",
                label_md(ctx, task, ex.decision) if ex.decision is not None else "*open*",
                plain(ex.since) if ex.since else "",
                cell(first_sentence(ex.question or ex.rationale, 160)),
            ]
        )
    if not ctx.printing:
        out.append(
            '<div class="gk-filter-box"><input class="gk-filter" type="search" '
            'placeholder="Filter edge cases" aria-label="Filter edge cases"></div>'
        )
    out.append(
        '<div class="gk-filterable" markdown="1">\n\n'
        + table(["Id", "Task", "Class", "Decision", "Since", "Question or rationale"], rows)
        + "\n\n</div>"
    )
    for task, cls, ex in cases:
        where = ctx.task_link(task.id)
        if cls is not None:
            where += " › " + ctx.class_link(task.id, cls.id)
        out.append(ctx.heading(2, plain(ex.id or "Edge case"), edge_case_anchor(ex)))
        out.append(where)
        out.append(render_example(ctx, task, ex))
        out.append(edge_case_results(ctx, ex))
    return _join(out)


# -- rules -----------------------------------------------------------------------------------


def rules_page(ctx: Ctx) -> str:
    g = ctx.g
    out = [ctx.heading(1, "Rules")]
    out.append(
        "Rules tie the answers of different tasks together. Every delivered record is checked "
        "against them; an example in this handbook never breaks one."
    )
    if not g.rules:
        out.append("*This guideline has no rules.*")
        return _join(out)
    for rule in g.rules:
        out.append(ctx.heading(2, plain(rule.id), "rule-" + lay.anchor(rule.id)))
        if rule.description:
            out.append(markdown(rule.description))
        when = describe(rule.when)
        then = describe(rule.then)
        if when == "always":
            out.append(f"**Always:** {markdown(then, inline=True)}.")
        else:
            out.append(
                f"**When** {markdown(when, inline=True)}, **then** {markdown(then, inline=True)}."
            )
        out.append(f"Severity: {SEVERITY[rule.severity]}.")
        out.append(admonition("quote", "Message shown when it is broken", markdown(rule.message)))
    return _join(out)


# -- acceptance ------------------------------------------------------------------------------


def _split(c: object) -> str:
    split = getattr(c, "split", None)
    return f" (split {code(split)})" if split else ""


def _note(c: object) -> str:
    note = getattr(c, "note", None)
    return f" {markdown(note, inline=True)}" if note else ""


def acceptance_page(ctx: Ctx) -> str:
    g = ctx.g
    a = g.acceptance
    out = [ctx.heading(1, "Acceptance criteria")]
    out.append(
        "A delivery is accepted when every criterion below holds. guidekit checks them on "
        "each delivery and reports which ones failed, with the measured value."
    )
    if a.is_empty():
        out.append("*This guideline declares no acceptance criteria.*")
    if a.agreement:
        out.append(ctx.heading(2, "Agreement between annotators", "agreement"))
        items = []
        for c in a.agreement:
            name, meaning = metric(c.metric)
            target = ctx.task_link(c.task) if c.task in g.tasks else code(c.task)
            if c.class_:
                target += f", class {code(c.class_)}"
            iou = f", boxes matching at IoU ≥ {c.iou:g}" if c.iou else ""
            items.append(
                f"{target}: {name} of at least **{c.min:g}**{iou}{_split(c)}."
                + (f" *{name.capitalize()} measures {meaning}.*" if meaning else "")
                + _note(c)
            )
        out.append(bullets(items))
    if a.audit:
        out.append(ctx.heading(2, "Audit", "audit"))
        out.append(
            bullets(
                [
                    f"Reviewers check **{percent(c.sample)}** of the records; at least "
                    f"**{percent(c.min_pass_rate)}** of those must pass{_split(c)}.{_note(c)}"
                    for c in a.audit
                ]
            )
        )
    if a.gold:
        out.append(ctx.heading(2, "Gold set", "gold"))
        items = []
        for gold in a.gold:
            name, meaning = metric(gold.metric)
            target = ctx.task_link(gold.task) if gold.task in g.tasks else code(gold.task)
            if gold.class_:
                target += f", class {code(gold.class_)}"
            threshold = f" of at least **{gold.min:g}**" if gold.min is not None else ""
            items.append(
                f"{target}: {name} against the gold labels{threshold}{_split(gold)}."
                + (f" *{name.capitalize()} is {meaning}.*" if meaning else "")
                + _note(gold)
            )
        out.append(bullets(items))
    if a.distribution:
        out.append(ctx.heading(2, "Class shares", "distribution"))
        items = []
        for share in a.distribution:
            cls = (
                ctx.class_link(share.task, share.class_)
                if share.class_ is not None
                and share.task in g.tasks
                and share.class_ in g.tasks[share.task]
                else code(share.class_)
            )
            bounds = []
            if share.min_share is not None:
                bounds.append(f"at least **{percent(share.min_share)}**")
            if share.max_share is not None:
                bounds.append(f"at most **{percent(share.max_share)}**")
            items.append(
                f"{cls}: {' and '.join(bounds)} of the records{_split(share)}.{_note(share)}"
            )
        out.append(bullets(items))
        out.append(
            "A share far from the expected one usually means a definition is read differently, "
            "not that the data changed: check the class pages before relabelling."
        )
    if a.unresolved:
        out.append(ctx.heading(2, "Unresolved items", "unresolved"))
        out.append(
            bullets(
                [
                    f"At most **{percent(c.max_share)}** of the records may be flagged "
                    f"unresolved{_split(c)}.{_note(c)}"
                    for c in a.unresolved
                ]
            )
        )
        out.append(
            "Flag an item unresolved, with your question, when the guideline does not decide "
            "it; answered questions become edge cases."
        )
    if a.edge_cases:
        out.append(ctx.heading(2, "Edge cases", "edge-cases"))
        items = []
        for crit in a.edge_cases:
            which = ", ".join(code(ec) for ec in crit.for_) if crit.for_ else "every edge case"
            task = f" of {code(crit.task)}" if crit.task else ""
            items.append(
                f"{which}: F1{task} of at least **{crit.min_f1:g}** on the evaluation items "
                f"tagged with each.{_note(crit)}"
            )
        out.append(bullets(items))
    if a.errors:
        out.append(ctx.heading(2, "Validation results", "errors"))
        out.append(
            bullets(
                [
                    f"Records with a validation **{plain(sev)}**: at most **{percent(rate)}**."
                    for sev, rate in a.errors.items()
                ]
            )
        )
    out.append(ctx.heading(2, "Delivery format", "delivery"))
    d = g.delivery
    items = [
        f"File format: {code(d.format)}; one record per item, identified by {code(d.id)}.",
        "Records repeat the input fields."
        if d.include_inputs
        else "Records carry the answers only, not the input fields.",
        {
            "forbid": "Fields the guideline does not declare are rejected.",
            "warn": "Fields the guideline does not declare are reported.",
            "allow": "Fields the guideline does not declare are allowed.",
        }[d.unknown_fields],
    ]
    if d.required_metadata:
        names = ", ".join(code(getattr(d.metadata, m)) for m in d.required_metadata)
        items.append(f"Every record carries: {names}.")
    if d.statuses:
        items.append("Allowed statuses: " + ", ".join(code(s) for s in d.statuses) + ".")
    if g.splits:
        items.append("Splits: " + ", ".join(code(s) for s in g.splits) + ".")
    items.append(
        "Skipped items give one of the "
        + ctx.link("skip reasons", ctx.layout.page(lay.SCOPE), "skip-reasons")
        + "."
    )
    out.append(bullets(items))
    return _join(out)


# -- scope -----------------------------------------------------------------------------------


def scope_page(ctx: Ctx) -> str:
    g = ctx.g
    s = g.scope
    out = [ctx.heading(1, "What not to label")]
    out.append(
        markdown(s.description)
        or "Items that are out of scope are skipped with a reason instead of labelled."
    )
    out.append(ctx.heading(2, "Skip reasons", "skip-reasons"))
    if s.skip_reasons:
        out.append("A skipped item must give one of these reasons; any other is rejected.")
        out.append(
            table(
                ["Reason", "When"],
                [[code(k), cell(v)] for k, v in s.skip_reasons.items()],
            )
        )
    else:
        out.append("*No skip reasons are declared: every item must be labelled.*")
    if s.out_of_scope_examples:
        from guidekit.handbook.records import card, record_html

        out.append(ctx.heading(2, "Examples", "examples"))
        for ex in s.out_of_scope_examples:
            lines = [f"**Skip:** {skip_reason(s.skip_reasons, ex.skip)}"]
            if ex.why:
                lines.append(f"**Why:** {markdown(ex.why, inline=True)}")
            if ex.note:
                lines.append(markdown(ex.note, inline=True))
            out.append(card(ctx, "out_of_scope", record_html(ctx, None, ex), lines))
    return _join(out)


# -- governance ------------------------------------------------------------------------------


def governance_page(ctx: Ctx) -> str:
    g = ctx.g
    gov = g.governance
    out = [ctx.heading(1, "Governance")]
    out.append(ctx.heading(2, "Sensitivity levels", "levels"))
    out.append(
        "Every example, class and task has a sensitivity level. Levels, lowest first: "
        + " < ".join(code(lv) for lv in gov.levels)
        + f". Anything that declares none is {code(gov.default)}."
    )
    out.append(ctx.heading(2, "Audiences", "audiences"))
    if gov.audiences:
        rows = [
            [plain(a.name), code(a.clearance), cell(a.description)] for a in gov.audiences.values()
        ]
        out.append("Each audience gets a handbook with nothing above its clearance.")
        out.append(table(["Audience", "Sees up to", "Who"], rows))
    else:
        out.append("*No audiences are declared; there is one handbook for everybody.*")
    if ctx.site.audience is not None:
        aud = gov.audiences[ctx.site.audience]
        out.append(
            admonition(
                "info",
                "This handbook",
                f"Built for **{plain(aud.name)}**: examples, edge cases and descriptions above "
                f"{code(aud.clearance)} are left out.",
            )
        )
    else:
        out.append(
            admonition(
                "warning",
                "This handbook",
                "Built for no particular audience: it shows everything, up to "
                f"{code(gov.highest)}. Do not share it outside the guideline's owners.",
            )
        )
    out.append(ctx.heading(2, "Retention", "retention"))
    if gov.retention:
        out.append(
            f"Labelled data is kept for **{plain(duration(gov.retention))}** "
            f"({code(gov.retention)})."
        )
    else:
        out.append("*No retention period is declared.*")
    if gov.owners:
        out.append(ctx.heading(2, "Who approves changes", "owners"))
        out.append(bullets([plain(o) for o in gov.owners]))
    if gov.escalation:
        out.append(ctx.heading(2, "Questions and escalation", "escalation"))
        out.append(markdown(gov.escalation))
    if gov.review:
        out.append(ctx.heading(2, "Review", "review"))
        out.append(markdown(gov.review))
    return _join(out)


# -- glossary --------------------------------------------------------------------------------


def glossary_page(ctx: Ctx) -> str:
    g = ctx.g
    out = [ctx.heading(1, "Glossary")]
    if g.glossary:
        out.append(ctx.heading(2, "Terms", "terms"))
        rows = [
            [f"**{plain(term)}**", cell(text)]
            for term, text in sorted(g.glossary.items(), key=lambda kv: kv[0].lower())
        ]
        out.append(table(["Term", "Meaning"], rows))
    aliases = []
    for task in g.tasks.values():
        for cls in task.classes:
            for alias in cls.aliases:
                aliases.append((alias, task, cls, "alias"))
            if cls.deprecated:
                aliases.append((cls.id, task, cls, "deprecated"))
    out.append(ctx.heading(2, "Label aliases", "aliases"))
    if aliases:
        out.append(
            "Other names for labels: older ids, names used by labelling tools, deprecated "
            "classes. Deliveries should use the class id."
        )
        rows = []
        for alias, task, cls, kind in sorted(
            aliases, key=lambda t: (t[0].lower(), t[0], t[1].id, t[2].id)
        ):
            if kind == "alias":
                means = ctx.class_link(task.id, cls.id) + f" {code(cls.id)}"
                note = "alias" + (" of a deprecated class" if cls.deprecated else "")
            else:
                means = (
                    ", ".join(ctx.class_link(task.id, r) for r in cls.replaced_by)
                    if cls.replaced_by
                    else ctx.class_link(task.id, cls.id)
                )
                note = "deprecated class" + (", replaced" if cls.replaced_by else "")
            rows.append([code(alias), means, ctx.task_link(task.id), note])
        out.append(table(["Name", "Means", "Task", "Note"], rows))
    else:
        out.append("*No class has an alias.*")
    return _join(out)
