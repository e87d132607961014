"""``guidekit serve`` with a broken guideline: the errors on the page you were on, errors first
and warnings folded (a real server on 127.0.0.1)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from guidekit.compiler.pipeline import compile_guideline
from guidekit.handbook.problems import inject, overlay

from .handbook_support import WORKSHOP
from .test_serve import SRC, _free_port, _wait


def _fetch(url: str) -> str:
    """The body of ``url``, a 404's included ("" when nothing answers)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return str(r.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        return str(e.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _break(project: Path) -> None:
    """One error (an edge case decided as an unknown class) and one warning (no definition)."""
    reason = project / "taxonomy" / "reason.yaml"
    text = reason.read_text(encoding="utf-8")
    text = text.replace("  definition: The item itself is faulty.\n", "", 1)
    reason.write_text(text.replace("decision: broken", "decision: brokn", 1), encoding="utf-8")


def _errors_first(page: str) -> None:
    assert 'id="gk-serve-errors"' in page
    block = page[page.index('id="gk-serve-errors"') :]
    error, warning = block.index("GK308"), block.index("GK401")
    assert error < block.index("<details") < warning, "errors first, warnings folded"
    assert "decision: brokn" in block, "the source line of the error"


def test_overlay_puts_errors_first_and_folds_warnings(tmp_path: Path) -> None:
    project = tmp_path / "workshop"
    shutil.copytree(WORKSHOP, project)
    _break(project)
    diagnostics = compile_guideline(project).diagnostics
    # the compiler's order puts the warning (line 1) before the error (line 27)
    assert [d.code for d in diagnostics] == ["GK401", "GK308"]
    page = inject("<html><body class='x'><p>page</p></body></html>", overlay(diagnostics, project))
    _errors_first(page)
    assert page.index("gk-serve-errors") < page.index("<p>page</p>")
    assert overlay([]) == "" and inject("<body>", "") == "<body>"


@pytest.mark.slow
def test_serve_shows_errors_on_the_page_you_were_on(tmp_path: Path) -> None:
    project = tmp_path / "workshop"
    shutil.copytree(WORKSHOP, project)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    page = f"{base}/tasks/reason/broken.html"
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
    reason = project / "taxonomy" / "reason.yaml"
    original = reason.read_text(encoding="utf-8")
    try:
        _wait(lambda: "does not work at all" in _fetch(page), "the first build")
        assert "gk-serve-errors" not in _fetch(page)
        _break(project)
        _wait(lambda: "gk-serve-errors" in _fetch(page), "the errors on the page")
        shown = _fetch(page)
        assert "does not work at all" in shown, "the page you were on is still there"
        _errors_first(shown)
        # another page of the handbook, and one that does not exist, show them too
        _errors_first(_fetch(f"{base}/tasks/reason/cosmetic.html"))
        _errors_first(_fetch(f"{base}/no/such/page.html"))
        reason.write_text(original, encoding="utf-8")
        _wait(lambda: "gk-serve-errors" not in _fetch(page), "recovery after the fix")
        assert "does not work at all" in _fetch(page)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
        log.close()
