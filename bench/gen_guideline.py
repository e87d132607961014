"""Generate a large guideline project for benchmarks.

    python bench/gen_guideline.py OUT_DIR --classes 10000 --examples 5

One single-label task with N classes under N/100 parents, every leaf with a 14-word
definition, five examples, one negative and (every tenth) an edge case. Words follow a Zipf
distribution over a 6,000-word vocabulary, as natural text does, so lint's similarity join
sees realistic overlap between definitions.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = [
    "customer",
    "order",
    "refund",
    "invoice",
    "charge",
    "account",
    "password",
    "login",
    "device",
    "screen",
    "battery",
    "shipping",
    "parcel",
    "address",
    "delivery",
    "warranty",
    "repair",
    "replacement",
    "subscription",
    "plan",
    "upgrade",
    "downgrade",
    "cancel",
    "renewal",
    "discount",
    "coupon",
    "payment",
    "card",
    "bank",
    "transfer",
    "receipt",
    "tax",
    "export",
    "report",
    "dashboard",
    "error",
    "crash",
    "timeout",
    "sync",
    "backup",
    "restore",
    "privacy",
    "consent",
    "deletion",
    "access",
    "permission",
    "team",
    "member",
    "invite",
    "role",
    "admin",
    "billing",
    "cycle",
    "trial",
    "feature",
    "request",
    "feedback",
]


def _vocabulary(size: int = 6000) -> list[str]:
    """Domain words first, then pseudo-words: a vocabulary the size of a real taxonomy's."""
    rng = random.Random(11)
    syllables = ["ka", "lo", "mi", "ten", "ra", "vo", "sil", "dar", "pe", "nu", "stra", "qui"]
    extra = {
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size * 2)
    }
    return WORDS + sorted(extra)[: size - len(WORDS)]


VOCAB = _vocabulary()
# Zipf weights (rank ** -1), as in natural text: a few words are everywhere, most are rare.
WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCAB))]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(VOCAB, WEIGHTS, k=n)).capitalize() + "."


def generate(out: Path, classes: int, examples: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "taxonomy").mkdir(exist_ok=True)
    parents = max(1, classes // 100)
    lines = []
    for p in range(parents):
        lines += [
            f"- id: group_{p}",
            f"  definition: Group {p} of {sentence(rng, 10)}",
            "  examples: []",
            "  negatives: []",
        ]
    for i in range(classes):
        lines += [
            f"- id: class_{i}",
            f"  parent: group_{i % parents}",
            f"  definition: Class {i} means {sentence(rng, 14)}",
            f"  includes: [{sentence(rng, 3)[:-1]}]",
            "  examples:",
        ]
        for _ in range(examples):
            lines.append(f"    - body: {sentence(rng, 12)}")
        other = f"class_{(i + 1) % classes}"
        lines += [
            "  negatives:",
            f"    - body: {sentence(rng, 12)}",
            f"      label: {other}",
            "      why: It is the neighbouring class.",
        ]
        if i % 10 == 0:
            lines += [
                "  edge_cases:",
                f"    - id: EC-{i}",
                f"      body: {sentence(rng, 12)}",
                f"      decision: class_{i}",
                "      rationale: Decided in review.",
                "      since: 1.0.0",
            ]
    (out / "taxonomy" / "intent.yaml").write_text("\n".join(lines) + "\n")
    (out / "guideline.yaml").write_text(f"""guidekit: 1
id: bench
title: Benchmark guideline
version: 1.0.0
brief: {{objective: Benchmark the compiler.}}
record:
  id: item_id
  fields:
    body: {{type: text}}
tasks:
  intent:
    type: single
    classes: {{include: taxonomy/intent.yaml}}
lint: {{max_classes: {classes + parents + 1}, severity: {{GK402: "off", GK407: "off"}}}}
""")
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--classes", type=int, default=10_000)
    ap.add_argument("--examples", type=int, default=5)
    a = ap.parse_args()
    generate(a.out, a.classes, a.examples)
