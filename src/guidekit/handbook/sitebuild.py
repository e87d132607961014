"""Build a written handbook project into a static site, strictly, with mkdocs or Zensical.

``mkdocs`` (the default) runs in-process with ``strict`` on and every link check set to warn,
so a broken link or an omitted page fails the build. ``zensical`` (the successor of Material
for MkDocs, the extra ``guidekit[zensical]``) builds the same ``mkdocs.yml`` in a child
process with ``--strict``. The build date is pinned (``SOURCE_DATE_EPOCH``), so two builds of
the same project with the same engine are byte-identical.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, get_args

from guidekit.handbook.errors import engine_missing, site_build_failed

Engine = Literal["mkdocs", "zensical"]
#: The engines that build the handbook's site; the first is the default.
ENGINES: tuple[str, ...] = get_args(Engine)
#: How to install the extra an engine needs.
INSTALL = {"mkdocs": "pip install guidekit", "zensical": "pip install 'guidekit[zensical]'"}
#: How long Zensical may take to build one handbook.
ZENSICAL_TIMEOUT = 600.0

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

#: The date mkdocs stamps into ``sitemap.xml``: fixed, so builds are reproducible.
BUILD_EPOCH = "315532800"  # 1980-01-01, the earliest date a zip file can hold


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def build_env() -> Iterator[None]:
    """Environment for a quiet, reproducible mkdocs build."""
    saved = {k: os.environ.get(k) for k in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    os.environ["SOURCE_DATE_EPOCH"] = BUILD_EPOCH
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def engine_available(engine: str) -> bool:
    """Whether ``engine`` is installed (Zensical is an extra)."""
    module = "mkdocs" if engine == "mkdocs" else "zensical"
    return importlib.util.find_spec(module) is not None


def build_site(project: Path, site_dir: Path | None = None, *, engine: Engine = "mkdocs") -> Path:
    """Build ``project/mkdocs.yml`` into its ``site_dir`` (or ``site_dir``) with ``engine``;
    raise GK012 on any warning, or when the engine is not installed."""
    if engine == "zensical":
        return _build_zensical(project, site_dir)
    if engine != "mkdocs":
        raise ValueError(f"unknown handbook engine {engine!r}: use one of {', '.join(ENGINES)}")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file = project / "mkdocs.yml"
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        with build_env():
            overrides = {"site_dir": str(site_dir)} if site_dir is not None else {}
            cfg = load_config(config_file=str(config_file), strict=True, **overrides)
            build(cfg)
    except MkDocsException as exc:
        raise site_build_failed([*handler.messages, str(exc)], config_file) from None
    finally:
        logger.removeHandler(handler)
    if handler.messages:
        raise site_build_failed(handler.messages, config_file)
    return Path(cfg.site_dir)


def _build_zensical(project: Path, site_dir: Path | None) -> Path:
    """Build with Zensical in a child process (``--strict``); its cache is removed after."""
    config_file = project / "mkdocs.yml"
    if not engine_available("zensical"):
        raise engine_missing("zensical", INSTALL["zensical"], config_file)
    if site_dir is not None:
        raise ValueError("Zensical builds into the site_dir of mkdocs.yml only")
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH, "NO_COLOR": "1"}
    args = [sys.executable, "-m", "zensical", "build", "-f", str(config_file), "--strict"]
    try:
        proc = subprocess.run(
            args,
            cwd=project,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=ZENSICAL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise site_build_failed(
            [f"Zensical did not finish within {ZENSICAL_TIMEOUT:.0f} s"], config_file, "Zensical"
        ) from None
    finally:
        shutil.rmtree(project / ".cache", ignore_errors=True)
    if proc.returncode != 0:
        raise site_build_failed(_zensical_messages(proc), config_file, "Zensical")
    import yaml

    with config_file.open(encoding="utf-8") as f:
        # the generated mkdocs.yml is plain YAML (no !ENV or other tags)
        config = yaml.safe_load(f)
    return project / str(config.get("site_dir", "site"))


def _zensical_messages(proc: subprocess.CompletedProcess[bytes]) -> list[str]:
    """Zensical's warnings and errors, one line each, without colours, frames or its
    Python traceback."""
    text = _ANSI.sub("", (proc.stdout + proc.stderr).decode("utf-8", "replace"))
    lines = [line.strip(" │╭╰─┬") for line in text.splitlines()]
    keep = [
        line
        for line in lines
        if line.startswith(("Warning", "Error", "[")) or "issue" in line or "does not" in line
    ]
    return keep[:20] or [f"Zensical stopped with exit code {proc.returncode}"]
