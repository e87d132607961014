"""Static facts about task values, shared by the validators and the generators.

Which strings are valid labels of a task, and which attributes a label may or must carry:
computed once from the IR, so that the JSON Schema, the pydantic models and the fast path
state exactly what :mod:`guidekit.record.values` checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guidekit import ir


@dataclass(frozen=True)
class Conditional:
    """An attribute that applies only when another attribute has some value.

    It applies when the other attribute's effective value (the given value, or its default
    when it is absent or null) is one of ``values`` (or, with ``values=None``, is set and not
    ``false``). ``default_applies`` is whether the default alone makes it apply.
    """

    name: str
    other: str
    values: tuple[Any, ...] | None
    default_applies: bool
    required: bool
    other_default: Any = None


@dataclass(frozen=True)
class Profile:
    """The attributes of one class of a task."""

    attrs: dict[str, ir.Attribute]  # may be given (class conditions already applied)
    required: tuple[str, ...]  # must be given, whatever the other attributes say
    conditional: tuple[Conditional, ...]

    @property
    def needs_attributes(self) -> bool:
        """A bare label (no attributes at all) would miss a required attribute."""
        return bool(self.required) or any(
            c.required and c.default_applies for c in self.conditional
        )

    @property
    def empty(self) -> bool:
        return not self.attrs

    def key(self) -> tuple[Any, ...]:
        """Equal for classes whose attribute rules are the same."""
        return (
            tuple((n, _attr_key(a)) for n, a in self.attrs.items()),
            self.required,
            self.conditional,
        )


def _attr_key(a: ir.Attribute) -> tuple[Any, ...]:
    return (a.type, a.values, a.required, a.default, a.min, a.max, a.description)


def effective_applies(values: tuple[Any, ...] | None, other: Any) -> bool:
    """The attribute condition on the other attribute's effective value (as ``values.py``)."""
    if values is not None:
        return other in values
    return not (other is None or other is False)


def profile(task: ir.Task, cid: str) -> Profile:
    defs = task.attributes_for(cid)
    attrs: dict[str, ir.Attribute] = {}
    required: list[str] = []
    conditional: list[Conditional] = []
    for name, a in defs.items():
        w = a.when
        if (
            w is not None
            and w.classes is not None
            and not any(task.is_a(cid, c) for c in w.classes)
        ):
            continue
        attrs[name] = a
        must = a.required and a.default is None
        if w is None or w.attribute is None:
            if must:
                required.append(name)
            continue
        other = defs.get(w.attribute)
        default = other.default if other is not None else None
        conditional.append(
            Conditional(
                name=name,
                other=w.attribute,
                values=w.values,
                default_applies=effective_applies(w.values, default),
                required=must,
                other_default=default,
            )
        )
    return Profile(attrs, tuple(required), tuple(conditional))


def valid_labels(task: ir.Task) -> list[tuple[str, str]]:
    """``(label, class id)`` for every string a delivery may use as a label without an
    error: the usable classes (leaves under ``leaf_only``) and their aliases, in class order.
    Deprecated classes and aliases are included (they get warnings, not errors)."""
    usable = set(task.labels())
    out: list[tuple[str, str]] = []
    for c in task.classes:
        if c.id in usable:
            out.append((c.id, c.id))
    for c in task.classes:
        if c.id in usable:
            for alias in c.aliases:
                if task.resolve_label(alias) == c.id:
                    out.append((alias, c.id))
    return out


def clean_labels(task: ir.Task) -> list[str]:
    """Labels that draw no diagnostic at all: usable, not deprecated, written as the id."""
    usable = set(task.labels())
    return [c.id for c in task.classes if c.id in usable and not c.deprecated]


def skeleton_names(task: ir.Task, cid: str | None) -> tuple[str, ...] | None:
    skeleton = task.skeleton_for(cid) if cid else task.skeleton
    return tuple(skeleton.points) if skeleton else None
