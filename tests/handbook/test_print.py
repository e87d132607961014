"""The printable view: the whole handbook on one page."""

from __future__ import annotations

import re
from collections import Counter

from guidekit import ir
from guidekit.handbook import BuildResult, render_handbook


def test_print_page_holds_every_page_as_a_section(workshop: ir.Guideline) -> None:
    hb = render_handbook(workshop)
    page = hb.pages["print.md"]
    assert "search:\n  exclude: true" in page  # not a second hit for every search
    for path in hb.pages:
        if path == "print.md":
            continue
        anchor = "p-" + re.sub(r"[^a-z0-9]+", "-", path.removesuffix(".md").lower()).strip("-")
        assert f"{{#{anchor}}}" in page, path
    assert page.count('<div class="gk-print-break"></div>') == len(hb.pages) - 1


def test_print_page_links_stay_on_the_page(workshop: ir.Guideline) -> None:
    page = render_handbook(workshop).pages["print.md"]
    targets = re.findall(r"\]\(([^)\s]+)\)", page)
    assert targets and all(t.startswith("#") for t in targets)
    ids = re.findall(r"\{#([^}]+)\}", page)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert set(t[1:] for t in targets) <= set(ids)


def test_print_page_builds_and_keeps_pictures(built: BuildResult) -> None:
    assert built.site is not None
    html = (built.site / "print.html").read_text(encoding="utf-8")
    assert 'href="media/images/kettle-01.png"' in html
    assert html.count('class="gk-card') >= 10
    css = (built.site / "assets" / "guidekit.css").read_text(encoding="utf-8")
    assert "@media print" in css and "break-after: page" in css
