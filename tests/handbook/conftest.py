"""Fixtures of the handbook tests: fixture guidelines, built handbooks, a local web server."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from guidekit import ir, load
from guidekit.handbook import BuildResult, build_handbook

from .handbook_support import WORKSHOP, XSS


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
