"""CVAT: the labels JSON generated from the guideline, and "CVAT for images" XML 1.1.

Labels (``guidekit build --target cvat``): one label per class of the image tasks -- type
``rectangle`` (bbox), ``polygon``, ``skeleton`` (keypoints, with one ``points`` sublabel per
skeleton point and the edges in the skeleton's SVG) or ``tag`` (classification); a class
used by several tasks gets type ``any``. Attributes keep their types (``select``,
``checkbox``, ``number`` with ``min;max;step``, ``text``) and defaults. The file is what
CVAT's "Raw" label editor and ``cvat-cli --labels`` take; CVAT's labels have no place for
other text, so the guideline's version and handbook link go into the annotation guide
written beside it (``cvat-guide.md``, for the project's "Guide" page).

Exports (``--format cvat``): one record per ``<image>``; ``box`` to the bbox task,
``polygon`` to the polygon task, ``skeleton`` (and ``points`` whose count matches the class's
skeleton) to the keypoints task, ``tag`` to a classification task. Shape attributes are
typed by the guideline's declaration (else the label's ``input_type`` in the file's meta);
``occluded`` becomes an attribute as VOC's flags do. Skeleton points marked ``outside`` are
visibility 0, ``occluded`` 1. Polylines, ellipses, cuboids, masks and video tracks have no
guidekit form and are reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from guidekit import ir
from guidekit.bridges._cvat_labels import (
    TOOL,
    cvat_attribute,
    cvat_map,
    label_list,
    skeleton_svg,
)
from guidekit.bridges._export import Exported
from guidekit.bridges._tooling import (
    GENERATED,
    banner,
    handbook,
    hint,
    write_files,
)
from guidekit.delivery.read import RawRecord
from guidekit.diagnostics.model import Diagnostic

LABELS_FILE = "cvat-labels.json"
GUIDE_FILE = "cvat-guide.md"

__all__ = [
    "TOOL",
    "cvat_attribute",
    "cvat_guide",
    "cvat_labels",
    "cvat_map",
    "cvat_notes",
    "label_list",
    "read_cvat_xml",
    "skeleton_svg",
    "write_cvat",
    "write_cvat_xml",
]


def cvat_labels(guideline: ir.Guideline) -> str:
    """The CVAT labels JSON (a list, as CVAT's Raw label editor takes it); deterministic."""
    return json.dumps(label_list(guideline)[0], indent=2, ensure_ascii=False) + "\n"


def cvat_notes(guideline: ir.Guideline) -> list[Diagnostic]:
    return label_list(guideline)[1]


def cvat_guide(guideline: ir.Guideline) -> str:
    """The annotation guide for CVAT's project "Guide" page: version, handbook, classes."""
    lines = [
        f"# {guideline.title}",
        "",
        f"Guideline `{guideline.id}`, version **{guideline.version}**.",
    ]
    link = handbook(guideline)
    if link:
        lines += ["", f"Read the full annotator handbook: <{link}>"]
    lines += ["", f"<!-- {banner(guideline)}. {GENERATED}. -->"]
    for task in guideline.tasks.values():
        if cvat_map(task) is None:
            continue
        lines += ["", f"## {task.name}", ""]
        if task.question:
            lines += [task.question.strip(), ""]
        for cid in task.labels():
            text = hint(task[cid])
            lines.append(f"- **{cid}**" + (f": {text}" if text else ""))
    return "\n".join(lines) + "\n"


def write_cvat(guideline: ir.Guideline, out_dir: Path) -> list[Path]:
    """Write ``cvat-labels.json`` and ``cvat-guide.md`` into ``out_dir``."""
    return write_files(
        Path(out_dir), {LABELS_FILE: cvat_labels(guideline), GUIDE_FILE: cvat_guide(guideline)}
    )


# -- exports -------------------------------------------------------------------------------------


def read_cvat_xml(path: str | Path, guideline: ir.Guideline, **options: Any) -> Iterator[RawRecord]:
    """Records of a "CVAT for images" XML file (see the module docstring)."""
    from guidekit.bridges._cvat_xml import read

    return read(Path(path), guideline, **options)


def write_cvat_xml(
    records: Iterable[Mapping[str, Any]], guideline: ir.Guideline, out: str | Path, **options: Any
) -> Exported:
    """Write native records as "CVAT for images" XML 1.1."""
    from guidekit.bridges._cvat_xml import write

    return write(records, guideline, Path(out), **options)
