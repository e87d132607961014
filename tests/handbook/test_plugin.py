"""The mkdocs plugin: a guideline's handbook embedded in an existing mkdocs site."""

from __future__ import annotations

import os
import posixpath
import re
import sys
from pathlib import Path

import pytest

from guidekit import GuidekitError
from guidekit.handbook import build_site
from guidekit.handbook.mkdocs_plugin import GuidekitPlugin

from .handbook_support import WORKSHOP

ROOT = Path(__file__).resolve().parents[2]


def test_pyproject_declares_the_entry_point() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        pytest.skip("tomllib needs Python 3.11")
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    value = data["project"]["entry-points"]["mkdocs.plugins"]["guidekit"]
    assert value == "guidekit.handbook.mkdocs_plugin:GuidekitPlugin"


def host(tmp_path: Path, plugin: str, *, nav: bool = True, directory_urls: bool = True) -> Path:
    site = tmp_path / "host"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Our project\n\nWelcome.\n", encoding="utf-8")
    guideline = os.path.relpath(WORKSHOP, site)
    lines = [
        "site_name: Our project",
        "theme:",
        "  name: material",
        f"use_directory_urls: {'true' if directory_urls else 'false'}",
        "plugins:",
        "  - search",
        "  - guidekit:",
        f"      guideline: {guideline}",
        *(f"      {line}" for line in plugin.splitlines() if line),
        "validation:",
        "  omitted_files: warn",
        "  unrecognized_links: warn",
        "  anchors: warn",
    ]
    if nav:
        lines += ["nav:", "  - Home: index.md"]
    (site / "mkdocs.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return site


@pytest.mark.usefixtures("plugin_registered")
def test_handbook_is_embedded_under_its_prefix(tmp_path: Path) -> None:
    site_dir = build_site(host(tmp_path, "prefix: labelling\nnav_title: Labelling handbook"))
    page = site_dir / "labelling" / "tasks" / "reason" / "broken" / "index.html"
    assert page.is_file()
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "Labelling handbook" in home  # the appended nav section
    assert "labelling/assets/guidekit.css" in home
    # pictures use relative URLs that mkdocs does not rewrite: they must still resolve
    item = site_dir / "labelling" / "tasks" / "parts" / "item" / "index.html"
    (src,) = set(re.findall(r'<image href="([^"]+)"', item.read_text(encoding="utf-8")))
    url_dir = "labelling/tasks/parts/item"
    assert (site_dir / posixpath.normpath(posixpath.join(url_dir, src))).is_file()


@pytest.mark.usefixtures("plugin_registered")
def test_flat_urls_and_auto_nav(tmp_path: Path) -> None:
    site_dir = build_site(host(tmp_path, "prefix: hb", nav=False, directory_urls=False))
    item = site_dir / "hb" / "tasks" / "parts" / "item.html"
    (src,) = set(re.findall(r'<image href="([^"]+)"', item.read_text(encoding="utf-8")))
    assert (site_dir / posixpath.normpath(posixpath.join("hb/tasks/parts", src))).is_file()
    assert (site_dir / "hb" / "print.html").is_file()


@pytest.mark.usefixtures("plugin_registered")
def test_audience_applies_to_embedded_pages(tmp_path: Path) -> None:
    site_dir = build_site(host(tmp_path, "prefix: hb\naudience: vendor"))
    text = "".join(p.read_text(encoding="utf-8") for p in site_dir.rglob("*.html"))
    assert "Dead on arrival" in text
    assert "SECRET-HAZARD-ALPHA" not in text


@pytest.mark.usefixtures("plugin_registered")
def test_a_clashing_page_is_an_error(tmp_path: Path) -> None:
    site = host(tmp_path, "prefix: ''")
    with pytest.raises(GuidekitError) as info:
        build_site(site)  # docs/index.md is also the handbook's home page
    assert "index.md' exists in docs_dir" in str(info.value.diagnostics[0].message)


@pytest.mark.usefixtures("plugin_registered")
def test_guideline_errors_fail_the_build(tmp_path: Path) -> None:
    site = host(tmp_path, "prefix: hb")
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            os.path.relpath(WORKSHOP, site), "missing-guideline"
        ),
        encoding="utf-8",
    )
    with pytest.raises(GuidekitError) as info:
        build_site(site)
    assert "GK001" in info.value.diagnostics[0].message


def test_plugin_options_are_validated() -> None:
    plugin = GuidekitPlugin()
    errors, _ = plugin.load_config({"guideline": "x", "nav": "sideways"})
    assert [name for name, _ in errors] == ["nav"]
