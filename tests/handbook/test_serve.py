"""``guidekit serve``: a live preview that rebuilds when a YAML file changes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from guidekit.cli import main

from .handbook_support import WORKSHOP

SRC = Path(__file__).resolve().parents[2] / "src"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait(check: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.mark.slow
def test_serve_rebuilds_when_a_yaml_file_changes(tmp_path: Path) -> None:
    project = tmp_path / "workshop"
    shutil.copytree(WORKSHOP, project)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/tasks/reason/broken.html"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "guidekit", "serve", str(project), "-d", f"127.0.0.1:{port}"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    taxonomy = project / "taxonomy" / "reason.yaml"
    original = taxonomy.read_text(encoding="utf-8")
    try:
        _wait(lambda: "does not work at all" in (_get(url) or ""), "the first build")
        taxonomy.write_text(
            original.replace("does not work at all", "is COMPLETELY DEAD"), encoding="utf-8"
        )
        _wait(lambda: "is COMPLETELY DEAD" in (_get(url) or ""), "the rebuild after an edit")
        # a broken guideline shows its errors instead of the handbook
        taxonomy.write_text(original.replace("- id: broken", "- id: [broken"), encoding="utf-8")
        home = f"http://127.0.0.1:{port}/"
        _wait(lambda: "GK103" in (_get(home) or ""), "the error page")
        taxonomy.write_text(original, encoding="utf-8")
        _wait(lambda: "does not work at all" in (_get(url) or ""), "recovery after the fix")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
        log.close()
    assert "Serving on" in (tmp_path / "serve.log").read_text(encoding="utf-8")


def test_serve_rejects_an_unknown_audience(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", str(WORKSHOP), "--audience", "press", "-d", "127.0.0.1:1"]) == 1
    assert "GK011" in capsys.readouterr().err


def test_serve_needs_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", str(tmp_path)]) == 1
    assert "GK002" in capsys.readouterr().err
