"""The version selector (versions from git tags, sites side by side as ``../<version>/``) and
the "edit this page" link to the YAML line (``links: {repository: ...}``)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from guidekit.cli import main
from versioning.helpers import Git

from .handbook_support import WORKSHOP
from .history_support import PROJECT, released

REPO = "https://git.example.org/org/repo/blob/main/guidelines/workshop"


def _workshop(tmp_path: Path, repository: str | None) -> Path:
    project = tmp_path / "workshop"
    shutil.copytree(WORKSHOP, project)
    if repository is not None:
        yaml = project / "guideline.yaml"
        text = yaml.read_text(encoding="utf-8")
        yaml.write_text(
            text.replace("\nlinks:\n", f"\nlinks:\n  repository: {repository!r}\n"),
            encoding="utf-8",
        )
    return project


def _build(project: Path, out: Path, *extra: str) -> Path:
    argv = ["build", str(project), "-t", "handbook", "-o", str(out), *extra]
    assert main(argv) == 0
    return out


def test_edit_link_points_at_the_yaml_line(tmp_path: Path) -> None:
    docs = _build(_workshop(tmp_path, REPO), tmp_path / "hb", "--no-site") / "docs"
    broken = (docs / "tasks/reason/broken.md").read_text(encoding="utf-8")
    # `- id: broken` is line 5 of taxonomy/reason.yaml
    assert f'href="{REPO}/taxonomy/reason.yaml#L5"' in broken
    assert "Edit this page: taxonomy/reason.yaml:5" in broken
    task = (docs / "tasks/reason/index.md").read_text(encoding="utf-8")
    assert re.search(rf'href="{re.escape(REPO)}/guideline.yaml#L\d+"', task)
    assert "gk-edit" not in (docs / "print.md").read_text(encoding="utf-8")


def test_edit_link_template_and_unsafe_urls(tmp_path: Path) -> None:
    template = "https://bitbucket.example.org/r/src/main/{path}#lines-{line}"
    docs = _build(_workshop(tmp_path / "a", template), tmp_path / "a" / "hb", "--no-site")
    broken = (docs / "docs/tasks/reason/broken.md").read_text(encoding="utf-8")
    assert 'href="https://bitbucket.example.org/r/src/main/taxonomy/reason.yaml#lines-5"' in broken
    for url in ("javascript:alert(1)", None):
        where = tmp_path / ("js" if url else "none")
        docs = _build(_workshop(where, url), where / "hb", "--no-site")
        assert "gk-edit" not in (docs / "docs/tasks/reason/broken.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Git:
    return released(tmp_path_factory.mktemp("history") / "repo")


def test_version_selector_lists_the_released_versions(repo: Git, tmp_path: Path) -> None:
    site = _build(repo.root / PROJECT, tmp_path / "hb") / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    selector = re.search(r'<details class="gk-versions">.*?</details>', home, re.S)
    assert selector is not None, "a version selector in the banner"
    links = re.findall(r'href="([^"]+)">([^<]+)</a>', selector.group(0))
    assert [v for _, v in links] == ["1.1.0", "1.0.0"]
    assert links[0][0] == "./../1.1.0/index.html"
    assert '<strong aria-current="true">2.0.0</strong>' in selector.group(0)
    # from a page two folders down, the link climbs out of this version's site
    deep = next(site.glob("tasks/*/index.html")).read_text(encoding="utf-8")
    assert 'href="../../../1.0.0/index.html"' in deep


def test_no_selector_without_a_history(tmp_path: Path) -> None:
    site = _build(_workshop(tmp_path, None), tmp_path / "hb", "--history", "none") / "site"
    assert "gk-versions" not in (site / "index.html").read_text(encoding="utf-8")
