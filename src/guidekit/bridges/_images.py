"""Image sizes from file headers (PNG, JPEG), for formats that do not store them (YOLO)."""

from __future__ import annotations

import os
import struct
from pathlib import Path

from guidekit._png import png_size

EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff")


def jpeg_size(path: Path) -> tuple[int, int] | None:
    """Width and height of a JPEG from its first start-of-frame marker, or ``None``."""
    try:
        with path.open("rb") as f:
            if f.read(2) != b"\xff\xd8":
                return None
            while True:
                marker = f.read(2)
                if len(marker) < 2 or marker[0] != 0xFF:
                    return None
                kind = marker[1]
                if kind in (0xD8, 0x01) or 0xD0 <= kind <= 0xD7:
                    continue
                length_bytes = f.read(2)
                if len(length_bytes) < 2:
                    return None
                (length,) = struct.unpack(">H", length_bytes)
                if 0xC0 <= kind <= 0xCF and kind not in (0xC4, 0xC8, 0xCC):
                    data = f.read(5)
                    if len(data) < 5:
                        return None
                    height, width = struct.unpack(">HH", data[1:5])
                    return int(width), int(height)
                f.seek(length - 2, 1)
    except OSError:
        return None


def image_size(path: Path) -> tuple[int, int] | None:
    return png_size(path) or jpeg_size(path)


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
