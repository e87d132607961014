"""Shared pieces of the readers and writers: label mapping, record assembly, coordinates.

A reader turns one item of a tool export (a Label Studio annotation, a COCO image, a CoNLL
sentence, ...) into one native record. :class:`RecordBuilder` collects the record's data and
every problem met on the way, then hands out a :class:`~guidekit.delivery.read.RawRecord`
whose ``error`` names the first problem and counts the others -- nothing is dropped silently.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

import orjson

from guidekit import ir
from guidekit.delivery.read import RawRecord
from guidekit.diagnostics.codes import diag, lookup
from guidekit.diagnostics.model import Diagnostic, Location, Severity
from guidekit.errors import GuidekitError

# -- memory -----------------------------------------------------------------------------------


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole document is turned into objects.

    Building hundreds of thousands of dicts triggers collections that scan every one of them
    again and again, though all are still in use; pausing saved about a sixth of the time of
    reading a 28 MB COCO file (bench/bridges_bench.py).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# -- numbers --------------------------------------------------------------------------------


def tidy(value: float) -> float | int:
    """``value`` rounded to 10 significant digits, as an int when it is whole.

    Converting between pixels, fractions and percentages leaves float noise
    (``10.000000000000002``); tidying removes it so a round trip gives back the numbers it
    started from.
    """
    if not math.isfinite(value):
        return value
    out = float(f"{value:.10g}")
    if out.is_integer() and abs(out) < 2**53:
        return int(out)
    return out


def is_num(value: Any) -> TypeGuard[float]:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def all_nums(values: Sequence[Any]) -> TypeGuard[list[float]]:
    """Every value is a finite number (see :func:`is_num`)."""
    return all(is_num(v) for v in values)


def all_present(values: Sequence[float | None]) -> TypeGuard[list[float]]:
    """No value is missing (as :func:`parse_num` reports text that is not a number)."""
    return all(v is not None for v in values)


def parse_num(text: str | None) -> float | None:
    """A finite number from text, or ``None``."""
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def json_line(data: Mapping[str, Any]) -> bytes:
    """A record as one line of native JSON Lines (what ``RawRecord.raw`` holds)."""
    return orjson.dumps(data) + b"\n"


# -- tasks -------------------------------------------------------------------------------------


def tasks_of(guideline: ir.Guideline, types: Iterable[str]) -> list[ir.Task]:
    wanted = set(types)
    return [t for t in guideline.tasks.values() if t.type in wanted]


def pick_task(
    guideline: ir.Guideline,
    types: Sequence[str],
    chosen: str | None,
    *,
    fmt: str,
    file: str | None = None,
    option: str = "task",
) -> ir.Task | None:
    """The one task of ``types`` a format's annotations go to.

    ``chosen`` (a task id given as an option) wins; otherwise the only task of a fitting type.
    ``None`` when the guideline has no such task; :class:`GuidekitError` (GK805) when several
    fit or ``chosen`` does not.
    """
    kinds = " or ".join(types)
    if chosen is not None:
        task = guideline.tasks.get(chosen)
        if task is None or task.type not in types:
            what = "is not a task" if task is None else f"is a {task.type} task, not {kinds}"
            raise GuidekitError(
                diag(
                    "GK805",
                    f"{fmt}: '{chosen}' {what} of guideline '{guideline.id}'",
                    Location(file),
                    hint=_task_hint(guideline, types, option),
                )
            )
        return task
    found = tasks_of(guideline, types)
    if len(found) > 1:
        raise GuidekitError(
            diag(
                "GK805",
                f"{fmt}: guideline '{guideline.id}' has several {kinds} tasks "
                f"({', '.join(t.id for t in found)}); the export does not say which one it holds",
                Location(file),
                hint=_task_hint(guideline, types, option),
            )
        )
    return found[0] if found else None


def _task_hint(guideline: ir.Guideline, types: Sequence[str], option: str) -> str:
    ids = [t.id for t in tasks_of(guideline, types)]
    return f"pass the option {option}=ID" + (f" (one of {', '.join(ids)})" if ids else "")


def require_task(
    guideline: ir.Guideline,
    types: Sequence[str],
    chosen: str | None,
    *,
    fmt: str,
    file: str | None = None,
    option: str = "task",
) -> ir.Task:
    task = pick_task(guideline, types, chosen, fmt=fmt, file=file, option=option)
    if task is None:
        raise GuidekitError(
            diag(
                "GK805",
                f"{fmt}: guideline '{guideline.id}' has no {' or '.join(types)} task for "
                "this format's annotations",
                Location(file),
            )
        )
    return task


def resolve_label(task: ir.Task, label: str) -> str | None:
    """The class a tool label stands for: by id, alias, then display name."""
    cid = task.resolve_label(label)
    if cid is not None:
        return cid
    matches = [c.id for c in task.classes if c.name == label]
    return matches[0] if len(matches) == 1 else None


def class_names(task: ir.Task, limit: int = 12) -> str:
    ids = list(task.labels())
    text = ", ".join(ids[:limit])
    return text + (f", ... ({len(ids)} in all)" if len(ids) > limit else "")


# -- image inputs ------------------------------------------------------------------------------


def fixed_size(guideline: ir.Guideline, task: ir.Task) -> tuple[float, float] | None:
    spec = guideline.record.fields.get(task.over or "")
    if spec is not None and spec.width and spec.height:
        return float(spec.width), float(spec.height)
    return None


def image_value(record: Mapping[str, Any], task: ir.Task) -> dict[str, Any]:
    value = record.get(task.over or "")
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        return {"path": value}
    return {}


def record_size(
    guideline: ir.Guideline, task: ir.Task, record: Mapping[str, Any]
) -> tuple[float, float] | None:
    img = image_value(record, task)
    w, h = img.get("width"), img.get("height")
    if is_num(w) and is_num(h) and w > 0 and h > 0:
        return float(w), float(h)
    return fixed_size(guideline, task)


def image_field(path: str | None, width: float | None, height: float | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if path is not None:
        out["path"] = path
    if width is not None:
        out["width"] = tidy(width)
    if height is not None:
        out["height"] = tidy(height)
    return out


def stem(name: str) -> str:
    """A file name without folders and extension: the record id image formats use."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base[1:] else base


# -- coordinates -------------------------------------------------------------------------------


SNAP = 1e-6


def _snap(v: float) -> float:
    if -SNAP <= v < 0:
        return 0.0
    if 1 < v <= 1 + SNAP:
        return 1.0
    return v


class NoSize(Exception):
    """Converting needs the image size, which is unknown."""


@dataclass(frozen=True)
class Coords:
    """Converts region coordinates between the task's convention and pixels or fractions.

    ``size`` is the image's (width, height) when known. Converting between pixels and
    fractions without it raises :class:`NoSize`.
    """

    task: ir.Task
    size: tuple[float, float] | None

    @property
    def normalized(self) -> bool:
        return self.task.coordinates.units == "normalized"

    def _scale(self, to_native: bool, frac: bool) -> tuple[float, float]:
        """Factors that turn (x, y) in the source unit into the target unit."""
        if frac == self.normalized:
            return 1.0, 1.0
        if self.size is None:
            raise NoSize
        w, h = self.size
        if frac:  # fractions <-> native pixels
            return (w, h) if to_native else (1 / w, 1 / h)
        return (1 / w, 1 / h) if to_native else (w, h)

    def box_in(self, x: float, y: float, w: float, h: float, *, frac: bool) -> list[float | int]:
        """A box given as top-left ``x, y`` and size, in pixels (or fractions), to native.

        Fractions a hair outside 0..1 (within :data:`SNAP`, the rounding of formats that
        write six decimals) are snapped onto the image border.
        """
        if frac:
            x2, y2 = _snap(x + w), _snap(y + h)
            x, y = _snap(x), _snap(y)
            w, h = x2 - x, y2 - y
        sx, sy = self._scale(True, frac)
        x, y, w, h = x * sx, y * sy, w * sx, h * sy
        if self.task.coordinates.format == "xyxy":
            return [tidy(x), tidy(y), tidy(x + w), tidy(y + h)]
        return [tidy(x), tidy(y), tidy(w), tidy(h)]

    def box_out(self, box: Sequence[float], *, frac: bool) -> tuple[float, float, float, float]:
        """A native box to top-left ``x, y, w, h`` in pixels (or fractions)."""
        x1, y1, a, b = (float(v) for v in box)
        if self.task.coordinates.format == "xyxy":
            a, b = a - x1, b - y1
        sx, sy = self._scale(False, frac)
        return x1 * sx, y1 * sy, a * sx, b * sy

    def point_in(self, x: float, y: float, *, frac: bool) -> list[float | int]:
        if frac:
            x, y = _snap(x), _snap(y)
        sx, sy = self._scale(True, frac)
        return [tidy(x * sx), tidy(y * sy)]

    def point_out(self, x: float, y: float, *, frac: bool) -> tuple[float, float]:
        sx, sy = self._scale(False, frac)
        return float(x) * sx, float(y) * sy


# -- record assembly ---------------------------------------------------------------------------


@dataclass
class Problem:
    code: str
    message: str
    pointer: str | None = None
    line: int | None = None
    hint: str | None = None


@dataclass
class RecordBuilder:
    """One native record under construction, with the problems met while reading it."""

    file: str
    line: int
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    fatal: bool = False

    def problem(
        self,
        code: str,
        message: str,
        pointer: str | None = None,
        *,
        line: int | None = None,
        hint: str | None = None,
        fatal: bool = False,
    ) -> None:
        self.problems.append(Problem(code, message, pointer, line, hint))
        self.fatal = self.fatal or fatal

    def unmapped(
        self,
        task: ir.Task,
        label: Any,
        pointer: str | None,
        where: str = "",
        line: int | None = None,
    ) -> None:
        self.problem(
            "GK803",
            f"label {label!r}{where} maps to no class of task '{task.id}'",
            pointer,
            line=line,
            hint=f"classes: {class_names(task)}; if the tool's name is right, add it to the "
            "class's aliases",
        )

    def label(
        self,
        task: ir.Task,
        label: Any,
        pointer: str | None,
        where: str = "",
        *,
        line: int | None = None,
    ) -> Any:
        """The class id for a tool label; the label as-is (and a GK803 problem) if none."""
        if not isinstance(label, str):
            self.problem("GK802", f"label is not text: {label!r}", pointer, line=line)
            return label
        cid = resolve_label(task, label)
        if cid is None:
            self.unmapped(task, label, pointer, where, line)
            return label
        return cid

    def append(self, task_id: str, item: Any) -> None:
        self.data.setdefault(task_id, []).append(item)

    def set_meta(self, name: str, value: Any) -> None:
        if value is not None and value != "":
            self.data[name] = value

    def error(self) -> Diagnostic | None:
        if not self.problems:
            return None
        # the most severe problem leads (a note met first must not hide a later error)
        rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        ordered = sorted(self.problems, key=lambda p: rank[lookup(p.code).severity])
        first = ordered[0]
        message = first.message
        rest = ordered[1:]
        if rest:
            more = "; ".join(p.message for p in rest[:3])
            message += f" (and {len(rest)} more: {more}{'; ...' if len(rest) > 3 else ''})"
        loc = Location(self.file, first.line or self.line, pointer=first.pointer)
        return diag(first.code, message, loc, hint=first.hint)

    def build(self) -> RawRecord:
        data = None if self.fatal else self.data
        raw = json_line(self.data)
        return RawRecord(self.file, self.line, raw, data, self.error())


def file_error(
    code: str, message: str, file: str, line: int | None = None, **kw: Any
) -> GuidekitError:
    return GuidekitError(
        diag(code, message, Location(file, line, pointer=kw.get("pointer")), hint=kw.get("hint"))
    )


def bad_item(file: str, line: int, message: str, pointer: str | None = None) -> RawRecord:
    """A record that could not be read at all: no data, one GK802 error."""
    return RawRecord(
        file, line, b"", None, diag("GK802", message, Location(file, line, pointer=pointer))
    )


def display(path: Path, given: str | Path) -> str:
    return str(given).replace("\\", "/")


def meta_names(guideline: ir.Guideline) -> ir.Metadata:
    return guideline.delivery.metadata


# -- attributes from text (XML formats) ---------------------------------------------------------

_TRUE = {"true", "1", "yes", "y"}
_FALSE = {"false", "0", "no", "n"}


def typed(decl: ir.Attribute | None, text: str, *, flag: bool = False) -> Any:
    """An attribute value written as text, typed by its declaration (or by its look; a
    ``flag`` is a 0/1 boolean)."""
    low = text.strip().lower()
    if decl is None and flag and low in _TRUE | _FALSE:
        return low in _TRUE
    if decl is None:
        if low in ("true", "false"):
            return low == "true"
        num = parse_num(text)
        if num is not None:
            return tidy(num)
        return text
    if decl.type == "boolean":
        return True if low in _TRUE else False if low in _FALSE else text
    if decl.type in ("integer", "number"):
        num = parse_num(text)
        return text if num is None else tidy(num)
    if decl.type == "enum":
        for v in decl.values:
            if str(v) == text.strip():
                return v
    return text


def put_flag(
    task: ir.Task,
    cid: str | None,
    region: dict[str, Any],
    name: str,
    text: str | None,
    *,
    flag: bool = True,
) -> None:
    """A format's built-in flag (VOC's ``truncated``, CVAT's ``occluded``, ...) as an attribute.

    Flags that say something (``1``, a pose) are kept -- declared or not, so the validator
    reports an attribute the guideline does not define instead of the information
    disappearing. Unset flags (``0``, ``Unspecified``) leave the attribute to its default,
    unless the guideline requires it without a default.
    """
    if text is None:
        return
    decl = task.attributes_for(cid).get(name) if cid else task.attributes.get(name)
    empty = text.strip().lower() in ("", "0", "false", "unspecified")
    if empty and (decl is None or not decl.required or decl.default is not None):
        return  # no information: the default (or nothing) stands
    region.setdefault("attributes", {})[name] = typed(decl, text, flag=flag)
