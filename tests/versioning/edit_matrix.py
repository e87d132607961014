"""The edit matrix: realistic single edits of the bundled guidelines, each with the bump a
careful maintainer would require and why.

The expected bump of every row was written down before running guidekit on it (issue #18).
Where guidekit disagreed, the row says who was right: ``tool_limit`` names a judgement the
tool cannot make from the structure alone (the authors declare the impact instead; a sibling
row shows the declaration working). Never change ``expect`` to match the output without
writing why in ``why``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .helpers import edit, find

Edit = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    id: str
    guideline: str
    expect: str  # "major" | "minor" | "patch"
    why: str
    change: Edit
    tool_limit: str = ""  # why guidekit cannot tell on its own (the row is then xfail)
    example_errors: bool = False  # the new side's examples no longer compile (said why)


def sub(file: str, old: str, new: str, count: int = 1) -> Edit:
    """Replace ``old`` by ``new`` in ``file`` as text (``count`` times; 0: every time)."""

    def run(p: Path) -> None:
        path = p / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(
            text.replace(old, new) if count == 0 else text.replace(old, new, count),
            encoding="utf-8",
        )

    return run


def yaml_edit(file: str, change: Callable[[Any], Any]) -> Edit:
    return lambda p: edit(p, file, change)


def on_class(file: str, cid: str, change: Callable[[dict[str, Any]], Any]) -> Edit:
    return yaml_edit(file, lambda items: change(find(items, cid)))


ST, RP, MD, CN = "support-tickets", "retail-products", "manufacturing-defects", "clinical-notes"
INTENT = "taxonomy/intent.yaml"
INTENT_EC = "taxonomy/intent-edge-cases.yaml"
URGENCY = "taxonomy/urgency.yaml"
PRODUCTS = "taxonomy/products.yaml"
DEFECTS = "taxonomy/defects.yaml"
CN_ENT = "taxonomy/entities.yaml"
G = "guideline.yaml"


def _rename_login(c: dict[str, Any]) -> None:
    c["id"] = "sign_in_problem"
    c["aliases"] = ["login_problem"]


def _new_intent(items: list[dict[str, Any]]) -> None:
    at = items.index(find(items, "address_change")) + 1
    items.insert(
        at,
        {
            "id": "delivery_reschedule",
            "name": "Delivery reschedule",
            "parent": "shipping",
            "definition": "The customer asks to move a planned delivery to another day or time "
            "slot without changing the address.",
        },
    )


def _parents(c: dict[str, Any], *parents: str) -> None:
    c.pop("parent", None)
    c["parents"] = list(parents)


def drop_lines(file: str, needle: str) -> Edit:
    """Remove every line of ``file`` holding ``needle``."""

    def run(p: Path) -> None:
        path = p / file
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if needle not in line]
        assert len(kept) < len(lines), f"{needle!r} not in {file}"
        path.write_text("".join(kept), encoding="utf-8")

    return run


def _remove_class(p: Path) -> None:
    edit(p, "taxonomy/entities.yaml", lambda items: items.remove(find(items, "ERROR_CODE")))
    drop_lines(INTENT, "label: ERROR_CODE")(p)


def _new_decided_case(items: list[dict[str, Any]]) -> None:
    items.append(
        {
            "id": "EC-020",
            "channel": "email",
            "body": "Please refund the kettle I sent back last week, order NW-3302281.",
            "decision": "refund_request",
            "rationale": "A returned item whose money has not come back is a refund request.",
            "since": "2.3.0",
        }
    )


def _open_case(items: list[dict[str, Any]]) -> None:
    items.append(
        {
            "id": "EC-021",
            "channel": "chat",
            "body": "is the blender still under warranty if I bought it from a marketplace?",
            "question": "warranty_claim or how_to_question?",
        }
    )


def _reorder_urgency(items: list[dict[str, Any]]) -> None:
    items[0], items[1] = items[1], items[0]


def _urgency_level(items: list[dict[str, Any]]) -> None:
    items.insert(
        1,
        {
            "id": "soon",
            "name": "Soon",
            "definition": "Should be answered within two working days, but nothing breaks yet.",
        },
    )


def _rule(**fields: Any) -> Callable[[dict[str, Any]], None]:
    def run(g: dict[str, Any]) -> None:
        g["rules"].append(
            {
                "id": "closure-not-critical",
                "description": "Closing an account is never critical.",
                "when": {"task": "intent", "is": "account_closure"},
                "then": {"not": {"task": "urgency", "at_least": "critical"}},
                "message": "Account closures are never critical; lower the urgency.",
                **fields,
            }
        )

    return run


def _rule_field(rid: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda g: find(g["rules"], rid).__setitem__(key, value)


def _example(items: list[dict[str, Any]]) -> None:
    find(items, "refund_request")["examples"].append(
        {"channel": "app", "body": "I returned the toaster, when do I get my money back?"}
    )


CASES: list[Case] = [
    # -- classes ----------------------------------------------------------------------------
    Case(
        "rename-with-alias",
        ST,
        "minor",
        "old labels are still accepted through the alias and migrate rewrites them",
        on_class(INTENT, "login_problem", _rename_login),
    ),
    Case(
        "plain-id-change",
        ST,
        "major",
        "without an alias every delivered login_problem label is rejected",
        sub(INTENT, "login_problem", "sign_in_problem", 0),
    ),
    Case(
        "rename-referenced-by-error-rule",
        ST,
        "minor",
        "an alias keeps old labels valid; the rule only follows the new id (GK302 forces it)",
        lambda p: (
            sub(
                INTENT,
                "- id: feature_request",
                "- id: product_suggestion\n  aliases: [feature_request]",
            )(p),
            sub(G, "feature_request, general_feedback", "product_suggestion, general_feedback")(p),
        ),
    ),
    Case(
        "new-class",
        ST,
        "minor",
        "old labels stay valid; annotators may now pick one more class",
        yaml_edit(INTENT, _new_intent),
    ),
    Case(
        "second-parent-added",
        ST,
        "minor",
        "refund_request labels stay valid (account is a group already, never a label); counts "
        "and criteria over account's descendants now include refund_request",
        on_class(INTENT, "refund_request", lambda c: _parents(c, "billing", "account")),
    ),
    Case(
        "parent-added-under-a-leaf",
        ST,
        "major",
        "billing_question becomes a group under leaf-only labelling: every delivered "
        "billing_question label is rejected and needs re-annotation (its own examples too: "
        "GK306)",
        on_class(INTENT, "refund_request", lambda c: _parents(c, "billing", "billing_question")),
        example_errors=True,
    ),
    Case(
        "removed-class",
        ST,
        "major",
        "ERROR_CODE spans of old deliveries are rejected and have no replacement",
        _remove_class,
    ),
    Case(
        "definition-reworded",
        ST,
        "patch",
        "same meaning in clearer words; no label changes",
        sub(
            INTENT, "The parcel arrived but its content", "The parcel has arrived, but its content"
        ),
    ),
    Case(
        "typo-fix",
        ST,
        "patch",
        "a one-word fix of the text changes no label",
        sub(INTENT, "Tickets about money", "Tickets about money matters"),
    ),
    Case(
        "include-added",
        ST,
        "minor",
        "the class covers more; labels made under the old version keep their meaning",
        on_class(
            INTENT,
            "billing_dispute",
            lambda c: c["includes"].append("a charge in a currency the customer did not choose"),
        ),
    ),
    Case(
        "exclude-added-narrows",
        MD,
        "major",
        "short scratches labelled before are now wrong: existing labels need review",
        on_class(
            DEFECTS,
            "scratch",
            lambda c: c.setdefault("excludes", []).append(
                "scratches shorter than 1 mm → not labelled"
            ),
        ),
    ),
    Case(
        "exclude-only-clarifies",
        ST,
        "patch",
        "restates a boundary billing_dispute already draws (charges after cancelling are disputes)",
        on_class(
            INTENT,
            "refund_request",
            lambda c: c.setdefault("excludes", []).append(
                "a charge after a cancellation → billing_dispute"
            ),
        ),
        tool_limit="an added exclude that sends items to another class reads the same whether "
        "it restates a boundary that class already draws or moves one, so class-narrowed stays "
        "a major judgement call; the authors declare patch in the class's `changes:` (row "
        "exclude-only-clarifies-declared) or accept it in `.guidekit-ignore.yaml`",
    ),
    Case(
        "exclude-only-clarifies-declared",
        ST,
        "patch",
        "the same clarifying exclude with a change note declaring it patch",
        lambda p: (
            on_class(
                INTENT,
                "refund_request",
                lambda c: (
                    c.setdefault("excludes", []).append(
                        "a charge after a cancellation → billing_dispute"
                    ),
                    c.__setitem__(
                        "changes",
                        [
                            {
                                "version": "2.3.1",
                                "impact": "patch",
                                "note": "Clarifies a boundary billing_dispute draws.",
                            }
                        ],
                    ),
                ),
            )(p),
            sub(G, "version: 2.3.0", "version: 2.3.1")(p),
        ),
    ),
    Case(
        "alias-added",
        ST,
        "minor",
        "one more label is accepted",
        on_class(INTENT, "how_to_question", lambda c: c.__setitem__("aliases", ["how_to"])),
    ),
    Case(
        "alias-removed",
        ST,
        "major",
        "labels using the alias 'dispute' are rejected",
        on_class(INTENT, "billing_dispute", lambda c: c.pop("aliases")),
    ),
    Case(
        "merge-with-replaced-by",
        CN,
        "minor",
        "FREQUENCY stays accepted as deprecated and migrate rewrites it to DOSAGE",
        on_class(
            CN_ENT,
            "FREQUENCY",
            lambda c: c.update(deprecated="Merged into DOSAGE.", replaced_by="DOSAGE"),
        ),
    ),
    Case(
        "split-with-replaced-by",
        ST,
        "major",
        "one old label maps to two classes: other_request labels need re-annotation",
        on_class(
            INTENT,
            "other_request",
            lambda c: c.update(
                deprecated="Split.", replaced_by=["general_feedback", "feature_request"]
            ),
        ),
    ),
    Case(
        "hotkey-changed",
        RP,
        "patch",
        "display only",
        on_class(PRODUCTS, "bottle", lambda c: c.__setitem__("hotkey", "o")),
    ),
    Case(
        "colour-changed",
        ST,
        "patch",
        "display only",
        on_class("taxonomy/entities.yaml", "PRODUCT", lambda c: c.__setitem__("color", "#000000")),
    ),
    # -- examples, edge cases ---------------------------------------------------------------
    Case(
        "example-added",
        ST,
        "patch",
        "examples teach; they judge no label",
        yaml_edit(INTENT, _example),
    ),
    Case(
        "example-removed",
        ST,
        "patch",
        "examples teach; they judge no label",
        on_class(INTENT, "refund_request", lambda c: c["examples"].pop()),
    ),
    Case(
        "new-decided-edge-case",
        ST,
        "minor",
        "a decision annotators must follow from now on; consistent with earlier practice",
        yaml_edit(INTENT_EC, _new_decided_case),
    ),
    Case(
        "new-open-edge-case",
        ST,
        "patch",
        "an open question decides nothing",
        yaml_edit(INTENT_EC, _open_case),
    ),
    Case(
        "edge-case-decision-reversed",
        ST,
        "major",
        "labels that followed the old decision are now wrong",
        yaml_edit(
            INTENT_EC, lambda items: find(items, "EC-001").__setitem__("decision", "account_update")
        ),
    ),
    # -- tasks ------------------------------------------------------------------------------
    Case(
        "nominal-to-ordinal",
        RP,
        "minor",
        "every old value is still a valid level; the scale only gains an order",
        sub(G, "  shelf_status:\n    type: single", "  shelf_status:\n    type: ordinal"),
    ),
    Case(
        "ordinal-order-changed",
        ST,
        "major",
        "the same label means a different rank",
        yaml_edit(URGENCY, _reorder_urgency),
    ),
    Case(
        "ordinal-level-added",
        ST,
        "major",
        "a level in between: its neighbours now cover less",
        yaml_edit(URGENCY, _urgency_level),
    ),
    Case(
        "task-description-reworded",
        ST,
        "patch",
        "same instruction in other words",
        sub(G, "Pick exactly one leaf class.", "Pick one leaf class, exactly one."),
    ),
    Case(
        "allow-empty-removed",
        ST,
        "major",
        "records without entities are now rejected",
        sub(
            G,
            "    overlap: forbid\n    allow_empty: true",
            "    overlap: forbid\n    allow_empty: false",
        ),
    ),
    Case(
        "overlap-allowed",
        ST,
        "minor",
        "spans may overlap now: accepts more",
        sub(G, "    overlap: forbid", "    overlap: allow"),
    ),
    Case(
        "min-box-size-raised",
        RP,
        "major",
        "small bottle boxes delivered before are rejected",
        on_class(PRODUCTS, "bottle", lambda c: c["min_size"].__setitem__("height", 24)),
    ),
    Case(
        "min-box-size-lowered",
        RP,
        "minor",
        "accepts more boxes",
        on_class(PRODUCTS, "bottle", lambda c: c["min_size"].__setitem__("height", 16)),
    ),
    Case(
        "box-tolerance-tightened",
        RP,
        "major",
        "boxes 1 px outside the image were accepted and are now rejected",
        sub(G, "units: pixels, tolerance: 1", "units: pixels, tolerance: 0"),
    ),
    # -- attributes -------------------------------------------------------------------------
    Case(
        "attribute-added-optional",
        RP,
        "minor",
        "old boxes lack it, which is allowed",
        on_class(
            PRODUCTS,
            "can",
            lambda c: c["attributes"].__setitem__(
                "dented", {"type": "boolean", "description": "The can is visibly dented."}
            ),
        ),
    ),
    Case(
        "attribute-added-required",
        RP,
        "major",
        "every old can box lacks the required attribute",
        on_class(
            PRODUCTS,
            "can",
            lambda c: c["attributes"].__setitem__(
                "size",
                {
                    "type": "enum",
                    "values": ["small", "large"],
                    "required": True,
                    "description": "Can size.",
                },
            ),
        ),
        example_errors=True,  # a real PR fills it in the examples in the same commit
    ),
    Case(
        "attribute-default-changed",
        RP,
        "major",
        "boxes that omitted brand_visible now mean the opposite",
        on_class(
            PRODUCTS,
            "bottle",
            lambda c: c["attributes"]["brand_visible"].__setitem__("default", True),
        ),
    ),
    Case(
        "attribute-values-widened",
        MD,
        "minor",
        "one more severity is accepted",
        on_class(
            DEFECTS, "crack", lambda c: c["attributes"]["severity"]["values"].append("cosmetic")
        ),
    ),
    Case(
        "attribute-values-narrowed",
        MD,
        "major",
        "cracks labelled critical are rejected",
        on_class(
            DEFECTS,
            "crack",
            lambda c: (
                c["attributes"]["severity"]["values"].remove("critical"),
                c["attributes"]["severity"]["value_descriptions"].pop("critical"),
                c["attributes"]["length_mm"]["when"]["in"].remove("critical"),
            ),
        ),
    ),
    Case(
        "attribute-range-narrowed",
        MD,
        "major",
        "lengths between 0.1 and 0.5 mm are rejected",
        on_class(DEFECTS, "crack", lambda c: c["attributes"]["length_mm"].__setitem__("min", 0.5)),
    ),
    Case(
        "attribute-made-optional",
        RP,
        "minor",
        "accepts more: boxes without material",
        on_class(
            PRODUCTS, "bottle", lambda c: c["attributes"]["material"].__setitem__("required", False)
        ),
    ),
    # -- rules ------------------------------------------------------------------------------
    Case(
        "rule-added-warning",
        ST,
        "minor",
        "warnings reject nothing",
        yaml_edit(G, _rule(severity="warning")),
    ),
    Case(
        "rule-added-error",
        ST,
        "major",
        "records breaking it are rejected",
        yaml_edit(G, _rule(severity="error")),
    ),
    Case(
        "rule-made-error",
        ST,
        "major",
        "records that only warned are now rejected",
        yaml_edit(G, _rule_field("refund-needs-order", "severity", "error")),
    ),
    Case(
        "rule-relaxed",
        ST,
        "minor",
        "accepts more",
        yaml_edit(G, _rule_field("compromised-is-urgent", "severity", "warning")),
    ),
    Case(
        "rule-message-reworded",
        ST,
        "patch",
        "the message judges nothing",
        yaml_edit(G, _rule_field("compromised-is-urgent", "message", "Raise the urgency to high.")),
    ),
    # -- acceptance, delivery, record, scope ------------------------------------------------
    Case(
        "agreement-threshold-tightened",
        ST,
        "minor",
        "judges batches, not labels: every label stays valid (like adding a criterion)",
        sub(G, "min: 0.80\n      note: Measured", "min: 0.82\n      note: Measured"),
    ),
    Case(
        "agreement-threshold-loosened",
        ST,
        "minor",
        "judges batches, not labels; deliveries are judged differently",
        sub(G, "min: 0.80\n      note: Measured", "min: 0.78\n      note: Measured"),
    ),
    Case(
        "metadata-made-required",
        ST,
        "major",
        "records without a reviewer are rejected",
        sub(
            G,
            "required_metadata: [annotator, status, guideline_version]",
            "required_metadata: [annotator, reviewer, status, guideline_version]",
        ),
    ),
    Case(
        "status-added",
        ST,
        "minor",
        "accepts one more status",
        sub(
            G,
            "statuses: [labelled, reviewed, adjudicated, skipped]",
            "statuses: [labelled, reviewed, adjudicated, skipped, escalated]",
        ),
    ),
    Case(
        "input-category-added",
        ST,
        "minor",
        "one more channel is accepted",
        sub(
            G, "values: [email, web_form, chat, app]", "values: [email, web_form, chat, app, phone]"
        ),
    ),
    Case(
        "skip-reason-added",
        ST,
        "minor",
        "one more skip reason is accepted",
        yaml_edit(
            G,
            lambda g: g["scope"]["skip_reasons"].__setitem__(
                "duplicate", "The same ticket was sampled twice."
            ),
        ),
    ),
    Case(
        "skip-reason-removed",
        ST,
        "major",
        "records skipped as internal_test are rejected",
        lambda p: yaml_edit(
            G,
            lambda g: (
                g["scope"]["skip_reasons"].pop("internal_test"),
                g["scope"]["out_of_scope_examples"].pop(),
            ),
        )(p),
    ),
    Case(
        "split-added",
        ST,
        "minor",
        "one more split is accepted",
        sub(G, "splits: [train, eval]", "splits: [train, eval, test]"),
    ),
    # -- declared impacts outside classes, tasks and rules (a note in the section) ------------
    Case(
        "agreement-threshold-declared-major",
        ST,
        "major",
        "the team decided vendors must re-qualify before delivering under the new threshold "
        "(batches accepted before would be rejected), and says so in `acceptance: changes:`",
        yaml_edit(
            G,
            lambda g: (
                g.__setitem__("version", "3.0.0"),
                g["acceptance"]["agreement"][0].__setitem__("min", 0.9),
                g["acceptance"].__setitem__(
                    "changes",
                    [
                        {
                            "version": "3.0.0",
                            "impact": "major",
                            "note": "Intent agreement 0.90: vendors re-run calibration first.",
                        }
                    ],
                ),
            ),
        ),
    ),
    Case(
        "skip-reason-widened-declared-minor",
        ST,
        "minor",
        "a skip reason reworded to cover more items lets annotators skip what they had to "
        "label before: new skips are possible, old records stay valid (the tool sees reworded "
        "text, patch; `scope: changes:` declares it)",
        yaml_edit(
            G,
            lambda g: (
                g.__setitem__("version", "2.4.0"),
                g["scope"]["skip_reasons"].__setitem__(
                    "internal_test",
                    "A test ticket created by staff, or by a load test of the ticketing system.",
                ),
                g["scope"].__setitem__(
                    "changes",
                    [
                        {
                            "version": "2.4.0",
                            "impact": "minor",
                            "note": "Load-test tickets are skipped as internal_test too.",
                        }
                    ],
                ),
            ),
        ),
    ),
    Case(
        "status-added-with-note",
        ST,
        "minor",
        "accepts one more status; the `delivery: changes:` note (no impact) only explains it",
        yaml_edit(
            G,
            lambda g: (
                g["delivery"]["statuses"].append("escalated"),
                g["delivery"].__setitem__(
                    "changes",
                    [{"version": "2.4.0", "note": "Escalated tickets are delivered too."}],
                ),
                g.__setitem__("version", "2.4.0"),
            ),
        ),
    ),
    Case(
        "glossary-term-added",
        ST,
        "patch",
        "text only",
        yaml_edit(G, lambda g: g["glossary"].__setitem__("agent", "A Customer Care employee.")),
    ),
]
