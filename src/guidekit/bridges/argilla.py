"""Argilla: dataset settings generated from the guideline.

The output is the JSON that ``argilla.Settings.to_json`` writes and ``Settings.from_json``
reads (Argilla 2.x): ``guidelines`` (Markdown: the guideline's title, version, handbook link,
brief and every task's classes with their definitions), one field per text or image input,
one question per task, and metadata properties for the delivery's annotator and status.

Questions: ``single`` and ``ordinal`` tasks become label questions, ``multi`` multi-label
questions, ``spans`` span questions over their text field, ``text`` text questions,
``boolean`` label questions (``yes``/``no``), and integer ``number`` tasks within 0..10
rating questions. Label texts are the class names; descriptions come from the task's question
and description. Argilla has no image regions or relations: those tasks are left out, each
with a GK808 warning.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guidekit import ir, tasktypes
from guidekit.bridges._tooling import GENERATED, handbook, hint, unsupported, write_files
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.tasktypes import NotRepresentable

TOOL = "Argilla"
SETTINGS_FILE = "argilla-settings.json"


def _guidelines(g: ir.Guideline) -> str:
    lines = [f"# {g.title}", "", f"Guideline `{g.id}`, version **{g.version}**."]
    link = handbook(g)
    if link:
        lines += ["", f"Read the full annotator handbook: [{link}]({link})"]
    lines += ["", " ".join(g.brief.objective.split())]
    for task in g.tasks.values():
        lines += ["", f"## {task.name}"]
        if task.question:
            lines += ["", " ".join(task.question.split())]
        if task.description:
            lines += ["", " ".join(task.description.split())]
        if task.classes:
            lines.append("")
            for c in task.classes:
                text = hint(c)
                lines.append(f"- **{c.id}**" + (f": {text}" if text else ""))
    lines += ["", f"<!-- {GENERATED}. -->"]
    return "\n".join(lines) + "\n"


def _description(task: ir.Task) -> str | None:
    """The question's help text: the task's question and description, then one line per
    label with its definition (Argilla's options hold a text and a value only)."""
    head = " ".join(" ".join(filter(None, [task.question, task.description])).split())
    lines = [
        f"- {task[cid].name}: {' '.join((task[cid].definition or '').split())}"
        for cid in task.labels()
        if task[cid].definition
    ]
    text = "\n".join(filter(None, [head, "\n".join(lines)]))
    return text or None


def _question(task: ir.Task, name: str, qtype: str, settings: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "settings": {"type": qtype, **settings},
        "title": task.title or task.question or task.id,
        "description": _description(task),
        "required": task.required,
        "type": qtype,
    }


def _metadata_property(name: str, spec: Any) -> dict[str, Any] | None:
    """A record field Argilla shows as a metadata property (filterable beside the record):
    categories and booleans as terms, integers and numbers as ranges; None for others."""
    if spec.type == "category" and spec.values:
        settings: dict[str, Any] = {"type": "terms", "values": list(spec.values)}
    elif spec.type == "boolean":
        settings = {"type": "terms", "values": ["true", "false"]}
    elif spec.type == "string":
        settings = {"type": "terms", "values": None}
    elif spec.type in ("integer", "number"):
        settings = {
            "type": "integer" if spec.type == "integer" else "float",
            "min": None,
            "max": None,
        }
    else:
        return None
    settings["visible_for_annotators"] = True
    return {"name": name, "settings": settings, "title": name, "visible_for_annotators": True}


def settings_dict(g: ir.Guideline) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The settings as plain data, and GK808 warnings for tasks Argilla cannot hold."""
    notes: list[Diagnostic] = []
    fields = []
    extra_metadata: list[dict[str, Any]] = []
    for name, spec in g.record.fields.items():
        if spec.type in ("text", "image"):
            field: dict[str, Any] = {
                "name": name,
                "settings": {
                    "type": spec.type,
                    **({"use_markdown": False} if spec.type == "text" else {}),
                },
                "title": name,
                "required": spec.required,
                "description": " ".join(spec.description.split()) if spec.description else None,
                "type": spec.type,
            }
            fields.append(field)
        else:
            prop = _metadata_property(name, spec)
            if prop is None:
                notes.append(
                    diag(
                        "GK808",
                        f"record field '{name}' ({spec.type}) has no Argilla field or metadata "
                        "property; it is left out",
                        Location(),
                    )
                )
            else:
                extra_metadata.append(prop)
    questions = []
    for task in g.tasks.values():
        try:
            qtype, settings = tasktypes.of(task).argilla(task)
        except NotRepresentable as e:
            notes.append(unsupported(g, TOOL, task, str(e)))
            continue
        questions.append(_question(task, task.id, qtype, settings))
    m = g.delivery.metadata
    metadata = [
        {
            "name": m.annotator,
            "settings": {"type": "terms", "values": None, "visible_for_annotators": False},
            "title": m.annotator,
            "visible_for_annotators": False,
        },
    ]
    metadata += extra_metadata
    if g.delivery.statuses:
        metadata.append(
            {
                "name": m.status,
                "settings": {
                    "type": "terms",
                    "values": list(g.delivery.statuses),
                    "visible_for_annotators": True,
                },
                "title": m.status,
                "visible_for_annotators": True,
            }
        )
    settings = {
        "guidelines": _guidelines(g),
        "questions": questions,
        "fields": fields,
        "vectors": [],
        "metadata": metadata,
        "allow_extra_metadata": False,
        "distribution": {"strategy": "overlap", "min_submitted": 1},
        "mapping": None,
    }
    return settings, notes


def argilla_settings(guideline: ir.Guideline) -> str:
    """The Argilla dataset settings JSON (``Settings.from_json`` reads it); deterministic."""
    return json.dumps(settings_dict(guideline)[0], indent=2, ensure_ascii=False) + "\n"


def argilla_notes(guideline: ir.Guideline) -> list[Diagnostic]:
    return settings_dict(guideline)[1]


def write_argilla(guideline: ir.Guideline, out_dir: Path) -> list[Path]:
    """Write ``argilla-settings.json`` into ``out_dir``."""
    return write_files(Path(out_dir), {SETTINGS_FILE: argilla_settings(guideline)})
