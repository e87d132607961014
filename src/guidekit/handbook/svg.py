"""Example images with their regions drawn on top, as inline SVG.

The drawing primitives live with the task types (``guidekit.tasktypes._handbook_svg``), which
turn their values into shapes; this module keeps the handbook's names for them.
"""

from __future__ import annotations

from typing import Any

from guidekit import ir, tasktypes
from guidekit.tasktypes._handbook_svg import Shape, overlay


def shapes_of(task: ir.Task, value: Any, size: tuple[float, float]) -> list[Shape]:
    """Pixel shapes of a region task's annotation value (malformed regions are skipped)."""
    return tasktypes.of(task).handbook_shapes(task, value, size)


__all__ = ["Shape", "overlay", "shapes_of"]
