"""A tiny PNG writer for flat-coloured pictures (scaffold and example images).

Pure Python (zlib + struct) so guidekit draws its own sample images without an imaging
library.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

RGB = tuple[int, int, int]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(
    width: int, height: int, background: RGB, rects: Sequence[tuple[int, int, int, int, RGB]] = ()
) -> bytes:
    """A PNG of ``width`` x ``height`` with filled rectangles ``(x, y, w, h, colour)``."""
    rows = [bytearray(bytes(background) * width) for _ in range(height)]
    for x, y, w, h, colour in rects:
        for yy in range(max(0, y), min(height, y + h)):
            row = rows[yy]
            for xx in range(max(0, x), min(width, x + w)):
                row[xx * 3 : xx * 3 + 3] = bytes(colour)
    raw = b"".join(b"\x00" + bytes(r) for r in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def png_size(path: Path) -> tuple[int, int] | None:
    """Width and height of a PNG file, read from its header; ``None`` if not a PNG."""
    try:
        with path.open("rb") as f:
            head = f.read(24)
    except OSError:
        return None
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def write_png(
    path: Path,
    width: int,
    height: int,
    background: RGB,
    rects: Sequence[tuple[int, int, int, int, RGB]] = (),
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(width, height, background, rects))
