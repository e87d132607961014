"""``guidekit serve``: the handbook through mkdocs' development server.

A small mkdocs project is written to a temporary folder: the handbook's theme settings, an
empty ``docs/`` and the :mod:`guidekit mkdocs plugin <guidekit.handbook.mkdocs_plugin>`, which renders
every page from the guideline on each build. mkdocs watches the guideline's folder, so saving
a YAML file rebuilds the site and reloads the browser.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from guidekit.handbook.marker import MARKER
from guidekit.handbook.project import asset

if TYPE_CHECKING:
    from guidekit.handbook.changes import HistorySource


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
) -> None:
    """Serve the handbook of ``project`` until interrupted."""
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
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _log_to_console()
    with tempfile.TemporaryDirectory(prefix="guidekit-serve-") as tmp:
        config = write_shell(
            Path(tmp), root.resolve(), audience, since=since, history=history, tags=tags
        )
        mkdocs_serve(
            config_file=str(config),
            livereload=True,
            open_in_browser=open_browser,
            dev_addr=dev_addr,
        )
