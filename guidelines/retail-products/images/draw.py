"""Draw the example images of the retail-products guideline (320x240 PNG, no dependencies).

The pictures are deliberately simple: flat-coloured shapes standing for products on a shelf.
Every product is drawn with an owner id, so after the whole scene is painted the visible
extent of each product is known exactly; ``python draw.py --boxes`` prints those boxes
(`[x, y, w, h]`, pixels, top-left origin) and they are the boxes the guideline's examples use.

Run from anywhere: ``python guidelines/retail-products/images/draw.py``. Output is
byte-for-byte reproducible.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

W, H = 320, 240
HERE = Path(__file__).resolve().parent

WALL = (226, 224, 216)
PLANK = (139, 98, 62)
PLANK_FRONT = (112, 78, 48)
BASE = (86, 66, 48)
WHITE = (250, 250, 250)
BLACK = (30, 30, 30)
YELLOW = (250, 210, 40)
RED = (200, 30, 40)
TOP_FLOOR = 111  # the last pixel row a product on the top shelf occupies
BOTTOM_FLOOR = 225


def write_png(path: Path, pixels: list[list[tuple[int, int, int]]]) -> None:
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


class Scene:
    """A canvas that remembers which object painted each pixel last."""

    def __init__(self, background: tuple[int, int, int] = WALL) -> None:
        self.px = [[background] * W for _ in range(H)]
        self.owner = [[0] * W for _ in range(H)]
        self.objects: list[tuple[str, str]] = []  # (label, note), owner id = index + 1

    def new(self, label: str, note: str = "") -> int:
        self.objects.append((label, note))
        return len(self.objects)

    def rect(
        self, x: int, y: int, w: int, h: int, color: tuple[int, int, int], obj: int = 0
    ) -> None:
        for yy in range(max(y, 0), min(y + h, H)):
            row, own = self.px[yy], self.owner[yy]
            for xx in range(max(x, 0), min(x + w, W)):
                row[xx] = color
                own[xx] = obj

    def disc(
        self, cx: float, cy: float, r: float, color: tuple[int, int, int], obj: int = 0
    ) -> None:
        for yy in range(max(int(cy - r) - 1, 0), min(int(cy + r) + 2, H)):
            for xx in range(max(int(cx - r) - 1, 0), min(int(cx + r) + 2, W)):
                if (xx + 0.5 - cx) ** 2 + (yy + 0.5 - cy) ** 2 <= r * r:
                    self.px[yy][xx] = color
                    self.owner[yy][xx] = obj

    def triangle_up(
        self, x: int, y: int, w: int, h: int, color: tuple[int, int, int], obj: int
    ) -> None:
        """An isosceles triangle with its base on row ``y + h - 1`` and apex at the top."""
        for i in range(h):
            half = (w * (i + 1)) // (2 * h)
            self.rect(x + w // 2 - half, y + i, 2 * half, 1, color, obj)

    def boxes(self) -> list[tuple[str, str, list[int]]]:
        """The visible extent of every object, in drawing order."""
        ext: dict[int, list[int]] = {}
        for yy in range(H):
            for xx, o in enumerate(self.owner[yy]):
                if o:
                    e = ext.setdefault(o, [xx, yy, xx, yy])
                    e[0], e[1] = min(e[0], xx), min(e[1], yy)
                    e[2], e[3] = max(e[2], xx), max(e[3], yy)
        out = []
        for i, (label, note) in enumerate(self.objects, start=1):
            if i in ext:
                x0, y0, x1, y1 = ext[i]
                out.append((label, note, [x0, y0, x1 - x0 + 1, y1 - y0 + 1]))
        return out

    def blur(self, radius: int) -> None:
        """Box blur (two passes each way), used for the out-of-focus example."""
        for _ in range(2):
            for yy in range(H):
                row = self.px[yy]
                self.px[yy] = [_mean(row[max(0, i - radius) : i + radius + 1]) for i in range(W)]
            for xx in range(W):
                col = [self.px[yy][xx] for yy in range(H)]
                for yy in range(H):
                    self.px[yy][xx] = _mean(col[max(0, yy - radius) : yy + radius + 1])


def _mean(pxs: list[tuple[int, int, int]]) -> tuple[int, int, int]:
    n = len(pxs)
    return (sum(p[0] for p in pxs) // n, sum(p[1] for p in pxs) // n, sum(p[2] for p in pxs) // n)


# -- fixtures and products ----------------------------------------------------------------------


def shelves(s: Scene) -> None:
    s.rect(0, 112, W, 3, PLANK)
    s.rect(0, 115, W, 7, PLANK_FRONT)
    s.rect(0, 226, W, 3, PLANK)
    s.rect(0, 229, W, 7, PLANK_FRONT)
    s.rect(0, 236, W, 4, BASE)


def shelf_label(
    s: Scene, x: int, y: int, color: tuple[int, int, int] = WHITE, note: str = ""
) -> None:
    o = s.new("shelf_label", note)
    s.rect(x, y, 24, 7, color, o)
    for i in range(0, 10, 2):
        s.rect(x + 2 + i, y + 1, 1, 5, BLACK, o)  # barcode
    s.rect(x + 14, y + 2, 8, 3, BLACK, o)  # price digits


def bottle(s: Scene, x: int, floor: int, w: int, h: int, color, band, note: str = "") -> None:
    o = s.new("bottle", note)
    top = floor - h + 1
    body = (h * 3) // 5
    s.rect(x, floor - body + 1, w, body, color, o)
    s.rect(x + w // 6, floor - body - 5, w - 2 * (w // 6), 6, color, o)  # shoulder
    neck_w = max(w // 3, 4)
    nx = x + (w - neck_w) // 2
    s.rect(nx, top + 5, neck_w, floor - body - 5 - (top + 5), color, o)  # neck
    s.rect(nx - 1, top, neck_w + 2, 5, (70, 70, 70), o)  # cap
    if band:
        s.rect(x, floor - body + body // 4, w, body // 3, band, o)  # brand label


def jar(s: Scene, x: int, floor: int, w: int, h: int, color, lid, note: str = "") -> None:
    o = s.new("jar", note)
    s.rect(x, floor - h + 7, w, h - 6, color, o)
    s.rect(x + 1, floor - h + 1, w - 2, 6, lid, o)
    s.rect(x + 4, floor - h // 2, w - 8, h // 4, (240, 232, 200), o)  # paper label


def can(s: Scene, x: int, floor: int, color, w: int = 22, h: int = 40, note: str = "") -> None:
    o = s.new("can", note)
    s.rect(x, floor - h + 1, w, h, color, o)
    s.rect(x, floor - h + 1, w, 3, (190, 190, 195), o)  # top rim
    s.rect(x, floor - 2, w, 3, (170, 170, 175), o)  # bottom rim
    s.rect(x + 4, floor - h + 10, w - 8, 12, WHITE, o)  # logo


def gable_carton(s: Scene, x: int, floor: int, note: str = "") -> None:
    o = s.new("carton", note)
    w, h = 34, 70
    s.rect(x, floor - h + 15, w, h - 14, (240, 240, 240), o)
    s.triangle_up(x, floor - h + 4, w, 11, (235, 235, 235), o)
    s.rect(x + w // 2 - 6, floor - h + 1, 12, 3, (235, 235, 235), o)  # sealed fin
    s.rect(x, floor - 40, w, 14, (40, 90, 190), o)  # blue band


def brick_carton(s: Scene, x: int, floor: int, note: str = "") -> None:
    o = s.new("carton", note)
    s.rect(x, floor - 55, 32, 56, (245, 150, 30), o)
    s.disc(x + 16, floor - 26, 8, (255, 190, 60), o)  # printed orange: part of the carton
    s.rect(x + 15, floor - 36, 3, 3, (60, 140, 40), o)


def cereal_box(s: Scene, x: int, floor: int, w: int = 44, h: int = 84, note: str = "") -> None:
    o = s.new("box", note)
    s.rect(x, floor - h + 1, w, h, (240, 200, 40), o)
    s.rect(x + 4, floor - h + 6, w - 8, 16, RED, o)  # brand panel
    s.disc(x + w / 2, floor - 20, 10, WHITE, o)  # printed bowl


def bottle_print_box(s: Scene, x: int, floor: int, note: str = "") -> None:
    o = s.new("box", note)
    w, h = 50, 70
    s.rect(x, floor - h + 1, w, h, (60, 90, 170), o)
    # a picture of a bottle printed on the box: painted by the box, not a product of its own
    s.rect(x + 18, floor - 40, 14, 32, WHITE, o)
    s.rect(x + 22, floor - 52, 6, 12, WHITE, o)


def chips_bag(s: Scene, x: int, floor: int, color, note: str = "") -> None:
    o = s.new("bag", note)
    w, h = 46, 64
    s.rect(x, floor - h + 5, w, h - 4, color, o)
    for i in range(0, w, 6):  # crimped seal
        s.triangle_up(x + i, floor - h + 1, min(6, w - i), 4, color, o)
    s.rect(x + 6, floor - 40, w - 12, 14, YELLOW, o)  # brand


def promo_sign(s: Scene, x: int, y: int, w: int, h: int, note: str = "") -> None:
    o = s.new("promo_sign", note)
    s.rect(x, y, w, h, YELLOW, o)
    s.disc(x + w / 2, y + h / 2, min(w, h) / 3, RED, o)
    s.rect(x + 6, y + h - 9, w - 12, 4, BLACK, o)


def fruit_pile(
    s: Scene, cx0: int, cy0: int, color, note: str, rows: list[int], r: int = 10
) -> None:
    o = s.new("produce", note)
    for row, count in enumerate(rows):
        for i in range(count):
            cx = cx0 + i * 2 * r + (row % 2) * r
            cy = cy0 - row * (r + 5)
            s.disc(cx, cy, r, color, o)
            s.disc(cx - r / 3, cy - r / 3, r / 4, (255, 255, 255), o)  # highlight


# -- scenes -------------------------------------------------------------------------------------


def shelf_01() -> Scene:
    """Drinks aisle: plastic and glass bottles on top, jars below."""
    s = Scene()
    shelves(s)
    bottle(s, 20, TOP_FLOOR, 26, 92, (40, 150, 70), (220, 40, 40), "plastic soda, label facing")
    bottle(s, 56, TOP_FLOOR, 26, 92, (40, 150, 70), (220, 40, 40), "plastic soda, label facing")
    bottle(s, 92, TOP_FLOOR, 24, 84, (150, 200, 235), (40, 80, 200), "plastic water")
    bottle(s, 150, TOP_FLOOR, 24, 100, (30, 70, 40), (235, 225, 190), "glass wine bottle")
    bottle(s, 184, TOP_FLOOR, 24, 100, (30, 70, 40), (235, 225, 190), "glass wine bottle")
    bottle(s, 240, TOP_FLOOR, 24, 100, (90, 30, 40), None, "glass bottle, back label only")
    jar(s, 20, BOTTOM_FLOOR, 40, 50, (210, 150, 40), (60, 60, 60), "honey jar")
    jar(s, 70, BOTTOM_FLOOR, 40, 50, (210, 150, 40), (60, 60, 60), "honey jar")
    jar(s, 130, BOTTOM_FLOOR, 34, 60, (120, 150, 60), (200, 30, 40), "pickles jar")
    shelf_label(s, 24, 115)
    shelf_label(s, 152, 115)
    shelf_label(s, 28, 229)
    shelf_label(s, 134, 229, YELLOW, "promotion price label")
    return s


def shelf_02() -> Scene:
    """Cans on top, milk and juice cartons below."""
    s = Scene()
    shelves(s)
    for i in range(8):
        can(s, 12 + 26 * i, TOP_FLOOR, RED, note="cola can")
    for x in (20, 62, 104):
        gable_carton(s, x, BOTTOM_FLOOR, "gable-top milk carton")
    for x in (170, 210):
        brick_carton(s, x, BOTTOM_FLOOR, "juice brick with a printed orange")
    shelf_label(s, 16, 115)
    shelf_label(s, 24, 229)
    shelf_label(s, 174, 229)
    return s


def shelf_03() -> Scene:
    """Cereal boxes on top, crisps bags below, a promotion card hanging over the bags."""
    s = Scene()
    shelves(s)
    for x in (14, 64, 114):
        cereal_box(s, x, TOP_FLOOR, note="cereal box")
    bottle_print_box(s, 180, TOP_FLOOR, "box with a bottle printed on it")
    chips_bag(s, 14, BOTTOM_FLOOR, (230, 60, 50), "crisps bag")
    chips_bag(s, 70, BOTTOM_FLOOR, (230, 60, 50), "crisps bag")
    chips_bag(s, 126, BOTTOM_FLOOR, (40, 120, 200), "crisps bag, top behind the sign")
    chips_bag(s, 182, BOTTOM_FLOOR, (40, 120, 200), "crisps bag, top-left behind the sign")
    promo_sign(s, 150, 122, 70, 70, "hanging promotion card")
    shelf_label(s, 18, 115)
    shelf_label(s, 190, 115)
    shelf_label(s, 20, 229)
    return s


def shelf_04() -> Scene:
    """Produce display: loose apples in a crate, netted oranges, a promotion card."""
    s = Scene((214, 222, 210))
    s.rect(0, 200, W, 40, (120, 100, 80))  # stand
    s.rect(16, 150, 136, 52, (170, 120, 70))  # crate
    s.rect(168, 150, 136, 52, (170, 120, 70))  # crate
    fruit_pile(s, 30, 150, (200, 35, 45), "loose apples", [6, 5, 4])
    # netted oranges: the pile and the net over it are one produce region
    fruit_pile(s, 196, 150, (245, 140, 30), "oranges in a net bag", [4, 3])
    o = len(s.objects)
    for yy in range(126, 161, 6):
        for xx in range(186, 276):
            if s.owner[yy][xx] == o:
                s.px[yy][xx] = (180, 60, 20)
    for xx in range(188, 276, 6):
        for yy in range(120, 161):
            if s.owner[yy][xx] == o:
                s.px[yy][xx] = (180, 60, 20)
    promo_sign(s, 60, 30, 90, 50, "price card for apples")
    label = s.new("shelf_label", "label on the crate")
    s.rect(70, 188, 24, 8, WHITE, label)
    s.rect(84, 190, 8, 3, BLACK, label)
    return s


def shelf_05() -> Scene:
    """Edge cases: a multipack, a bottle cut off by the image border, a fallen bottle, a tiny jar."""
    s = Scene()
    shelves(s)
    s.rect(18, 70, 74, 1, (200, 205, 215))  # shrink film: outline only
    s.rect(18, 70, 1, 42, (200, 205, 215))
    s.rect(91, 70, 1, 42, (200, 205, 215))
    for x in (20, 44, 68):
        can(s, x, TOP_FLOOR, (30, 110, 60), note="can in a shrink-wrapped six-pack")
    bottle(s, 140, TOP_FLOOR, 26, 92, (40, 150, 70), (220, 40, 40), "plastic soda")
    bottle(s, 300, TOP_FLOOR, 26, 92, (40, 150, 70), (220, 40, 40), "cut off by the right border")
    # a bottle lying on its side on the bottom shelf
    o = s.new("bottle", "fallen bottle, lying on its side")
    s.rect(40, 200, 60, 26, (150, 200, 235), o)
    s.rect(100, 204, 8, 18, (150, 200, 235), o)
    s.rect(108, 208, 14, 10, (150, 200, 235), o)
    s.rect(122, 207, 5, 12, (70, 70, 70), o)
    s.rect(55, 200, 20, 26, (40, 80, 200), o)
    jar(s, 200, BOTTOM_FLOOR, 34, 60, (120, 150, 60), (200, 30, 40), "pickles jar")
    # a tiny jar far back on a top shelf seen through a gap: below the jar minimum size
    o = s.new("jar", "tiny jar, below the minimum size")
    s.rect(250, 104, 7, 8, (210, 150, 40), o)
    s.rect(250, 102, 7, 2, (60, 60, 60), o)
    shelf_label(s, 30, 115)
    shelf_label(s, 200, 229)
    return s


def shelf_06() -> Scene:
    """A partly empty shelf: gaps where facings are missing."""
    s = Scene()
    shelves(s)
    for x in (12, 38, 64):
        can(s, x, TOP_FLOOR, RED, note="cola can")
    for x in (220, 246):
        can(s, x, TOP_FLOOR, (230, 190, 40), note="lemon soda can")
    cereal_box(s, 14, BOTTOM_FLOOR, note="cereal box")
    cereal_box(s, 64, BOTTOM_FLOOR, note="cereal box")
    shelf_label(s, 16, 115)
    shelf_label(s, 130, 115, note="label under an empty facing")
    shelf_label(s, 224, 115)
    shelf_label(s, 18, 229)
    shelf_label(s, 180, 229, note="label under an empty facing")
    return s


def shelf_07() -> Scene:
    """An empty shelf section: only the labels remain."""
    s = Scene()
    shelves(s)
    for x in (20, 120, 220):
        shelf_label(s, x, 115)
    for x in (40, 200):
        shelf_label(s, x, 229)
    return s


def blurred_01() -> Scene:
    s = shelf_01()
    s.blur(6)
    return s


def obstructed_01() -> Scene:
    s = shelf_03()
    s.rect(30, 20, 250, 220, (55, 55, 60))  # a shopper's back right in front of the camera
    s.disc(155, 30, 45, (55, 55, 60))
    return s


def floor_01() -> Scene:
    s = Scene()
    for yy in range(H):
        for xx in range(W):
            s.px[yy][xx] = (200, 200, 195) if (xx // 40 + yy // 40) % 2 else (170, 170, 165)
    return s


SCENES = {
    "shelf-01": shelf_01,
    "shelf-02": shelf_02,
    "shelf-03": shelf_03,
    "shelf-04": shelf_04,
    "shelf-05": shelf_05,
    "shelf-06": shelf_06,
    "shelf-07": shelf_07,
    "blurred-01": blurred_01,
    "obstructed-01": obstructed_01,
    "floor-01": floor_01,
}


def main(argv: list[str]) -> int:
    for name, make in SCENES.items():
        scene = make()
        write_png(HERE / f"{name}.png", scene.px)
        if "--boxes" in argv:
            print(f"{name}.png")
            for label, note, box in scene.boxes():
                print(f"  {label:12} {box}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
