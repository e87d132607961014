"""The ``spans`` task type: labelled character spans of a text field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from guidekit import ir
from guidekit.tasktypes._handbook_page import Drawn, Markup, Page, html_text
from guidekit.tasktypes._handbook_spans import highlight, spans_of
from guidekit.tasktypes.base import TaskType


class Spans(TaskType):
    name = "spans"
    summary = "Labelled character spans of a text field."
    region = True
    over_field_types = ("text",)

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------
    def handbook_kind(self) -> str:
        return "text spans"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        over = text.code(task.over) if task.over else "the item"
        overlap = {
            "allow": "Spans may overlap.",
            "forbid": "Spans may not overlap.",
            "nested": "A span may lie inside another, but spans may not cross.",
        }[task.overlap]
        return f"Highlight every stretch of text in {over} that belongs to a class. {overlap}"

    def handbook_field(
        self,
        task: ir.Task,
        value: Any,
        name: str,
        raw: Any,
        field: ir.InputField | None,
        page: Page,
        links: Sequence[tuple[str, str, str]] = (),
        directed: bool = True,
    ) -> Drawn | None:
        if field is None or field.type != "text" or not isinstance(raw, str):
            return None
        spans = spans_of(value, len(raw))
        body = highlight(raw, spans, lambda label: page.swatch(task.id, label))
        return Drawn(f'<div class="gk-text">{body}</div>', text=raw)

    def handbook_region(
        self, task: ir.Task, region: dict[str, Any], text: str | None, page: Page
    ) -> str:
        if text is None:
            return ""
        s, e = region.get("start"), region.get("end")
        if isinstance(s, int) and isinstance(e, int):
            return f" “{html_text(text[s:e])}” <small>{s}–{e}</small>"
        return ""

    def handbook_quote(self, region: dict[str, Any], text: str | None) -> str:
        s, e = region.get("start"), region.get("end")
        if text is not None and isinstance(s, int) and isinstance(e, int):
            return f" “{html_text(text[s:e])}”"
        return ""

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Spans()
