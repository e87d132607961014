"""COCO run-length masks without pycocotools: their area and bounding box from the counts.

A COCO RLE is ``{"size": [height, width], "counts": ...}``: runs of 0s and 1s alternating,
starting with 0s, over the pixels in column-major order. ``counts`` is a list of run
lengths (uncompressed, as ``iscrowd`` annotations of the original files) or a string in
COCO's compressed form (``maskUtils.encode``: 6-bit groups offset by 48, each run after
the second stored as the difference from the run two before).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class BadRLE(ValueError):
    """The mask is not a valid COCO RLE; the message says why."""


@dataclass(frozen=True)
class Mask:
    compressed: bool
    height: int
    width: int
    area: int
    #: ``[x, y, width, height]`` in pixels, or ``None`` for an empty mask
    bounds: list[int] | None


def decode_counts(text: str) -> list[int]:
    """The run lengths of a compressed RLE string (``rleFrString`` of COCO's C API)."""
    counts: list[int] = []
    p = 0
    while p < len(text):
        x = 0
        k = 0
        more = True
        while more:
            if p >= len(text):
                raise BadRLE("the compressed counts end inside a number")
            c = ord(text[p]) - 48
            if not 0 <= c < 64:
                raise BadRLE(f"character {text[p]!r} cannot appear in compressed counts")
            x |= (c & 0x1F) << (5 * k)
            more = bool(c & 0x20)
            p += 1
            k += 1
            if not more and c & 0x10:
                x |= -1 << (5 * k)
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    return counts


def measure(seg: dict[str, Any]) -> Mask:
    """Area and bounds of a COCO RLE mask; :class:`BadRLE` when it is malformed."""
    size = seg.get("size")
    if not (
        isinstance(size, list)
        and len(size) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in size)
    ):
        raise BadRLE("an RLE 'size' is [height, width] in whole pixels")
    h, w = size
    raw = seg.get("counts")
    if isinstance(raw, str):
        counts = decode_counts(raw)
    elif isinstance(raw, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in raw):
        counts = list(raw)
    else:
        raise BadRLE("RLE 'counts' is a list of run lengths or a compressed string")
    if any(v < 0 for v in counts):
        raise BadRLE("an RLE run length is negative")
    if sum(counts) != h * w:
        raise BadRLE(f"the runs cover {sum(counts)} pixels, but the mask has {h}×{w} = {h * w}")
    area = 0
    x0 = y0 = None
    x1 = y1 = -1
    pos = 0
    for i, n in enumerate(counts):
        if i % 2 and n:
            area += n
            first, last = pos, pos + n - 1
            cx0, cx1 = first // h, last // h
            ry0, ry1 = (first % h, last % h) if cx0 == cx1 else (0, h - 1)
            x0 = cx0 if x0 is None else min(x0, cx0)
            y0 = ry0 if y0 is None else min(y0, ry0)
            x1, y1 = max(x1, cx1), max(y1, ry1)
        pos += n
    bounds = None if x0 is None or y0 is None else [x0, y0, x1 - x0 + 1, y1 - y0 + 1]
    return Mask(isinstance(raw, str), h, w, area, bounds)
