"""Each kind of change is found and classified: one edit of the fixture guideline per case."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import guidekit
from guidekit.versioning import GuidelineDiff, Impact, diff_guidelines
from guidekit.versioning.classify import RULES

from .helpers import HELPDESK, edit, find

Edit = Callable[[Path], None]


@cache
def base() -> guidekit.Guideline:
    return guidekit.load(HELPDESK)


def changed(project: Path, *edits: Edit) -> GuidelineDiff:
    for e in edits:
        e(project)
    result = guidekit.compile_guideline(project)
    assert result.guideline is not None, [str(d) for d in result.diagnostics]
    return diff_guidelines(base(), result.guideline)


def rules_of(d: GuidelineDiff) -> set[tuple[str, Impact]]:
    return {(c.rule, c.impact) for c in d.changes}


# -- edits -----------------------------------------------------------------------------------


def taxonomy(change: Callable[[list[dict[str, Any]]], Any]) -> Edit:
    return lambda p: edit(p, "taxonomy/intent.yaml", change)


def guideline(change: Callable[[dict[str, Any]], Any]) -> Edit:
    return lambda p: edit(p, "guideline.yaml", change)


def klass(cid: str, **fields: Any) -> Edit:
    def change(items: list[dict[str, Any]]) -> None:
        find(items, cid).update(fields)

    return taxonomy(change)


def add_class(**fields: Any) -> Edit:
    return taxonomy(lambda items: items.append(fields))


def remove_class(cid: str) -> Edit:
    def change(items: list[dict[str, Any]]) -> None:
        items[:] = [c for c in items if c["id"] != cid]

    return taxonomy(change)


def amount(change: Callable[[dict[str, Any]], Any]) -> Edit:
    return guideline(lambda g: change(g["tasks"]["entities"]["classes"][1]))


def task(tid: str, **fields: Any) -> Edit:
    return guideline(lambda g: g["tasks"][tid].update(fields))


def edge(change: Callable[[dict[str, Any]], Any]) -> Edit:
    return guideline(lambda g: change(g["tasks"]["intent"]["edge_cases"][0]))


def rule(change: Callable[[dict[str, Any]], Any]) -> Edit:
    return guideline(lambda g: change(g["rules"][0]))


def new_rule(severity: str) -> Edit:
    def change(g: dict[str, Any]) -> None:
        g["rules"].append(
            {
                "id": "closure-not-urgent",
                "when": {"task": "intent", "is": "account_closure"},
                "then": {"task": "urgency", "at_most": "medium"},
                "severity": severity,
                "message": "Closing an account is never high urgency.",
            }
        )

    return guideline(change)


def delete(mapping: Callable[[dict[str, Any]], dict[str, Any]], key: str) -> Edit:
    return guideline(lambda g: mapping(g).pop(key))


DROP_AMOUNT_EXAMPLE = guideline(lambda g: g["tasks"]["entities"]["classes"][1].pop("examples"))
DISPUTE_EXCLUDE = "questions about how billing works → billing_question"

CASES: dict[str, tuple[list[Edit], set[tuple[str, Impact]]]] = {
    # classes
    "definition reworded": (
        [
            klass(
                "other", definition="Anything no other class fits, feedback and feature ideas too."
            )
        ],
        {("class-definition-changed", Impact.PATCH)},
    ),
    "class removed": ([remove_class("other")], {("class-removed", Impact.MAJOR)}),
    "grouping class removed": (
        [
            remove_class("account"),
            klass("login_problem", parent=None),
            klass("account_closure", parent=None),
        ],
        {("group-removed", Impact.MINOR), ("class-moved", Impact.MINOR)},
    ),
    "class added": (
        [
            add_class(
                id="feature_request",
                definition="The customer asks for a new feature.",
                examples=[{"body": "Add dark mode."}],
            )
        ],
        {("class-added", Impact.MINOR)},
    ),
    "include added": (
        [
            klass(
                "billing_dispute",
                includes=[
                    "duplicate charges",
                    "charges after a cancellation",
                    "charges for an order never received",
                ],
            )
        ],
        {("class-widened", Impact.MINOR)},
    ),
    "include removed": (
        [klass("billing_dispute", includes=["duplicate charges"])],
        {("class-narrowed", Impact.MAJOR)},
    ),
    "exclude added": (
        [
            klass(
                "billing_dispute",
                excludes=[DISPUTE_EXCLUDE, "a refund for a returned item → refund_request"],
            )
        ],
        {("class-narrowed", Impact.MAJOR)},
    ),
    "exclude removed": ([klass("billing_dispute", excludes=[])], {("class-widened", Impact.MINOR)}),
    "exclude reworded": (
        [
            klass(
                "billing_dispute",
                excludes=["questions about how or when billing works → billing_question"],
            )
        ],
        {("class-boundary-reworded", Impact.PATCH)},
    ),
    "parent changed": ([klass("other", parent="account")], {("class-moved", Impact.MINOR)}),
    "alias added": ([klass("refund_request", aliases=["refund"])], {("alias-added", Impact.MINOR)}),
    "alias removed": ([klass("billing_dispute", aliases=[])], {("alias-removed", Impact.MAJOR)}),
    "name and hotkey": (
        [klass("other", name="Something else", hotkey="o")],
        {("class-text-changed", Impact.PATCH), ("class-display-changed", Impact.PATCH)},
    ),
    "retired": ([klass("other", deprecated=True)], {("class-retired", Impact.MAJOR)}),
    "leaf became parent": (
        [
            add_class(
                id="login_locked",
                parent="login_problem",
                definition="The account is locked after failed sign-in attempts.",
                examples=[{"body": "My account is locked."}],
            )
        ],
        {("class-split", Impact.MAJOR)},
    ),
    # attributes
    "required attribute added": (
        [
            amount(lambda c: c["attributes"].update(approx={"type": "boolean", "required": True})),
            DROP_AMOUNT_EXAMPLE,
        ],
        {("attribute-added-required", Impact.MAJOR), ("example-removed", Impact.PATCH)},
    ),
    "required attribute with a default": (
        [
            amount(
                lambda c: c["attributes"].update(
                    approx={"type": "boolean", "required": True, "default": False}
                )
            )
        ],
        {("attribute-added", Impact.MINOR)},
    ),
    "optional attribute added": (
        [amount(lambda c: c["attributes"].update(approx={"type": "boolean"}))],
        {("attribute-added", Impact.MINOR)},
    ),
    "attribute removed": (
        [amount(lambda c: c.pop("attributes")), DROP_AMOUNT_EXAMPLE],
        {("attribute-removed", Impact.MAJOR), ("example-removed", Impact.PATCH)},
    ),
    "allowed values narrowed": (
        [amount(lambda c: c["attributes"]["currency"].update(values=["USD"]))],
        {("attribute-values-narrowed", Impact.MAJOR)},
    ),
    "allowed values widened": (
        [amount(lambda c: c["attributes"]["currency"].update(values=["USD", "EUR", "GBP"]))],
        {("attribute-values-widened", Impact.MINOR)},
    ),
    "attribute made required": (
        [amount(lambda c: c["attributes"]["currency"].update(required=True))],
        {("attribute-required", Impact.MAJOR)},
    ),
    "attribute default changed": (
        [amount(lambda c: c["attributes"]["currency"].update(default="USD"))],
        {("attribute-default-changed", Impact.MAJOR)},
    ),
    "attribute type changed": (
        [amount(lambda c: c["attributes"].update(currency={"type": "text"})), DROP_AMOUNT_EXAMPLE],
        {
            ("attribute-type-changed", Impact.MAJOR),
            ("attribute-text-changed", Impact.PATCH),
            ("example-removed", Impact.PATCH),
        },
    ),
    "attribute described": (
        [
            amount(
                lambda c: c["attributes"]["currency"].update(
                    description="ISO 4217 code of the amount's currency."
                )
            )
        ],
        {("attribute-text-changed", Impact.PATCH)},
    ),
    # tasks
    "task type changed": ([task("urgency", type="single")], {("task-type-changed", Impact.MAJOR)}),
    "task made optional": ([task("entities", required=False)], {("task-optional", Impact.MINOR)}),
    "overlap allowed": (
        [task("entities", overlap="allow")],
        {("task-constraint-loosened", Impact.MINOR)},
    ),
    "empty regions forbidden": (
        [task("entities", allow_empty=False)],
        {("task-constraint-tightened", Impact.MAJOR)},
    ),
    "task question reworded": (
        [task("intent", question="What does the customer need first?")],
        {("task-text-changed", Impact.PATCH)},
    ),
    "required task added": (
        [
            guideline(
                lambda g: g["tasks"].update(
                    sentiment={"type": "single", "classes": ["positive", "negative"]}
                )
            )
        ],
        {("task-added-required", Impact.MAJOR)},
    ),
    "optional task added": (
        [
            guideline(
                lambda g: g["tasks"].update(
                    sentiment={
                        "type": "single",
                        "required": False,
                        "classes": ["positive", "negative"],
                    }
                )
            )
        ],
        {("task-added", Impact.MINOR)},
    ),
    "ordinal level added": (
        [
            guideline(
                lambda g: g["tasks"]["urgency"]["classes"].append(
                    {
                        "id": "critical",
                        "definition": "Ongoing harm: security, safety or repeated charges.",
                    }
                )
            )
        ],
        {("ordinal-level-added", Impact.MAJOR)},
    ),
    "ordinal reordered": (
        [guideline(lambda g: g["tasks"]["urgency"]["classes"].reverse())],
        {("ordinal-reordered", Impact.MAJOR)},
    ),
    # edge cases
    "edge case decision changed": (
        [
            edge(
                lambda x: x.update(
                    decision="account_closure",
                    rationale="Closing the account is what the customer wants first.",
                )
            )
        ],
        {("edge-case-decision-changed", Impact.MAJOR), ("edge-case-text-changed", Impact.PATCH)},
    ),
    "edge case rationale reworded": (
        [
            edge(
                lambda x: x.update(
                    rationale="A contested charge is corrected before an account is closed."
                )
            )
        ],
        {("edge-case-text-changed", Impact.PATCH)},
    ),
    "edge case removed": (
        [guideline(lambda g: g["tasks"]["intent"].pop("edge_cases"))],
        {("edge-case-removed", Impact.MINOR)},
    ),
    "open edge case added": (
        [
            guideline(
                lambda g: g["tasks"]["intent"]["edge_cases"].append(
                    {
                        "id": "EC-002",
                        "body": "Is a chargeback a dispute?",
                        "question": "Is a chargeback a dispute?",
                    }
                )
            )
        ],
        {("edge-case-added", Impact.PATCH)},
    ),
    "edge case decided": (
        [
            guideline(
                lambda g: g["tasks"]["intent"]["edge_cases"].append(
                    {
                        "id": "EC-002",
                        "body": "My bank reversed the charge.",
                        "decision": "billing_dispute",
                        "rationale": "A chargeback contests a charge.",
                    }
                )
            )
        ],
        {("edge-case-decided", Impact.MINOR)},
    ),
    "edge case moved to a class": (
        [
            guideline(lambda g: g["tasks"]["intent"].pop("edge_cases")),
            klass(
                "billing_dispute",
                edge_cases=[
                    {
                        "id": "EC-001",
                        "body": "I was charged twice and now I want to close my account.",
                        "decision": "billing_dispute",
                        "rationale": "The charge must be corrected before the account can be closed.",
                        "since": "1.0.0",
                    }
                ],
            ),
        ],
        {("edge-case-moved", Impact.PATCH)},
    ),
    # examples
    "example added": (
        [klass("other", examples=[{"body": "Your app looks great!"}, {"body": "Nice shop."}])],
        {("example-added", Impact.PATCH)},
    ),
    "example reworded": (
        [klass("other", examples=[{"body": "Your app looks really great!"}])],
        {("example-changed", Impact.PATCH)},
    ),
    "negative label changed": (
        [
            klass(
                "billing_dispute",
                negatives=[
                    {
                        "body": "When will I be charged for the annual plan?",
                        "label": "other",
                        "why": "Not a dispute.",
                    }
                ],
            )
        ],
        {("example-changed", Impact.PATCH)},
    ),
    # rules
    "rule made an error": (
        [rule(lambda r: r.update(severity="error"))],
        {("rule-made-error", Impact.MAJOR)},
    ),
    "rule condition changed": (
        [rule(lambda r: r.update(then={"task": "entities", "has_any": ["ORDER_ID", "AMOUNT"]}))],
        {("rule-changed", Impact.MINOR)},
    ),
    "rule removed": ([guideline(lambda g: g.pop("rules"))], {("rule-removed", Impact.MINOR)}),
    "error rule added": ([new_rule("error")], {("rule-added-error", Impact.MAJOR)}),
    "warning rule added": ([new_rule("warning")], {("rule-added", Impact.MINOR)}),
    "rule message reworded": (
        [rule(lambda r: r.update(message="Quote the order id of a refund."))],
        {("rule-text-changed", Impact.PATCH)},
    ),
    # acceptance, governance, scope, delivery, record, manifest
    "agreement raised": (
        [guideline(lambda g: g["acceptance"]["agreement"].update(min=0.85))],
        {("acceptance-tightened", Impact.MINOR)},
    ),
    "audit relaxed": (
        [guideline(lambda g: g["acceptance"]["audit"].update(min_pass_rate=0.9))],
        {("acceptance-loosened", Impact.MINOR)},
    ),
    "criterion added": (
        [guideline(lambda g: g["acceptance"].update(unresolved={"max_share": 0.02}))],
        {("acceptance-added", Impact.MINOR)},
    ),
    "retention changed": (
        [guideline(lambda g: g["governance"].update(retention="P30D"))],
        {("governance-changed", Impact.MINOR)},
    ),
    "escalation written": (
        [
            guideline(
                lambda g: g["governance"].update(
                    escalation="Ask the team lead in the tool's comments."
                )
            )
        ],
        {("governance-text-changed", Impact.PATCH)},
    ),
    "skip reason removed": (
        [delete(lambda g: g["scope"]["skip_reasons"], "empty")],
        {("skip-reason-removed", Impact.MAJOR)},
    ),
    "skip reason added": (
        [guideline(lambda g: g["scope"]["skip_reasons"].update(spam="Advertising or phishing."))],
        {("skip-reason-added", Impact.MINOR)},
    ),
    "metadata made required": (
        [
            guideline(
                lambda g: g["delivery"].update(
                    required_metadata=["annotator", "guideline_version", "status"]
                )
            )
        ],
        {("delivery-tightened", Impact.MAJOR)},
    ),
    "inputs delivered": (
        [guideline(lambda g: g["delivery"].update(include_inputs=True))],
        {("delivery-format-changed", Impact.MAJOR)},
    ),
    "input field added": (
        [
            guideline(
                lambda g: g["record"]["fields"].update(subject={"type": "text", "required": False})
            )
        ],
        {("input-field-added", Impact.MINOR)},
    ),
    "category values narrowed": (
        [guideline(lambda g: g["record"]["fields"]["channel"].update(values=["email"]))],
        {("input-field-changed", Impact.MINOR)},
    ),
    "brief reworded": (
        [
            guideline(
                lambda g: g["brief"].update(
                    objective="Route every helpdesk ticket to the queue that resolves it first."
                )
            )
        ],
        {("guideline-text-changed", Impact.PATCH)},
    ),
    "split added": (
        [guideline(lambda g: g.update(splits=["train", "eval"]))],
        {("split-added", Impact.MINOR)},
    ),
    "glossary term": (
        [guideline(lambda g: g.update(glossary={"queue": "A team's work list."}))],
        {("glossary-changed", Impact.PATCH)},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_change_is_classified(helpdesk: Path, name: str) -> None:
    edits, expected = CASES[name]
    d = changed(helpdesk, *edits)
    assert rules_of(d) == expected
    assert d.required == Impact.highest([i for _, i in expected])


def test_every_rule_is_documented() -> None:
    for r in RULES.values():
        assert r.doc.endswith("."), r.id
        assert r.id == r.id.lower() and " " not in r.id


def test_no_change(helpdesk: Path) -> None:
    d = changed(helpdesk)
    assert d.changes == () and d.required is None and d.problems == ()


def test_rewrapped_text_is_not_a_change(helpdesk: Path) -> None:
    text = "Anything that fits no other class, including feedback and feature requests."
    d = changed(helpdesk, klass("other", definition=text.replace(" feedback", "\n  feedback")))
    assert d.changes == ()


def test_word_diff_of_a_definition(helpdesk: Path) -> None:
    d = changed(
        helpdesk,
        klass(
            "billing_dispute",
            definition="The customer contests a charge they believe is wrong and asks us to reverse it.",
        ),
    )
    (c,) = d.changes
    assert c.words is not None
    assert ("-", "wants it corrected") in c.words and ("+", "asks us to reverse it") in c.words
    assert c.where == "intent › billing_dispute"
    assert c.loc is not None and c.loc.file == "taxonomy/intent.yaml" and c.loc.line == 4


def test_renders_without_locations(helpdesk: Path) -> None:
    """Removed things have no place in the new files: every format copes."""
    from guidekit.versioning.markdown import render_markdown
    from guidekit.versioning.report import render

    d = changed(helpdesk, task("entities", classes=["ORDER_ID"]), remove_class("other"))
    text = render(d, "text", prefix="p")
    assert "p/guideline.yaml:49: major [class-removed] class `AMOUNT` removed" in text
    assert "p/guideline.yaml:26: major [class-removed] class `other` removed" in text  # the task
    assert "::warning file=p/guideline.yaml,line=26," in render(d, "github", prefix="p")
    assert "**intent › other**: class `other` removed" in render_markdown(d)
    doc = json.loads(render(d, "json"))
    assert [c["rule"] for c in doc["changes"]] == [
        "class-removed",
        "class-removed",
        "class-definition-changed",
        "example-removed",
    ]
    assert doc["fates"]["entities"] == {
        "AMOUNT": {"kind": "removed", "targets": [], "accepted": False}
    }


def test_markdown_fits_a_comment(helpdesk: Path) -> None:
    from guidekit.versioning.markdown import render_markdown

    def reword_all(items: list[dict[str, Any]]) -> None:
        for c in items:
            c["definition"] = (c.get("definition") or "") + " Reworded at length. " * 40

    d = changed(helpdesk, taxonomy(reword_all))
    full = render_markdown(d)
    assert "#### Changed text" in full
    short = render_markdown(d, max_chars=len(full) - 1)
    assert "Word diffs of 8 changed texts left out to fit a comment." in short
    assert len(short) < len(full)
    tiny = render_markdown(d, max_chars=800)
    assert len(tiny) <= 800 and tiny.endswith("run `guidekit diff` for everything)\n")
