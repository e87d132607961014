"""Shared fixtures.

Golden files live in ``tests/golden/``; run ``pytest --update-golden`` to rewrite them, then
review the diff like any other change.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDELINES = ROOT / "guidelines"
GOLDEN = Path(__file__).resolve().parent / "golden"
# beside the repository; GUIDEKIT_CORPUS points elsewhere (a git worktree lives deeper)
CORPUS = Path(os.environ.get("GUIDEKIT_CORPUS") or ROOT.parent / "shared" / "corpus")
EXAMPLES = ("support-tickets", "retail-products", "manufacturing-defects", "clinical-notes")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str | bytes], None]:
    """``golden(name, actual)`` compares with ``tests/golden/<name>`` (or rewrites it)."""
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str | bytes) -> None:
        path = GOLDEN / name
        data = actual.encode("utf-8") if isinstance(actual, str) else actual
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        assert path.exists(), f"golden file {path} is missing; run pytest --update-golden"
        expected = path.read_bytes()
        if isinstance(actual, str):
            assert actual == expected.decode("utf-8"), f"{name} differs from its golden file"
        else:
            assert data == expected, f"{name} differs from its golden file"

    return check


@pytest.fixture(scope="session", autouse=True)
def _no_repository_history() -> Iterator[None]:
    """Tests never read this repository's own git history: the handbook of a fixture must
    not change with the commits that touched it. Git stops looking for a repository at the
    project root, so every folder below it is outside git; temporary repositories (under
    the system's temporary folder) work as usual."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GIT_CEILING_DIRECTORIES", str(ROOT))
        yield


@pytest.fixture(autouse=True)
def _isolate_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep tests out of the user's home and git configuration."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "guidekit tests")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "tests@guidekit.invalid")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "guidekit tests")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "tests@guidekit.invalid")


@pytest.fixture
def corpus() -> Path:
    """The shared third-party export samples; tests using it skip when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"third-party corpus not found at {CORPUS} (it lives beside the repository)")
    return CORPUS


def example_path(name: str) -> Path:
    return GUIDELINES / name
