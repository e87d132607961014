"""The report of ``guidekit aggregate`` as text, Markdown or JSON (one dict, three views)."""

from __future__ import annotations

from typing import Any

import orjson

from guidekit.quality.adjudicate import SMALL_SAMPLE, Outcome
from guidekit.spec.markdown import escape_markdown

FORMATS = ("text", "markdown", "json")


def render(outcome: Outcome, guideline: str, fmt: str) -> str:
    doc = {"title": "Aggregation", "guideline": guideline, **outcome.to_dict()}
    if fmt == "json":
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"
    return _markdown(doc) if fmt == "markdown" else _text(doc)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _interval(q: dict[str, Any]) -> str:
    iv = q["interval"]
    return "–" if iv is None else f"[{_pct(iv[0])}, {_pct(iv[1])}]"


def _problem_lines(p: dict[str, Any]) -> list[str]:
    name = p["task"] if p["class"] is None else f"{p['task']} [{p['class']}]"
    out = [
        f"{name}: {p['items']} item(s), {p['ratings']} rating(s), "
        f"{p['unresolved']} unresolved tie(s), {p['ties_broken']} tie(s) broken at random, "
        f"mean confidence {_pct(p['mean_confidence'])}"
    ]
    conv = p.get("convergence")
    if conv is not None:
        state = "converged" if conv["converged"] else "NOT converged"
        out.append(
            f"  Dawid–Skene: {state} after {conv['iterations']} iteration(s), "
            f"log-likelihood {conv['log_likelihood']:.6f}, tolerance {conv['tolerance']:g} "
            "(relative)"
        )
        priors = ", ".join(
            f"{lab} {pr:.3f}" for lab, pr in zip(p["labels"], p["priors"], strict=True)
        )
        out.append(f"  class priors: {priors}")
    gold = p.get("gold")
    if gold is not None:
        out.append(
            f"  aggregate against gold: {_pct(gold['accuracy'])} of {gold['items']} item(s) "
            f"{_interval(gold)}"
        )
    return out


def _text(doc: dict[str, Any]) -> str:
    lines = [
        f"{doc['title']} of {doc['guideline']}: {doc['method']} over {doc['items']} item(s), "
        f"{doc['annotators']} annotator(s)",
    ]
    if doc["repeated_ratings"]:
        lines.append(
            f"note: {doc['repeated_ratings']} repeated rating(s) of an item by the same "
            "annotator; each counts"
        )
    bad = {t: n for t, n in doc["invalid_values"].items() if n}
    for t, n in bad.items():
        lines.append(f"note: {n} invalid value(s) of task '{t}' left out")
    if doc["copied_tasks"]:
        lines.append(
            "note: not aggregated, copied from each item's first record: "
            + ", ".join(doc["copied_tasks"])
        )
    for p in doc["problems"]:
        lines.append("")
        lines.extend(_problem_lines(p))
        lines.append(f"  annotators against the {p['annotators_against']}:")
        width = max([len(q["annotator"]) for q in p["annotators"]] + [9])
        for q in p["annotators"]:
            est = q.get("estimated_accuracy")
            extra = "" if est is None else f"  estimated {_pct(est)}"
            caution = "  (small sample)" if q["small_sample"] else ""
            lines.append(
                f"    {q['annotator']:<{width}}  {_pct(q['accuracy']):>6} of {q['rated']:>5}  "
                f"95% {_interval(q)}{extra}{caution}"
            )
    lines.append("")
    lines.append(
        f"Accuracy intervals are Wilson 95% intervals; fewer than {SMALL_SAMPLE} rated items "
        "make an annotator's figure a rough guide only."
    )
    return "\n".join(lines) + "\n"


def _markdown(doc: dict[str, Any]) -> str:
    e = escape_markdown
    lines = [
        f"# {e(doc['title'])} of {e(doc['guideline'])}",
        "",
        f"Method: **{doc['method']}**, {doc['items']} item(s), {doc['annotators']} annotator(s).",
    ]
    if doc["copied_tasks"]:
        lines += [
            "",
            "Copied from each item's first record: " + ", ".join(map(e, doc["copied_tasks"])),
        ]
    for p in doc["problems"]:
        lines.append("")
        head, *rest = _problem_lines(p)
        lines.append(f"## {e(head.split(':')[0])}")
        lines.append("")
        lines.append(e(head.split(":", 1)[1].strip()) + ".")
        for r in rest:
            lines.append(f"- {e(r.strip())}")
        lines += [
            "",
            f"| annotator | accuracy against the {p['annotators_against']} | rated | 95% interval | note |",
            "|---|---:|---:|---|---|",
        ]
        for q in p["annotators"]:
            note = "small sample" if q["small_sample"] else ""
            lines.append(
                f"| {e(q['annotator'])} | {_pct(q['accuracy'])} | {q['rated']} | "
                f"{_interval(q)} | {note} |"
            )
    lines += [
        "",
        f"Wilson 95% intervals; under {SMALL_SAMPLE} rated items an accuracy is a rough guide.",
    ]
    return "\n".join(lines) + "\n"
