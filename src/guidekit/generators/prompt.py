"""The ``prompt`` target: the guideline as a labelling prompt for an LLM annotator.

Per task, ``<task>.prompt.md`` (system text: the brief, the task, each class's definition,
includes, excludes, examples and negatives, then the edge-case decisions, in the guideline's
own order so a change shows as a small diff), ``<task>.answer.schema.json`` (the JSON Schema
of the structured answer: the task's value, from the delivery schema's own fragment),
``<task>.openai.json`` (an OpenAI-style ``response_format``) and ``<task>.anthropic.json``
(an Anthropic-style tool with ``input_schema``), and ``index.json`` with a token estimate
per prompt. guidekit makes no network call. The IR it gets is already filtered for the
audience (:func:`guidekit.audience.for_audience`); evaluation items never appear.

Token estimate: ``ceil(characters / 4)``, the usual rule of thumb for English text with
BPE tokenisers; no tokenizer is downloaded, so expect it to be off by up to about 25 %.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from guidekit import ir
from guidekit.generators.jsonschema import build_schema


def estimate_tokens(text: str) -> int:
    """The documented heuristic: one token per four characters, rounded up."""
    return math.ceil(len(text) / 4)


def _record_text(ex: ir.Example) -> str:
    return json.dumps(dict(ex.record), ensure_ascii=False, sort_keys=True)


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def prompt_text(g: ir.Guideline, task: ir.Task) -> str:
    out = [f"# Labelling task: {task.title or task.id}", ""]
    out += [f"You label records for the guideline '{g.title}' (version {g.version}).", ""]
    out += ["## Brief", "", g.brief.objective.strip(), ""]
    for label, text in (("Decision", g.brief.decision), ("Notes", g.brief.notes)):
        if text:
            out += [f"{label}: {text.strip()}", ""]
    out += ["## Task", ""]
    if task.question:
        out += [task.question.strip(), ""]
    if task.description:
        out += [task.description.strip(), ""]
    fields = ", ".join(f"`{name}` ({f.type})" for name, f in g.record.fields.items())
    out += [f"Each record has the fields {fields}.", ""]
    out += [f"Answer with a JSON object whose key `{task.id}` holds the {task.type} value.", ""]
    if task.classes:
        out += ["## Classes", ""]
    for c in task.classes:
        if c.deprecated:
            continue
        out += [f"### {c.id}" + (f" ({c.name})" if c.name != c.id else ""), ""]
        if c.definition:
            out += [c.definition.strip(), ""]
        out += [f"- Includes: {text.strip()}" for text in c.includes]
        out += [f"- Excludes: {text.strip()}" for text in c.excludes]
        if c.includes or c.excludes:
            out.append("")
        for ex in c.examples:
            shown = f" -> {_value(ex.annotation)}" if ex.annotation is not None else ""
            out.append(f"- Example: {_record_text(ex)}{shown}")
        for neg in c.negatives:
            out.append(
                f"- Not {c.id}: {_record_text(neg)} -> {_value(neg.label)}"
                + (f" ({neg.why.strip()})" if neg.why else "")
            )
        if c.examples or c.negatives:
            out.append("")
    decided = [ec for ec in task.all_edge_cases() if ec.decision is not None]
    if decided:
        out += ["## Edge-case decisions", ""]
    for ec in decided:
        why = f" Why: {ec.rationale.strip()}" if ec.rationale else ""
        out.append(f"- {ec.id}: {_record_text(ec)} -> {_value(ec.decision)}.{why}")
    return "\n".join(out).rstrip() + "\n"


def answer_schema(g: ir.Guideline, task: ir.Task) -> dict[str, Any]:
    """One record's answer for ``task``: ``{task: value}``, the value's schema taken from the
    delivery schema (its ``$defs``, so both say the same), and ``null`` where the validator
    accepts a record without a value (an optional task; a region task with no region).

    What JSON Schema cannot say -- relations between values, such as a span's end after its
    start or spans that must not overlap -- only ``guidekit validate`` checks."""
    record = build_schema(g)
    value: dict[str, Any] = {"$ref": f"#/$defs/{task.id}"}
    if not list(task.task_type.check_missing(task)):
        value = {"anyOf": [value, {"type": "null"}]}
    return {
        "$schema": record["$schema"],
        "title": f"{g.title}: answer for task {task.id}",
        "type": "object",
        "properties": {task.id: value},
        "required": [task.id],
        "additionalProperties": False,
        "$defs": record["$defs"],
    }


def _dump(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def generate(guideline: ir.Guideline, out: Path, **options: Any) -> Any:
    """The ``prompt`` target of ``guidekit build``."""
    from guidekit.generators import Output

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    index: dict[str, Any] = {"guideline": guideline.id, "version": guideline.version, "tasks": {}}
    for task in guideline.tasks.values():
        text = prompt_text(guideline, task)
        schema = answer_schema(guideline, task)
        name = f"{guideline.id}-{task.id}"
        prompt_path = out / f"{task.id}.prompt.md"
        prompt_path.write_text(text, encoding="utf-8")
        files.append(prompt_path)
        files.append(_dump(out / f"{task.id}.answer.schema.json", schema))
        files.append(
            _dump(
                out / f"{task.id}.openai.json",
                {"type": "json_schema", "json_schema": {"name": name, "schema": schema}},
            )
        )
        files.append(
            _dump(
                out / f"{task.id}.anthropic.json",
                {
                    "name": name,
                    "description": f"Record the {task.type} answer for task {task.id}.",
                    "input_schema": schema,
                },
            )
        )
        index["tasks"][task.id] = {
            "prompt": prompt_path.name,
            "characters": len(text),
            "estimated_tokens": estimate_tokens(text),
        }
    files.append(_dump(out / "index.json", index))
    total = sum(t["estimated_tokens"] for t in index["tasks"].values())
    return Output("prompt", out, tuple(sorted(files)), note=f"~{total} prompt tokens")
