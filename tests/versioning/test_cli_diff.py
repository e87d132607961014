"""`guidekit diff` and `guidekit check --base` on real repositories, with golden Markdown of
realistic changes to the example guidelines."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, GUIDELINES
from guidekit.cli import main

from .helpers import Git, edit, run, set_version
from .scenarios import SCENARIOS


@pytest.fixture(scope="module")
def examples_origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with the four example guidelines committed and tagged `base`, then each
    changed by its scenario and committed on the branch `change` (checked out)."""
    git = Git(tmp_path_factory.mktemp("origin") / "examples")
    for name in EXAMPLES:
        shutil.copytree(GUIDELINES / name, git.root / "guidelines" / name)
    git.commit("examples", date="2024-01-01T12:00:00Z")
    git("tag", "base")
    git("checkout", "-q", "-b", "change")
    for name, change in SCENARIOS.items():
        change(git.root / "guidelines" / name)
    git.commit("change the examples", date="2024-02-01T12:00:00Z")
    return git.root


@pytest.fixture
def examples(examples_origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Git:
    """A fresh clone of the examples repository (tests may edit it), as the current folder."""
    target = tmp_path / "examples"
    clone = ["git", "clone", "-q", "--branch", "change", str(examples_origin), str(target)]
    subprocess.run(clone, check=True, capture_output=True)
    monkeypatch.chdir(target)
    return Git.open(target)


@pytest.mark.parametrize("name", EXAMPLES)
def test_markdown_of_example_changes(
    examples: Git, name: str, capsys: pytest.CaptureFixture[str], golden
) -> None:
    code, out, _ = run(capsys, "diff", "base", f"guidelines/{name}", "--format", "markdown")
    assert code == 0
    golden(f"versioning/{name}.md", out)


def test_text_of_a_major_release(examples: Git, capsys: pytest.CaptureFixture[str], golden) -> None:
    code, out, _ = run(
        capsys,
        "diff",
        "base:guidelines/support-tickets",
        "change",
        "--project",
        "guidelines/support-tickets",
    )
    assert code == 0
    assert out.startswith(
        "support-tickets 2.3.0 → 3.0.0 (base:guidelines/support-tickets → change:guidelines/support-tickets)"
    )
    assert "change:guidelines/support-tickets/taxonomy/intent.yaml:" in out
    golden("versioning/support-tickets.txt", out)


def test_same_diff_from_folders_and_revisions(
    examples: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    _, from_revs, _ = run(
        capsys,
        "diff",
        "base",
        "change",
        "--project",
        "guidelines/retail-products",
        "--format",
        "json",
    )
    shutil.copytree(GUIDELINES / "retail-products", examples.root / "old")
    _, from_dirs, _ = run(capsys, "diff", "old", "guidelines/retail-products", "--format", "json")
    a, b = json.loads(from_revs), json.loads(from_dirs)
    for doc in (a, b):
        doc.pop("old"), doc.pop("new")
        for c in doc["changes"]:
            c.pop("location")
    assert a == b and a["required"] == "minor"


def test_json_report(examples: Git, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diff", "base", "guidelines/support-tickets", "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert (doc["old"]["version"], doc["new"]["version"], doc["required"]) == (
        "2.3.0",
        "3.0.0",
        "major",
    )
    assert doc["bump"]["ok"] is True and doc["summary"] == {"major": 3, "minor": 4, "patch": 5}
    split = next(c for c in doc["changes"] if c["rule"] == "class-split")
    assert split["declared"] == "major" and split["targets"] == ["duplicate_charge", "wrong_amount"]
    assert split["location"]["file"] == "guidelines/support-tickets/taxonomy/intent.yaml"
    split_dispute = {
        "kind": "split",
        "targets": ["duplicate_charge", "wrong_amount"],
        "accepted": True,
    }
    assert doc["fates"] == {
        "intent": {
            "billing_dispute": split_dispute,
            "login_problem": {"kind": "renamed", "targets": ["sign_in_problem"], "accepted": True},
            # deprecated before the change already: migrations still follow its replacement
            "order_problem": {
                "kind": "split",
                "targets": ["damaged_item", "wrong_item"],
                "accepted": True,
            },
        }
    }
    reworded = next(c for c in doc["changes"] if c["rule"] == "class-definition-changed")
    assert ["+", "and does not contest"] in reworded["words"]


def test_github_annotations(examples: Git, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "diff", "base", "guidelines/manufacturing-defects", "--format", "github"
    )
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith(
        "::warning file=guidelines/manufacturing-defects/taxonomy/defects.yaml,line="
    )
    assert "title=major (breaking)%3A class-narrowed::" in lines[0]
    assert lines[1].startswith("::notice ")


@pytest.mark.parametrize(("threshold", "expected"), [("major", 1), ("minor", 1), ("patch", 1)])
def test_fail_on(
    examples: Git, capsys: pytest.CaptureFixture[str], threshold: str, expected: int
) -> None:
    assert (
        run(capsys, "diff", "base", "guidelines/manufacturing-defects", "--fail-on", threshold)[0]
        == expected
    )


def test_fail_on_passes_below_the_threshold(
    examples: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "diff", "base", "guidelines/retail-products", "--fail-on", "major")[0] == 0
    assert run(capsys, "diff", "base", "guidelines/retail-products", "--fail-on", "minor")[0] == 1


def test_output_file(examples: Git, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "out" / "diff.md"
    assert (
        run(
            capsys,
            "diff",
            "base",
            "guidelines/clinical-notes",
            "--format",
            "markdown",
            "-o",
            str(target),
        )[0]
        == 0
    )
    assert target.read_text(encoding="utf-8").startswith("<!-- guidekit-diff: clinical-notes -->")


def test_unknown_revision_is_an_error_not_a_traceback(
    examples: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "diff", "nope", "guidelines/clinical-notes")
    assert code == 1 and out == ""
    assert err.startswith("nope: GK003 unknown git revision 'nope'")


# -- check --base ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("support-tickets", 0),
        ("retail-products", 0),
        ("manufacturing-defects", 1),
        ("clinical-notes", 0),
    ],
)
def test_check_base_on_examples(
    examples: Git, capsys: pytest.CaptureFixture[str], name: str, code: int
) -> None:
    result, out, _ = run(capsys, "check", f"guidelines/{name}", "--base", "base")
    assert result == code, out


def test_check_base_names_the_changes(examples: Git, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "guidelines/manufacturing-defects", "--base", "base")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(
        "guidelines/manufacturing-defects/guideline.yaml:4:10: GK701 version 1.1.0 → 1.1.1 is a patch bump, but 1 change requires a major bump (to 2.0.0): exclude added to 'scratch'"
    )
    assert "[class-narrowed]" in first
    assert "hint: set `version: 2.0.0`" in out
    assert (
        "(since base:guidelines/manufacturing-defects: 2 changes: 1 major, 1 patch, requires a major bump)"
        in out
    )


def test_check_base_content_changed_version_not(
    examples: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    project = examples.root / "guidelines" / "retail-products"
    set_version(project, "1.2.0")
    code, out, _ = run(capsys, "check", str(project), "--base", "base", "--format", "json")
    doc = json.loads(out)
    assert code == 1
    (d,) = [d for d in doc["diagnostics"] if d["code"].startswith("GK7")]
    assert d["code"] == "GK702" and "still 1.2.0" in d["message"] and "1.3.0" in d["message"]


def test_check_base_new_guideline(examples: Git, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(GUIDELINES / "clinical-notes", examples.root / "guidelines" / "brand-new")
    code, out, _ = run(capsys, "check", "guidelines/brand-new", "--base", "base")
    assert code == 0 and "GK708 [info] 'guidelines/brand-new' does not exist at base" in out


def test_check_base_explicit_path(examples: Git, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "check",
        "guidelines/retail-products",
        "--base",
        "base:guidelines/retail-products",
    )
    assert code == 0, out


def test_check_base_warns_about_stale_since(
    examples: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    project = examples.root / "guidelines" / "support-tickets"
    edit(project, "taxonomy/intent-edge-cases.yaml", lambda items: items[-1].update(since="2.0.0"))
    code, out, _ = run(capsys, "check", str(project), "--base", "base")
    assert code == 0
    assert "GK707 [warning] edge case 'EC-013' was added in 3.0.0 but says `since: 2.0.0`" in out
    assert main(["check", str(project), "--base", "base", "--strict"]) == 1


def test_stale_since_hint_names_the_version_the_bump_will_make(
    examples: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before the bump is made, `since` should name the coming version, not the old one."""
    project = examples.root / "guidelines" / "support-tickets"
    base = subprocess.run(
        ["git", "show", "base:guidelines/support-tickets/guideline.yaml"],
        cwd=examples.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    old = next(
        line.split(":", 1)[1].strip() for line in base.splitlines() if line.startswith("version:")
    )
    set_version(project, old)  # the bump is not made yet
    edit(project, "taxonomy/intent-edge-cases.yaml", lambda items: items[-1].update(since=old))
    code, out, _ = run(capsys, "check", str(project), "--base", "base")
    assert code == 1  # the missing bump
    suggested = next(
        line.split("set `version: ")[1].split("`")[0]
        for line in out.splitlines()
        if "set `version: " in line
    )
    assert suggested != old
    assert f"but says `since: {old}`" in out
    assert f"set `since: {suggested}`" in out and f"set `since: {old}`" not in out


def test_a_side_with_errors_is_still_compared(
    helpdesk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "new"
    shutil.copytree(helpdesk, new)
    edit(
        helpdesk, "guideline.yaml", lambda g: g["rules"][0]["when"].update({"is": "no_such_class"})
    )
    set_version(new, "1.0.1")
    code, out, err = run(capsys, "diff", str(helpdesk), str(new))
    assert code == 0
    assert "has 1 error (`guidekit check` lists them)" in err
    assert "[rule-changed] condition of rule `refund-needs-order` changed" in out


def test_a_plain_id_change_suggests_the_alias_that_makes_it_a_rename(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(GUIDELINES / "support-tickets", old)
    shutil.copytree(old, new)
    for name in ("urgency.yaml", "intent.yaml"):
        path = new / "taxonomy" / name
        text = path.read_text()
        for key in ("- id", "urgency", "decision", "label"):
            text = text.replace(f"{key}: low\n", f"{key}: minor\n")
        path.write_text(text)
    code, out, _ = run(capsys, "diff", str(old), str(new))
    assert code == 0
    assert "class `low` removed" in out
    assert "if `minor` (added, same definition) is this class under a new id" in out
    assert "add `aliases: [low]` to `minor`" in " ".join(out.split())
    # with the alias it is a rename, and the hint is gone
    path = new / "taxonomy" / "urgency.yaml"
    path.write_text(path.read_text().replace("- id: minor\n", "- id: minor\n  aliases: [low]\n", 1))
    code, out, _ = run(capsys, "diff", str(old), str(new))
    assert "class `low` removed" not in out and "aliases: [low]" not in out
