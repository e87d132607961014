"""What writers share: the outcome of an export and how a record is taken apart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidekit import ir
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location


@dataclass
class Exported:
    """What a writer did: files written, records written, and problems (GK808 warnings for
    what the format cannot hold, GK809 errors for records or parts it could not write)."""

    paths: list[Path] = field(default_factory=list)
    records: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _once: set[str] = field(default_factory=set, repr=False)

    def warn_once(self, key: str, message: str, hint: str | None = None) -> None:
        """A GK808 warning, reported once per export whatever the number of records."""
        if key in self._once:
            return
        self._once.add(key)
        self.diagnostics.append(diag("GK808", message, Location(), hint=hint))

    def fail(self, record: Mapping[str, Any], guideline: ir.Guideline, message: str) -> None:
        rid = record.get(guideline.delivery.id)
        self.diagnostics.append(diag("GK809", f"record {rid!r}: {message}", Location()))


def metadata_names(guideline: ir.Guideline) -> list[str]:
    m = guideline.delivery.metadata
    return [
        m.annotator,
        m.reviewer,
        m.status,
        m.created_at,
        m.updated_at,
        m.unresolved,
        m.question,
        m.guideline_version,
        m.skip,
        m.split,
    ]


def extras(
    record: Mapping[str, Any], guideline: ir.Guideline, used: Iterable[str]
) -> dict[str, Any]:
    """Keys of a record that are neither its id, an input field, a task nor in ``used``."""
    skip = {guideline.delivery.id, *guideline.record.fields, *guideline.tasks, *used}
    return {k: v for k, v in record.items() if k not in skip}


def image_path(record: Mapping[str, Any], task: ir.Task) -> str | None:
    value = record.get(task.over or "")
    if isinstance(value, dict):
        path = value.get("path")
        return str(path) if path is not None else None
    return str(value) if isinstance(value, str) else None


def label_of(item: Any) -> Any:
    return item.get("label") if isinstance(item, dict) else item


def regions(record: Mapping[str, Any], task: ir.Task) -> list[dict[str, Any]]:
    value = record.get(task.id)
    if not isinstance(value, list):
        return []
    return [r for r in value if isinstance(r, dict)]


def region_id(task: ir.Task, region: Mapping[str, Any], k: int) -> str:
    rid = region.get("id")
    return str(rid) if rid is not None else f"{task.id}-{k + 1}"


def class_path(task: ir.Task, cid: str) -> list[str]:
    """A class and its ancestors along first parents, root first (one path of a class under
    several parents: the one through the parent written first)."""
    path = [cid]
    cls = task.get(cid)
    while cls is not None and cls.parent is not None and cls.parent not in path:
        path.append(cls.parent)
        cls = task.get(cls.parent)
    return path[::-1]
