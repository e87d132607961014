"""The ``multi`` task type: any number of classes per record."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from guidekit import ir
from guidekit.tasktypes import _quality_values as V
from guidekit.tasktypes._bridge_maps import (
    CLASSIFICATION_RESULTS,
    CvatMap,
    LabelStudioMap,
    argilla_labels,
)
from guidekit.tasktypes._delivery_fast import value_present
from guidekit.tasktypes._format import ConfigFinding, Report
from guidekit.tasktypes._generators_schema import model_label_list, schema_label_list
from guidekit.tasktypes._handbook_page import Markup
from guidekit.tasktypes._values import Problem, check_label_item, type_name
from guidekit.tasktypes.base import TaskType

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.tasktypes._delivery_fast import FastGen
    from guidekit.tasktypes._generators_schema import SchemaGen
    from guidekit.tasktypes._quality_values import Converter


class Multi(TaskType):
    name = "multi"
    summary = "Any number of classes per record."
    classification = True

    # -- format and lowering (compiler) ----------------------------------------------------

    condition_keys = frozenset({"has", "has_any", "count"})
    agreement_metrics = frozenset(
        {"krippendorff_alpha", "fleiss_kappa", "cohen_kappa", "percent_agreement", "masi"}
    )
    gold_scores = True

    def check_config(self, guideline: ir.Guideline, task: ir.Task) -> Iterator[ConfigFinding]:
        if (
            task.min_labels is not None
            and task.max_labels is not None
            and task.min_labels > task.max_labels
        ):
            yield ConfigFinding(
                "GK310", f"task '{task.id}': min_labels is above max_labels", task.loc
            )

    def canonical_value(
        self,
        task: ir.Task,
        value: Any,
        default_label: Any,
        record: Mapping[str, Any],
        report: Report,
    ) -> Any:
        if value is None and default_label is not None:
            return list(default_label) if isinstance(default_label, list) else [default_label]
        return value

    # -- record values (record checks) -----------------------------------------------------

    def check_value(
        self,
        guideline: ir.Guideline,
        task: ir.Task,
        value: Any,
        record: Mapping[str, Any] | None,
        annotations: Mapping[str, Any],
    ) -> Iterator[Problem]:
        if not isinstance(value, list):
            yield Problem(
                "value.type", "", f"expected a list of class ids, found {type_name(value)}"
            )
            return
        seen: set[str] = set()
        for i, item in enumerate(value):
            yield from check_label_item(task, item, f"/{i}")
            label = item.get("label") if isinstance(item, dict) else item
            if isinstance(label, str):
                if label in seen:
                    yield Problem("label.duplicate", f"/{i}", f"'{label}' is listed twice")
                seen.add(label)
        if task.min_labels is not None and len(value) < task.min_labels:
            yield Problem(
                "label.cardinality",
                "",
                f"{len(value)} labels, fewer than the minimum {task.min_labels}",
            )
        if task.max_labels is not None and len(value) > task.max_labels:
            yield Problem(
                "label.cardinality",
                "",
                f"{len(value)} labels, more than the maximum {task.max_labels}",
            )

    # -- delivery (fast path, conditions) --------------------------------------------------

    def cond_labels(self, task: ir.Task, v: str, bare: bool, once: bool) -> str:
        if bare:
            return f"(() if ({v}) is None else ({v}))" if once else f"({v} or [])"
        return (
            f"([] if ({v}) is None else [_x if _x.__class__ is str else _x.label for _x in ({v})])"
        )

    def fast_value_type(self, task: ir.Task, item: str) -> str:
        meta = []
        if task.min_labels is not None:
            meta.append(f"min_length={task.min_labels}")
        if task.max_labels is not None:
            meta.append(f"max_length={task.max_labels}")
        inner = f"list[{item}]"
        return f"Annotated[{inner}, Meta({', '.join(meta)})]" if meta else inner

    def fast_check(self, task: ir.Task, gen: FastGen) -> None:
        s = gen.src
        with value_present(gen, task):
            s("labs = [x if x.__class__ is str else x.label for x in v]")
            s("if len(set(labs)) != len(labs): return False")
            if gen.conditional.get(task.id):
                s("for x in v:")
                with s.indent():
                    s("if x.__class__ is not str:")
                    with s.indent():
                        gen.attrs_call(task, "x")

    # -- generators (JSON Schema, models) --------------------------------------------------

    def schema_value(self, task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
        return schema_label_list(task, head, gen)

    def model_value(self, task: ir.Task, item: str) -> str:
        return model_label_list(task, item)

    def model_item_kind(self) -> str:
        return "label"

    # -- handbook --------------------------------------------------------------------------
    def handbook_kind(self) -> str:
        return "multiple choice"

    def handbook_instruction(self, g: ir.Guideline, task: ir.Task, text: Markup) -> str | None:
        lo, hi = task.min_labels, task.max_labels
        bounds = []
        if lo:
            bounds.append(f"at least {lo}")
        if hi:
            bounds.append(f"at most {hi}")
        return "Choose every class that applies" + (
            f" ({' and '.join(bounds)})." if bounds else "."
        )

    # -- quality (agreement, gold) ---------------------------------------------------------

    def quality_values(self, task: ir.Task, missing: object) -> Converter:
        return V.label_set(task, V.index_of(self.quality_labels(task)), missing)

    def agreement_kind(self) -> str | None:
        return "sets"

    def gold_kind(self) -> str | None:
        return "sets"

    def revision_summary(self, labels: Sequence[str]) -> str | None:
        return "[" + ", ".join(labels) + "]"

    # -- versioning (diff, migration) ------------------------------------------------------

    def migration_merges(self) -> bool:
        return True

    # -- bridges (tool configs, readers, writers) ------------------------------------------

    many_labels = True

    def labelstudio_results(self) -> tuple[str, ...]:
        return CLASSIFICATION_RESULTS

    def labelstudio(self) -> LabelStudioMap:
        return LabelStudioMap("choices", choice="multiple")

    def cvat(self) -> CvatMap:
        return CvatMap("tag", "tag")

    def argilla(self, task: ir.Task) -> tuple[str, dict[str, Any]]:
        return "multi_label_selection", {**argilla_labels(task), "options_order": "natural"}


TASK_TYPE = Multi()
