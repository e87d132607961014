"""A build target from the ``guidekit.targets`` entry point, through ``guidekit build``."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidekit import generators
from guidekit.cli import main
from guidekit.plugins import PluginWarning

from .conftest import Install

RUBRIC = """
from pathlib import Path

from guidekit.generators import Output


def generate(guideline, out, **options):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "rubric.txt"
    path.write_text("\\n".join(sorted(guideline.tasks)) + "\\n", encoding="utf-8")
    return Output("rubric", out, (path,), f"{len(guideline.tasks)} tasks")
"""


def test_plugin_target_is_listed_and_built(
    install: Install, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install("gk_rubric", RUBRIC, {"guidekit.targets": "rubric = gk_rubric:generate"})
    assert "rubric" in generators.names()
    assert main(["build", "--help"]) == 0
    assert "rubric" in capsys.readouterr().out
    out = tmp_path / "out"
    assert main(["build", str(project), "--target", "rubric", "--out", str(out)]) == 0
    assert f"rubric: wrote 1 files to {out} (1 tasks)" in capsys.readouterr().out
    assert (out / "rubric.txt").read_text(encoding="utf-8") == "mood\n"


def test_plugin_cannot_replace_a_builtin_target(
    install: Install, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install("gk_fake_schema", RUBRIC, {"guidekit.targets": "schema = gk_fake_schema:generate"})
    with pytest.warns(PluginWarning, match=r"'schema = gk_fake_schema:generate'.*built in"):
        assert generators.names().count("schema") == 1
    assert main(["build", str(project), "--target", "schema", "--out", str(tmp_path / "o")]) == 0
    assert not (tmp_path / "o" / "rubric.txt").exists()


@pytest.mark.parametrize(
    ("source", "why"),
    [
        ("raise ImportError('no module named rubric_deps')", "failed to load: ImportError"),
        ("generate = 42", "names 42, not a build target"),
    ],
)
def test_broken_plugin_target_is_a_clear_error(
    install: Install,
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    source: str,
    why: str,
) -> None:
    install("gk_broken", source, {"guidekit.targets": "broken = gk_broken:generate"})
    assert main(["build", str(project), "-t", "broken", "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "GK020" in err
    assert "'broken = gk_broken:generate' (guidekit.targets)" in err
    assert why in err
    assert "Traceback" not in err
