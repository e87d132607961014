"""Realistic changes of the example guidelines, used by the golden tests and the benchmark.

Each scenario edits a copy of an example guideline the way its authors would in a pull
request: rename a class through an alias, split one with ``replaced_by``, add a class,
reword a definition, add a required attribute, decide an edge case, and bump the version.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .helpers import edit, find


def walk(data: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    """Call ``visit`` on every mapping of a YAML document."""
    if isinstance(data, dict):
        visit(data)
        for value in data.values():
            walk(value, visit)
    elif isinstance(data, list):
        for item in data:
            walk(item, visit)


def edit_all(project: Path, visit: Callable[[dict[str, Any]], None]) -> None:
    for path in sorted(project.rglob("*.yaml")):
        edit(project, path.relative_to(project).as_posix(), lambda d: walk(d, visit))


def support_tickets(p: Path) -> None:
    """A major release: rename, split, new class, required attribute, stricter rule."""

    def intent(items: list[dict[str, Any]]) -> None:
        login = find(items, "login_problem")
        login["id"] = "sign_in_problem"
        login["name"] = "Sign-in problem"
        login["aliases"] = ["login_problem"]
        dispute = find(items, "billing_dispute")
        dispute["deprecated"] = "Split in 3.0.0: pick the kind of wrong charge."
        dispute["replaced_by"] = ["duplicate_charge", "wrong_amount"]
        dispute["changes"] = [
            {
                "version": "3.0.0",
                "impact": "major",
                "note": "Split into duplicate_charge and wrong_amount; re-annotate old labels.",
            }
        ]
        at = items.index(dispute) + 1
        items[at:at] = [
            {
                "id": "duplicate_charge",
                "name": "Duplicate charge",
                "parent": "billing",
                "definition": "The customer was charged more than once for the same order or "
                "subscription period and wants the extra charge reversed.",
                "examples": [
                    {"channel": "email", "body": "You charged my card twice for NW-4481207."}
                ],
            },
            {
                "id": "wrong_amount",
                "name": "Wrong amount",
                "parent": "billing",
                "definition": "The customer was charged once, but a different amount than shown "
                "at checkout or agreed with an agent.",
                "examples": [{"channel": "chat", "body": "checkout said 29.99 but you took 59.98"}],
            },
        ]
        refund = find(items, "refund_request")
        refund["definition"] = (
            "The customer asks for money back for an order or subscription period they paid "
            "for and no longer want or have returned, and does not contest the original charge."
        )
        shipping = items.index(find(items, "address_change"))
        items.insert(
            shipping + 1,
            {
                "id": "delivery_reschedule",
                "name": "Delivery reschedule",
                "parent": "shipping",
                "definition": "The customer asks to move a planned delivery to another day or "
                "time slot without changing the address.",
                "examples": [
                    {"channel": "web_form", "body": "Can my parcel come on Friday instead?"}
                ],
            },
        )

    edit(p, "taxonomy/intent.yaml", intent)

    def currency(node: dict[str, Any]) -> None:
        if node.get("label") == "AMOUNT" and "text" in node:
            node["attributes"] = {"currency": "USD"}

    edit_all(p, currency)

    def entities(items: list[dict[str, Any]]) -> None:
        find(items, "AMOUNT")["attributes"] = {
            "currency": {
                "type": "enum",
                "values": ["USD", "EUR", "GBP"],
                "required": True,
                "description": "The currency of the amount; USD when no sign or code is given.",
            }
        }

    edit(p, "taxonomy/entities.yaml", entities)

    def manifest(g: dict[str, Any]) -> None:
        g["version"] = "3.0.0"
        g["rules"][0]["severity"] = "error"
        g["acceptance"]["agreement"][0]["min"] = 0.82

    edit(p, "guideline.yaml", manifest)

    def decide(items: list[dict[str, Any]]) -> None:
        items.append(
            {
                "id": "EC-013",
                "channel": "email",
                "body": "My bank reversed the second payment already, can you confirm it is "
                "sorted?",
                "decision": "duplicate_charge",
                "rationale": "The customer still needs the duplicate confirmed as reversed on our "
                "side; the bank's chargeback alone does not close the case.",
                "since": "3.0.0",
            }
        )

    edit(p, "taxonomy/intent-edge-cases.yaml", decide)


def retail_products(p: Path) -> None:
    """A minor release: a new class, an optional attribute, a decided case, more examples."""

    def products(items: list[dict[str, Any]]) -> None:
        items.append(
            {
                "id": "pouch",
                "name": "Pouch",
                "definition": "A flexible, flat-bottomed package that stands upright on the "
                "shelf, often with a spout or zip: baby food, refills, coffee.",
                "examples": [
                    {
                        "store": "supermarket",
                        "image": {"path": "images/shelf-02.png", "width": 320, "height": 240},
                        "annotation": [
                            {"bbox": [10, 10, 30, 40], "attributes": {"occluded": False}}
                        ],
                    }
                ],
            }
        )
        bottle = find(items, "bottle")
        bottle["attributes"]["deposit_logo"] = {
            "type": "boolean",
            "description": "A bottle deposit logo is visible on the label.",
        }
        bottle["definition"] = bottle["definition"].replace(
            "cap, cork or stopper", "cap, cork, stopper or pump"
        )

    edit(p, "taxonomy/products.yaml", products)

    def manifest(g: dict[str, Any]) -> None:
        g["version"] = "1.3.0"

    edit(p, "guideline.yaml", manifest)


def manufacturing_defects(p: Path) -> None:
    """A patch release that is not one: an added exclude narrows a class."""

    def defects(items: list[dict[str, Any]]) -> None:
        scratch = find(items, "scratch")
        scratch["excludes"] = [
            *scratch.get("excludes", []),
            "scratches shorter than 1 mm → not labelled",
        ]
        scratch["definition"] = scratch["definition"].replace("A ", "A visible ", 1)

    edit(p, "taxonomy/defects.yaml", defects)
    edit(p, "guideline.yaml", lambda g: g.update(version="1.1.1"))


def clinical_notes(p: Path) -> None:
    """A 0.x release: a merge, a removal, a reworded relation; 0.4 -> 0.5 may break."""

    def entities(items: list[dict[str, Any]]) -> None:
        freq = find(items, "FREQUENCY")
        freq["deprecated"] = "Merged into DOSAGE in 0.5.0: dose and frequency are one span now."
        freq["replaced_by"] = "DOSAGE"
        dosage = find(items, "DOSAGE")
        dosage["definition"] = (
            dosage["definition"].rstrip(".") + ", including how often it is taken."
        )

    edit(p, "taxonomy/entities.yaml", entities)
    edit(p, "guideline.yaml", lambda g: g.update(version="0.5.0"))


SCENARIOS: dict[str, Callable[[Path], None]] = {
    "support-tickets": support_tickets,
    "retail-products": retail_products,
    "manufacturing-defects": manufacturing_defects,
    "clinical-notes": clinical_notes,
}
