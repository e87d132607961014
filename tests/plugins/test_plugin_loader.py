"""The one entry-point loader, here through the ``guidekit.tasktypes`` group."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidekit import compile_guideline, tasktypes
from guidekit.errors import GuidekitError
from guidekit.plugins import PluginWarning

from .conftest import GUIDELINE, Install

STARS = """
from guidekit.tasktypes.single import TASK_TYPE as _SINGLE


class Stars(type(_SINGLE)):
    name = "stars"
    summary = "One class, shown as stars."


NOT_A_TYPE = object()
"""


def test_plugin_task_type_compiles(install: Install, tmp_path: Path) -> None:
    install("gk_stars", STARS, {"guidekit.tasktypes": "stars = gk_stars:Stars"})
    (tmp_path / "guideline.yaml").write_text(GUIDELINE % "stars", encoding="utf-8")
    result = compile_guideline(tmp_path)
    assert [str(d) for d in result.diagnostics if d.severity.name == "ERROR"] == []
    assert result.guideline is not None
    assert result.guideline.tasks["mood"].task_type is tasktypes.get("stars")
    assert tasktypes.names()[: len(tasktypes.BUILTIN)] == tasktypes.BUILTIN


def test_plugin_cannot_replace_a_builtin_type(install: Install) -> None:
    install("gk_stars_single", STARS, {"guidekit.tasktypes": "single = gk_stars_single:Stars"})
    with pytest.warns(PluginWarning, match="'single' is already built in"):
        assert tasktypes.get("single").name == "single"


def test_broken_task_type_names_its_entry_point(install: Install) -> None:
    install("gk_stars_bad", STARS, {"guidekit.tasktypes": "stars = gk_stars_bad:NOT_A_TYPE"})
    with pytest.raises(GuidekitError) as caught:
        tasktypes.names()
    (d,) = caught.value.diagnostics
    assert d.code == "GK020"
    assert "'stars = gk_stars_bad:NOT_A_TYPE' (guidekit.tasktypes) is broken" in d.message
