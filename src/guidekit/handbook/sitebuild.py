"""Build a written handbook project into a static site with mkdocs, strictly.

Runs mkdocs in-process with ``strict`` on and every link check set to warn, so a broken link
or an omitted page fails the build. The build date is pinned (``SOURCE_DATE_EPOCH``), so two
builds of the same project are byte-identical.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from guidekit.handbook.errors import site_build_failed

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


def build_site(project: Path, site_dir: Path | None = None) -> Path:
    """Build ``project/mkdocs.yml`` into its ``site_dir`` (or ``site_dir``); raise GK012 on
    any warning."""
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
