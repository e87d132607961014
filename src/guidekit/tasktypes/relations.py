"""The ``relations`` task type: labelled links between regions of another task."""

from __future__ import annotations

from typing import Any

from guidekit import ir, tasktypes
from guidekit.tasktypes._handbook_page import Markup, Page, html_text
from guidekit.tasktypes._handbook_regions import attributes_html
from guidekit.tasktypes.base import TaskType


class Relations(TaskType):
    name = "relations"
    summary = "Labelled links between regions of another task."

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------
    links_regions = True

    def handbook_kind(self) -> str:
        return "relations"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        other = g.tasks.get(task.over or "")
        name = text.plain(other.name) if other else text.code(task.over or "")
        kind = "directed: from one region to another" if task.directed else "undirected"
        return f"Link pairs of regions of {name} with a relation class. Relations are {kind}."

    def handbook_class_notes(self, task: ir.Task, cls: ir.Class, page: Page) -> list[str]:
        if not (cls.from_ or cls.to):
            return []
        over = page.g.tasks.get(task.over or "")

        def ends(ids: tuple[str, ...] | None) -> str:
            if not ids:
                return "any region"
            if over is None:
                return " or ".join(page.code(i) for i in ids)
            return " or ".join(page.class_link(over.id, i) for i in ids)

        return [f"**Links** {ends(cls.from_)} **to** {ends(cls.to)}."]

    def handbook_links(self, task: ir.Task, value: Any) -> list[tuple[str, str, str]]:
        return [
            (str(rel.get("label", "")), str(rel.get("from")), str(rel.get("to")))
            for rel in (value if isinstance(value, list) else [])
            if isinstance(rel, dict)
        ]

    def handbook_link_items(
        self,
        task: ir.Task,
        value: Any,
        over: ir.Task | None,
        regions: Any,
        text: str | None,
        page: Page,
    ) -> list[str]:
        by_id: dict[str, dict[str, Any]] = {}
        if isinstance(regions, list):
            by_id = {str(r["id"]): r for r in regions if isinstance(r, dict) and "id" in r}
        over_type = tasktypes.of(over) if over is not None else None
        arrow = "→" if task.directed else "—"
        items = []
        for rel in value if isinstance(value, list) else []:
            if not isinstance(rel, dict):
                continue
            ends = []
            for end in ("from", "to"):
                r = by_id.get(str(rel.get(end)))
                if r is None or over is None or over_type is None:
                    ends.append(f"<code>{html_text(rel.get(end))}</code>")
                    continue
                quote = over_type.handbook_quote(r, text)
                ends.append(f"{page.chip(over.id, str(r.get('label', '')))}{quote}")
            label = page.chip(task.id, str(rel.get("label", "")))
            items.append(
                f"<li>{ends[0]} {arrow} {label} {arrow} {ends[1]}{attributes_html(rel)}</li>"
            )
        return items

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Relations()
