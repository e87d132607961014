"""The ``spans`` task type: labelled character spans of a text field."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit.diagnostics.pointer import escape as esc
from guidekit.tasktypes._format import ConfigFinding, Report, article, fill_region_labels
from guidekit.tasktypes._values import (
    Problem,
    check_attributes,
    check_label,
    region_id,
    region_list,
    type_name,
)
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir


class Spans(TaskType):
    name = "spans"
    summary = "Labelled character spans of a text field."
    region = True
    over_field_types = ("text",)

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"has", "has_any", "count"})
    agreement_metrics = frozenset({"span_f1"})
    gold_scores = True

    def check_config(self, guideline: ir.Guideline, task: ir.Task) -> Iterator[ConfigFinding]:
        fields = guideline.record.fields
        f = fields.get(task.over or "")
        if task.over is None:
            yield ConfigFinding(
                "GK310", f"spans task '{task.id}' needs `over:` naming a text field", task.loc
            )
        elif f is None:
            yield ConfigFinding(
                "GK302",
                f"task '{task.id}' is over '{task.over}', which is not a record field",
                task.loc,
                f"fields: {', '.join(fields)}",
            )
        elif f.type != "text":
            yield ConfigFinding(
                "GK310",
                f"spans task '{task.id}' is over '{task.over}', "
                f"{article(f.type)} field; spans need a text field",
                task.loc,
            )

    def points_into(self, guideline: ir.Guideline, task: ir.Task) -> str | None:
        return task.over

    def canonical_value(
        self,
        task: ir.Task,
        value: Any,
        default_label: Any,
        record: Mapping[str, Any],
        report: Report,
    ) -> Any:
        def complete(span: dict[str, Any], i: int) -> dict[str, Any]:
            if "text" in span and "start" not in span:
                return self.find_span(task, span, record, i, report)
            return span

        return fill_region_labels(value, default_label, complete)

    @staticmethod
    def find_span(
        task: ir.Task, span: dict[str, Any], record: Mapping[str, Any], i: int, report: Report
    ) -> dict[str, Any]:
        """A span written by its ``text`` (and ``occurrence``) gets its offsets in the field."""
        text = record.get(task.over or "")
        needle = span.get("text")
        occurrence = span.pop("occurrence", 1)
        if not isinstance(text, str) or not isinstance(needle, str) or not needle:
            return span
        start = -1
        for _ in range(occurrence if isinstance(occurrence, int) and occurrence > 0 else 1):
            start = text.find(needle, start + 1)
            if start < 0:
                break
        if start < 0:
            report(
                (i, "text"),
                f"span text {needle!r} (occurrence {occurrence}) is not in field '{task.over}'",
                "copy the text exactly as it appears in the example",
            )
            return span
        return {"start": start, "end": start + len(needle), **span}

    # -- record values (record checks) -----------------------------------------------------

    def check_value(
        self,
        guideline: ir.Guideline,
        task: ir.Task,
        value: Any,
        record: Mapping[str, Any] | None,
        annotations: Mapping[str, Any],
    ) -> Iterator[Problem]:
        bad = list(region_list(value))
        if bad:
            yield from bad
            return
        text = record.get(task.over or "") if record is not None else None
        if not isinstance(text, str):
            text = None
        good: list[tuple[int, int, int]] = []
        ids: set[str] = set()
        for i, span in enumerate(value):
            ptr = f"/{i}"
            if not isinstance(span, dict):
                yield Problem(
                    "value.type", ptr, f"a span must be an object, found {type_name(span)}"
                )
                continue
            for key in sorted(set(span) - {"start", "end", "label", "text", "id", "attributes"}):
                yield Problem("value.unknown_key", f"{ptr}/{esc(key)}", f"unknown key '{key}'")
            yield from region_id(span, ids, ptr)
            start: Any = span.get("start")  # an int once `ok` says so
            end: Any = span.get("end")
            ok = True
            for name, v in (("start", start), ("end", end)):
                if v is None:
                    yield Problem("value.missing", f"{ptr}/{name}", f"span has no '{name}'")
                    ok = False
                elif not isinstance(v, int) or isinstance(v, bool):
                    yield Problem(
                        "value.type",
                        f"{ptr}/{name}",
                        f"'{name}' must be an integer, found {type_name(v)}",
                    )
                    ok = False
            if ok:
                if start < 0:
                    yield Problem("span.bounds", f"{ptr}/start", f"start {start} is negative")
                    ok = False
                elif start >= end:
                    yield Problem(
                        "span.bounds", f"{ptr}/end", f"end {end} must be greater than start {start}"
                    )
                    ok = False
                elif text is not None and end > len(text):
                    yield Problem(
                        "span.bounds",
                        f"{ptr}/end",
                        f"end {end} is past the end of '{task.over}' ({len(text)} characters)",
                    )
                    ok = False
            quote = span.get("text")
            if quote is not None and not isinstance(quote, str):
                yield Problem(
                    "value.type", f"{ptr}/text", f"'text' must be text, found {type_name(quote)}"
                )
            elif ok and text is not None and quote is not None and quote != text[start:end]:
                yield Problem(
                    "span.text",
                    f"{ptr}/text",
                    f"quoted text {span['text']!r} differs from the text at "
                    f"{start}..{end}: {text[start:end]!r}",
                )
            if "label" not in span:
                yield Problem("value.missing", f"{ptr}/label", "span has no 'label'")
            else:
                yield from check_label(task, span["label"], f"{ptr}/label")
                cid = task.resolve_label(span["label"]) if isinstance(span["label"], str) else None
                if cid is not None:
                    yield from check_attributes(
                        task, cid, span.get("attributes"), f"{ptr}/attributes"
                    )
            if ok:
                good.append((start, end, i))
        if task.overlap != "allow" and len(good) > 1:
            good.sort(key=lambda g: (g[0], -g[1], g[2]))  # containers before what they contain
            active: list[tuple[int, int, int]] = []
            for start, end, i in good:
                active = [a for a in active if a[1] > start]
                for a_start, a_end, j in active:
                    nested = a_start <= start and end <= a_end
                    if task.overlap == "forbid" or not nested:
                        yield Problem(
                            "span.overlap",
                            f"/{i}",
                            f"span {start}..{end} overlaps span {a_start}..{a_end} "
                            f"(/{j}); task '{task.id}' has overlap: {task.overlap}",
                        )
                        break
                active.append((start, end, i))
        if not task.allow_empty and not value:
            yield Problem("value.missing", "", f"task '{task.id}' needs at least one span")

    def check_missing(self, task: ir.Task) -> Iterator[Problem]:
        return iter(())  # no list means no spans

    # -- delivery (fast path, conditions) --------------------------------------------------

    # -- generators (JSON Schema, models) --------------------------------------------------

    # -- handbook --------------------------------------------------------------------------

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


TASK_TYPE = Spans()
