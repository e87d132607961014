"""Questions in from outside: class ids checked against the guideline, and the importers.

Three sources, each read to plain :class:`guidekit.ledger.questions.Question` values with a
``source_key`` (so importing again adds nothing):

- **CSV** with a header row. Columns (only ``text`` is required; others may be left out):
  ``id`` (the source's own question id), ``text``, ``classes`` (class ids separated by ``;``,
  as ``class`` or ``task/class``), ``asked_by``, ``item``, ``file``, ``vendor``, ``batch``,
  ``asked_at`` (ISO 8601). Unknown columns are ignored.
- **A Label Studio JSON export**: each task's ``comments`` (``text``, ``created_by``,
  ``created_at``), and each annotation's ``history`` entries that carry a ``comment``. The
  item is the task id; the classes are the annotation's labels that name classes.
- **A delivery** (JSON Lines): every record whose question field (the ``question`` metadata
  role, or ``--comment-field KEY``) holds text. The item is the record id, who asked is the
  ``annotator`` role, the classes are the record's labels.

Every problem is a :class:`~guidekit.errors.GuidekitError` located in the file (GK046).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError

if TYPE_CHECKING:
    from guidekit import ir
    from guidekit.ledger.questions import Question

CODE = "GK046"
CSV_COLUMNS = ("id", "text", "classes", "asked_by", "item", "file", "vendor", "batch", "asked_at")


def bad(message: str, location: Location | None = None) -> GuidekitError:
    return GuidekitError(diag(CODE, message, location or Location()))


class Classes:
    """Class ids as a user writes them (``class`` or ``task/class``, an alias too) →
    ``task/class``."""

    def __init__(self, guideline: ir.Guideline) -> None:
        self.guideline = guideline
        self.by_id: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for task in guideline.tasks.values():
            for c in task.classes:
                for name in (c.id, *c.aliases):
                    self.by_id.setdefault(name, []).append(f"{task.id}/{c.id}")
                self.by_name.setdefault(c.name.casefold(), []).append(f"{task.id}/{c.id}")

    def resolve(self, written: str, where: Location) -> str:
        name = written.strip()
        task, sep, cls = name.partition("/")
        if sep:
            t = self.guideline.tasks.get(task)
            if t is None:
                raise bad(f"unknown task '{task}' in class '{name}'", where)
            for c in t.classes:
                if cls == c.id or cls in c.aliases:
                    return f"{t.id}/{c.id}"
            known = ", ".join(c.id for c in t.classes) or "none"
            raise bad(f"task '{task}' has no class '{cls}' (its classes: {known})", where)
        found = self.by_id.get(name, [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise bad(
                f"class '{name}' is in several tasks ({', '.join(found)}): write task/class",
                where,
            )
        ids = sorted(self.by_id)
        shown = ", ".join(ids[:12]) + (", ..." if len(ids) > 12 else "")
        raise bad(f"unknown class '{name}' (the guideline's classes: {shown or 'none'})", where)

    def lenient(self, label: str) -> str | None:
        """A tool's label (class id, alias or display name) as ``task/class``, or None."""
        found = self.by_id.get(label) or self.by_name.get(label.casefold()) or []
        return found[0] if len(found) == 1 else None


def _when(text: str | None, where: Location) -> datetime | None:
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise bad(f"'{text}' is not an ISO 8601 date or time", where) from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _key(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]


def from_csv(path: Path, classes: Classes, pseudo: Callable[[str], str]) -> Iterator[Question]:
    from guidekit.ledger.questions import Question

    name = path.as_posix()
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
            header = rows[0].keys() if rows else []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise bad(f"cannot read {name} as CSV: {exc}", Location(file=name)) from None
    if rows and "text" not in header:
        raise bad(
            f"{name} has no 'text' column (columns: {', '.join(CSV_COLUMNS)})",
            Location(file=name, line=1),
        )
    for n, row in enumerate(rows, start=2):
        where = Location(file=name, line=n)
        text = (row.get("text") or "").strip()
        if not text:
            raise bad("a question without text", where)
        doubt = tuple(
            classes.resolve(c, where) for c in (row.get("classes") or "").split(";") if c.strip()
        )
        who = (row.get("asked_by") or "").strip() or None
        asked = _when(row.get("asked_at"), where)
        own = (row.get("id") or "").strip()
        yield Question(
            text=text,
            classes=doubt,
            asked_by=pseudo(who) if who else None,
            vendor=(row.get("vendor") or "").strip() or None,
            batch=(row.get("batch") or "").strip() or None,
            item=(row.get("item") or "").strip() or None,
            file=(row.get("file") or "").strip() or None,
            asked_at=asked,
            source="csv",
            source_key="csv:" + (own or _key(text, row.get("item"), who, row.get("asked_at"))),
        )


def _ls_labels(annotation: dict[str, Any], classes: Classes) -> tuple[str, ...]:
    out: list[str] = []
    for r in annotation.get("result") or []:
        value = r.get("value") if isinstance(r, dict) else None
        if not isinstance(value, dict):
            continue
        for k, v in value.items():
            if (k == "choices" or k.endswith("labels")) and isinstance(v, list):
                for label in v:
                    c = classes.lenient(str(label))
                    if c is not None and c not in out:
                        out.append(c)
    return tuple(out)


def _person(who: Any, people: dict[Any, str]) -> str | None:
    if isinstance(who, dict):
        return str(who.get("email") or who.get("id"))
    if who is None:
        return None
    return people.get(who, f"user-{who}")


def from_labelstudio(
    path: Path, data: Any, classes: Classes, pseudo: Callable[[str], str]
) -> Iterator[Question]:
    from guidekit.ledger.questions import Question

    name = path.as_posix()
    if not isinstance(data, list):
        raise bad(f"{name} is not a Label Studio JSON export (a list of tasks)", Location(name))
    for i, task in enumerate(data):
        if not isinstance(task, dict) or "id" not in task:
            raise bad("a Label Studio task without an id", Location(name, pointer=f"/{i}"))
        item = str(task["id"])
        annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict)]
        people: dict[Any, str] = {}
        for a in annotations:
            by = a.get("completed_by")
            if isinstance(by, dict) and "id" in by:
                people[by["id"]] = str(by.get("email") or by["id"])
        found: list[tuple[str, Any, Any, tuple[str, ...], str]] = []
        for c in task.get("comments") or []:
            if isinstance(c, dict) and str(c.get("text") or "").strip():
                ann = next((a for a in annotations if a.get("id") == c.get("annotation")), {})
                found.append(
                    (
                        str(c["text"]),
                        c.get("created_by"),
                        c.get("created_at"),
                        _ls_labels(ann, classes),
                        f"comment:{c.get('id')}",
                    )
                )
        for a in annotations:
            for h in a.get("history") or []:
                text = h.get("comment") if isinstance(h, dict) else None
                if isinstance(text, dict):
                    text = text.get("text")
                if isinstance(text, str) and text.strip():
                    found.append(
                        (
                            text,
                            h.get("created_by"),
                            h.get("created_at"),
                            _ls_labels(a, classes),
                            f"history:{h.get('comment_id') or h.get('id')}",
                        )
                    )
        for text, who, when, doubt, own in found:
            person = _person(who, people)
            yield Question(
                text=text.strip(),
                classes=doubt,
                asked_by=pseudo(person) if person else None,
                item=item,
                file=name,
                asked_at=_when(str(when) if when else None, Location(name, pointer=f"/{i}")),
                source="labelstudio",
                source_key=f"labelstudio:{task.get('project', '')}:{item}:{own}",
            )


def from_delivery(
    path: Path,
    field: str,
    guideline: ir.Guideline,
    classes: Classes,
    pseudo: Callable[[str], str],
) -> Iterator[Question]:
    from guidekit.ledger.questions import Question

    name = path.as_posix()
    meta = guideline.delivery.metadata
    id_key = guideline.delivery.id
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                raise bad(f"not JSON: {exc}", Location(name, line=n)) from None
            if not isinstance(rec, dict):
                continue
            text = rec.get(field)
            if not isinstance(text, str) or not text.strip():
                continue
            item = rec.get(id_key)
            who = rec.get(meta.annotator)
            doubt: list[str] = []
            for task in guideline.tasks.values():
                value = rec.get(task.id)
                for v in value if isinstance(value, list) else [value]:
                    label = v.get("label") if isinstance(v, dict) else v
                    c = classes.lenient(label) if isinstance(label, str) else None
                    if c is not None and c not in doubt:
                        doubt.append(c)
            when = rec.get(meta.updated_at) or rec.get(meta.created_at)
            yield Question(
                text=text.strip(),
                classes=tuple(doubt),
                asked_by=pseudo(str(who)) if who is not None else None,
                item=None if item is None else str(item),
                file=name,
                asked_at=_when(when, Location(name, line=n)) if isinstance(when, str) else None,
                source="delivery",
                source_key=f"delivery:{_key(item, who, text.strip())}",
            )


def read_any(
    path: Path,
    kind: str | None,
    field: str | None,
    guideline: ir.Guideline,
    classes: Classes,
    pseudo: Callable[[str], str],
) -> Iterable[Question]:
    """The questions in ``path``: ``kind`` csv | labelstudio | delivery, or guessed from the
    name (``.csv``; ``.jsonl`` a delivery; ``.json`` a Label Studio export)."""
    name = path.as_posix()
    if not path.is_file():
        raise bad(f"{name}: no such file", Location(name))
    suffix = path.suffix.lower()
    kind = kind or {".csv": "csv", ".jsonl": "delivery", ".json": "labelstudio"}.get(suffix)
    if kind is None:
        raise bad(
            f"cannot tell what {name} holds from its name: pass --from csv|labelstudio|delivery",
            Location(name),
        )
    if kind == "csv":
        return list(from_csv(path, classes, pseudo))
    if kind == "delivery":
        return list(
            from_delivery(
                path, field or guideline.delivery.metadata.question, guideline, classes, pseudo
            )
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad(f"{name} is not JSON: {exc}", Location(name)) from None
    return list(from_labelstudio(path, data, classes, pseudo))
