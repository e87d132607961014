"""Image sizes read from file headers by Pillow (PNG, JPEG, BMP, WebP, TIFF, ...)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height of the image at ``path``; ``None`` when it is missing or not an image.

    Pillow reads only the header here; the pixels are never decoded. It is imported on
    first use: validating a delivery whose guideline shows no image never pays for it.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a device or FIFO would block or never end
    except (OSError, ValueError):
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            width, height = image.size
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    return int(width), int(height)
