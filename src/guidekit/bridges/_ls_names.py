"""Names shared by the Label Studio config, its readers and writers and the drift check:
control names of a task's attributes and keypoints, the object classifications point at, the
Yes/No choices of boolean answers."""

from __future__ import annotations

from guidekit import ir, tasktypes
from guidekit.bridges._tooling import AttrSpec
from guidekit.tasktypes import NotRepresentable
from guidekit.tasktypes._bridge_maps import LabelStudioMap

BOOL_CHOICES = ("Yes", "No")


def attr_control(task: ir.Task, specs: list[AttrSpec]) -> list[tuple[str, AttrSpec]]:
    """Control names of a task's attributes: ``<task>__<name>``, numbered when a name is
    declared with different meanings for different classes."""
    out: list[tuple[str, AttrSpec]] = []
    seen: dict[str, int] = {}
    for spec in specs:
        n = seen.get(spec.name, 0)
        seen[spec.name] = n + 1
        suffix = f"__{n + 1}" if n else ""
        out.append((f"{task.id}__{spec.name}{suffix}", spec))
    return out


def points_control(task: ir.Task) -> str:
    return f"{task.id}__points"


def skeleton_points(task: ir.Task) -> list[str]:
    """Every keypoint name of a keypoints task, in skeleton order, without repeats."""
    names: list[str] = []
    for skel in [task.skeleton, *(c.skeleton for c in task.classes)]:
        if skel is not None:
            names.extend(p for p in skel.points if p not in names)
    return names


def main_object(guideline: ir.Guideline) -> str:
    """The object classification tasks point at: the first text field, else the first field."""
    fields = guideline.record.fields
    for name, spec in fields.items():
        if spec.type == "text":
            return name
    return next(iter(fields))


def labelstudio_map(task: ir.Task) -> LabelStudioMap | None:
    """How Label Studio holds ``task`` (its type's hook); ``None`` when it cannot."""
    try:
        return tasktypes.of(task).labelstudio()
    except NotRepresentable:
        return None
