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


def scaffold(
    directory: Path, template: str, *, guideline_id: str | None = None, force: bool = False
) -> list[Path]:
    """Write a template project into ``directory``; returns the files written."""
    if template not in TEMPLATES:
        raise GuidekitError(diag("GK001", f"unknown template '{template}'", Location(template)))
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
    written = []
    base = resources.files("guidekit.scaffold") / "templates" / template
    for src in _walk(base):
        rel = src[0]
        text = src[1].replace("{{id}}", gid).replace("{{title}}", _title(gid))
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    schema = directory / "guideline.schema.json"  # for the editor's YAML language server
    schema.write_text(meta_schema_json(), encoding="utf-8")
    written.append(schema)
    if template == "detection":
        image = directory / "images" / "belt.png"
        _draw(
            image,
            320,
            240,
            (90, 90, 96),
            [
                (40, 60, 120, 90, (196, 154, 108)),  # the parcel
                (200, 100, 50, 30, (245, 245, 240)),  # the label
            ],
        )
        written.append(image)
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
