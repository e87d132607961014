"""``guidekit questions promote``: an answered question becomes an edge case of the guideline.

The stub goes to the ``edge_cases`` of the decided class, in the file that holds them:

- the class has ``edge_cases: {include: FILE}``: appended at the end of FILE;
- the class has a block list ``edge_cases:``: appended at the end of that list;
- the class has none: an ``edge_cases:`` key is added at the end of the class's mapping.

Only bytes are added, never changed (the diff is a clean addition for a pull request); the
file is written atomically through :func:`guidekit.outputs.write_file`, which refuses a
symbolic link. The project is compiled again afterwards: if it no longer checks, the file
is put back as it was and the errors are reported.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from guidekit.commands._questions_io import bad
from guidekit.diagnostics.model import Location

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.ledger.questions import Question

_EC = re.compile(r"^EC-([0-9]+)$")


def next_edge_case_id(guideline: ir.Guideline) -> str:
    """One more than the highest ``EC-<n>``, as wide as the widest existing one."""
    top, width = 0, 3
    for task in guideline.tasks.values():
        for ec in task.all_edge_cases():
            m = _EC.match(ec.id or "")
            if m:
                top = max(top, int(m.group(1)))
                width = max(width, len(m.group(1)))
    return f"EC-{top + 1:0{width}d}"


def record_of(q: Question, guideline: ir.Guideline, given: str | None) -> dict[str, Any]:
    """The record the question is about: ``--record JSON``, else the item looked up in the
    question's file (JSON Lines delivery, or a Label Studio export's task data)."""
    fields = list(guideline.record.fields)
    if given is not None:
        try:
            rec = json.loads(given)
        except ValueError as exc:
            raise bad(f"--record is not JSON: {exc}") from None
        if not isinstance(rec, dict):
            raise bad("--record must be a JSON object of the record's fields")
        return rec
    where = f"{q.id} ({q.file or 'no file'}, item {q.item or '?'})"
    if not q.file or not q.item or not Path(q.file).is_file():
        raise bad(
            f"promote needs the record {q.id} is about, and {where} names none guidekit can "
            "read: pass --record '{\"field\": ...}'"
        )
    path = Path(q.file)
    if path.suffix.lower() == ".jsonl":
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if isinstance(rec, dict) and str(rec.get(guideline.delivery.id)) == q.item:
                    return {k: rec[k] for k in fields if k in rec}
    else:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            data = None
        for task in data if isinstance(data, list) else []:
            if isinstance(task, dict) and str(task.get("id")) == q.item:
                d = task.get("data") or {}
                return {k: d[k] for k in fields if k in d}
    raise bad(f"item {q.item} is not in {q.file}: pass --record '{{\"field\": ...}}'")


def stub(q: Question, ec_id: str, label: str, record: dict[str, Any], since: str | None) -> str:
    entry: dict[str, Any] = {"id": ec_id, "record": record, "question": q.text}
    entry["decision"] = label
    if q.decision:
        entry["rationale"] = q.decision
    if since:
        entry["since"] = since
    text: str = yaml.safe_dump(
        [entry], sort_keys=False, allow_unicode=True, default_flow_style=False, width=88
    )
    return f"# from question {q.id} (guidekit questions promote)\n" + text


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    s = line.strip()
    return bool(s) and not s.startswith("#")


def _end_of_block(lines: list[str], start: int, indent: int, sequence: bool) -> int:
    """The index after the last line of the block whose key sits on ``lines[start]`` at
    ``indent`` (a mapping's keys; with ``sequence``, the list under that key)."""
    end = start + 1
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if not _content(line):
            continue
        ind = _indent(line)
        inside = ind > indent or (
            ind == indent and (not sequence or line.lstrip().startswith("- "))
        )
        if not inside:
            break
        end = i + 1
    return end


def _shifted(text: str, by: int) -> str:
    pad = " " * by
    return "".join(pad + ln if ln.strip() else ln for ln in text.splitlines(keepends=True))


def _find_class(data: Any, task: str, cls: str) -> tuple[str | int, ...] | None:
    def walk(node: Any, path: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
        if isinstance(node, list):
            for i, c in enumerate(node):
                if isinstance(c, dict):
                    if c.get("id") == cls:
                        return (*path, i)
                    found = walk(c.get("children"), (*path, i, "children"))
                    if found:
                        return found
        return None

    tasks = data.get("tasks") if isinstance(data, dict) else None
    t = tasks.get(task) if isinstance(tasks, dict) else None
    return walk(t.get("classes"), ("tasks", task, "classes")) if isinstance(t, dict) else None


def place(root: Path, task: str, cls: str, entry: str) -> tuple[Path, str, str]:
    """``(file, old text, new text)``: where the entry goes, and the file with it added."""
    from guidekit.compiler.pipeline import find_project
    from guidekit.compiler.resolve import resolve_file

    root, name = find_project(root)
    doc = resolve_file(root, name)
    path = _find_class(doc.data, task, cls)
    if path is None:
        raise bad(
            f"class {task}/{cls} is written as a bare id (or not found in the guideline's "
            "files): write it as a mapping (`- id: ...`) to give it edge cases"
        )
    src = doc.source
    ec_key = src.keys.get((*path, "edge_cases"))
    if ec_key is not None:
        value = src.values.get((*path, "edge_cases"))
        if value is not None and value[0] != ec_key[0]:  # an include: append to its file
            file = root / value[0]
            old = file.read_text(encoding="utf-8")
            lines = old.splitlines(keepends=True)
            items = [ln for ln in lines if ln.lstrip().startswith("- ") and _content(ln)]
            pad = min((_indent(ln) for ln in items), default=0)
            sep = "" if not old or old.endswith("\n") else "\n"
            return file, old, old + sep + "\n" + _shifted(entry, pad)
        file, line, col = root / ec_key[0], ec_key[1], ec_key[2]
        old = file.read_text(encoding="utf-8")
        lines = old.splitlines(keepends=True)
        rest = lines[line - 1].split(":", 1)[1].split("#", 1)[0].strip()
        if rest:
            raise bad(
                f"the edge cases of {task}/{cls} are written inline ({rest}): add the case by hand",
                Location(file=ec_key[0], line=line, column=col),
            )
        end = _end_of_block(lines, line - 1, col - 1, sequence=True)
        items = [ln for ln in lines[line:end] if ln.lstrip().startswith("- ")]
        pad = _indent(items[0]) if items else col - 1 + 2
        block = _shifted(entry, pad)
    else:
        id_key = src.keys.get((*path, "id"))
        if id_key is None:
            raise bad(f"class {task}/{cls} has no id key to place the edge case by")
        file, line, col = root / id_key[0], id_key[1], id_key[2]
        old = file.read_text(encoding="utf-8")
        lines = old.splitlines(keepends=True)
        end = _end_of_block(lines, line - 1, col - 1, sequence=False)
        block = " " * (col - 1) + "edge_cases:\n" + _shifted(entry, col + 1)
    if end > 0 and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    new = "".join(lines[:end]) + block + "".join(lines[end:])
    return file, old, new
