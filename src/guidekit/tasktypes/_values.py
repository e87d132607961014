"""Value checks shared by several task types: problems, labels, attributes, region ids.

Every check yields :class:`Problem` records with a stable ``kind`` (``"label.unknown"``, ...), a
JSON pointer relative to the task's value and a message; callers map kinds to their codes.
:mod:`guidekit.record.values` dispatches to each type's ``check_value`` hook, whose code sits in
the type's module and uses the helpers here.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

from guidekit.diagnostics.pointer import escape as esc

if TYPE_CHECKING:
    from guidekit import ir


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str
    pointer: str
    message: str
    warning: bool = False


def is_num(v: Any) -> TypeGuard[float]:
    """A finite number (``bool`` excluded)."""
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:  # an integer beyond the range of a float
        return False


def type_name(v: Any) -> str:
    if v is None:
        return "null"
    return {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "text",
        list: "list",
        dict: "object",
    }.get(type(v), type(v).__name__)


def image_size(
    task: ir.Task, record: Mapping[str, Any] | None, fields: Mapping[str, ir.InputField]
) -> tuple[float, float] | None:
    """Width and height of the image a region task draws on, when known."""
    spec = fields.get(task.over or "")
    value = record.get(task.over or "") if record is not None else None
    if isinstance(value, dict):
        w, h = value.get("width"), value.get("height")
        if is_num(w) and is_num(h) and w > 0 and h > 0:
            return float(w), float(h)
    if spec is not None and spec.width and spec.height:
        return float(spec.width), float(spec.height)
    return None


# -- labels ------------------------------------------------------------------------------------


def check_label(task: ir.Task, label: Any, pointer: str) -> Iterator[Problem]:
    if not isinstance(label, str):
        yield Problem("value.type", pointer, f"expected a class id, found {type_name(label)}")
        return
    cid = task.resolve_label(label)
    if cid is None:
        yield Problem("label.unknown", pointer, f"'{label}' is not a class of task '{task.id}'")
        return
    cls = task[cid]
    if cid != label and not _same_id(label, cid):
        yield Problem("label.alias", pointer, f"'{label}' is an alias; write '{cid}'", warning=True)
    if task.task_type.leaf_labels_only(task) and not cls.is_leaf:
        yield Problem(
            "label.not_leaf",
            pointer,
            f"'{cid}' has subclasses ({', '.join(cls.children)}); use one of them",
        )
    if cls.deprecated:
        instead = (
            f"; use {' or '.join(repr(r) for r in cls.replaced_by)}" if cls.replaced_by else ""
        )
        yield Problem("label.deprecated", pointer, f"'{cid}' is deprecated{instead}", warning=True)


def _same_id(label: str, cid: str) -> bool:
    """``label`` is ``cid`` in another Unicode normalisation form (NFD ``café``): the same
    id, matched in NFC (:meth:`guidekit.ir.Task.resolve_label`), not an alias."""
    return not label.isascii() and unicodedata.normalize("NFC", label) == cid


def check_label_item(task: ir.Task, item: Any, pointer: str) -> Iterator[Problem]:
    """A classification label: ``"id"`` or ``{label: id, attributes: {...}}``."""
    if isinstance(item, dict):
        extra = set(item) - {"label", "attributes"}
        for key in sorted(extra):
            yield Problem("value.unknown_key", f"{pointer}/{esc(key)}", f"unknown key '{key}'")
        if "label" not in item:
            yield Problem("value.missing", f"{pointer}/label", "missing 'label'")
            return
        yield from check_label(task, item["label"], f"{pointer}/label")
        if isinstance(item["label"], str):
            cid = task.resolve_label(item["label"])
            if cid is not None:
                yield from check_attributes(
                    task, cid, item.get("attributes"), f"{pointer}/attributes"
                )
        return
    yield from check_label(task, item, pointer)
    if isinstance(item, str):
        cid = task.resolve_label(item)
        if cid is not None:
            yield from check_attributes(task, cid, None, f"{pointer}/attributes")


# -- attributes --------------------------------------------------------------------------------


def applies(
    task: ir.Task,
    cid: str,
    attr: ir.Attribute,
    given: Mapping[str, Any],
    defs: Mapping[str, ir.Attribute],
) -> bool:
    cond = attr.when
    if cond is None:
        return True
    if cond.classes is not None and not any(task.is_a(cid, c) for c in cond.classes):
        return False
    if cond.attribute is not None:
        other = given.get(cond.attribute)
        if other is None and cond.attribute in defs:
            other = defs[cond.attribute].default
        if cond.values is not None and other not in cond.values:
            return False
        if cond.values is None and (other is None or other is False):
            return False
    return True


def check_attributes(task: ir.Task, cid: str, given: Any, pointer: str) -> Iterator[Problem]:
    defs = task.attributes_for(cid)
    if given is None:
        given = {}
    if not isinstance(given, dict):
        yield Problem(
            "value.type", pointer, f"attributes must be an object, found {type_name(given)}"
        )
        return
    for name, value in given.items():
        ptr = f"{pointer}/{esc(name)}"
        attr = defs.get(name)
        if attr is None:
            yield Problem("attribute.unknown", ptr, f"'{name}' is not an attribute of '{cid}'")
            continue
        if not applies(task, cid, attr, given, defs):
            yield Problem(
                "attribute.not_applicable",
                ptr,
                f"attribute '{name}' does not apply here (it applies only when {cond_text(attr)})",
            )
            continue
        yield from attribute_value(attr, value, ptr)
    for name, attr in defs.items():
        if (
            attr.required
            and attr.default is None
            and name not in given
            and applies(task, cid, attr, given, defs)
        ):
            why = f" when {cond_text(attr)}" if attr.when else ""
            yield Problem(
                "attribute.missing", pointer, f"attribute '{name}' is required for '{cid}'{why}"
            )


def cond_text(attr: ir.Attribute) -> str:
    c = attr.when
    if c is None:
        return "always"
    parts = []
    if c.attribute is not None:
        if c.values is None:
            parts.append(f"'{c.attribute}' is set")
        elif len(c.values) == 1:
            parts.append(f"'{c.attribute}' is {c.values[0]!r}")
        else:
            parts.append(f"'{c.attribute}' is one of {', '.join(map(repr, c.values))}")
    if c.classes is not None:
        parts.append(f"the class is {' or '.join(c.classes)}")
    return " and ".join(parts)


def attribute_value(attr: ir.Attribute, value: Any, ptr: str) -> Iterator[Problem]:
    t = attr.type
    if t == "enum":
        if value not in attr.values or isinstance(value, bool):
            allowed = ", ".join(repr(v) for v in attr.values)
            yield Problem("attribute.value", ptr, f"{value!r} is not one of {allowed}")
        return
    if t == "boolean":
        if not isinstance(value, bool):
            yield Problem(
                "attribute.type", ptr, f"expected true or false, found {type_name(value)}"
            )
        return
    if t == "text":
        if not isinstance(value, str):
            yield Problem("attribute.type", ptr, f"expected text, found {type_name(value)}")
        return
    if not is_num(value) or (t == "integer" and not float(value).is_integer()):
        want = "an integer" if t == "integer" else "a number"
        yield Problem("attribute.type", ptr, f"expected {want}, found {type_name(value)}")
        return
    if attr.min is not None and value < attr.min:
        yield Problem("attribute.value", ptr, f"{value} is below the minimum {attr.min:g}")
    if attr.max is not None and value > attr.max:
        yield Problem("attribute.value", ptr, f"{value} is above the maximum {attr.max:g}")


# -- regions ------------------------------------------------------------------------------------


def region_list(value: Any) -> Iterator[Problem]:
    if not isinstance(value, list):
        yield Problem("value.type", "", f"expected a list, found {type_name(value)}")


def region_id(region: Mapping[str, Any], ids: set[str], ptr: str) -> Iterator[Problem]:
    rid = region.get("id")
    if rid is None:
        return
    if not isinstance(rid, (str, int)) or isinstance(rid, bool):
        yield Problem("value.type", f"{ptr}/id", "a region id must be text or an integer")
    elif str(rid) in ids:
        yield Problem("region.duplicate_id", f"{ptr}/id", f"region id {rid!r} is used twice")
    else:
        ids.add(str(rid))


def inside(x: float, y: float, bounds: tuple[float, float] | None, tol: float) -> bool:
    if bounds is None:
        return True
    return -tol <= x <= bounds[0] + tol and -tol <= y <= bounds[1] + tol
