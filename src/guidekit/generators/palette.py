"""Class colours, the same in the handbook and in every tool config, and distinguishable for
colour-blind readers.

Colours come from Paul Tol's *muted* qualitative scheme, designed to stay distinct under the
common forms of colour blindness. Each task's classes take the palette's colours in document
order, skipping colours pinned with ``color:``; a class with ``color:`` keeps it (written
``#RRGGBB``). When a task has more classes than the palette has colours, colours repeat; the
handbook adds a dash pattern to the repeats and labels every shape, so colour is never the only
cue. The assignment depends on the task alone, so the handbook, the Label Studio config and the
CVAT labels of one guideline agree class by class.

The levels of an ordered scale (an ``ordinal`` task, or any type with ``handbook_levels``)
take a *sequential* scale instead, in the classes' order: Paul Tol's colour-blind-safe
*YlOrBr* (light yellow for the first level to dark brown for the last), sampled evenly and
interpolated in linear RGB, so lightness falls strictly along the order and no level looks
"safe green" or "alarm red" by accident.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from guidekit import ir, tasktypes

#: Paul Tol's muted scheme (rose, indigo, sand, green, cyan, wine, teal, olive, purple).
PALETTE: tuple[str, ...] = (
    "#CC6677",
    "#332288",
    "#DDCC77",
    "#117733",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
)
#: Paul Tol's sequential *YlOrBr* scheme without its near-white first colour, lightest first
#: (for the levels of an ordered scale).
SEQUENTIAL: tuple[str, ...] = (
    "#FFF7BC",
    "#FEE391",
    "#FEC44F",
    "#FB9A29",
    "#EC7014",
    "#CC4C02",
    "#993404",
    "#662506",
)
#: Dash patterns for the second, third, ... round of the palette (SVG ``stroke-dasharray``).
DASHES: tuple[str, ...] = ("", "6 3", "2 2", "8 3 2 3")

_HEX = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True, slots=True)
class Swatch:
    """How a class is drawn: fill colour, readable text colour on it, and a dash pattern."""

    color: str
    ink: str
    dash: str = ""


def ink_for(color: str) -> str:
    """Black or white, whichever reads better on ``color`` (WCAG relative luminance)."""
    rgb = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    # contrast with black (L + 0.05) / 0.05 against white 1.05 / (L + 0.05)
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


def _linear(color: str) -> list[float]:
    rgb = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]


def _srgb_hex(lin: list[float]) -> str:
    out = []
    for c in lin:
        v = c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055
        out.append(round(min(1.0, max(0.0, v)) * 255))
    return "#{:02X}{:02X}{:02X}".format(*out)


def sequential(n: int) -> list[str]:
    """``n`` colours of :data:`SEQUENTIAL`, lightest first, evenly spread over the scale
    (interpolated in linear RGB, so luminance is monotone)."""
    if n <= 0:
        return []
    if n == 1:
        return [SEQUENTIAL[len(SEQUENTIAL) // 2]]
    stops = [_linear(c) for c in SEQUENTIAL]
    out = []
    for i in range(n):
        pos = i * (len(stops) - 1) / (n - 1)
        k = min(int(pos), len(stops) - 2)
        t = pos - k
        out.append(
            _srgb_hex([a + (b - a) * t for a, b in zip(stops[k], stops[k + 1], strict=True)])
        )
    return out


def pinned(cls: ir.Class) -> str | None:
    """A class's own colour as ``#RRGGBB``, when it is a valid ``#rrggbb`` (the format checks
    it; a programmatic IR may hold anything)."""
    c = cls.color
    return c.upper() if c and _HEX.fullmatch(c) else None


def task_swatches(task: ir.Task) -> dict[str, Swatch]:
    """The swatch of every class of ``task``, deterministic for the same task."""
    if tasktypes.of(task).handbook_levels:
        scale = sequential(len(task.classes))
        levels: dict[str, Swatch] = {}
        for cls, color in zip(task.classes, scale, strict=True):
            color = pinned(cls) or color
            levels[cls.id] = Swatch(color, ink_for(color))
        return levels
    taken = {p for c in task.classes if (p := pinned(c))}
    free = [c for c in PALETTE if c not in taken] or list(PALETTE)
    out: dict[str, Swatch] = {}
    n = 0
    for cls in task.classes:
        own = pinned(cls)
        if own:
            out[cls.id] = Swatch(own, ink_for(own))
            continue
        color = free[n % len(free)]
        dash = DASHES[(n // len(free)) % len(DASHES)]
        out[cls.id] = Swatch(color, ink_for(color), dash)
        n += 1
    return out


def class_colors(task: ir.Task) -> dict[str, str]:
    """``{class id: "#RRGGBB"}`` for every class of ``task`` (what tool configs use)."""
    return {cid: sw.color for cid, sw in task_swatches(task).items()}


def swatches(g: ir.Guideline) -> Mapping[str, Mapping[str, Swatch]]:
    """Swatches of every task's classes: ``swatches(g)[task_id][class_id]``."""
    return {tid: task_swatches(task) for tid, task in g.tasks.items()}


def nth(i: int) -> str:
    """The ``i``-th palette colour, cycling (for things that are not classes, such as the
    points of a skeleton)."""
    return PALETTE[i % len(PALETTE)]
