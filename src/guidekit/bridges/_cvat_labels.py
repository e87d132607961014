"""CVAT's labels for a guideline: one label per class of the image tasks, with typed
attributes and skeletons (see :mod:`guidekit.bridges.cvat`)."""

from __future__ import annotations

import math
from typing import Any

from guidekit import ir, tasktypes
from guidekit.bridges._tooling import unsupported
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.generators.palette import class_colors, nth
from guidekit.tasktypes import NotRepresentable
from guidekit.tasktypes._bridge_maps import CvatMap

TOOL = "CVAT"
#: CVAT label types guidekit writes (a label of another type may belong to any task)
LABEL_TYPES = ("rectangle", "polygon", "skeleton", "tag")
NUMBER_MAX = 1_000_000


# -- labels -----------------------------------------------------------------------------------------


def _fmt_num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def cvat_attribute(name: str, a: ir.Attribute) -> dict[str, Any]:
    """One attribute in CVAT's label JSON."""
    if a.type == "enum":
        values = [str(v) for v in a.values]
        default = str(a.default) if a.default is not None else (values[0] if values else "")
        kind = "select"
    elif a.type == "boolean":
        default = "true" if a.default else "false"
        values, kind = [default], "checkbox"
    elif a.type in ("integer", "number"):
        lo = a.min if a.min is not None else 0
        hi = a.max if a.max is not None else NUMBER_MAX
        step = 1 if a.type == "integer" else (0.01 if hi - lo <= 10 else 1)
        values = [_fmt_num(lo), _fmt_num(hi), _fmt_num(step)]
        if values[2] in values[:2]:  # CVAT wants the three values distinct as text
            values[2] = f"{float(step):.1f}"
        default = _fmt_num(a.default) if isinstance(a.default, (int, float)) else values[0]
        kind = "number"
    else:
        default = str(a.default) if a.default is not None else ""
        values, kind = [default], "text"
    return {
        "name": name,
        "mutable": False,
        "input_type": kind,
        "default_value": default,
        "values": values,
    }


def skeleton_svg(skel: ir.Skeleton) -> str:
    """CVAT's skeleton drawing: points on a circle, edges between them (0..100 box)."""
    n = len(skel.points)
    index = {p: i + 1 for i, p in enumerate(skel.points)}
    pos = {}
    for i, _ in enumerate(skel.points):
        angle = 2 * math.pi * i / max(n, 1) - math.pi / 2
        pos[i + 1] = (round(50 + 35 * math.cos(angle), 2), round(50 + 35 * math.sin(angle), 2))
    parts = []
    for a, b in skel.edges:
        if a in index and b in index:
            (x1, y1), (x2, y2) = pos[index[a]], pos[index[b]]
            parts.append(
                f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" data-type="edge" '
                f'data-node-from="{index[a]}" data-node-to="{index[b]}"></line>'
            )
    for p, i in index.items():
        x, y = pos[i]
        parts.append(
            f'<circle r="1.5" cx="{x:g}" cy="{y:g}" data-type="element node" '
            f'data-element-id="{i}" data-node-id="{i}" data-label-name="{p}"></circle>'
        )
    return "".join(parts)


def cvat_map(task: ir.Task) -> CvatMap | None:
    """How CVAT holds ``task``, or ``None`` when it cannot."""
    try:
        return tasktypes.of(task).cvat()
    except NotRepresentable:
        return None


def types_for(element: str) -> tuple[str, ...]:
    """Names of the registered task types whose values CVAT XML carries as ``<element>``."""
    out = []
    for tt in tasktypes.all_types():
        try:
            if tt.cvat().element == element:
                out.append(tt.name)
        except NotRepresentable:
            continue
    return tuple(out)


def label_list(guideline: ir.Guideline) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
    """CVAT labels for the guideline, and GK808 warnings for tasks CVAT cannot hold."""
    notes: list[Diagnostic] = []
    labels: dict[str, dict[str, Any]] = {}
    owner: dict[tuple[str, str], str] = {}  # (class, CVAT shape type) -> the task it came from
    for task in guideline.tasks.values():
        try:
            kind = tasktypes.of(task).cvat().label_type
        except NotRepresentable as e:
            notes.append(unsupported(guideline, TOOL, task, str(e)))
            continue
        colors = class_colors(task)
        for cid in task.labels():
            attrs = [cvat_attribute(n, a) for n, a in task.attributes_for(cid).items()]
            label = labels.get(cid)
            first = owner.setdefault((cid, kind), task.id)
            if first != task.id:
                # one CVAT label serves both tasks, and their shapes are of one type: an
                # export cannot say which task a shape belongs to
                notes.append(
                    diag(
                        "GK808",
                        f"class '{cid}' of tasks '{first}' and '{task.id}' becomes one CVAT "
                        f"label, and both tasks draw {kind} shapes: CVAT cannot tell them apart",
                        task.loc or Location(),
                        hint="give one of the classes another id (keep the old one as an alias)",
                    )
                )
            if label is not None:
                if label["type"] != kind:
                    label["type"] = "any"
                known = {a["name"] for a in label["attributes"]}
                label["attributes"] += [a for a in attrs if a["name"] not in known]
                continue
            label = {"name": cid, "color": colors[cid], "type": kind, "attributes": attrs}
            if kind == "skeleton":
                skel = task.skeleton_for(cid)
                if skel is None:
                    notes.append(
                        unsupported(guideline, TOOL, task, f"class '{cid}' has no skeleton")
                    )
                    continue
                label["sublabels"] = [
                    {
                        "name": p,
                        "color": nth(i),
                        "type": "points",
                        "attributes": [],
                    }
                    for i, p in enumerate(skel.points)
                ]
                label["svg"] = skeleton_svg(skel)
            labels[cid] = label
    return list(labels.values()), notes
