"""Scaffold a new guideline project from a bundled, commented template."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError
from guidekit.spec.reference import meta_schema_json

TEMPLATES = ("classification", "ner", "detection")


def _title(guideline_id: str) -> str:
    return re.sub(r"[-_.]+", " ", guideline_id).strip().capitalize() or "New guideline"


def new_project(directory: Path, guideline_id: str | None, *, force: bool = False) -> str:
    """The id of a project about to be written into ``directory`` (``guideline_id``, else
    the folder's name made an id); a folder that is not empty is refused unless ``force``.
    ``init`` and ``import`` start projects through this."""
    if directory.exists() and any(directory.iterdir()) and not force:
        raise GuidekitError(
            diag(
                "GK001",
                f"'{directory}' is not empty",
                Location(str(directory)),
                hint="choose a new folder, or pass --force",
            )
        )
    gid = guideline_id or re.sub(r"[^A-Za-z0-9_.-]+", "-", directory.resolve().name).strip("-")
    if not re.match(r"^[A-Za-z][A-Za-z0-9_.\-]*$", gid):
        gid = "guideline"
    return gid


def scaffold(
    directory: Path, template: str, *, guideline_id: str | None = None, force: bool = False
) -> list[Path]:
    """Write a template project into ``directory``; returns the files written (sorted).

    A folder that is not empty is refused unless ``force``, which replaces the template's
    files and leaves every other file alone; links are never written through."""
    if template not in TEMPLATES:
        raise GuidekitError(diag("GK001", f"unknown template '{template}'", Location(template)))
    gid = new_project(directory, guideline_id, force=force)
    from guidekit import outputs

    def write(stage: Path) -> None:
        base = resources.files("guidekit.scaffold") / "templates" / template
        for rel, text in _walk(base):
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            text = text.replace("{{id}}", gid).replace("{{title}}", _title(gid))
            target.write_text(text, encoding="utf-8")
        # for the editor's YAML language server
        (stage / "guideline.schema.json").write_text(meta_schema_json(), encoding="utf-8")
        if template == "detection":
            _draw(
                stage / "images" / "belt.png",
                320,
                240,
                (90, 90, 96),
                [
                    (40, 60, 120, 90, (196, 154, 108)),  # the parcel
                    (200, 100, 50, 30, (245, 245, 240)),  # the label
                ],
            )

    # every file goes in atomically, a replaced one keeps its mode, and a symbolic link
    # where a file goes (or on the way to it) is refused before anything is written
    _, written = outputs.publish(directory, "init", write, force=True, marker=False)
    return written


def _walk(base: resources.abc.Traversable, prefix: str = "") -> list[tuple[str, str]]:
    out = []
    for item in sorted(base.iterdir(), key=lambda t: t.name):
        rel = f"{prefix}{item.name}"
        if item.is_dir():
            out.extend(_walk(item, rel + "/"))
        elif item.name.endswith(".yaml"):
            out.append((rel, item.read_text(encoding="utf-8")))
    return out


def _draw(
    path: Path,
    width: int,
    height: int,
    background: tuple[int, int, int],
    rects: list[tuple[int, int, int, int, tuple[int, int, int]]],
) -> None:
    """A flat-coloured sample picture: filled rectangles ``(x, y, w, h, colour)``."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), background)
    pen = ImageDraw.Draw(image)
    for x, y, w, h, colour in rects:
        pen.rectangle((x, y, x + w - 1, y + h - 1), fill=colour)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG", optimize=True)
