"""Audiences: nothing above the audience's clearance reaches any output file."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from guidekit import GuidekitError
from guidekit.audience import for_audience
from guidekit.handbook import BuildResult, build_handbook, render_handbook

from .handbook_support import ABOVE_INTERNAL, ABOVE_PUBLIC, INTERNAL_ONLY, WORKSHOP, tree


def _hits(root: Path, needles: tuple[str, ...]) -> dict[str, list[str]]:
    """Which needles occur in which files of the whole output tree (site included)."""
    found: dict[str, list[str]] = {}
    for rel, data in tree(root).items():
        text = html.unescape(data.decode("utf-8", errors="replace"))
        for needle in needles:
            if needle in text:
                found.setdefault(needle, []).append(rel)
    return found


def test_full_handbook_contains_every_restricted_string(built: BuildResult) -> None:
    # the oracle below is only meaningful if the strings exist in the unfiltered handbook,
    # in the pages and in the search index
    hits = _hits(built.project, ABOVE_PUBLIC)
    assert set(hits) == set(ABOVE_PUBLIC)
    for needle in ABOVE_PUBLIC:
        assert "site/search/search_index.json" in hits[needle], needle


def test_vendor_handbook_has_nothing_above_public(built_vendor: BuildResult) -> None:
    assert built_vendor.site is not None
    assert _hits(built_vendor.project, ABOVE_PUBLIC) == {}


def test_vendor_handbook_still_shows_public_material(built_vendor: BuildResult) -> None:
    docs = built_vendor.project / "docs"
    broken = (docs / "tasks/reason/broken.md").read_text(encoding="utf-8")
    assert "Dead on arrival, the kettle does not switch on." in broken
    assert "EC-001" in broken and "EC-002" not in broken
    # a restricted class keeps its id (deliveries use it) but loses its text
    hazard = (docs / "tasks/reason/safety_hazard.md").read_text(encoding="utf-8")
    assert "safety_hazard" in hazard and "Restricted" in hazard
    assert "Safety hazard" not in hazard
    scope = (docs / "scope.md").read_text(encoding="utf-8")
    assert "Returning these socks" in scope
    # every picture belongs to an internal task's examples: none is copied
    assert not (docs / "media").exists()


def test_annotator_sees_internal_but_not_confidential(tmp_path: Path) -> None:
    result = build_handbook(WORKSHOP, tmp_path / "a", audience="annotator", site=False)
    assert _hits(result.project, ABOVE_INTERNAL) == {}
    assert set(_hits(result.project, INTERNAL_ONLY)) == set(INTERNAL_ONLY)


def test_banner_and_home_name_the_audience(built_vendor: BuildResult) -> None:
    config = (built_vendor.project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "audience: vendor" in config
    home = (built_vendor.project / "site/index.html").read_text(encoding="utf-8")
    assert "handbook for vendor" in home


def test_filter_is_identity_without_audience(workshop) -> None:  # type: ignore[no-untyped-def]
    assert for_audience(workshop, None) is workshop


def test_filtered_ir_drops_examples_by_their_own_level(workshop) -> None:  # type: ignore[no-untyped-def]
    view = for_audience(workshop, "vendor")
    broken = view.tasks["reason"]["broken"]
    assert [e.sensitivity for e in broken.examples] == ["public"]
    assert [e.id for e in broken.edge_cases] == ["EC-001"]
    assert view.tasks["reason"].edge_cases == ()
    mentions = view.tasks["mentions"]
    assert mentions.description is None
    assert all(c.definition is None and not c.examples for c in mentions.classes)
    # ids and structure survive, so links and labels still work
    assert mentions.class_ids() == workshop.tasks["mentions"].class_ids()
    assert view.tasks["mentions"].get("DEFECT") is not None


def test_unknown_audience_is_an_error(workshop) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(GuidekitError) as info:
        render_handbook(workshop, audience="press")
    d = info.value.diagnostics[0]
    assert d.code == "GK011"
    assert "vendor, annotator, reviewer" in (d.hint or "")
    assert d.location.file == "guideline.yaml"
