"""guidekit's own documentation site (``site/``): generated pages are current, it builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from tools.sitedocs import ROOT, cli_reference, stale_files

from guidekit.handbook import build_site


def test_generated_site_pages_are_current() -> None:
    stale = [p.relative_to(ROOT).as_posix() for p in stale_files()]
    assert stale == [], f"{stale} are out of date; run `python -m tools.sitedocs`"


def test_cli_reference_documents_every_command() -> None:
    from guidekit.cli import cli

    text = cli_reference()
    for name in cli.commands:  # type: ignore[attr-defined]
        assert f"\n## guidekit {name}\n" in text
    assert "Usage: guidekit build [OPTIONS] [PROJECT]" in text
    assert "--audience" in text


@pytest.mark.usefixtures("plugin_registered")
def test_documentation_site_builds_strictly_with_the_example_handbook(tmp_path: Path) -> None:
    site = build_site(ROOT / "site", tmp_path / "site")
    assert (site / "cli.html").is_file() or (site / "cli" / "index.html").is_file()
    page = site / "example-handbook" / "tasks" / "intent" / "index.html"
    assert page.is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Example: support-tickets handbook" in home
