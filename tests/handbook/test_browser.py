"""The built handbook in a real browser (headless Chromium over the DevTools protocol).

Skips with a visible reason where no Chromium is installed (Debian: ``apt-get install
chromium``); CI installs it first, so there it always runs. A screenshot of a class page is
saved under ``test-artifacts/handbook/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from guidekit.handbook import BuildResult

from .handbook_chrome import Chrome

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "handbook"

pytestmark = pytest.mark.browser


@pytest.fixture
def site_url(built: BuildResult, serve_dir: Callable[[Path], str]) -> str:
    assert built.site is not None
    return serve_dir(built.site)


def test_class_page_highlights_spans(chrome: Chrome, site_url: str) -> None:
    chrome.goto(site_url + "tasks/mentions/DEFECT.html")
    marks = chrome.eval(
        "Array.from(document.querySelectorAll('article mark.gk-span')).map(m => ({"
        " label: m.dataset.label,"
        " text: m.firstChild.textContent,"
        " border: getComputedStyle(m).borderBottomColor,"
        " visible: m.getBoundingClientRect().width > 0 }))"
    )
    assert [(m["label"], m["text"]) for m in marks] == [
        ("PRODUCT", "kettle"),
        ("DEFECT", "cracked lid"),
        ("DEFECT", "cable sparks"),
    ]
    assert all(m["visible"] for m in marks)
    # PRODUCT is the task's first class: the palette's first colour, #CC6677
    assert marks[0]["border"] == "rgb(204, 102, 119)"
    labels = chrome.eval(
        "Array.from(document.querySelectorAll('article .gk-span__label')).map(e => e.textContent)"
    )
    assert labels == ["PRODUCT", "DEFECT", "DEFECT"]


def test_class_page_draws_boxes_on_the_picture(chrome: Chrome, site_url: str) -> None:
    chrome.goto(site_url + "tasks/parts/item.html")
    boxes = chrome.eval(
        "Array.from(document.querySelectorAll('article svg.gk-overlay polygon.gk-shape'))"
        ".map(p => { const b = p.getBoundingClientRect();"
        " return {label: p.textContent, w: Math.round(b.width), h: Math.round(b.height)}; })"
    )
    assert [b["label"] for b in boxes] == ["item", "damage"]
    assert all(b["w"] > 10 and b["h"] > 10 for b in boxes)
    size = chrome.eval(
        "(async () => { const href = document.querySelector('article svg.gk-overlay image')"
        ".href.baseVal; const img = new Image(); img.src = new URL(href, location).href;"
        " await img.decode(); return [img.naturalWidth, img.naturalHeight]; })()"
    )
    assert size == [160, 120]
    texts = chrome.eval(
        "Array.from(document.querySelectorAll('article svg.gk-overlay text'))"
        ".map(t => t.textContent)"
    )
    assert texts == ["item", "damage"]


def test_search_finds_a_class_by_a_word_of_its_definition(chrome: Chrome, site_url: str) -> None:
    # "promised" occurs only in the definition of late_delivery
    chrome.goto(site_url + "index.html?q=promised")
    hrefs = chrome.wait_for(
        "(() => { const a = Array.from(document.querySelectorAll('.md-search-result__item a'))"
        ".map(e => new URL(e.href).pathname); return a.length ? a : null; })()"
    )
    assert "/tasks/reason/late_delivery.html" in hrefs


def test_edge_case_filter_hides_rows(chrome: Chrome, site_url: str) -> None:
    chrome.goto(site_url + "edge-cases.html")
    shown = chrome.eval(
        "(() => { const i = document.querySelector('input.gk-filter'); i.value = 'Safety';"
        " i.dispatchEvent(new Event('input'));"
        " return Array.from(document.querySelectorAll('.gk-filterable tbody tr'))"
        ".filter(r => r.style.display !== 'none').map(r => r.cells[0].textContent); })()"
    )
    assert shown == ["EC-002"]


def test_screenshot_of_a_class_page(
    chrome: Chrome, site_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    chrome.goto(site_url + "tasks/mentions/PRICE.html")
    chrome.wait_for("document.fonts.status === 'loaded'")
    path = chrome.screenshot(ARTIFACTS / "class-page-PRICE.png")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    chrome.goto(site_url + "tasks/parts/item.html")
    boxes = chrome.screenshot(ARTIFACTS / "class-page-item.png")
    with capsys.disabled():
        print(f"\nscreenshots: {path} {boxes}")


def test_xss_payloads_never_run(
    chrome: Chrome, built_xss: BuildResult, serve_dir: Callable[[Path], str]
) -> None:
    assert built_xss.site is not None
    url = serve_dir(built_xss.site)
    before = len(chrome.dialogs())
    pages = sorted(p.relative_to(built_xss.site).as_posix() for p in built_xss.site.rglob("*.html"))
    for page in pages:
        chrome.goto(url + page)
    chrome.goto(url + "index.html?q=good")  # results whose titles and text carry payloads
    chrome.wait_for("document.querySelectorAll('.md-search-result__item').length > 0")
    ran = chrome.eval("JSON.stringify(window.__gk_xss || null)")
    assert json.loads(ran) is None
    assert chrome.dialogs()[before:] == []


def test_search_works_when_the_handbook_is_opened_from_disk(
    chrome: Chrome, built: BuildResult
) -> None:
    """A vendor unzips the handbook and opens index.html: search must work on file:// and
    nothing may be fetched from anywhere but the handbook itself."""
    assert built.site is not None
    chrome.goto((built.site / "index.html").as_uri())
    chrome.eval(
        "(() => { const i = document.querySelector('.md-search__input'); i.focus();"
        " i.value = 'kettle'; i.dispatchEvent(new Event('input', {bubbles: true}));"
        " i.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true})); return true })()"
    )
    found = chrome.wait_for(
        "document.querySelectorAll('.md-search-result__item').length || null", timeout=20
    )
    assert found > 0
    meta = chrome.eval("document.querySelector('.md-search-result__meta').textContent")
    assert "matching" in meta
    origins = chrome.eval(
        "performance.getEntriesByType('resource').map(r => new URL(r.name).protocol)"
    )
    assert set(origins) <= {"file:", "blob:", "data:"}, origins
