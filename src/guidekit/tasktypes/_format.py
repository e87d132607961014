"""Shared pieces of the task types' format and lowering hooks (compiler stage).

A type's configuration checks yield :class:`ConfigFinding` records (plain data: a code, a
message, where, a hint); :mod:`guidekit.compiler.checks` turns them into diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from guidekit.diagnostics.model import Location

if TYPE_CHECKING:
    from guidekit import ir

#: ``(path below the value, message, hint)``: a value lowering could not make canonical
Report = Callable[[tuple[str | int, ...], str, "str | None"], None]


@dataclass(frozen=True, slots=True)
class ConfigFinding:
    """A problem of a task's configuration: the compiler reports it as ``code`` at ``loc``."""

    code: str
    message: str
    loc: Location | None
    hint: str | None = None


def article(word: str) -> str:
    """``word`` with its indefinite article: ``an image``, ``a text``."""
    return ("an " if word[:1] in "aeiou" else "a ") + word


def check_image_over(guideline: ir.Guideline, task: ir.Task) -> Iterator[ConfigFinding]:
    """An image region task is drawn ``over`` an image field of the record."""
    fields = guideline.record.fields
    loc = task.loc
    f = fields.get(task.over or "")
    if task.over is None:
        images = [n for n, fl in fields.items() if fl.type == "image"]
        yield ConfigFinding(
            "GK310",
            f"{task.type} task '{task.id}' needs `over:` naming an image field",
            loc,
            f"image fields: {', '.join(images)}" if images else None,
        )
    elif f is None:
        yield ConfigFinding(
            "GK302", f"task '{task.id}' is over '{task.over}', which is not a record field", loc
        )
    elif f.type != "image":
        yield ConfigFinding(
            "GK310",
            f"{task.type} task '{task.id}' is over '{task.over}', a {f.type} "
            "field; regions need an image field",
            loc,
        )


def fill_region_labels(
    value: Any, default_label: Any, each: Callable[[dict[str, Any], int], dict[str, Any]] | None
) -> Any:
    """Regions of an example without a ``label`` take the class the example illustrates;
    ``each`` (when given) completes every region further."""
    if not isinstance(value, list):
        return value
    out = []
    for i, region in enumerate(value):
        if isinstance(region, dict):
            region = dict(region)
            if "label" not in region and isinstance(default_label, str):
                region["label"] = default_label
            if each is not None:
                region = each(region, i)
        out.append(region)
    return out
