"""What the delivery fast path offers the task types, and code several types share.

The fast path (:mod:`guidekit.delivery._codegen`) writes Python source from the IR; each task
type emits its own part through the generator described by :class:`FastGen` and the rule
condition compiler described by :class:`CondContext`. The helpers below emit what several
types have in common (a value guard, a list of regions, the loop over regions on an image).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

import orjson

from guidekit import ir


class Emit(Protocol):
    """Appends source lines at the current indentation."""

    def __call__(self, line: str) -> None: ...

    def indent(self) -> AbstractContextManager[None]: ...


class FastGen(Protocol):
    """The fast-path generator, as the task types see it."""

    @property
    def src(self) -> Emit: ...

    @property
    def g(self) -> ir.Guideline: ...

    @property
    def lay(self) -> Any:  # guidekit.record.layout.Layout
        ...

    @property
    def fields(self) -> dict[str, str]:
        """Record key -> attribute of the decoded record (``r.<attribute>``)."""
        ...

    @property
    def nc_spans(self) -> set[str]:
        """Tasks whose span bounds may go unchecked (the body sets ``ncs``)."""
        ...

    @property
    def nc_image(self) -> set[str]:
        """Tasks whose image bounds may go unchecked (the body sets ``nci``)."""
        ...

    @property
    def conditional(self) -> dict[str, bool]:
        """Task -> some class has conditional attributes (their structs have ``cond``)."""
        ...

    def const(self, value: Any, prefix: str) -> str:
        """Registers a constant of the generated module; returns its name."""
        ...

    def attrs_call(self, task: ir.Task, item: str) -> None:
        """Emits the check of the conditional attributes of ``item``'s class."""
        ...

    def ids_check(self, guarded: bool = False) -> None:
        """Emits the check that the region ids of ``v`` are unique."""
        ...

    def image_size(self, task: ir.Task) -> None:
        """Emits code setting ``W``, ``H`` (``None`` when unknown)."""
        ...


class CondContext(Protocol):
    """The rule condition compiler, as the task types see it."""

    def const(self, value: Any, prefix: str) -> str: ...

    def label(self, task: ir.Task, v: str) -> str:
        """Expression of the label of single-label value ``v`` (``None`` when absent)."""
        ...


@contextmanager
def value_present(gen: FastGen, task: ir.Task) -> Iterator[None]:
    """``v = <the task's value>`` and, indented, what runs when it is not ``None``."""
    s = gen.src
    s(f"v = r.{gen.fields[task.id]}")
    s("if v is not None:")
    with s.indent():
        yield


def fast_region_list(task: ir.Task, item: str, min_one: bool = True) -> str:
    """msgspec annotation of a list of regions (at least one unless ``allow_empty``)."""
    inner = f"list[{item}]"
    if min_one and not task.allow_empty:
        return f"Annotated[{inner}, Meta(min_length=1)]"
    return inner


def region_labels(v: str, once: bool) -> str:
    """Rule-condition expression of the labels of a list of regions."""
    if once:
        return f"(() if ({v}) is None else map(_GETLABEL, {v}))"
    return f"([] if ({v}) is None else [_x.label for _x in ({v})])"


def image_bounds_need(task: ir.Task) -> str | None:
    """Regions on an image in pixels need the image's size."""
    return "image" if task.coordinates.units == "pixels" else None


def image_check(
    gen: FastGen,
    task: ir.Task,
    per_item: Callable[[], None],
    before: Callable[[], None] | None = None,
) -> None:
    """The loop over regions on an image: ``B`` is the bound (``None`` when unknown),
    ``per_item`` emits the checks of one region ``x``."""
    s, c = gen.src, task.coordinates
    gen.image_size(task)
    if c.units == "normalized":
        s("B = (1.0, 1.0)")
    else:
        s("B = None if W is None else (W, H)")
        if task.id in gen.nc_image:
            if gen.g.delivery.image_size == "required":
                s("if W is None and v: return False")  # GK549 in the full checker
            else:
                s("if W is None and v: nci = 1")
    if before is not None:
        before()
    s("for x in v:")
    with s.indent():
        per_item()
        gen.attrs_call(task, "x")
    gen.ids_check()


def number_cell(value: str) -> Any:
    """A CSV cell holding a number (left as text when it is not one)."""
    try:
        out = orjson.loads(value)
    except orjson.JSONDecodeError:
        return value
    return out if isinstance(out, (int, float)) and not isinstance(out, bool) else value


def boolean_cell(value: str) -> Any:
    """A CSV cell holding ``true`` or ``false`` (left as text otherwise)."""
    return {"true": True, "false": False}.get(value.lower(), value)


def text_cell(value: str) -> Any:
    """A CSV cell taken as it is."""
    return value


# -- one label per value (single, ordinal) ---------------------------------------------------


def one_label_labels(v: str, bare: bool) -> str:
    """Rule-condition expression of the labels of a one-label value."""
    if bare:
        return f"([] if ({v}) is None else [{v}])"
    return f"([] if ({v}) is None else [({v}) if ({v}).__class__ is str else ({v}).label])"


def one_label_rank(task: ir.Task, v: str, cc: CondContext) -> str:
    """Rank of a one-label value: its class's index."""
    ranks = {cls.id: float(cls.index) for cls in task.classes}
    return f"{cc.const(ranks, 'RANK')}.get({cc.label(task, v)})"


def one_label_check(gen: FastGen, task: ir.Task) -> None:
    """A label object's conditional attributes (bare labels need no check)."""
    if not gen.conditional.get(task.id):
        return
    s = gen.src
    s(f"v = r.{gen.fields[task.id]}")
    s("if v is not None and v.__class__ is not str:")
    with s.indent():
        gen.attrs_call(task, "v")
