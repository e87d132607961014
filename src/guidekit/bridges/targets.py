"""The tool-config targets of ``guidekit build``: ``labelstudio``, ``cvat``, ``argilla``.

Each follows the build-target protocol of :mod:`guidekit.generators` --
``generate(guideline, out, **options) -> Output`` -- and names in its note the tasks the tool
cannot express (the GK808 warnings of :func:`notes`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from guidekit import ir
from guidekit.diagnostics.model import Diagnostic


def notes(name: str, guideline: ir.Guideline) -> list[Diagnostic]:
    """GK808 warnings: tasks target ``name`` leaves out."""
    if name == "labelstudio":
        from guidekit.bridges.labelstudio import labelstudio_notes

        return labelstudio_notes(guideline)
    if name == "cvat":
        from guidekit.bridges.cvat import cvat_notes

        return cvat_notes(guideline)
    from guidekit.bridges.argilla import argilla_notes

    return argilla_notes(guideline)


def _run(
    name: str, write: Callable[[ir.Guideline, Path], list[Path]], guideline: ir.Guideline, out: Path
) -> Any:
    from guidekit.generators import Output

    files = tuple(sorted(write(guideline, Path(out))))
    found = notes(name, guideline)
    note = f"{guideline.id} {guideline.version}"
    if found:
        names = ", ".join(dict.fromkeys(d.message.split("'")[1] for d in found))
        note += f"; left out or merged (the tool cannot hold them, GK808): {names}"
    return Output(name, Path(out), files, note, {"diagnostics": found})


def labelstudio(guideline: ir.Guideline, out: Path, **_: Any) -> Any:
    """Label Studio labeling config: ``labelstudio.xml``."""
    from guidekit.bridges.labelstudio import write_labelstudio

    return _run("labelstudio", write_labelstudio, guideline, out)


def cvat(guideline: ir.Guideline, out: Path, **_: Any) -> Any:
    """CVAT labels and annotation guide: ``cvat-labels.json``, ``cvat-guide.md``."""
    from guidekit.bridges.cvat import write_cvat

    return _run("cvat", write_cvat, guideline, out)


def argilla(guideline: ir.Guideline, out: Path, **_: Any) -> Any:
    """Argilla dataset settings: ``argilla-settings.json``."""
    from guidekit.bridges.argilla import write_argilla

    return _run("argilla", write_argilla, guideline, out)
