"""The handbook on both engines: ``guidekit build --target handbook --engine mkdocs|zensical``.

Every bundled guideline is built by both engines through the CLI, strictly; both sites hold
the same pages, and an audience's site built by Zensical holds nothing above its clearance
(the whole output is scanned, as for mkdocs in test_audience.py). Skips with a visible
reason where Zensical is not installed (the extra ``guidekit[zensical]``); the refusal
without it always runs.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from guidekit import GuidekitError
from guidekit.cli import main
from guidekit.handbook import sitebuild
from guidekit.handbook.sitebuild import engine_available

from .handbook_support import ABOVE_PUBLIC, WORKSHOP, tree

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted(
    p.name for p in (ROOT / "guidelines").iterdir() if (p / "guideline.yaml").is_file()
)

needs_zensical = pytest.mark.skipif(
    not engine_available("zensical"),
    reason="Zensical not installed: pip install 'guidekit[zensical]' to test the second engine",
)


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def test_bundled_guidelines_are_found() -> None:
    assert len(BUNDLED) >= 4, BUNDLED


@needs_zensical
@pytest.mark.parametrize("name", BUNDLED)
def test_both_engines_build_the_same_pages(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sites = {}
    for engine in ("mkdocs", "zensical"):
        out = tmp_path / engine
        args = ["build", str(ROOT / "guidelines" / name), "-t", "handbook", "-o", str(out)]
        assert main([*args, "--engine", engine, "--history", "none"]) == 0
        sites[engine] = out / "site"
        assert (out / "site" / "index.html").is_file()
        # the engine's cache is not left among the outputs
        assert not (out / ".cache").exists()
    said = capsys.readouterr().out
    assert "built by zensical" in said
    mkdocs_pages, zensical_pages = _pages(sites["mkdocs"]), _pages(sites["zensical"])
    assert zensical_pages == mkdocs_pages
    assert {"index.html", "print.html", "glossary.html"} <= zensical_pages
    # the generated parts are there: banner, styles, drawings
    index = (sites["zensical"] / "index.html").read_text(encoding="utf-8")
    assert "gk-banner" in index and "assets/guidekit.css" in index


@needs_zensical
def test_zensical_builds_are_reproducible(tmp_path: Path) -> None:
    outs = []
    for i in (1, 2):
        out = tmp_path / f"b{i}"
        args = ["build", str(WORKSHOP), "-t", "handbook", "-o", str(out), "--engine", "zensical"]
        assert main(args) == 0
        outs.append(tree(out / "site"))
    assert outs[0] == outs[1]


@needs_zensical
def test_vendor_site_built_by_zensical_has_nothing_above_public(tmp_path: Path) -> None:
    found: dict[str, dict[str, list[str]]] = {}
    for audience in (None, "vendor"):
        out = tmp_path / (audience or "all")
        who = ["--audience", audience] if audience else []
        args = ["build", str(WORKSHOP), "-t", "handbook", "-o", str(out), "--engine", "zensical"]
        assert main([*args, *who]) == 0
        hits: dict[str, list[str]] = {}
        for rel, data in tree(out).items():
            text = html.unescape(data.decode("utf-8", errors="replace"))
            for needle in ABOVE_PUBLIC:
                if needle in text:
                    hits.setdefault(needle, []).append(rel)
        found[audience or "all"] = hits
    # the oracle: every string is in the unfiltered site, its search index included
    assert set(found["all"]) == set(ABOVE_PUBLIC)
    assert all(any(r.startswith("site/search") for r in v) for v in found["all"].values())
    assert found["vendor"] == {}


@needs_zensical
def test_a_broken_link_fails_the_zensical_build(tmp_path: Path) -> None:
    out = tmp_path / "hb"
    assert main(["build", str(WORKSHOP), "-t", "handbook", "-o", str(out), "--no-site"]) == 0
    with (out / "docs" / "glossary.md").open("a", encoding="utf-8") as f:
        f.write("\n[broken](no-such-page.md)\n")
    with pytest.raises(GuidekitError) as caught:
        sitebuild.build_site(out, engine="zensical")
    (d,) = caught.value.diagnostics
    assert d.code == "GK012" and "Zensical could not build" in d.message
    assert "does not exist" in d.message and "Traceback" not in d.message
    assert not (out / ".cache").exists()


def test_missing_zensical_is_a_usage_error_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sitebuild, "engine_available", lambda engine: engine == "mkdocs")
    out = tmp_path / "out"
    args = ["build", str(tmp_path / "missing"), "-t", "handbook", "-o", str(out)]
    assert main([*args, "--engine", "zensical"]) == 2
    err = capsys.readouterr().err
    assert "zensical is not installed" in err and "guidekit[zensical]" in err
    assert not out.exists()


def test_unknown_engine_is_a_usage_error(tmp_path: Path) -> None:
    args = ["build", str(WORKSHOP), "-t", "handbook", "-o", str(tmp_path / "o")]
    assert main([*args, "--engine", "hugo"]) == 2
