"""``guidekit build --target pdf``: the print view printed by headless Chromium.

The PDF's text is read back with pypdf: headings, the table of contents, the bookmarks, the
running heads (guideline id, version, audience) and page numbers on every page, and no
restricted text in a lower audience's PDF. Skips with a visible reason where no Chromium is
installed; the test of the missing-Chromium refusal always runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from guidekit.cli import main

from .handbook_chrome import find_chromium
from .handbook_support import ABOVE_PUBLIC, WORKSHOP

pypdf = pytest.importorskip("pypdf")

needs_chromium = pytest.mark.skipif(
    find_chromium() is None,
    reason="headless Chromium not found: install Debian's `chromium` package "
    "(or set GUIDEKIT_CHROMIUM) to print the handbook",
)


def _pages(pdf: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(pdf).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _outline_titles(outline: list[object]) -> Iterator[str]:
    for item in outline:
        if isinstance(item, list):
            yield from _outline_titles(item)
        else:
            yield str(item.title)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str | None, Path]:
    """The workshop's PDF for everybody and for the vendor, built through the CLI."""
    if find_chromium() is None:
        pytest.skip("headless Chromium not found (apt-get install chromium)")
    root = tmp_path_factory.mktemp("pdf")
    out: dict[str | None, Path] = {}
    for audience in (None, "vendor"):
        folder = root / (audience or "all")
        who = ["--audience", audience] if audience else []
        assert main(["build", str(WORKSHOP), "-t", "pdf", "-o", str(folder), *who]) == 0
        (pdf,) = folder.glob("*.pdf")
        out[audience] = pdf
    return out


@needs_chromium
def test_pdf_is_named_like_the_zip_and_written_through_outputs(
    printed: dict[str | None, Path],
) -> None:
    assert printed[None].name == "workshop-1.4.0-handbook.pdf"
    assert printed["vendor"].name == "workshop-1.4.0-vendor-handbook.pdf"
    marker = printed["vendor"].parent / ".guidekit-output.json"
    assert marker.is_file() and printed["vendor"].name in marker.read_text(encoding="utf-8")


@needs_chromium
def test_every_page_names_the_guideline_version_audience_and_its_number(
    printed: dict[str | None, Path],
) -> None:
    for audience, pdf in printed.items():
        pages = _pages(pdf)
        assert len(pages) > 3
        who = f"audience: {audience}" if audience else "all audiences (internal)"
        for number, text in enumerate(pages, start=1):
            assert "workshop 1.4.0" in text, number
            assert who in text, number
            assert f"Page {number} of {len(pages)}" in text, number


@needs_chromium
def test_pdf_has_headings_contents_and_bookmarks(printed: dict[str | None, Path]) -> None:
    pdf = printed[None]
    pages = _pages(pdf)
    assert "Workshop returns" in pages[0] and "Contents" in pages[0]
    whole = "\n".join(pages)
    for heading in ("Edge-case log", "Rules", "Acceptance criteria", "Glossary"):
        assert heading in whole, heading
    reader = pypdf.PdfReader(pdf)
    titles = set(_outline_titles(reader.outline))
    assert {"Workshop returns", "Contents", "Glossary"} <= titles
    # the contents are links to the sections of the same document
    links = [
        a.get_object()
        for page in reader.pages[:3]
        for a in page.get("/Annots", [])
        if a.get_object().get("/Subtype") == "/Link"
    ]
    assert links and all("/Dest" in a or "/GoTo" in str(a.get("/A")) for a in links)


@needs_chromium
def test_spans_are_printed_with_their_text(printed: dict[str | None, Path]) -> None:
    whole = _flat("".join(_pages(printed[None])))
    assert "crackedlid" in whole and "cablesparks" in whole


@needs_chromium
def test_vendor_pdf_has_nothing_above_public(printed: dict[str | None, Path]) -> None:
    everything = _flat("".join(_pages(printed[None])))
    vendor = _flat("".join(_pages(printed["vendor"])))
    # the oracle means something only if the full PDF holds the strings
    shown = [s for s in ABOVE_PUBLIC if _flat(s) in everything]
    assert len(shown) >= 5, shown
    assert [s for s in ABOVE_PUBLIC if _flat(s) in vendor] == []


@needs_chromium
def test_same_guideline_gives_the_same_pdf(tmp_path: Path, printed: dict[str | None, Path]) -> None:
    again = tmp_path / "again"
    assert main(["build", str(WORKSHOP), "-t", "pdf", "-o", str(again)]) == 0
    data = (again / printed[None].name).read_bytes()
    assert data == printed[None].read_bytes()
    assert b"/CreationDate (D:19800101000000+00'00')" in data


def test_missing_chromium_is_a_usage_error_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GUIDEKIT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    out = tmp_path / "out"
    # a project that does not exist: the missing browser is reported first, nothing is read
    assert main(["build", str(tmp_path / "missing"), "-t", "pdf", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no Chromium found" in err and "apt-get install chromium" in err
    assert "GUIDEKIT_CHROMIUM" in err and "Traceback" not in err
    assert not out.exists()


def test_default_build_leaves_the_pdf_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GUIDEKIT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    out = tmp_path / "out"
    assert main(["build", str(WORKSHOP), "-o", str(out), "--no-site"]) == 0
    assert (out / "handbook").is_dir() and not (out / "pdf").exists()
    assert "pdf:" not in capsys.readouterr().out
