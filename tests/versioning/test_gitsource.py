"""Reading guidelines from git revisions of real repositories, without a checkout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guidekit.errors import GuidekitError
from guidekit.versioning import gitsource
from guidekit.versioning.gitsource import Revision, load_side, resolve_side

from .helpers import HELPDESK, Git, set_version

PROJECT = "guidelines/helpdesk"


def bump(git: Git, version: str, message: str, date: str) -> str:
    set_version(git.root / PROJECT, version)
    return git.commit(message, date=date)


def test_bare_revision_means_the_same_folder(repo: Git) -> None:
    bump(repo, "1.1.0", "1.1.0", "2024-02-01T12:00:00Z")
    side = load_side("HEAD~1", project=repo.root / PROJECT)
    assert side.guideline.version == "1.0.0"
    assert side.label == "HEAD~1:guidelines/helpdesk"
    assert side.path == PROJECT and side.commit is not None and len(side.commit) == 40
    # includes were read from the revision too
    assert "billing_dispute" in side.guideline.tasks["intent"]


@pytest.mark.parametrize(
    "spec",
    [
        "helpdesk-v1.0.0",
        "helpdesk-v1.0.0:guidelines/helpdesk",
        "helpdesk-v1.0.0:guidelines/helpdesk/",
        "helpdesk-v1.0.0:guidelines/helpdesk/guideline.yaml",
        "main~1",
        "1.0.0",
        "v1.0.0",
    ],
)
def test_revision_forms(repo: Git, spec: str) -> None:
    bump(repo, "1.1.0", "1.1.0", "2024-02-01T12:00:00Z")
    side = load_side(spec, project=repo.root / PROJECT, cwd=repo.root)
    assert side.guideline.version == "1.0.0"
    assert side.guideline.root is None  # the temporary folder is gone


def test_path_relative_to_the_current_folder(repo: Git) -> None:
    side = load_side("HEAD:./helpdesk", cwd=repo.root / "guidelines")
    assert side.path == PROJECT and side.guideline.id == "helpdesk"


def test_branch(repo: Git) -> None:
    repo("checkout", "-q", "-b", "feature")
    bump(repo, "1.1.0", "on a branch", "2024-02-01T12:00:00Z")
    repo("checkout", "-q", "main")
    assert load_side("feature", project=repo.root / PROJECT).guideline.version == "1.1.0"
    assert load_side(".", cwd=repo.root / PROJECT).guideline.version == "1.0.0"


def test_working_tree_is_not_touched(repo: Git) -> None:
    set_version(repo.root / PROJECT, "9.0.0")  # uncommitted
    load_side("HEAD", project=repo.root / PROJECT)
    assert repo("status", "--porcelain") == f"M {PROJECT}/guideline.yaml"
    assert "version: 9.0.0" in (repo.root / PROJECT / "guideline.yaml").read_text()


def test_folder_wins_over_a_revision_of_the_same_name(repo: Git) -> None:
    shutil.copytree(HELPDESK, repo.root / "main")
    set_version(repo.root / "main", "5.0.0")
    assert resolve_side("main", cwd=repo.root) == repo.root / "main"


def test_version_lookup_prefers_tags_then_last_commit(repo: Git) -> None:
    first = bump(repo, "1.1.0", "1.1.0", "2024-02-01T12:00:00Z")
    (repo.root / PROJECT / "README.md").write_text("notes\n")
    second = repo.commit("still 1.1.0", date="2024-02-02T12:00:00Z")
    bump(repo, "1.2.0", "1.2.0", "2024-03-01T12:00:00Z")
    ref = resolve_side("1.1.0", project=repo.root / PROJECT)
    assert isinstance(ref, Revision) and ref.commit == second != first
    repo("tag", "-a", "-m", "release", "release-1.1.0", first)
    ref = resolve_side("1.1.0", project=repo.root / PROJECT)
    assert isinstance(ref, Revision) and ref.commit == first


@pytest.mark.parametrize(
    ("spec", "code", "text"),
    [
        ("no-such-branch", "GK003", "unknown git revision 'no-such-branch'"),
        ("HEAD:guidelines/missing", "GK003", "'guidelines/missing' does not exist at HEAD"),
        ("HEAD:guidelines", "GK002", "no guideline.yaml in 'guidelines' at HEAD"),
        ("--upload-pack=touch", "GK003", "is not a folder or a git revision"),
        ("HEAD:../outside", "GK003", "is outside the repository"),
        ("9.9.9", "GK003", "unknown git revision '9.9.9'"),
    ],
)
def test_unreadable_revisions(repo: Git, spec: str, code: str, text: str) -> None:
    with pytest.raises(GuidekitError) as info:
        load_side(spec, project=repo.root / PROJECT, cwd=repo.root)
    (d,) = info.value.diagnostics
    assert d.code == code and text in d.message


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GuidekitError) as info:
        load_side("HEAD", cwd=tmp_path)
    assert "not inside a git repository" in info.value.diagnostics[0].message


def test_broken_guideline_at_a_revision_is_located(repo: Git) -> None:
    (repo.root / PROJECT / "guideline.yaml").write_text("guidekit: 1\nid: [broken\n")
    repo.commit("break it", date="2024-02-01T12:00:00Z")
    with pytest.raises(GuidekitError) as info:
        load_side("HEAD", project=repo.root / PROJECT)
    d = info.value.diagnostics[0]
    assert d.code == "GK103" and d.location.file == "HEAD:guidelines/helpdesk/guideline.yaml"


def test_history_helpers(repo: Git) -> None:
    bump(repo, "1.1.0", "1.1.0", "2024-02-01T12:00:00Z")
    (repo.root / "README.md").write_text("unrelated\n")
    repo.commit("unrelated", date="2024-02-05T12:00:00Z")
    history = gitsource.commits_touching(repo.root, PROJECT)
    assert [date for _, date in history] == ["2024-01-01", "2024-02-01"]
    versions = gitsource.versions_at(repo.root, [c for c, _ in history], PROJECT)
    assert list(versions.values()) == ["1.0.0", "1.1.0"]
    assert gitsource.versions_at(repo.root, [history[0][0]], "guidelines/none") == {
        history[0][0]: None
    }
    assert [(t, d) for t, _, d in gitsource.tags(repo.root)] == [("helpdesk-v1.0.0", "2024-01-01")]
