"""Draw the example images of the manufacturing-defects guideline (256x256 PNG, no dependencies).

Each picture is a top-down inspection photo of one part, reduced to flat colours. Defects are
filled polygons, and the polygon a defect is filled from is exactly the polygon the guideline's
examples annotate: ``python draw.py --polygons`` prints them.

Run from anywhere: ``python guidelines/manufacturing-defects/images/draw.py``. Output is
byte-for-byte reproducible.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

SIZE = 256
HERE = Path(__file__).resolve().parent

Color = tuple[int, int, int]
Points = list[tuple[int, int]]

FIXTURE = (45, 47, 52)
STEEL = (158, 160, 166)
STEEL_MARK = (166, 168, 174)
PAINT = (70, 100, 140)
CAST = (128, 126, 122)
HOLE = (20, 20, 24)
BARE = (205, 207, 212)


def write_png(path: Path, pixels: list[list[Color]]) -> None:
    """Write an 8-bit RGB PNG (filter 0 on every row)."""
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


class Photo:
    def __init__(self, background: Color = FIXTURE) -> None:
        self.px = [[background] * SIZE for _ in range(SIZE)]
        self.defects: list[tuple[str, Points]] = []

    def rect(self, x: int, y: int, w: int, h: int, color: Color) -> None:
        for yy in range(max(y, 0), min(y + h, SIZE)):
            for xx in range(max(x, 0), min(x + w, SIZE)):
                self.px[yy][xx] = color

    def disc(self, cx: float, cy: float, r: float, color: Color) -> None:
        for yy in range(max(int(cy - r) - 1, 0), min(int(cy + r) + 2, SIZE)):
            for xx in range(max(int(cx - r) - 1, 0), min(int(cx + r) + 2, SIZE)):
                if (xx + 0.5 - cx) ** 2 + (yy + 0.5 - cy) ** 2 <= r * r:
                    self.px[yy][xx] = color

    def polygon(self, points: Points, color: Color) -> None:
        """Fill a simple polygon: a pixel is inside when its centre is (even-odd rule)."""
        n = len(points)
        for yy in range(SIZE):
            y = yy + 0.5
            xs = []
            for i in range(n):
                (x0, y0), (x1, y1) = points[i], points[(i + 1) % n]
                if (y0 <= y < y1) or (y1 <= y < y0):
                    xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
            xs.sort()
            for a, b in zip(xs[::2], xs[1::2], strict=False):
                for xx in range(max(int(a - 0.5) + 1, 0), min(int(b - 0.5) + 1, SIZE)):
                    if a <= xx + 0.5 < b:
                        self.px[yy][xx] = color

    def defect(self, label: str, points: Points, color: Color) -> None:
        self.polygon(points, color)
        self.defects.append((label, points))

    def machining_marks(self, x: int, y: int, w: int, h: int, step: int = 6) -> None:
        for yy in range(y + 2, y + h, step):
            self.rect(x, yy, w, 1, STEEL_MARK)

    def blur(self, radius: int) -> None:
        for _ in range(2):
            for yy in range(SIZE):
                row = self.px[yy]
                self.px[yy] = [_mean(row[max(0, i - radius) : i + radius + 1]) for i in range(SIZE)]
            for xx in range(SIZE):
                col = [self.px[yy][xx] for yy in range(SIZE)]
                for yy in range(SIZE):
                    self.px[yy][xx] = _mean(col[max(0, yy - radius) : yy + radius + 1])


def _mean(pxs: list[Color]) -> Color:
    n = len(pxs)
    return (sum(p[0] for p in pxs) // n, sum(p[1] for p in pxs) // n, sum(p[2] for p in pxs) // n)


def band(centre: Points, below: int = 2, above: int = 1) -> Points:
    """A thin polygon around a left-to-right polyline (x strictly increasing): cracks."""
    return [(x, y - above) for x, y in centre] + [(x, y + below) for x, y in reversed(centre)]


# -- parts --------------------------------------------------------------------------------------


def steel_bracket(p: Photo) -> None:
    p.rect(16, 16, 224, 224, STEEL)
    p.machining_marks(16, 16, 224, 224)
    p.disc(60, 60, 14, HOLE)
    p.disc(196, 196, 14, HOLE)


def painted_bracket(p: Photo) -> None:
    p.rect(16, 16, 224, 224, PAINT)
    p.disc(60, 60, 14, HOLE)
    p.disc(196, 196, 14, HOLE)


def steel_flange(p: Photo) -> None:
    p.disc(128, 128, 112, STEEL)
    p.disc(128, 128, 34, HOLE)
    for cx, cy in ((128, 46), (210, 128), (128, 210), (46, 128)):
        p.disc(cx, cy, 9, HOLE)


def cast_housing(p: Photo) -> None:
    p.rect(24, 24, 208, 208, CAST)
    p.rect(24, 24, 208, 10, (112, 110, 106))  # parting line flange
    p.disc(128, 150, 30, (100, 98, 94))  # machined boss
    p.disc(128, 150, 12, HOLE)


# -- photos -------------------------------------------------------------------------------------


def part_01() -> Photo:
    """Steel bracket: a crack running from the upper bolt hole."""
    p = Photo()
    steel_bracket(p)
    crack = [(73, 63), (84, 67), (93, 64), (103, 71), (115, 73), (124, 80), (137, 83)]
    p.defect("crack", band(crack), (40, 40, 44))
    return p


def part_02() -> Photo:
    """Painted bracket: a scratch through the paint and a shallow dent."""
    p = Photo()
    painted_bracket(p)
    p.defect("scratch", [(40, 178), (199, 118), (201, 122), (42, 182)], BARE)
    dent = [(158, 182), (166, 178), (176, 178), (184, 182), (186, 190), (180, 196), (168, 198),
            (159, 194)]  # fmt: skip
    p.defect("dent", dent, (52, 76, 108))
    p.disc(166, 184, 3, (120, 150, 190))  # highlight on the dent's rim (part of the dent)
    return p


def part_03() -> Photo:
    """Steel flange: corrosion spreading from a bolt hole near the rim."""
    p = Photo()
    steel_flange(p)
    rust = [(196, 104), (214, 98), (228, 108), (232, 124), (226, 146), (214, 156), (200, 150),
            (194, 138), (202, 128), (192, 116)]  # fmt: skip
    p.defect("corrosion", rust, (150, 80, 40))
    p.disc(210, 128, 9, HOLE)  # the bolt hole stays a hole
    return p


def part_04() -> Photo:
    """Cast housing: a cluster of pores and an oil stain."""
    p = Photo()
    cast_housing(p)
    pores = [(62, 70, 3), (70, 76, 2), (66, 84, 3), (76, 68, 2), (80, 80, 3), (72, 90, 2)]
    for cx, cy, r in pores:
        p.disc(cx, cy, r, (55, 54, 52))
    p.defects.append(("porosity", [(56, 64), (74, 62), (86, 74), (84, 86), (74, 96), (60, 90)]))
    oil = [(150, 60), (172, 54), (196, 62), (204, 80), (190, 96), (170, 92), (158, 100),
           (146, 86)]  # fmt: skip
    p.defect("contamination", oil, (98, 94, 78))
    return p


def part_05() -> Photo:
    """Steel bracket without defects: only regular machining marks."""
    p = Photo()
    steel_bracket(p)
    return p


def part_06() -> Photo:
    """Painted bracket: rust blooming out of a scratch through the paint."""
    p = Photo()
    painted_bracket(p)
    p.defect("scratch", [(90, 100), (190, 140), (188, 144), (88, 104)], BARE)
    rust = [(120, 106), (136, 104), (150, 116), (160, 120), (158, 134), (142, 136), (128, 126),
            (116, 118)]  # fmt: skip
    p.defect("corrosion", rust, (150, 80, 40))
    return p


def part_07() -> Photo:
    """Steel bracket: a crack starting at the bottom of a dent."""
    p = Photo()
    steel_bracket(p)
    dent = [(120, 140), (140, 132), (162, 138), (170, 156), (160, 172), (138, 176), (122, 166),
            (116, 152)]  # fmt: skip
    p.defect("dent", dent, (120, 122, 128))
    crack = [(134, 154), (142, 152), (150, 157), (158, 154), (166, 160), (178, 163), (190, 161)]
    p.defect("crack", band(crack), (40, 40, 44))
    return p


def part_08() -> Photo:
    """Steel bracket: a short dark hairline next to the lower hole, crack or scratch?"""
    p = Photo()
    steel_bracket(p)
    hairline = [(150, 186), (156, 185), (162, 187), (168, 186), (174, 188)]
    p.defect("crack", band(hairline, below=1, above=1), (88, 88, 94))
    return p


def blurred_01() -> Photo:
    p = part_01()
    p.blur(5)
    return p


def empty_fixture() -> Photo:
    p = Photo()
    p.rect(0, 100, 40, 56, (90, 90, 96))  # clamps
    p.rect(216, 100, 40, 56, (90, 90, 96))
    return p


def overexposed_01() -> Photo:
    p = part_02()
    p.disc(128, 128, 150, (250, 250, 250))
    return p


PHOTOS = {
    "part-01": part_01,
    "part-02": part_02,
    "part-03": part_03,
    "part-04": part_04,
    "part-05": part_05,
    "part-06": part_06,
    "part-07": part_07,
    "part-08": part_08,
    "blurred-01": blurred_01,
    "empty-fixture": empty_fixture,
    "overexposed-01": overexposed_01,
}


def main(argv: list[str]) -> int:
    for name, make in PHOTOS.items():
        photo = make()
        write_png(HERE / f"{name}.png", photo.px)
        if "--polygons" in argv:
            print(f"{name}.png")
            for label, points in photo.defects:
                print(f"  {label:13} {[list(pt) for pt in points]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
