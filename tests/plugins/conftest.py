"""``install``: a fake distribution on ``sys.path`` that declares entry points, as
``pip install`` of a plugin package would, with the registries reading them afresh."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from guidekit import generators, tasktypes
from guidekit.bridges import formats

Install = Callable[[str, str, dict[str, str]], None]

GUIDELINE = """\
guidekit: 1
id: plugged
title: Plugged
version: 1.0.0
brief:
  objective: A guideline built and exported through plugins.
record:
  id: item_id
  fields:
    text: {type: text}
tasks:
  mood:
    type: %s
    classes:
      - id: happy
        definition: Glad.
      - id: sad
        definition: Unhappy.
governance:
  levels: [public, internal]
  audiences: {annotator: internal}
"""


def _forget() -> None:
    generators.plugin_targets.cache_clear()
    formats.plugin_formats.cache_clear()


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    """``install(module, source, {group: "name = module:attr\\n..."})``."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    # the task-type registry loads entry points once; start it afresh, restored afterwards
    monkeypatch.setattr(tasktypes, "_REGISTRY", {})
    monkeypatch.setattr(tasktypes, "_loaded", False)
    modules: list[str] = []

    def add(module: str, source: str, entries: dict[str, str]) -> None:
        (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        dist = site / f"{module}-1.0.dist-info"
        dist.mkdir()
        (dist / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n", encoding="utf-8"
        )
        (dist / "entry_points.txt").write_text(
            "".join(f"[{group}]\n{lines}\n" for group, lines in entries.items()),
            encoding="utf-8",
        )
        modules.append(module)
        _forget()

    yield add
    _forget()
    for module in modules:
        sys.modules.pop(module, None)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "guideline.yaml").write_text(GUIDELINE % "single", encoding="utf-8")
    return folder
