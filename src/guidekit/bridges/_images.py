"""Finding the image of a label file, for formats that do not store its size (YOLO)."""

from __future__ import annotations

import os
from pathlib import Path

from guidekit import tasktypes
from guidekit.record.images import image_size

__all__ = ["EXTENSIONS", "ImageIndex", "image_size", "shape_types"]

EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff")


class ImageIndex:
    """Finds the image of a label file by stem, listing each folder once."""

    def __init__(self) -> None:
        self._folders: dict[Path, dict[str, Path]] = {}

    def _listing(self, folder: Path) -> dict[str, Path]:
        found = self._folders.get(folder)
        if found is None:
            found = {}
            if folder.is_dir():
                for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                    name = entry.name
                    dot = name.rfind(".")
                    if dot > 0 and name[dot:].lower() in EXTENSIONS and entry.is_file():
                        found.setdefault(name[:dot], Path(entry.path))
            self._folders[folder] = found
        return found

    def find(self, folders: list[Path], stem: str) -> Path | None:
        for folder in folders:
            path = self._listing(folder).get(stem)
            if path is not None:
                return path
        return None


def shape_types(shape: str) -> tuple[str, ...]:
    """Names of the registered task types whose values are one ``shape`` (``box``,
    ``polygon``, ``keypoints``) on one image, in the registry's order."""
    return tuple(tt.name for tt in tasktypes.all_types() if tt.image_shape() == shape)
