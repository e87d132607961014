"""The ``number`` task type: a numeric answer."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from guidekit import ir
from guidekit.tasktypes import _quality_values as V
from guidekit.tasktypes._bridge_maps import LabelStudioMap
from guidekit.tasktypes._delivery_fast import number_cell
from guidekit.tasktypes._format import ConfigFinding
from guidekit.tasktypes._generators_schema import model_num, schema_num
from guidekit.tasktypes._handbook_page import Markup
from guidekit.tasktypes._values import Problem, is_num, type_name
from guidekit.tasktypes.base import NotRepresentable, TaskType
from guidekit.tasktypes.numbers import number_type

if TYPE_CHECKING:
    from guidekit import ir

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._delivery_fast import CondContext
    from guidekit.tasktypes._generators_schema import SchemaGen
    from guidekit.tasktypes._quality_values import Converter


class Number(TaskType):
    name = "number"
    summary = "A numeric answer."
    has_classes = False

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"at_least", "at_most", "equals"})
    agreement_metrics = frozenset({"krippendorff_alpha", "percent_agreement"})

    def check_config(self, guideline: ir.Guideline, task: ir.Task) -> Iterator[ConfigFinding]:
        if task.min is not None and task.max is not None and task.min > task.max:
            yield ConfigFinding(
                "GK310", f"task '{task.id}': min {task.min:g} is above max {task.max:g}", task.loc
            )

    # -- record values (record checks) -----------------------------------------------------

    def check_value(
        self,
        guideline: ir.Guideline,
        task: ir.Task,
        value: Any,
        record: Mapping[str, Any] | None,
        annotations: Mapping[str, Any],
    ) -> Iterator[Problem]:
        if not is_num(value):
            yield Problem("value.type", "", f"expected a number, found {type_name(value)}")
        else:
            if task.integer and not float(value).is_integer():
                yield Problem("value.type", "", f"expected a whole number, found {value}")
            if task.min is not None and value < task.min:
                yield Problem("value.range", "", f"{value} is below the minimum {task.min:g}")
            if task.max is not None and value > task.max:
                yield Problem("value.range", "", f"{value} is above the maximum {task.max:g}")

    # -- delivery (fast path, conditions) --------------------------------------------------

    def csv_cell(self, value: str) -> Any:
        return number_cell(value)

    def cond_rank(self, task: ir.Task, v: str, cc: CondContext) -> str | None:
        return f"(None if ({v}) is None else float({v}))"

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        return number_type(task.integer, task.min, task.max)

    # -- generators (JSON Schema, models) --------------------------------------------------

    def schema_value(self, task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
        out = {**head, "type": "integer" if task.integer else "number"}
        if task.unit:
            out["description"] = f"In {task.unit}."
        if task.min is not None:
            out["minimum"] = schema_num(task.min)
        if task.max is not None:
            out["maximum"] = schema_num(task.max)
        return out

    def model_value(self, task: ir.Task, item: str) -> str:
        meta = []
        if task.min is not None:
            meta.append(f"ge={model_num(task.min)}")
        if task.max is not None:
            meta.append(f"le={model_num(task.max)}")
        base = "StrictInt" if task.integer else "float"
        return f"Annotated[{base}, Field({', '.join(meta)})]" if meta else base

    # -- handbook --------------------------------------------------------------------------
    def handbook_kind(self) -> str:
        return "number"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        bounds = []
        if task.min is not None:
            bounds.append(f"at least {task.min:g}")
        if task.max is not None:
            bounds.append(f"at most {task.max:g}")
        kind = "a whole number" if task.integer else "a number"
        unit = f" in {text.plain(task.unit)}" if task.unit else ""
        return f"Give {kind}{unit}" + (f" ({', '.join(bounds)})." if bounds else ".")

    # -- quality (agreement, gold) ---------------------------------------------------------

    def quality_values(self, task: ir.Task, missing: object) -> Converter:
        return V.number(missing)

    def agreement_kind(self) -> str | None:
        return "numbers"

    def agreement_level(self) -> str:
        return "interval"

    # -- versioning (diff, migration) ------------------------------------------------------

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    def labelstudio_results(self) -> tuple[str, ...]:
        return ("number", "rating")

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("number")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        lo, hi = task.min, task.max
        if not (task.integer and lo is not None and hi is not None and lo >= 0 and hi <= 10):
            raise NotRepresentable("rating questions hold whole numbers 0..10 only")
        return "rating", {"options": [{"value": v} for v in range(int(lo), int(hi) + 1)]}


TASK_TYPE = Number()
