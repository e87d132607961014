"""The ``text`` task type: a free-text answer."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit import ir
from guidekit.tasktypes import _quality_values as V
from guidekit.tasktypes._bridge_maps import LabelStudioMap
from guidekit.tasktypes._handbook_page import Markup
from guidekit.tasktypes._values import Problem, type_name
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._generators_schema import SchemaGen
    from guidekit.tasktypes._quality_values import Converter


class Text(TaskType):
    name = "text"
    summary = "A free-text answer."
    has_classes = False

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"equals"})
    agreement_metrics = frozenset({"percent_agreement"})

    # -- record values (record checks) -----------------------------------------------------

    def check_value(
        self,
        guideline: ir.Guideline,
        task: ir.Task,
        value: Any,
        record: Mapping[str, Any] | None,
        annotations: Mapping[str, Any],
    ) -> Iterator[Problem]:
        if not isinstance(value, str):
            yield Problem("value.type", "", f"expected text, found {type_name(value)}")
        else:
            if task.min_length is not None and len(value) < task.min_length:
                yield Problem(
                    "value.range",
                    "",
                    f"text is {len(value)} characters, shorter than the minimum {task.min_length}",
                )
            if task.max_length is not None and len(value) > task.max_length:
                yield Problem(
                    "value.range",
                    "",
                    f"text is {len(value)} characters, longer than the maximum {task.max_length}",
                )

    # -- delivery (fast path, conditions) --------------------------------------------------

    def csv_cell(self, value: str) -> Any:
        return value

    def cond_labels(self, task: ir.Task, v: str, bare: bool, once: bool) -> str:
        return f"([] if ({v}) is None else [({v})])"

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        meta = []
        if task.min_length is not None:
            meta.append(f"min_length={task.min_length}")
        if task.max_length is not None:
            meta.append(f"max_length={task.max_length}")
        return f"Annotated[str, Meta({', '.join(meta)})]" if meta else "str"

    # -- generators (JSON Schema, models) --------------------------------------------------

    def schema_value(self, task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
        out = {**head, "type": "string"}
        if task.min_length is not None:
            out["minLength"] = task.min_length
        if task.max_length is not None:
            out["maxLength"] = task.max_length
        return out

    def model_value(self, task: ir.Task, item: str) -> str:
        meta = []
        if task.min_length is not None:
            meta.append(f"min_length={task.min_length}")
        if task.max_length is not None:
            meta.append(f"max_length={task.max_length}")
        return f"Annotated[StrictStr, Field({', '.join(meta)})]" if meta else "StrictStr"

    # -- handbook --------------------------------------------------------------------------
    def handbook_kind(self) -> str:
        return "free text"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        bounds = []
        if task.min_length is not None:
            bounds.append(f"at least {task.min_length} characters")
        if task.max_length is not None:
            bounds.append(f"at most {task.max_length} characters")
        return "Write a free-text answer" + (f" ({', '.join(bounds)})." if bounds else ".")

    # -- quality (agreement, gold) ---------------------------------------------------------

    def quality_values(self, task: ir.Task, missing: object) -> Converter:
        return V.folded_text(missing)

    def agreement_kind(self) -> str | None:
        return "text"

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    def labelstudio_results(self) -> tuple[str, ...]:
        return ("textarea",)

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("textarea")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        return "text", {"use_markdown": False}


TASK_TYPE = Text()
