"""The ``guidekit`` mkdocs plugin under Zensical, which runs no mkdocs plugins.

Zensical drops plugin names it does not know, so a site whose handbook comes from the plugin
would build with exit code 0 and no handbook. The ``guidekit.handbook.guard`` Markdown
extension, listed next to the plugin, stops such a build with a message naming the
alternative; under mkdocs it changes nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import guidekit
from guidekit.handbook import build_site
from guidekit.handbook.guard import MESSAGE
from guidekit.handbook.sitebuild import engine_available

from .handbook_support import WORKSHOP

needs_zensical = pytest.mark.skipif(
    not engine_available("zensical"),
    reason="Zensical not installed: pip install 'guidekit[zensical]' to test the second engine",
)


def host(tmp_path: Path, *, guard: bool) -> Path:
    site = tmp_path / "host"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Our project\n\nWelcome.\n", encoding="utf-8")
    lines = [
        "site_name: Our project",
        "theme:",
        "  name: material",
        "use_directory_urls: false",
        "plugins:",
        "  - search",
        "  - guidekit:",
        f"      guideline: {os.path.relpath(WORKSHOP, site)}",
        "      prefix: labelling",
        "nav:",
        "  - Home: index.md",
    ]
    if guard:
        lines += ["markdown_extensions:", "  - guidekit.handbook.guard"]
    (site / "mkdocs.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return site


def zensical(site: Path) -> subprocess.CompletedProcess[str]:
    src = str(Path(guidekit.__file__).resolve().parents[1])  # this checkout's guidekit
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml", "--strict"],
        cwd=site,
        env={**env, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@needs_zensical
def test_zensical_build_of_a_plugin_site_fails_loudly(tmp_path: Path) -> None:
    site = host(tmp_path, guard=True)
    proc = zensical(site)
    assert proc.returncode != 0
    said = " ".join((proc.stdout + proc.stderr).split())
    assert "Zensical does not run" in said
    assert "guidekit build --target handbook --engine zensical" in said
    assert not (site / "site" / "labelling").exists()


@needs_zensical
def test_without_the_guard_zensical_drops_the_handbook_silently(tmp_path: Path) -> None:
    # the defect the guard exists for: if this starts failing, Zensical runs mkdocs plugins
    # now and the guard's advice must be revisited
    site = host(tmp_path, guard=False)
    proc = zensical(site)
    assert proc.returncode == 0
    assert (site / "site" / "index.html").is_file()
    assert not (site / "site" / "labelling").exists()


@pytest.mark.usefixtures("plugin_registered")
def test_the_guard_changes_nothing_under_mkdocs(tmp_path: Path) -> None:
    site_dir = build_site(host(tmp_path, guard=True))
    assert (site_dir / "labelling" / "tasks" / "reason" / "broken.html").is_file()
    assert MESSAGE.startswith("guidekit: ")
