"""Screenshots of the bundled handbooks at desktop and phone widths, for the documentation
site (``site/docs/screenshots/``, shown in ``site/docs/handbook.md``), so that a change to the
look shows up in review.

``pytest tests/handbook/test_screenshots.py --update-golden`` retakes them (headless
Chromium): the same pages, viewports and scroll positions every time, animations off, and the
PNGs reduced to a 64-colour palette to stay small. Without the flag the test checks that every
screenshot is there, small, and shown in the docs.
"""

from __future__ import annotations

import base64
import io

import pytest

from conftest import GUIDELINES, ROOT
from guidekit.handbook import build_handbook

SHOTS = ROOT / "site" / "docs" / "screenshots"
DOC = ROOT / "site" / "docs" / "handbook.md"
#: guideline -> (page, element to scroll to): a class page with its drawn examples
PAGES = {
    "support-tickets": ("tasks/intent/wrong_item.html", "#examples"),
    "retail-products": ("tasks/products/bottle.html", "#examples"),
    "manufacturing-defects": ("tasks/defects/crack.html", "#examples"),
    "clinical-notes": ("tasks/entities/PROBLEM.html", "#examples"),
}
#: name -> (width, height, mobile)
VIEWPORTS = {"desktop": (1280, 800, False), "phone": (390, 844, True)}
#: the largest PNG we keep in the repository
MAX_BYTES = 160_000
STILL = (
    "*, *::before, *::after { animation: none !important; transition: none !important;"
    " caret-color: transparent !important; }"
)


def names() -> list[str]:
    return [f"{g}-{v}.png" for g in PAGES for v in VIEWPORTS]


def _shrink(png: bytes) -> bytes:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.browser
def test_retake_screenshots(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if not request.config.getoption("--update-golden"):
        pytest.skip("retaken with --update-golden")
    browser = request.getfixturevalue("chrome")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for guideline, (page, anchor) in PAGES.items():
        built = build_handbook(GUIDELINES / guideline, tmp_path_factory.mktemp("hb") / guideline)
        assert built.site is not None
        for view, (width, height, mobile) in VIEWPORTS.items():
            browser.viewport(width, height, mobile=mobile)
            browser.goto((built.site / page).as_uri())
            browser.wait_for("document.fonts.status === 'loaded'")
            browser.eval(
                "(() => { const s = document.createElement('style');"
                f" s.textContent = {STILL!r}; document.head.appendChild(s);"
                f" const e = document.querySelector({anchor!r});"
                " if (e) { window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 60); }"
                " return true; })()"
            )
            data = browser.send("Page.captureScreenshot", {"format": "png"})
            png = _shrink(base64.b64decode(data["data"]))
            (SHOTS / f"{guideline}-{view}.png").write_bytes(png)


def test_screenshots_are_in_the_docs() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for name in names():
        path = SHOTS / name
        assert path.is_file(), f"{name} is missing: pytest {__file__} --update-golden"
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) <= MAX_BYTES, name
        assert f"screenshots/{name}" in doc, f"{name} is not shown in site/docs/handbook.md"
    extra = {p.name for p in SHOTS.glob("*.png")} - set(names())
    assert not extra, f"screenshots no test takes: {sorted(extra)}"
