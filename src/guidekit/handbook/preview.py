"""``guidekit serve``: the handbook through mkdocs' development server.

A small mkdocs project is written to a temporary folder: the handbook's theme settings, an
empty ``docs/`` and the :mod:`guidekit mkdocs plugin <guidekit.handbook.mkdocs_plugin>`, which renders
every page from the guideline on each build. mkdocs watches the guideline's folder, so saving
a YAML file rebuilds the site and reloads the browser.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import yaml

from guidekit.handbook.marker import MARKER
from guidekit.handbook.project import asset

if TYPE_CHECKING:
    from guidekit.handbook.changes import HistorySource
    from guidekit.handbook.sitebuild import Engine


def plugin_options(
    project: Path,
    audience: str | None,
    *,
    since: str | None = None,
    history: HistorySource = "auto",
    tags: str = "*",
) -> dict[str, Any]:
    options: dict[str, Any] = {
        "guideline": str(project),
        "prefix": "",
        "nav": "replace",
        "on_error": "page",
        "history": history,
        "tags": tags,
    }
    if audience:
        options["audience"] = audience
    if since:
        options["since"] = since
    return options


def shell_config(project: Path, audience: str | None) -> dict[str, Any]:
    from guidekit.handbook.project import mkdocs_config_base

    config = mkdocs_config_base()
    config["site_name"] = "Handbook preview"
    config["hooks"] = ["hooks.py"]
    config["watch"] = [str(project)]
    config["strict"] = False
    return config


def write_shell(folder: Path, project: Path, audience: str | None, **history: Any) -> Path:
    """The preview's mkdocs project in ``folder``; ``history`` are the plugin's ``since``,
    ``history`` and ``tags`` options."""
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "overrides").mkdir(parents=True, exist_ok=True)
    (folder / "overrides" / "main.html").write_bytes(asset("main.html"))
    options = plugin_options(project, audience, **history)
    (folder / "hooks.py").write_text(
        '"""Runs the guidekit mkdocs plugin for `guidekit serve`."""\n\n'
        "from guidekit.handbook.mkdocs_plugin import hooks_for\n\n"
        f"globals().update(hooks_for({options!r}, __file__))\n",
        encoding="utf-8",
    )
    config = folder / "mkdocs.yml"
    config.write_text(
        f"{MARKER} for `guidekit serve`.\n"
        + yaml.safe_dump(shell_config(project, audience), sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return config


def _log_to_console() -> None:
    """Show mkdocs' messages (the address served, rebuilds) as ``mkdocs serve`` would."""
    import logging

    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_guidekit", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        # a marker so that a second preview in one process does not add a second handler
        handler._guidekit = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def serve(
    project: Path,
    *,
    audience: str | None = None,
    dev_addr: str = "127.0.0.1:8000",
    open_browser: bool = False,
    since: str | None = None,
    history: HistorySource = "auto",
    tags: str = "*",
    engine: Engine = "mkdocs",
) -> None:
    """Serve the handbook of ``project`` until interrupted (Ctrl+C or SIGTERM; the temporary
    folder is removed either way), built by ``engine``."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    from guidekit.audience import check_audience
    from guidekit.compiler.pipeline import find_project, load

    root, _ = find_project(project)
    if audience is not None or since is not None:
        # bad options are errors now, not a preview that fails on every rebuild
        g = load(root)
        check_audience(g, audience)
        if since is not None:
            from guidekit.handbook.changes import read

            read(g, audience=audience, since=since, source=history, tags=tags)
    if engine == "zensical":
        with _stop_on_sigterm(), tempfile.TemporaryDirectory(prefix="guidekit-serve-") as tmp:
            _serve_zensical(
                root.resolve(),
                Path(tmp),
                audience=audience,
                dev_addr=dev_addr,
                open_browser=open_browser,
                since=since,
                history=history,
                tags=tags,
            )
        return
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _log_to_console()
    with _stop_on_sigterm(), tempfile.TemporaryDirectory(prefix="guidekit-serve-") as tmp:
        config = write_shell(
            Path(tmp), root.resolve(), audience, since=since, history=history, tags=tags
        )
        mkdocs_serve(
            config_file=str(config),
            livereload=True,
            open_in_browser=open_browser,
            dev_addr=dev_addr,
        )


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM stops the preview as Ctrl+C does, so its temporary folder is removed."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _snapshot(root: Path) -> dict[str, float]:
    """Modification times of the guideline's files (what a change is detected by)."""
    return {
        str(p): p.stat().st_mtime
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def _write_for_zensical(root: Path, folder: Path, **options: Any) -> bool:
    """Write the handbook project of ``root`` into ``folder`` (replacing the pages of the
    previous build); ``False`` (errors shown on stderr) when the guideline has errors."""
    import shutil

    from guidekit.errors import GuidekitError
    from guidekit.handbook import write_handbook

    stage = folder.with_name(folder.name + ".new")
    shutil.rmtree(stage, ignore_errors=True)
    try:
        write_handbook(root, stage, site=False, **options)
    except GuidekitError as exc:
        from guidekit.diagnostics.render import render_text

        shutil.rmtree(stage, ignore_errors=True)
        sys.stderr.write(render_text(exc.diagnostics))
        sys.stderr.write("guidekit serve: the guideline has errors; showing the last good build\n")
        return False
    # Zensical watches docs/: swap the pages in place, keep its site and cache
    folder.mkdir(exist_ok=True)
    for name in ("docs", "overrides"):
        shutil.rmtree(folder / name, ignore_errors=True)
        (stage / name).rename(folder / name)
    os.replace(stage / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.rmtree(stage, ignore_errors=True)
    return True


def _serve_zensical(
    root: Path,
    tmp: Path,
    *,
    audience: str | None,
    dev_addr: str,
    open_browser: bool,
    **history: Any,
) -> None:
    """The handbook project written into ``tmp`` and served by ``zensical serve``; rewritten
    whenever a file of the guideline changes (Zensical then rebuilds and reloads)."""
    from guidekit.handbook.errors import engine_missing
    from guidekit.handbook.sitebuild import INSTALL, engine_available

    folder = tmp / "handbook"
    if not engine_available("zensical"):
        raise engine_missing("zensical", INSTALL["zensical"], folder / "mkdocs.yml")
    options = {"audience": audience, **history}
    if not _write_for_zensical(root, folder, **options):
        from guidekit.compiler.pipeline import load

        load(root)  # raises the errors: nothing good to show yet
    args = [sys.executable, "-m", "zensical", "serve", "-f", "mkdocs.yml", "-a", dev_addr]
    child = subprocess.Popen([*args, *(["--open"] if open_browser else [])], cwd=folder)
    try:
        seen = _snapshot(root)
        while child.poll() is None:
            time.sleep(0.5)
            now = _snapshot(root)
            if now != seen:
                seen = now
                if _write_for_zensical(root, folder, **options):
                    sys.stderr.write("guidekit serve: the guideline changed; handbook rewritten\n")
    except KeyboardInterrupt:
        pass
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
