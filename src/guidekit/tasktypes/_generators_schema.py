"""What the JSON Schema and model generators offer the task types, and shared fragments.

:mod:`guidekit.generators.jsonschema` and :mod:`guidekit.generators.models` ask each task
type for the schema and the pydantic annotation of its values; the pieces several types
share (lists of labels or regions, the region id) are here.
"""

from __future__ import annotations

from typing import Any, Protocol

from guidekit import ir

#: JSON Schema of a region's optional id
REGION_ID: dict[str, Any] = {
    "type": ["string", "integer", "null"],
    "description": "Region id, unique in the list; relations refer to it.",
}

#: the pydantic field of a region's optional id
MODEL_REGION_ID = "    id: Union[StrictStr, StrictInt, None] = None"


class SchemaGen(Protocol):
    """The JSON Schema builder, as the task types see it."""

    def label_value(self, task: ir.Task) -> dict[str, Any]:
        """A classification label: a bare label, or ``{label, attributes}``."""
        ...

    def region(self, task: ir.Task) -> dict[str, Any]:
        """One region object of ``task`` (its label, fields and attributes)."""
        ...


def schema_num(v: float) -> int | float:
    """A bound as JSON: integral values as integers."""
    return int(v) if float(v).is_integer() else v


def model_num(v: float) -> str:
    """A bound as Python source: integral values as integers."""
    return repr(int(v)) if float(v).is_integer() else repr(v)


def schema_label_list(task: ir.Task, head: dict[str, Any], gen: SchemaGen) -> dict[str, Any]:
    """A list of classification labels, with the task's label counts."""
    out: dict[str, Any] = {**head, "type": "array", "items": gen.label_value(task)}
    if task.min_labels is not None:
        out["minItems"] = task.min_labels
    if task.max_labels is not None:
        out["maxItems"] = task.max_labels
    return out


def schema_region_list(
    task: ir.Task, head: dict[str, Any], gen: SchemaGen, min_one: bool = True
) -> dict[str, Any]:
    """A list of regions (at least one unless ``allow_empty``)."""
    out = {**head, "type": "array", "items": gen.region(task)}
    if min_one and not task.allow_empty:
        out["minItems"] = 1
    return out


def model_label_list(task: ir.Task, item: str) -> str:
    """pydantic annotation of a list of classification labels."""
    meta = []
    if task.min_labels is not None:
        meta.append(f"min_length={task.min_labels}")
    if task.max_labels is not None:
        meta.append(f"max_length={task.max_labels}")
    inner = f"list[{item}]"
    return f"Annotated[{inner}, Field({', '.join(meta)})]" if meta else inner


def model_region_list(task: ir.Task, item: str, min_one: bool = True) -> str:
    """pydantic annotation of a list of regions (at least one unless ``allow_empty``)."""
    inner = f"list[{item}]"
    if min_one and not task.allow_empty:
        return f"Annotated[{inner}, Field(min_length=1)]"
    return inner
