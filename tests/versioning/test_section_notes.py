"""Declared impacts on every kind of change (issue #18, item 3): `changes:` notes on the record,
acceptance, governance, scope and delivery sections and at the top level, bound to their version
and reported when stale, through `guidekit diff` and `guidekit check --base` in real git
repositories."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import GUIDELINES
from guidekit.compiler.pipeline import compile_guideline
from guidekit.versioning import diff_guidelines
from guidekit.versioning.classify import GUIDELINE, RULES

from .edit_matrix import CASES
from .helpers import Git, edit, run

ST = "support-tickets"


def diff_json(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run(capsys, "diff", "base", ST, "--format", "json")
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def guideline(change: Any) -> None:
    edit(Path(ST), "guideline.yaml", change)


def note(version: str, impact: str | None, text: str) -> list[dict[str, Any]]:
    out: dict[str, Any] = {"version": version, "note": text}
    if impact:
        out["impact"] = impact
    return [out]


def release(v: str) -> Any:
    return lambda g: g.__setitem__("version", v)


def raise_intent_agreement(g: dict[str, Any]) -> None:
    g["acceptance"]["agreement"][0]["min"] = 0.9


CALIBRATE = "Vendors re-run their calibration batch before delivering under this version."


def test_an_acceptance_note_raises_a_threshold_and_the_gate_follows(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(g: dict[str, Any]) -> None:
        release("2.4.0")(g)
        raise_intent_agreement(g)
        g["acceptance"]["changes"] = note("2.4.0", "major", CALIBRATE)

    guideline(change)
    report = diff_json(capsys)
    (c,) = report["changes"]
    assert (c["rule"], c["computed"], c["impact"], c["declared"]) == (
        "acceptance-tightened",
        "minor",
        "major",
        "major",
    )
    assert c["note"] == CALIBRATE
    assert report["required"] == "major" and report["problems"] == []
    code, out, _ = run(capsys, "check", ST, "--base", "base")
    assert code == 1, "a minor bump does not cover the declared major change"
    assert "GK701" in out and "acceptance-tightened" in out
    # the same note, bound to the major release
    guideline(
        lambda g: (release("3.0.0")(g), g["acceptance"]["changes"][0].update(version="3.0.0"))
    )
    code, out, _ = run(capsys, "check", ST, "--base", "base")
    assert code == 0, out


def test_a_delivery_note_cannot_lower_a_certain_change(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(g: dict[str, Any]) -> None:
        release("2.3.1")(g)
        g["delivery"]["required_metadata"].append("reviewer")
        g["delivery"]["changes"] = note("2.3.1", "patch", "Reviewers sign every record.")

    guideline(change)
    report = diff_json(capsys)
    (c,) = report["changes"]
    assert (c["rule"], c["impact"], c["note"]) == (
        "delivery-tightened",
        "major",
        "Reviewers sign every record.",
    )
    (problem,) = report["problems"]
    assert problem["code"] == "GK705"
    assert "the `delivery` section declares a patch change" in problem["message"]
    assert problem["location"]["file"] == "guideline.yaml"
    assert problem["location"]["path"] == "delivery.changes"


def test_a_section_note_for_a_later_version_is_reported_with_its_line(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(g: dict[str, Any]) -> None:
        release("2.3.1")(g)
        g["delivery"]["statuses"].append("escalated")
        g["delivery"]["changes"] = note("3.0.0", "patch", "Escalated tickets are delivered.")

    guideline(change)
    code, out, _ = run(capsys, "diff", "base", ST, "--fail-on", "minor")
    assert code == 1, "the note for 3.0.0 does not lower the minor change of 2.3.1"
    assert "minor [delivery-loosened]" in out
    assert "GK713" in out
    assert "the `delivery` section declares a change for 3.0.0, but the version being " in out
    line = (Path(ST) / "guideline.yaml").read_text(encoding="utf-8").splitlines()
    at = next(i for i, text in enumerate(line, 1) if text.strip() == "changes:")
    assert f"guideline.yaml:{at + 1}:" in out, "the warning points at the note"


def test_a_note_on_a_section_that_did_not_change_is_reported(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(g: dict[str, Any]) -> None:
        release("2.3.1")(g)
        g["title"] = g["title"] + " (routing)"
        g["scope"]["changes"] = note("2.3.1", None, "Nothing in scope changed, really.")

    guideline(change)
    report = diff_json(capsys)
    assert [p["code"] for p in report["problems"]] == ["GK706"]
    assert (
        "the `scope` section declares a change for this version, but nothing in it"
        in (report["problems"][0]["message"])
    )


def test_a_scope_note_raises_a_reworded_skip_reason(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(g: dict[str, Any]) -> None:
        release("2.4.0")(g)
        reasons = g["scope"]["skip_reasons"]
        key = next(iter(reasons))
        reasons[key] = reasons[key].rstrip(".") + ", or a load test of the ticketing system."
        g["scope"]["changes"] = note("2.4.0", "minor", "Load-test tickets may be skipped too.")

    guideline(change)
    report = diff_json(capsys)
    (c,) = report["changes"]
    assert (c["rule"], c["computed"], c["impact"]) == ("scope-text-changed", "patch", "minor")


def test_the_top_level_note_covers_the_manifest_and_removed_rules(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(g: dict[str, Any]) -> None:
        release("2.4.0")(g)
        g["brief"]["label_use"] = "Routing, and from this version the monthly quality report."
        g["rules"] = [r for r in g["rules"] if r["id"] != "refund-needs-order"]
        g["changes"] = note("2.4.0", "minor", "Labels feed the quality report too.")

    guideline(change)
    report = diff_json(capsys)
    by_rule = {c["rule"]: c for c in report["changes"]}
    brief = by_rule["guideline-text-changed"]
    assert (brief["computed"], brief["impact"]) == ("patch", "minor")
    removed = by_rule["rule-removed"]
    assert removed["note"] == "Labels feed the quality report too."
    assert report["problems"] == []
    # a top-level note for a later version is reported at its line
    guideline(lambda g: g["changes"][0].update(version="3.0.0"))
    code, out, _ = run(capsys, "diff", "base", ST)
    assert code == 0
    assert "the top-level `changes:` declares a change for 3.0.0" in out
    assert "guideline.yaml:" in out and "GK713" in out


def test_a_removed_class_and_edge_case_leave_their_notes_to_task_and_class(
    st: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    guideline(release("3.0.0"))

    def change(items: list[dict[str, Any]]) -> None:
        cls = next(c for c in items if isinstance(c, dict) and c.get("edge_cases"))
        gone = cls["edge_cases"].pop()
        cls["changes"] = note("3.0.0", "patch", f"{gone['id']} was a duplicate.")

    edit(Path(ST), "taxonomy/intent.yaml", change)
    report = diff_json(capsys)
    (c,) = [c for c in report["changes"] if c["rule"] == "edge-case-removed"]
    assert (c["computed"], c["impact"]) == ("minor", "patch")
    assert c["note"].endswith("was a duplicate.")


# -- every change has an owner ------------------------------------------------------------------


def _owners_exist(new: Any, owner: tuple[str, ...]) -> bool:
    kind, *rest = owner
    if owner == GUIDELINE:
        return True
    if kind == "section":
        return rest[0] in ("record", "acceptance", "governance", "scope", "delivery")
    if kind == "task":
        return rest[0] in new.tasks
    if kind == "class":
        return rest[0] in new.tasks and new.tasks[rest[0]].get(rest[1]) is not None
    if kind == "rule":
        return any(r.id == rest[0] for r in new.rules)
    if kind == "edge":
        return any(x.id == rest[0] for x in new.edge_cases())
    return False


def test_every_change_of_the_edit_matrix_has_a_place_for_a_note(tmp_path: Path) -> None:
    """Each change the classifier emits on the matrix's edits is owned by something the new
    version has, so a `changes:` note can reach it (no change is left to the ignore file)."""
    seen: set[str] = set()

    def load(path: Path) -> Any:
        # as `guidekit diff` does: a side whose examples no longer compile still has an IR
        guideline = compile_guideline(path).guideline
        assert guideline is not None, path
        return guideline

    bases = {name: load(GUIDELINES / name) for name in {c.guideline for c in CASES}}
    for case in CASES:
        project = tmp_path / case.id
        shutil.copytree(GUIDELINES / case.guideline, project)
        case.change(project)
        new = load(project)
        for c in diff_guidelines(bases[case.guideline], new):
            seen.add(c.rule)
            assert c.owner, f"{case.id}: {c.rule} has no owner"
            assert _owners_exist(new, c.owner), f"{case.id}: {c.rule} owned by {c.owner}"
    assert len(seen) >= 30, sorted(set(RULES) - seen)


def test_the_format_has_a_notes_key_on_every_section() -> None:
    from guidekit.spec import format as fmt

    for model in (fmt.Guideline, fmt.Record, fmt.Acceptance, fmt.Governance, fmt.Scope):
        assert "changes" in model.model_fields, model.__name__
    assert "changes" in fmt.Delivery.model_fields
