"""The ``spans`` task type: labelled character spans of a text field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidekit.tasktypes._delivery_fast import (
    region_labels,
    region_list,
    value_present,
)
from guidekit.tasktypes._generators_schema import (
    MODEL_REGION_ID,
    REGION_ID,
    model_region_list,
    schema_region_list,
)
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._delivery_fast import FastGen
    from guidekit.tasktypes._generators_schema import SchemaGen


class Spans(TaskType):
    name = "spans"
    summary = "Labelled character spans of a text field."
    region = True
    over_field_types = ("text",)

    # -- format and lowering (compiler) ----------------------------------------------------

    # -- record values (record checks) -----------------------------------------------------

    # -- delivery (fast path, conditions) --------------------------------------------------

    def bounds_need(self, task: ir.Task) -> str | None:
        return "text"

    def cond_labels(self, task: ir.Task, v: str, bare: bool, once: bool) -> str:
        return region_labels(v, once)

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        return region_list(task, item)

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

    # -- quality (agreement, gold) ---------------------------------------------------------

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------


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


TASK_TYPE = Spans()
