"""The ``spans`` task type: labelled character spans of a text field."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from guidekit import ir
from guidekit.diagnostics.pointer import escape as esc
from guidekit.tasktypes import _quality_regions as R
from guidekit.tasktypes._bridge_maps import LabelStudioMap, argilla_labels
from guidekit.tasktypes._delivery_fast import (
    fast_region_list,
    region_labels,
    value_present,
)
from guidekit.tasktypes._format import ConfigFinding, Report, article, fill_region_labels
from guidekit.tasktypes._generators_schema import (
    MODEL_REGION_ID,
    REGION_ID,
    model_region_list,
    schema_region_list,
)
from guidekit.tasktypes._handbook_page import Drawn, Markup, Page, html_text
from guidekit.tasktypes._handbook_spans import highlight, spans_of
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
    from guidekit.tasktypes._delivery_fast import FastGen
    from guidekit.tasktypes._generators_schema import SchemaGen
    from guidekit.tasktypes._quality_values import Converter


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

    def bounds_need(self, task: ir.Task) -> str | None:
        return "text"

    def cond_labels(self, task: ir.Task, v: str, bare: bool, once: bool) -> str:
        return region_labels(v, once)

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        return fast_region_list(task, item)

    def fast_struct_fields(self, task: ir.Task, label: str, attrs: str) -> list[str]:
        return [
            f"attributes: {attrs}",
            "id: str | int | None = None",
            "start: Annotated[int, Meta(ge=0)]",
            "end: int",
            "text: str | None = None",
        ]

    def fast_check(self, task: ir.Task, gen: FastGen) -> None:
        with value_present(gen, task):
            _spans_check(task, gen)

    # -- generators (JSON Schema, models) --------------------------------------------------

    def schema_value(self, task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
        return schema_region_list(task, head, gen)

    def model_value(self, task: ir.Task, item: str) -> str:
        return model_region_list(task, item)

    def schema_item(
        self, task: ir.Task, label: dict[str, Any], names: tuple[str, ...] | None
    ) -> tuple[dict[str, Any], list[str]]:
        props = {
            "start": {
                "type": "integer",
                "minimum": 0,
                "description": "Index of the first character (Unicode code points).",
            },
            "end": {"type": "integer", "description": "Index after the last character."},
            "label": label,
            "text": {
                "type": ["string", "null"],
                "description": "Copy of the covered text; must equal the text at start..end.",
            },
            "id": REGION_ID,
        }
        return props, ["start", "end", "label"]

    def model_item_kind(self) -> str:
        return "span"

    def model_item_fields(self, task: ir.Task, names: tuple[str, ...] | None) -> list[str]:
        return [
            "    start: Annotated[StrictInt, Field(ge=0, description='Index of the first character (Unicode code points).')]",
            "    end: Annotated[StrictInt, Field(description='Index after the last character.')]",
            "    text: StrictStr | None = None",
            MODEL_REGION_ID,
        ]

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

    def quality_labels(self, task: ir.Task) -> list[str]:
        return [c.id for c in task.classes]

    def quality_values(self, task: ir.Task, missing: object) -> Converter:
        return R.regions_value(task, _span)

    def agreement_kind(self) -> str | None:
        return "regions"

    def agreement_matches(self, thresholds: Sequence[float]) -> list[R.MatchMode]:
        return [R.MatchMode("span_f1", None), R.MatchMode("span_f1_overlap", R.span_overlap)]

    def agreement_note(self) -> str:
        return (
            "span_f1: same class, start and end; span_f1_overlap: same class and at least one "
            "shared character (matched one-to-one)"
        )

    def gold_kind(self) -> str | None:
        return "regions"

    def gold_match(self, iou: float) -> R.MatchMode:
        return R.MatchMode("span_f1", None)  # exact: same class, start and end

    # -- versioning (diff, migration) ------------------------------------------------------

    def diff_settings(self, a: ir.Task, b: ir.Task) -> list[tuple[str, str, Any, Any]]:
        if a.overlap == b.overlap:
            return []
        stricter = _OVERLAP_RANK[b.overlap] > _OVERLAP_RANK[a.overlap]
        rule = "task-constraint-tightened" if stricter else "task-constraint-loosened"
        return [(rule, "`overlap`", a.overlap, b.overlap)]

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    def labelstudio_results(self) -> tuple[str, ...]:
        return ("labels", "hypertextlabels")

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("regions", tag="Labels")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        settings = {"allow_overlapping": task.overlap != "forbid", "field": task.over}
        return "span", {**settings, **argilla_labels(task)}


def _spans_check(task: ir.Task, gen: FastGen) -> None:
    """Spans within the text, in order unless overlaps are allowed, with the text they
    copy; ids unique."""
    s, lay = gen.src, gen.lay
    over = task.over or ""
    field = gen.fields.get(over) if over in lay.inputs else None
    known = field is not None and lay.input_required(over)  # the text is always there
    overlap = task.overlap != "allow"
    s(f"t = r.{field}" if field else "t = None")
    s("m = 0")
    if known:
        s("n = len(t)")
        s("hid = 0")
        s("for x in v:")
        with s.indent():
            s("a = x.start; b = x.end")
            # start >= 0 is checked by the decoder; without overlaps m stays 0
            s("if not (m <= a < b <= n): return False")
            s("q = x.text")
            s("if q is not None and (len(q) != b - a or not t.startswith(q, a)): return False")
            if overlap:
                s("m = b")
            s("if x.id is not None: hid = 1")
            gen.attrs_call(task, "x")
        s("if hid:")
        with s.indent():
            gen.ids_check(guarded=True)
        return
    s("n = -1 if t is None else len(t)")
    if task.id in gen.nc_spans:
        s("if n < 0 and v: ncs = 1")
    s("for x in v:")
    with s.indent():
        s("a = x.start; b = x.end")
        s("if not (m <= a < b): return False")
        s("if n >= 0:")
        with s.indent():
            s("if b > n: return False")
            s("q = x.text")
            s("if q is not None and (len(q) != b - a or not t.startswith(q, a)): return False")
        if overlap:
            s("m = b")
        gen.attrs_call(task, "x")
    gen.ids_check()


_OVERLAP_RANK = {"allow": 0, "nested": 1, "forbid": 2}


def _span(task: ir.Task, item: dict[str, Any]) -> tuple[Any, ...] | None:
    s, e = item.get("start"), item.get("end")
    if isinstance(s, int) and isinstance(e, int) and s < e:
        return (s, e)
    return None


TASK_TYPE = Spans()
