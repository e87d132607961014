"""The history of a guideline from real git tags and commits; handbook notes; the command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guidekit.cli import main
from guidekit.errors import GuidekitError
from guidekit.versioning import Impact
from guidekit.versioning.changelog import class_notes, history, render_changelog, render_since

from .helpers import Git, edit, find, set_version

PROJECT = "guidelines/helpdesk"


def release_1_1(git: Git) -> None:
    """1.1.0: a new class, a decided edge case, then a typo fix still at 1.1.0."""
    p = git.root / PROJECT

    def add(items: list[dict[str, Any]]) -> None:
        items.append(
            {
                "id": "feature_request",
                "definition": "The customer asks for something the product does not do yet.",
                "examples": [{"body": "Please add dark mode."}],
            }
        )

    edit(p, "taxonomy/intent.yaml", add)
    set_version(p, "1.1.0")
    git.commit("1.1.0: feature requests", date="2024-02-01T12:00:00Z")
    edit(
        p,
        "taxonomy/intent.yaml",
        lambda items: find(items, "feature_request").update(
            definition="The customer asks for something the product cannot do yet."
        ),
    )
    git.commit("typo", date="2024-02-02T12:00:00Z")


def release_2_0(git: Git) -> None:
    """2.0.0: login_problem renamed, account_closure split, with a declared note."""
    p = git.root / PROJECT

    def change(items: list[dict[str, Any]]) -> None:
        login = find(items, "login_problem")
        login.update(id="sign_in_problem", aliases=["login_problem"])
        closure = find(items, "account_closure")
        closure.update(deprecated=True, replaced_by=["account_deletion", "plan_cancellation"])
        closure["changes"] = [
            {
                "version": "2.0.0",
                "impact": "major",
                "note": "Say whether the plan or the whole account goes.",
            }
        ]
        items.append(
            {
                "id": "account_deletion",
                "parent": "account",
                "definition": "The customer wants the account and its data deleted.",
                "examples": [{"body": "Delete my account."}],
            }
        )
        items.append(
            {
                "id": "plan_cancellation",
                "parent": "account",
                "definition": "The customer stops a paid plan and keeps the account.",
                "examples": [{"body": "Cancel my plan."}],
            }
        )

    edit(p, "taxonomy/intent.yaml", change)
    set_version(p, "2.0.0")
    git.commit("2.0.0", date="2024-03-01T12:00:00Z")


@pytest.fixture
def released(repo: Git) -> Git:
    release_1_1(repo)
    repo.tag("helpdesk-v1.1.0")
    release_2_0(repo)
    repo.tag("helpdesk-v2.0.0")
    return repo


def test_history_from_tags(released: Git) -> None:
    hist = history(released.root / PROJECT)
    assert hist.source == "tags" and hist.id == "helpdesk"
    assert [(v.version, v.tag, v.date, v.previous) for v in hist] == [
        ("1.0.0", "helpdesk-v1.0.0", "2024-01-01", None),
        ("1.1.0", "helpdesk-v1.1.0", "2024-02-02", "1.0.0"),
        ("2.0.0", "helpdesk-v2.0.0", "2024-03-01", "1.1.0"),
    ]
    first, minor, major = hist.versions
    assert first.diff is None
    assert minor.diff is not None and minor.diff.required is Impact.MINOR
    assert major.diff is not None and {c.rule for c in major.diff} == {
        "class-renamed",
        "class-split",
    }


def test_history_from_commits(released: Git) -> None:
    hist = history(released.root / PROJECT, source="commits")
    assert hist.source == "commits"
    assert [(v.version, v.tag, v.date) for v in hist] == [
        ("1.0.0", None, "2024-01-01"),
        ("1.1.0", None, "2024-02-02"),  # the last commit of 1.1.0: the typo fix is in
        ("2.0.0", None, "2024-03-01"),
    ]
    assert (
        hist.versions[1]
        .guideline.tasks["intent"]["feature_request"]
        .definition.endswith("cannot do yet.")
    )


def test_auto_uses_commits_without_tags(repo: Git) -> None:
    repo("tag", "-d", "helpdesk-v1.0.0")
    release_1_1(repo)
    hist = history(repo.root / PROJECT)
    assert hist.source == "commits" and [v.version for v in hist] == ["1.0.0", "1.1.0"]


def test_tag_pattern_for_a_repository_of_several_guidelines(released: Git) -> None:
    released.tag("other-v9.0.0")
    assert [v.version for v in history(released.root / PROJECT, tag_pattern="helpdesk-v*")] == [
        "1.0.0",
        "1.1.0",
        "2.0.0",
    ]


def test_reverted_version_is_skipped(released: Git) -> None:
    set_version(released.root / PROJECT, "1.1.0")
    released.commit("oops, back to 1.1.0", date="2024-03-02T12:00:00Z")
    set_version(released.root / PROJECT, "2.0.1")
    released.commit("2.0.1", date="2024-03-03T12:00:00Z")
    hist = history(released.root / PROJECT, source="commits")
    assert [v.version for v in hist] == ["1.0.0", "1.1.0", "2.0.0", "2.0.1"]


def test_outside_git(tmp_path: Path, helpdesk: Path) -> None:
    assert len(history(helpdesk, missing_ok=True)) == 0
    with pytest.raises(GuidekitError) as info:
        history(helpdesk)
    assert info.value.diagnostics[0].code == "GK003"


def test_class_notes_follow_renames(released: Git) -> None:
    hist = history(released.root / PROJECT)
    latest = hist.latest
    assert latest is not None
    notes = class_notes(latest.guideline, hist)
    closure = notes[("intent", "account_closure")]
    assert [(n.version, n.impact, n.declared) for n in closure] == [("2.0.0", Impact.MAJOR, True)]
    assert closure[0].text == "Say whether the plan or the whole account goes."
    renamed = notes[("intent", "sign_in_problem")]
    assert [(n.version, n.rule) for n in renamed] == [("2.0.0", "class-renamed")]
    added = notes[("intent", "feature_request")]
    assert [(n.version, n.rule, n.impact) for n in added] == [
        ("1.1.0", "class-added", Impact.MINOR)
    ]
    assert ("intent", "billing_dispute") not in notes  # never changed


def test_class_notes_without_history(helpdesk: Path) -> None:
    import guidekit

    edit(
        helpdesk,
        "taxonomy/intent.yaml",
        lambda items: find(items, "other").update(
            changes=[{"version": "1.0.0", "note": "Feedback goes here now."}]
        ),
    )
    notes = class_notes(guidekit.load(helpdesk))
    assert notes == {("intent", "other"): [notes[("intent", "other")][0]]}
    assert notes[("intent", "other")][0].text == "Feedback goes here now."


def test_changelog_markdown(released: Git, golden) -> None:  # type: ignore[no-untyped-def]
    golden("versioning/changelog.md", render_changelog(history(released.root / PROJECT)))


def test_what_changed_since(released: Git, golden) -> None:  # type: ignore[no-untyped-def]
    page = render_since(history(released.root / PROJECT), "1.0.0")
    assert page.startswith("# What changed since 1.0.0\n")
    golden("versioning/since-1.0.0.md", page)


def test_since_unknown_version(released: Git) -> None:
    with pytest.raises(GuidekitError) as info:
        render_since(history(released.root / PROJECT), "0.1.0")
    assert "known: 1.0.0, 1.1.0, 2.0.0" in info.value.diagnostics[0].message


def test_changelog_command(
    released: Git, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(released.root)
    assert main(["changelog", PROJECT, "--format", "json", "--since", "1.0.0"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [v["version"] for v in doc["versions"]] == ["1.1.0", "2.0.0"]
    assert doc["versions"][1]["diff"]["required"] == "major"
    assert main(["changelog", PROJECT, "--since", "1.1.0", "--cumulative"]) == 0
    assert capsys.readouterr().out.startswith("# What changed since 1.1.0")
    assert main(["changelog", PROJECT, "--cumulative"]) == 2


def test_audience_sees_only_what_its_clearance_allows(repo: Git) -> None:
    """A handbook for the vendor must not show changes to internal classes or examples."""
    p = repo.root / PROJECT

    def change(items: list[dict[str, Any]]) -> None:
        secret = find(items, "account_closure")
        secret["sensitivity"] = "internal"
        secret["definition"] = "The customer wants to close the account; retention offers apply."
        secret["includes"] = ["closing after a price rise"]
        find(items, "other")["definition"] = "Anything else, feedback included."

    edit(
        p,
        "taxonomy/intent.yaml",
        lambda items: find(items, "account_closure").update(sensitivity="internal"),
    )
    edit(p, "guideline.yaml", lambda g: g["governance"]["audiences"].update(vendor="public"))
    repo.commit("governance, still 1.0.0", date="2024-01-02T12:00:00Z")
    edit(p, "taxonomy/intent.yaml", change)
    set_version(p, "1.1.0")
    repo.commit("1.1.0", date="2024-02-01T12:00:00Z")
    hist = history(p, source="commits")
    everyone = render_changelog(hist)
    vendor = render_changelog(hist, audience="vendor")
    assert "account_closure" in everyone and "account_closure" not in vendor
    assert "definition of `other` reworded" in vendor
    since = render_since(hist, hist.versions[0].version, audience="vendor")
    assert "retention offers" not in since and "account_closure" not in since
    latest = hist.latest
    assert latest is not None
    assert ("intent", "account_closure") not in class_notes(
        latest.guideline, hist, audience="vendor"
    )


def test_changelog_command_audience(released: Git, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["changelog", str(released.root / PROJECT), "--audience", "annotator"]) == 0
    assert "account_closure" in capsys.readouterr().out
    assert main(["changelog", str(released.root / PROJECT), "--audience", "nobody"]) == 2
    assert "'nobody' is not an audience of the guideline (annotator)" in capsys.readouterr().err


def test_declared_notes_of_a_restricted_class_stay_out_of_an_audience(helpdesk: Path) -> None:
    import guidekit

    def change(items: list[dict[str, Any]]) -> None:
        secret = find(items, "account_closure")
        secret["sensitivity"] = "internal"
        secret["changes"] = [{"version": "1.0.0", "note": "Retention offers NOTE-ALTAIR apply."}]
        find(items, "other")["changes"] = [{"version": "1.0.0", "note": "Feedback goes here."}]

    edit(helpdesk, "taxonomy/intent.yaml", change)
    edit(helpdesk, "guideline.yaml", lambda g: g["governance"]["audiences"].update(vendor="public"))
    g = guidekit.load(helpdesk)
    everyone = class_notes(g)
    vendor = class_notes(g, audience="vendor")
    assert [n.text for n in everyone[("intent", "account_closure")]] == [
        "Retention offers NOTE-ALTAIR apply."
    ]
    assert ("intent", "account_closure") not in vendor
    assert [n.text for n in vendor[("intent", "other")]] == ["Feedback goes here."]
