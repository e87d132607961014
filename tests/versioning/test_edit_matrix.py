"""The edit matrix (issue #18): every row of :mod:`.edit_matrix` runs `guidekit diff` through
the command line in a real git repository and must give the bump a careful maintainer
requires, so the classification cannot drift."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import GUIDELINES
from guidekit.cli import main

from .edit_matrix import CASES, Case
from .helpers import Git


def _params() -> list[object]:
    out: list[object] = []
    for case in CASES:
        marks = [pytest.mark.xfail(reason=case.tool_limit, strict=True)] if case.tool_limit else []
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


def test_the_matrix_is_large_and_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) >= 40
    assert len(set(ids)) == len(ids)
    assert all(c.expect in ("major", "minor", "patch") and c.why for c in CASES)


@pytest.mark.parametrize("case", _params())
def test_edit(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    git = Git(tmp_path / "repo")
    project = git.root / case.guideline
    shutil.copytree(GUIDELINES / case.guideline, project)
    git.commit("base")
    git.tag("base")
    case.change(project)
    git.commit(case.id, date="2024-02-01T12:00:00Z")
    monkeypatch.chdir(git.root)
    code = main(["diff", "base", case.guideline, "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    if not case.example_errors:
        assert "error" not in err, f"the edited guideline must compile: {err}"
    report = json.loads(out)
    rules = sorted({c["rule"] for c in report["changes"]})
    assert report["required"] == case.expect, f"{case.id}: {case.why}; guidekit: {rules}"
