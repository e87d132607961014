"""Versions, bumps, and the verdict on a bump."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidekit.spec import version as semver
from guidekit.versioning import Impact
from guidekit.versioning.bump import verdict

from .helpers import set_version
from .test_diff_rules import changed, klass, remove_class


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("1.2.3", "2.0.0", "major"),
        ("1.2.3", "1.3.0", "minor"),
        ("1.2.3", "1.2.4", "patch"),
        ("1.2.3", "1.2.3", "none"),
        ("1.2.3", "1.2.2", "backwards"),
        ("2.0.0-rc.1", "2.0.0-rc.2", "prerelease"),
        ("2.0.0-rc.2", "2.0.0", "prerelease"),
        ("1.9.0", "2.0.0-rc.1", "major"),
        ("2.0.0", "2.0.0-rc.1", "backwards"),
        ("2.0.0-rc.10", "2.0.0-rc.9", "backwards"),
        ("1.0.0+build.1", "1.0.0+build.2", "none"),
    ],
)
def test_bump_kind(old: str, new: str, kind: str) -> None:
    a, b = semver.parse(old), semver.parse(new)
    assert a is not None and b is not None
    assert semver.bump(a, b) == kind


@pytest.mark.parametrize("text", ["1.2", "v1.2.3", "01.2.3", "1.2.3.4", "", "one"])
def test_not_a_version(text: str) -> None:
    assert semver.parse(text) is None


@pytest.mark.parametrize(
    ("old", "impact", "expected"),
    [
        ("1.2.3", Impact.MAJOR, "2.0.0"),
        ("1.2.3", Impact.MINOR, "1.3.0"),
        ("1.2.3", Impact.PATCH, "1.2.4"),
        ("0.4.2", Impact.MAJOR, "0.5.0"),
        ("0.4.2", Impact.MINOR, "0.4.3"),
        ("3.0.0-rc.1", Impact.MAJOR, "3.0.0"),
    ],
)
def test_next_version(old: str, impact: Impact, expected: str) -> None:
    v = semver.parse(old)
    assert v is not None
    assert str(semver.next_version(v, impact)) == expected


def test_zero_major_versions_follow_cargo() -> None:
    v = semver.parse("0.4.2")
    assert v is not None
    assert semver.covers("minor", v) is Impact.MAJOR
    assert semver.covers("patch", v) is Impact.MINOR
    w = semver.parse("1.4.2")
    assert w is not None
    assert semver.covers("minor", w) is Impact.MINOR


def test_in_range() -> None:
    assert semver.in_range("2.0.0", "1.4.0", "2.0.0")
    assert not semver.in_range("1.4.0", "1.4.0", "2.0.0")
    assert semver.in_range("1.5.0", "1.4.0", "2.0.0")
    assert not semver.in_range("2.0.1", "1.4.0", "2.0.0")
    assert semver.in_range("next", "draft", "next")  # unparsable: equality with the new one


def test_sort_key_orders_by_precedence() -> None:
    versions = ["1.10.0", "1.2.0", "1.2.0-rc.1", "2.0.0", "draft"]
    assert sorted(versions, key=semver.sort_key) == [
        "draft",
        "1.2.0-rc.1",
        "1.2.0",
        "1.10.0",
        "2.0.0",
    ]


# -- verdicts on real diffs ------------------------------------------------------------------


def test_too_small_bump_names_the_changes(helpdesk: Path) -> None:
    set_version(helpdesk, "1.1.0")
    v = verdict(changed(helpdesk, remove_class("other")))
    assert (v.ok, v.code, v.suggestion, v.required) == (False, "GK701", "2.0.0", Impact.MAJOR)
    assert "class 'other' removed [class-removed]" in v.message
    assert "1.0.0 → 1.1.0 is a minor bump" in v.message


def test_unchanged_version(helpdesk: Path) -> None:
    v = verdict(changed(helpdesk, klass("other", definition="Anything else, and all feedback.")))
    assert (v.ok, v.code, v.suggestion) == (False, "GK702", "1.0.1")


def test_backwards(helpdesk: Path) -> None:
    set_version(helpdesk, "0.9.0")
    v = verdict(changed(helpdesk))
    assert (v.ok, v.code) == (False, "GK703")


def test_not_semver(helpdesk: Path) -> None:
    set_version(helpdesk, "2024.1")
    v = verdict(changed(helpdesk))
    assert (v.ok, v.code) == (False, "GK704")


def test_sufficient_bump(helpdesk: Path) -> None:
    set_version(helpdesk, "2.0.0")
    v = verdict(changed(helpdesk, remove_class("other")))
    assert v.ok and v.code is None


def test_larger_bump_than_needed_is_fine(helpdesk: Path) -> None:
    set_version(helpdesk, "2.0.0")
    assert verdict(changed(helpdesk, klass("other", name="Other things"))).ok


def test_version_bump_without_changes_is_fine(helpdesk: Path) -> None:
    set_version(helpdesk, "1.0.1")
    v = verdict(changed(helpdesk))
    assert v.ok and v.required is None


def test_many_changes_are_counted_not_all_named(helpdesk: Path) -> None:
    set_version(helpdesk, "1.0.1")
    edits = [
        remove_class(c)
        for c in (
            "other",
            "login_problem",
            "account_closure",
            "refund_request",
            "billing_question",
            "billing_dispute",
        )
    ]
    v = verdict(changed(helpdesk, *edits))
    assert "6 changes require a major bump" in v.message
    assert "and 1 more" in v.message


def test_one_version_module_orders_and_parses_for_every_caller() -> None:
    """The compiler, the handbook and the delivery check all use spec.version: ``rc.10``
    sorts after ``rc.9`` and text that is not semver (``01.2.3x``) is not a version."""
    tags = ["2.0.0", "2.0.0-rc.10", "2.0.0-rc.9", "1.10.0", "1.9.0"]
    assert sorted(tags, key=semver.sort_key) == [
        "1.9.0",
        "1.10.0",
        "2.0.0-rc.9",
        "2.0.0-rc.10",
        "2.0.0",
    ]
    for bad in ("01.2.3", "1.2.3x", "01.2.3x", "1.2", "1.0.0-01", ""):
        assert semver.parse(bad) is None, bad
    assert semver.parse("1.0.0-rc.1+build.5") == semver.Version(1, 0, 0, ("rc", "1"))
