"""``guidekit serve --engine zensical``, and the preview's cleanup on SIGTERM and SIGINT.

Real subprocesses with a private ``TMPDIR``: after the signal the preview exits and leaves no
``guidekit-serve-*`` folder behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from guidekit.cli import main
from guidekit.handbook import sitebuild
from guidekit.handbook.sitebuild import engine_available

from .handbook_support import WORKSHOP
from .test_serve import SRC, _free_port, _get, _wait

needs_zensical = pytest.mark.skipif(
    not engine_available("zensical"),
    reason="Zensical not installed: pip install 'guidekit[zensical]' to test the second engine",
)


def _start(tmp_path: Path, project: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "TMPDIR": str(temp),
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    log = (tmp_path / "serve.log").open("wb")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "guidekit",
            "serve",
            str(project),
            "-d",
            f"127.0.0.1:{port}",
            *extra,
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _stop(proc: subprocess.Popen[bytes], sig: int) -> int:
    proc.send_signal(sig)
    try:
        return proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=20)
        raise AssertionError("the preview did not stop on the signal") from None


def _leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "tmp").glob("guidekit-serve-*"))


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_mkdocs_preview_cleans_up_on_signals(tmp_path: Path, sig: int) -> None:
    port = _free_port()
    proc = _start(tmp_path, WORKSHOP, port)
    try:
        _wait(lambda: "Workshop" in (_get(f"http://127.0.0.1:{port}/") or ""), "the first build")
        assert len(_leftovers(tmp_path)) == 1  # the folder the test expects to vanish
    finally:
        code = _stop(proc, sig)
    assert code in (0, 130), (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert _leftovers(tmp_path) == []
    assert "Traceback" not in (tmp_path / "serve.log").read_text(encoding="utf-8")


@pytest.mark.slow
@needs_zensical
def test_zensical_preview_rewrites_on_change_and_cleans_up(tmp_path: Path) -> None:
    project = tmp_path / "workshop"
    shutil.copytree(WORKSHOP, project)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/tasks/reason/broken.html"
    proc = _start(tmp_path, project, port, "--engine", "zensical")
    taxonomy = project / "taxonomy" / "reason.yaml"
    original = taxonomy.read_text(encoding="utf-8")
    try:
        _wait(lambda: "does not work at all" in (_get(url) or ""), "the first build")
        assert len(_leftovers(tmp_path)) == 1
        taxonomy.write_text(
            original.replace("does not work at all", "is COMPLETELY DEAD"), encoding="utf-8"
        )
        _wait(lambda: "is COMPLETELY DEAD" in (_get(url) or ""), "the rebuild after an edit")
        # a broken guideline: errors in the terminal, the last good handbook stays
        taxonomy.write_text(original.replace("- id: broken", "- id: [broken"), encoding="utf-8")
        log = tmp_path / "serve.log"
        _wait(lambda: "GK103" in log.read_text(encoding="utf-8"), "the errors in the terminal")
        assert "is COMPLETELY DEAD" in (_get(url) or "")
    finally:
        code = _stop(proc, signal.SIGTERM)
    assert code in (0, 130), (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert _leftovers(tmp_path) == []


def test_serve_without_zensical_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sitebuild, "engine_available", lambda engine: engine == "mkdocs")
    assert main(["serve", str(WORKSHOP), "--engine", "zensical", "-d", "127.0.0.1:1"]) == 2
    assert "zensical is not installed" in capsys.readouterr().err
