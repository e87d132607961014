"""Fixtures of the handbook tests: fixture guidelines, built handbooks, a local web server."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from guidekit import ir, load
from guidekit.handbook import BuildResult, build_handbook

from .handbook_chrome import Chrome, find_chromium
from .handbook_support import WORKSHOP, XSS


@pytest.fixture(scope="module")
def chrome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chrome]:
    """Headless Chromium, one per test module (the browser tests skip without it)."""
    binary = find_chromium()
    if binary is None:
        pytest.skip(
            "headless Chromium not found: install Debian's `chromium` package "
            "(or set GUIDEKIT_CHROMIUM) to run the browser tests"
        )
    browser = Chrome(binary, tmp_path_factory.mktemp("chromium-profile"))
    try:
        browser.open()
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="session")
def workshop() -> ir.Guideline:
    return load(WORKSHOP)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The workshop handbook for everybody, built once."""
    return build_handbook(WORKSHOP, tmp_path_factory.mktemp("hb") / "workshop")


@pytest.fixture(scope="session")
def built_vendor(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_handbook(WORKSHOP, tmp_path_factory.mktemp("hb") / "vendor", audience="vendor")


@pytest.fixture(scope="session")
def built_xss(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_handbook(XSS, tmp_path_factory.mktemp("hb") / "xss")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def serve_dir() -> Iterator[object]:
    """``serve_dir(path) -> base URL``: serve a folder on 127.0.0.1 for the test."""
    servers: list[ThreadingHTTPServer] = []

    def start(path: Path) -> str:
        handler = functools.partial(_Quiet, directory=str(path))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def plugin_registered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """mkdocs finds plugins through package entry points. When guidekit runs from a source
    tree without being installed, register the entry point that pyproject.toml declares."""
    if any(ep.name == "guidekit" for ep in entry_points(group="mkdocs.plugins")):
        return
    dist = tmp_path / "shim" / "guidekit_entry_point-0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: guidekit-entry-point\nVersion: 0\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(
        "[mkdocs.plugins]\nguidekit = guidekit.handbook.mkdocs_plugin:GuidekitPlugin\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path / "shim"))
    # mkdocs reads the installed plugins once, when its config schema is imported
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.plugins import get_plugins

    option = dict(MkDocsConfig._schema)["plugins"]
    monkeypatch.setattr(option, "installed_plugins", get_plugins())
