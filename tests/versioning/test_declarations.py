"""Authors' declarations: change notes on classes and tasks, impact on edge cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from guidekit.versioning import Impact

from .helpers import edit, find, set_version
from .test_diff_rules import changed, guideline, klass

REWORDED = "The customer contests a charge and wants it reversed, even after a chargeback."


def note(
    version: str, impact: str | None, text: str = "Chargebacks now count as disputes."
) -> list[dict[str, Any]]:
    out: dict[str, Any] = {"version": version, "note": text}
    if impact:
        out["impact"] = impact
    return [out]


def test_declared_major_raises_a_reworded_definition(helpdesk: Path) -> None:
    set_version(helpdesk, "2.0.0")
    d = changed(
        helpdesk, klass("billing_dispute", definition=REWORDED, changes=note("2.0.0", "major"))
    )
    (c,) = d.changes
    assert (c.rule, c.computed, c.impact, c.declared) == (
        "class-definition-changed",
        Impact.PATCH,
        Impact.MAJOR,
        Impact.MAJOR,
    )
    assert c.note == "Chargebacks now count as disputes."
    assert d.required is Impact.MAJOR and d.problems == ()


def test_declared_patch_lowers_a_judgement_call(helpdesk: Path) -> None:
    set_version(helpdesk, "1.0.1")
    excludes = [
        "questions about how billing works → billing_question",
        "asking how to pay → billing_question",
    ]
    d = changed(
        helpdesk,
        klass(
            "billing_dispute",
            excludes=excludes,
            changes=note("1.0.1", "patch", "Clarifies an existing boundary."),
        ),
    )
    (c,) = d.changes
    assert (c.rule, c.computed, c.impact) == ("class-narrowed", Impact.MAJOR, Impact.PATCH)


def test_declaration_cannot_lower_a_certain_change(helpdesk: Path) -> None:
    set_version(helpdesk, "1.0.1")

    def required_attribute(g: dict[str, Any]) -> None:
        amount = g["tasks"]["entities"]["classes"][1]
        amount["attributes"]["approx"] = {"type": "boolean", "required": True}
        amount.pop("examples")
        amount["changes"] = note("1.0.1", "patch", "Mark rounded amounts.")

    d = changed(helpdesk, guideline(required_attribute))
    by_rule = {c.rule: c for c in d.changes}
    assert by_rule["attribute-added-required"].impact is Impact.MAJOR
    assert by_rule["example-removed"].impact is Impact.PATCH  # a certain patch stays patch
    assert [p.code for p in d.problems] == ["GK705"]
    assert "attribute `approx` added" in d.problems[0].message.replace("'", "`")


def test_note_for_another_version_is_ignored(helpdesk: Path) -> None:
    set_version(helpdesk, "1.1.0")
    d = changed(
        helpdesk, klass("billing_dispute", definition=REWORDED, changes=note("0.9.0", "major"))
    )
    (c,) = d.changes
    assert c.impact is Impact.PATCH and c.declared is None and c.note is None


def test_note_without_a_change_is_reported(helpdesk: Path) -> None:
    set_version(helpdesk, "1.1.0")
    d = changed(helpdesk, klass("other", changes=note("1.1.0", None, "Feedback goes here.")))
    assert d.changes == ()
    assert [p.code for p in d.problems] == ["GK706"]
    assert d.problems[0].location.file == "taxonomy/intent.yaml"


def test_note_without_impact_only_annotates(helpdesk: Path) -> None:
    set_version(helpdesk, "1.0.1")
    d = changed(
        helpdesk, klass("billing_dispute", definition=REWORDED, changes=note("1.0.1", None))
    )
    (c,) = d.changes
    assert c.impact is Impact.PATCH and c.note == "Chargebacks now count as disputes."


def test_new_class_declared_major(helpdesk: Path) -> None:
    """A class added to a single-choice task can take items from another: the author says so."""
    set_version(helpdesk, "2.0.0")

    def add(items: list[dict[str, Any]]) -> None:
        items.append(
            {
                "id": "chargeback",
                "parent": "billing",
                "definition": "The bank reversed a card payment at the customer's request.",
                "examples": [{"body": "My bank reversed the payment."}],
                "changes": note("2.0.0", "major", "Chargebacks were billing disputes before."),
            }
        )

    d = changed(helpdesk, lambda p: edit(p, "taxonomy/intent.yaml", add))
    (c,) = d.changes
    assert (c.rule, c.impact, c.declared) == ("class-added", Impact.MAJOR, Impact.MAJOR)


def test_edge_case_impact(helpdesk: Path) -> None:
    set_version(helpdesk, "1.1.0")

    def decide(g: dict[str, Any]) -> None:
        case = g["tasks"]["intent"]["edge_cases"][0]
        case.update(decision="account_closure", since="1.1.0", impact="minor")

    d = changed(helpdesk, guideline(decide))
    (c,) = d.changes
    assert (c.rule, c.computed, c.impact) == (
        "edge-case-decision-changed",
        Impact.MAJOR,
        Impact.MINOR,
    )


def test_edge_case_impact_of_an_older_decision_does_not_apply(helpdesk: Path) -> None:
    set_version(helpdesk, "1.1.0")

    def decide(g: dict[str, Any]) -> None:
        g["tasks"]["intent"]["edge_cases"][0].update(decision="account_closure", impact="minor")

    d = changed(helpdesk, guideline(decide))
    (c,) = d.changes  # since: 1.0.0 is not this change
    assert c.impact is Impact.MAJOR


def test_task_note(helpdesk: Path) -> None:
    set_version(helpdesk, "1.1.0")

    def reword(g: dict[str, Any]) -> None:
        g["tasks"]["intent"]["description"] = "Pick one leaf class; the subject line decides ties."
        g["tasks"]["intent"]["changes"] = note("1.1.0", "minor", "Subject lines now break ties.")

    d = changed(helpdesk, guideline(reword))
    (c,) = d.changes
    assert (c.rule, c.impact, c.owner) == ("task-text-changed", Impact.MINOR, ("task", "intent"))


def test_class_note_does_not_reach_other_classes(helpdesk: Path) -> None:
    set_version(helpdesk, "2.0.0")

    def both(items: list[dict[str, Any]]) -> None:
        find(items, "billing_dispute")["changes"] = note("2.0.0", "major")
        find(items, "billing_dispute")["definition"] = REWORDED
        find(items, "other")["definition"] = "Anything else, including feedback and feature ideas."

    d = changed(helpdesk, lambda p: edit(p, "taxonomy/intent.yaml", both))
    impacts = {c.class_id: c.impact for c in d.changes}
    assert impacts == {"billing_dispute": Impact.MAJOR, "other": Impact.PATCH}
