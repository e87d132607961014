"""The shipped pre-commit hooks, run by the real ``pre-commit`` in a temporary repository
holding two guidelines, a README and a workflow file.

The hooks' definitions are read from ``.pre-commit-hooks.yaml`` and run as a local repository
with ``language: system`` (the ``guidekit`` installed for the tests), so the entry, its
arguments and ``pass_filenames`` are exactly what users get, without building a virtualenv.
``test_try_repo`` runs ``pre-commit try-repo`` on this checkout as users would; it installs
guidekit from the package registry into pre-commit's environment, so it is marked slow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())

pytestmark = pytest.mark.skipif(
    shutil.which("pre-commit") is None or shutil.which("guidekit") is None,
    reason="needs the pre-commit and guidekit commands (the test extra installs them)",
)


def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def _run(repo: Path, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
    args = ["--files", *files] if files else ["--all-files"]
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pc-home"), "NO_COLOR": "1"}
    return subprocess.run(
        ["pre-commit", "run", "--verbose", hook, *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "labels"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    for name in ("clinical-notes", "support-tickets"):
        shutil.copytree(ROOT / "guidelines" / name, repo / "guidelines" / name)
    (repo / "README.md").write_text("# labels\n")
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n")
    local = [{**hook, "language": "system"} for hook in HOOKS]
    config = {"repos": [{"repo": "local", "hooks": local}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "two guidelines")
    _git(repo, "tag", "v1")
    return repo


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_check_hook_checks_each_changed_project_once(repo: Path) -> None:
    res = _run(repo, "guidekit-check")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "clinical-notes 0.4.0: no problems" in res.stdout
    assert "support-tickets 2.3.0: no problems" in res.stdout
    # a broken file of one project fails the hook and names that file; the other is not run
    taxonomy = repo / "guidelines" / "clinical-notes" / "taxonomy" / "entities.yaml"
    _edit(taxonomy, "definition:", "definitoin:")
    res = _run(repo, "guidekit-check", str(taxonomy.relative_to(repo)), "README.md")
    assert res.returncode == 1, res.stdout
    assert "guidelines/clinical-notes/taxonomy/entities.yaml:" in res.stdout
    assert "definitoin" in res.stdout and "support-tickets" not in res.stdout


def test_files_outside_any_guideline_pass(repo: Path) -> None:
    res = _run(repo, "guidekit-check", "README.md", ".github/workflows/ci.yml")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "no guideline project among 2 changed files" in res.stdout


def test_version_hook_on_main_compares_with_the_last_release(repo: Path) -> None:
    guideline = repo / "guidelines" / "support-tickets" / "guideline.yaml"
    taxonomy = repo / "guidelines" / "support-tickets" / "taxonomy" / "entities.yaml"
    _edit(taxonomy, "named the way the customer", "named as the customer")
    _git(repo, "commit", "-qam", "clarify a definition")
    rel = str(taxonomy.relative_to(repo))
    res = _run(repo, "guidekit-version", rel)
    assert res.returncode == 1, res.stdout
    assert "since the last release tag v1:" in res.stdout and "GK70" in res.stdout
    # a second commit on main is compared with the release, not with the previous commit:
    # one bump covers both
    _edit(guideline, "version: 2.3.0", "version: 2.3.1")
    _git(repo, "commit", "-qam", "bump")
    _edit(taxonomy, "named as the customer", "named just as the customer")
    _git(repo, "commit", "-qam", "clarify again")
    res = _run(repo, "guidekit-version", rel)
    assert res.returncode == 0, res.stdout + res.stderr


def test_version_hook_on_a_branch_compares_with_its_fork_point(repo: Path) -> None:
    _git(repo, "tag", "-d", "v1")  # no release: the fork point alone decides
    _git(repo, "checkout", "-q", "-b", "clarify")
    taxonomy = repo / "guidelines" / "support-tickets" / "taxonomy" / "entities.yaml"
    _edit(taxonomy, "named the way the customer", "named as the customer")
    _git(repo, "commit", "-qam", "clarify")
    res = _run(repo, "guidekit-version", str(taxonomy.relative_to(repo)))
    assert res.returncode == 1, res.stdout
    assert "since the fork point from main (" in res.stdout
    res = _run(repo, "guidekit-diff", str(taxonomy.relative_to(repo)))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "support-tickets" in res.stdout and "definition" in res.stdout


@pytest.mark.slow
def test_try_repo(repo: Path) -> None:
    """``pre-commit try-repo`` with the shipped hooks, as a new user runs it."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pc-home"), "NO_COLOR": "1"}
    res = subprocess.run(
        ["pre-commit", "try-repo", str(ROOT), "guidekit-check", "--all-files", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert "support-tickets 2.3.0: no problems" in res.stdout
