"""Differences of the attributes of a task or a class."""

from __future__ import annotations

from collections.abc import Mapping

from guidekit import ir
from guidekit.versioning._emit import Scope, canonical, code

RANGE = ("attribute-range-narrowed", "attribute-range-widened")


def diff_attributes(
    s: Scope, old: Mapping[str, ir.Attribute], new: Mapping[str, ir.Attribute], on: str
) -> None:
    s = s.sub("attribute")
    for name, b in new.items():
        a = old.get(name)
        at = s.sub(name=name, loc=b.loc or s.context.get("loc"))
        if a is None:
            required = b.required and b.default is None
            rule = "attribute-added-required" if required else "attribute-added"
            extra = " as required" if required else ""
            at.add(rule, "added", f"attribute `{name}` added to {on}{extra}", new=b.description)
            continue
        _attribute(at, a, b, f"attribute `{name}` of {on}")
    for name in old:
        if name not in new:
            s.sub(name=name).add(
                "attribute-removed", "removed", f"attribute `{name}` removed from {on}"
            )


def _attribute(s: Scope, a: ir.Attribute, b: ir.Attribute, what: str) -> None:
    if a.type != b.type:
        s.value("attribute-type-changed", f"type of {what}", a.type, b.type)
    else:
        gone = [v for v in a.values if v not in b.values]
        came = [v for v in b.values if v not in a.values]
        if gone:
            s.add(
                "attribute-values-narrowed", "changed", f"values {code(gone)} removed from {what}"
            )
        if came:
            s.add("attribute-values-widened", "changed", f"values {code(came)} added to {what}")
        if [v for v in a.values if v in b.values] != [v for v in b.values if v in a.values]:
            s.add("attribute-values-reordered", "changed", f"values of {what} reordered")
    required_a = a.required and a.default is None
    required_b = b.required and b.default is None
    if required_a != required_b:
        rule = "attribute-required" if required_b else "attribute-optional"
        s.add(rule, "changed", f"{what} made {'required' if required_b else 'optional'}")
    s.value("attribute-default-changed", f"default of {what}", a.default, b.default)
    s.bound(f"`min` of {what}", a.min, b.min, higher_is_stricter=True, rules=RANGE)
    s.bound(f"`max` of {what}", a.max, b.max, higher_is_stricter=False, rules=RANGE)
    if canonical(a.when) != canonical(b.when):
        s.add(
            "attribute-condition-changed",
            "changed",
            f"condition of {what} changed",
            old=_when(a.when),
            new=_when(b.when),
        )
    s.text("attribute-text-changed", f"description of {what}", a.description, b.description)
    for value in sorted({*a.value_descriptions, *b.value_descriptions}, key=str):
        x, y = a.value_descriptions.get(value), b.value_descriptions.get(value)
        s.text("attribute-text-changed", f"meaning of value `{value}` of {what}", x, y)


def _when(w: ir.AttributeCondition | None) -> str:
    if w is None:
        return "always"
    parts = []
    if w.attribute is not None:
        parts.append(f"{w.attribute} in {list(w.values or ())}")
    if w.classes is not None:
        parts.append(f"class in {list(w.classes)}")
    return " and ".join(parts) or "always"
