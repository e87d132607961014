"""The looks people expect, measured in a real browser at desktop and phone widths: box
labels that neither overlap nor leave the picture, tables that fit a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import GUIDELINES
from guidekit.handbook import BuildResult, build_handbook

from .handbook_chrome import Chrome

pytestmark = pytest.mark.browser

#: (name, width, height, mobile)
VIEWPORTS = [("desktop", 1280, 900, False), ("phone", 390, 844, True)]


@pytest.fixture(scope="module")
def retail(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The bundled retail guideline (a shelf photo with many adjacent boxes)."""
    return build_handbook(GUIDELINES / "retail-products", tmp_path_factory.mktemp("hb") / "retail")


def _site(result: BuildResult) -> Path:
    assert result.site is not None
    return result.site


LABELS = """(() => Array.from(document.querySelectorAll('article svg.gk-overlay')).map(svg => {
  const s = svg.getBoundingClientRect();
  const box = r => ({l: r.left, t: r.top, r: r.right, b: r.bottom});
  return {svg: box(s), labels: Array.from(svg.querySelectorAll('.gk-svg-label')).map(g => ({
    rect: box(g.querySelector('rect').getBoundingClientRect()),
    text: box(g.querySelector('text').getBoundingClientRect()),
    name: g.querySelector('text').textContent}))};
}))()"""


def _intersect(a: dict[str, float], b: dict[str, float], slack: float = 0.5) -> bool:
    return (
        min(a["r"], b["r"]) - max(a["l"], b["l"]) > slack
        and min(a["b"], b["b"]) - max(a["t"], b["t"]) > slack
    )


def _inside(inner: dict[str, float], outer: dict[str, float], slack: float = 0.75) -> bool:
    return (
        inner["l"] >= outer["l"] - slack
        and inner["t"] >= outer["t"] - slack
        and inner["r"] <= outer["r"] + slack
        and inner["b"] <= outer["b"] + slack
    )


@pytest.mark.parametrize(("name", "width", "height", "mobile"), VIEWPORTS)
@pytest.mark.parametrize("page", ["tasks/products/bottle.html", "tasks/products/can.html"])
def test_box_labels_do_not_overlap_or_clip(
    chrome: Chrome, retail: BuildResult, page: str, name: str, width: int, height: int, mobile: bool
) -> None:
    chrome.viewport(width, height, mobile=mobile)
    chrome.goto((_site(retail) / page).as_uri())
    pictures = chrome.eval(LABELS)
    crowded = [p for p in pictures if len(p["labels"]) >= 3]
    assert crowded, "the page has a picture with adjacent boxes"
    for pic in pictures:
        labels = pic["labels"]
        for i, a in enumerate(labels):
            assert _inside(a["rect"], pic["svg"]), (name, a["name"], "leaves the picture")
            assert _inside(a["text"], a["rect"]), (name, a["name"], "text outside its label")
            for b in labels[i + 1 :]:
                assert not _intersect(a["rect"], b["rect"]), (name, a["name"], b["name"])


TABLES = """(() => { const vw = document.documentElement.clientWidth;
  const cells = Array.from(document.querySelectorAll('article table td'));
  return {
    page: [document.documentElement.scrollWidth, vw],
    tables: Array.from(document.querySelectorAll('article table'))
      .map(t => Math.ceil(t.getBoundingClientRect().right)),
    broken: Array.from(document.querySelectorAll('article table td code'))
      .filter(c => c.getClientRects().length > 1).map(c => c.textContent),
    offscreen: cells.filter(c => c.textContent.trim() && c.getBoundingClientRect().width > 0
      && c.getBoundingClientRect().right > vw + 1).map(c => c.textContent.slice(0, 40)),
    labels: cells.filter(c => c.offsetParent).slice(0, 8).map(c => c.dataset.label),
  }; })()"""


@pytest.mark.parametrize(
    "page",
    ["tasks/products/bottle.html", "tasks/products/index.html", "tasks/shelf_status/index.html"],
)
def test_tables_reflow_on_a_phone(chrome: Chrome, retail: BuildResult, page: str) -> None:
    chrome.viewport(390, 844, mobile=True)
    chrome.goto((_site(retail) / page).as_uri())
    found = chrome.eval(TABLES)
    width, viewport = found["page"]
    assert width <= viewport, "no horizontal overflow of the page"
    assert found["tables"], "the page has tables"
    assert max(found["tables"]) <= viewport + 1, found["tables"]
    assert found["offscreen"] == [], "every column (the meaning too) is on screen"
    assert found["broken"] == [], "code names are not broken mid-word"
    assert all(found["labels"]), "stacked cells carry their column's name"


def test_tables_stay_tables_on_a_desktop(chrome: Chrome, retail: BuildResult) -> None:
    chrome.viewport(1280, 900)
    chrome.goto((_site(retail) / "tasks/products/bottle.html").as_uri())
    shown = chrome.eval("getComputedStyle(document.querySelector('article table thead')).display")
    assert shown == "table-header-group"


@pytest.fixture(scope="module")
def tickets(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_handbook(GUIDELINES / "support-tickets", tmp_path_factory.mktemp("hb") / "t")


def test_other_tasks_regions_have_a_toggle(chrome: Chrome, tickets: BuildResult) -> None:
    chrome.viewport(1280, 900)
    chrome.goto((_site(tickets) / "tasks/intent/wrong_item.html").as_uri())
    visible = (
        "Array.from(document.querySelectorAll('article details.gk-layer[data-task=entities]'))"
        ".map(d => Array.from(d.querySelectorAll('mark.gk-span'))"
        ".filter(m => m.checkVisibility() && m.getBoundingClientRect().width > 0).length)"
    )
    before = chrome.eval(visible)
    assert before and before[0] >= 2, "the other task's spans are highlighted"
    chrome.eval(
        "(() => { document.querySelector('article details.gk-layer summary').click();"
        " return true })()"
    )
    after = chrome.eval(visible)
    assert after[0] == 0 and after[1:] == before[1:], "one click folds that task's layer away"
