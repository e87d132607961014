"""The checks ``guidekit export`` runs before writing: each native record against the
guideline, with the value checks every consumer shares (:mod:`guidekit.record.values`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidekit import ir
from guidekit.delivery.read import RawRecord, ToolReader, read_records
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location, Severity
from guidekit.record.values import check_value


def record_problems(g: ir.Guideline, rec: RawRecord) -> list[Diagnostic]:
    """Error-level problems of one native record (reading errors and value checks)."""
    if rec.data is None:
        return [rec.error] if rec.error is not None else []
    out = [rec.error] if rec.error is not None and rec.error.severity is Severity.ERROR else []
    data = rec.data
    if data.get(g.delivery.id) is None:
        out.append(diag("GK809", f"record has no '{g.delivery.id}'", rec.location))
    skip = data.get(g.delivery.metadata.skip)
    for task in g.tasks.values():
        if skip and data.get(task.id) is None:
            continue
        for p in check_value(g, task, data.get(task.id), data, data):
            if p.warning:
                continue
            pointer = f"/{task.id}{p.pointer}"
            out.append(
                diag(
                    "GK809",
                    f"task '{task.id}': {p.message}",
                    Location(rec.file, rec.line, pointer=pointer),
                )
            )
    return out


@dataclass
class Checked:
    problems: list[Diagnostic] = field(default_factory=list)
    #: the ordinal numbers of the records that failed (a tool's export may hold several
    #: records on one line, or records of several files)
    bad: set[int] = field(default_factory=set)

    def valid(
        self,
        path: Path,
        g: ir.Guideline,
        source: str | None,
        readers: Mapping[str, ToolReader] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The records that passed, read again (so the delivery is never held in memory)."""
        records = read_records(path, format=source, guideline=g, readers=readers)
        for n, rec in enumerate(records):
            if n not in self.bad and rec.data is not None:
                yield rec.data


def checked_records(
    path: Path,
    g: ir.Guideline,
    source: str | None,
    readers: Mapping[str, ToolReader] | None = None,
) -> Checked:
    out = Checked()
    records = read_records(path, format=source, guideline=g, readers=readers)
    for n, rec in enumerate(records):
        problems = record_problems(g, rec)
        if problems:
            out.problems.extend(problems)
            out.bad.add(n)
    return out
