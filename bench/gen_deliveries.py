"""Generate benchmark deliveries for bench/guidelines/{text-tickets,image-shelves}.

    python bench/gen_deliveries.py text 1000000 /tmp/gk-bench/text-1m.jsonl
    python bench/gen_deliveries.py image 1000000 /tmp/gk-bench/image-1m.jsonl

Records look like real vendor output: the text task carries a 20-60 word body, an intent, an
urgency and 0-5 entity spans (half of them quoting their text); the image task carries an
image with its size and 3-12 boxes, most with attributes. About 1% of the records carry an
error (a span past the end of the text, an unknown label, a box outside the image), 1% are
unresolved and 0.5% skipped, so the slow path is exercised as it would be in practice.
Deterministic for a given size (seeded).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import orjson

WORDS = [
    "the",
    "my",
    "order",
    "kettle",
    "blender",
    "toaster",
    "arrived",
    "broken",
    "yesterday",
    "and",
    "I",
    "want",
    "a",
    "refund",
    "please",
    "charged",
    "twice",
    "for",
    "plan",
    "card",
    "tracking",
    "number",
    "parcel",
    "late",
    "still",
    "not",
    "here",
    "can",
    "you",
    "help",
    "with",
    "this",
    "invoice",
    "amount",
    "account",
    "password",
    "login",
    "app",
    "crashes",
    "when",
    "I",
    "open",
    "settings",
]
INTENTS = [
    "billing_dispute", "billing_question", "refund_request", "account_update",
    "account_compromised", "damaged_item", "wrong_item", "late_delivery", "how_to_question",
    "bug_report", "general_feedback",
]  # fmt: skip
URGENCY = ["low", "medium", "high", "critical"]
ENTITIES = ["PRODUCT", "ORDER_ID", "AMOUNT", "DATE"]
STATUSES = ["labelled", "reviewed", "adjudicated"]
PRODUCTS = ["bottle", "can", "box", "bag", "price_tag", "gap"]


def text_record(i: int, rnd: random.Random) -> dict[str, object]:
    body = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(40, 250)))
    rec: dict[str, object] = {
        "ticket_id": f"T-{i:09d}",
        "subject": "Help with my order" if rnd.random() < 0.7 else None,
        "body": body,
        "channel": rnd.choice(["email", "web_form", "chat", "app"]),
        "annotator": f"ann-{rnd.randint(1, 40):02d}",
        "status": rnd.choice(STATUSES),
        "guideline_version": "2.3.0",
        "split": "eval" if rnd.random() < 0.1 else "train",
        "created_at": "2024-05-01T14:03:00Z",
    }
    if rec["subject"] is None:
        del rec["subject"]
    roll = rnd.random()
    if roll < 0.005:
        rec["skip"] = rnd.choice(["not_english", "empty"])
        return rec
    if roll < 0.015:
        rec["unresolved"] = True
        rec["question"] = "Is this a refund or a dispute?"
    intent = rnd.choice(INTENTS)
    urgency = rnd.choice(URGENCY)
    if intent == "account_compromised":
        urgency = rnd.choice(["high", "critical"])
    spans = []
    pos = 0
    for _ in range(rnd.randint(0 if intent != "refund_request" else 1, 5)):
        start = body.find(" ", pos) + 1
        if start <= 0:
            break
        end = body.find(" ", start)
        if end < 0:
            break
        label = "ORDER_ID" if intent == "refund_request" and not spans else rnd.choice(ENTITIES)
        span: dict[str, object] = {"start": start, "end": end, "label": label}
        if rnd.random() < 0.5:
            span["text"] = body[start:end]
        spans.append(span)
        pos = end + rnd.randint(5, 40)
    rec.update(intent=intent, urgency=urgency, entities=spans)
    bad = rnd.random()
    if bad < 0.005 and spans:
        spans[-1]["end"] = len(body) + 5  # past the end of the text
        spans[-1].pop("text", None)
    elif bad < 0.01:
        rec["intent"] = "billing"  # a parent class: not a leaf
    return rec


def image_record(i: int, rnd: random.Random) -> dict[str, object]:
    w, h = rnd.choice([(1920, 1080), (1280, 960), (4032, 3024)])
    boxes = []
    for _ in range(rnd.randint(3, 12)):
        label = rnd.choice(PRODUCTS)
        bw, bh = rnd.uniform(20, w / 6), rnd.uniform(20, h / 4)
        x, y = rnd.uniform(0, w - bw), rnd.uniform(0, h - bh)
        box: dict[str, object] = {
            "label": label,
            "bbox": [round(x, 1), round(y, 1), round(bw, 1), round(bh, 1)],
        }
        if rnd.random() < 0.7:
            attrs: dict[str, object] = {"occluded": rnd.random() < 0.2}
            if rnd.random() < 0.5:
                attrs["facing"] = rnd.choice(["front", "side", "back"])
            if label == "price_tag" and rnd.random() < 0.5:
                attrs["promo"] = True
            box["attributes"] = attrs
        boxes.append(box)
    rec: dict[str, object] = {
        "image_id": f"IMG-{i:09d}",
        "image": {"path": f"shelves/{i % 5000:05d}.jpg", "width": w, "height": h},
        "store": f"store-{rnd.randint(1, 300)}",
        "annotator": f"ann-{rnd.randint(1, 40):02d}",
        "guideline_version": "1.2.0",
        "products": boxes,
        "shelf_state": rnd.choice(["tidy", "messy", "empty"]),
    }
    if rnd.random() < 0.01:
        boxes[0]["bbox"][0] = w + 50  # type: ignore[index]  # outside the image
    return rec


def generate(kind: str, count: int, out: Path) -> None:
    make = text_record if kind == "text" else image_record
    rnd = random.Random(f"{kind}-{count}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb", buffering=1 << 20) as f:
        for i in range(count):
            f.write(orjson.dumps(make(i, rnd)))
            f.write(b"\n")


if __name__ == "__main__":
    generate(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))
