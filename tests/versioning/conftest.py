"""Fixtures of the versioning tests: an editable copy of the fixture guideline, and a real
git repository holding it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import GUIDELINES

from .helpers import HELPDESK, Git

#: the bundled guideline the gate tests edit
ST = "support-tickets"


@pytest.fixture
def helpdesk(tmp_path: Path) -> Path:
    """An editable copy of the helpdesk fixture guideline."""
    dest = tmp_path / "helpdesk"
    shutil.copytree(HELPDESK, dest)
    return dest


@pytest.fixture
def repo(tmp_path: Path) -> Git:
    """A git repository holding the helpdesk guideline at ``guidelines/helpdesk``, committed
    and tagged ``helpdesk-v1.0.0``."""
    git = Git(tmp_path / "repo")
    shutil.copytree(HELPDESK, git.root / "guidelines" / "helpdesk")
    (git.root / "README.md").write_text("guidelines\n", encoding="utf-8")
    git.commit("helpdesk 1.0.0", date="2024-01-01T12:00:00Z")
    git.tag("helpdesk-v1.0.0")
    return git


@pytest.fixture
def st(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Git:
    """support-tickets 2.3.0 committed and tagged `base`, as the current folder."""
    git = Git(tmp_path / "repo")
    shutil.copytree(GUIDELINES / ST, git.root / ST)
    git.commit("base")
    git.tag("base")
    monkeypatch.chdir(git.root)
    return git
