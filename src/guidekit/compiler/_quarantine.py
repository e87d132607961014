"""Collect-all: set structurally broken parts aside so the later stages can check the rest.

A structural error in one class, example, rule or task should not hide every meaning error
elsewhere. :func:`quarantine` takes the document and its structural errors and, when each
error lies inside such a part, returns a copy of the document without those parts, plus a
:class:`Quarantine` that says which later findings to drop because they are about a part
that was set aside (they would be follow-up noise, not new problems):

- a broken class keeps its place as a bare id (``- refund``), so examples labelled with it and
  classes that name it as a parent do not become "unknown class"; findings located inside
  it (no definition, no examples) are dropped;
- a broken example, edge case, out-of-scope example or rule is removed from its list (the
  source map is renumbered so later items keep their exact positions);
- a broken task is removed; findings that quote its id are dropped.

An error anywhere else (the record, governance, the top level) cannot be set aside:
:func:`quarantine` returns ``None`` and compilation stops after structure, as before.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from guidekit.compiler.resolve import Document, SourceMap
from guidekit.diagnostics.model import Diagnostic

Path_ = tuple[str | int, ...]

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")
_EXAMPLE_LISTS = ("examples", "negatives", "edge_cases")


@dataclass
class Quarantine:
    """What was set aside: paths (in the new document) whose findings are dropped, and ids
    whose mentions (``'id'``) in findings are dropped."""

    paths: set[Path_] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    def hides(self, d: Diagnostic) -> bool:
        path = d.location.path
        if any(path[: len(p)] == p for p in self.paths):
            return True
        return any(f"'{name}'" in d.message for name in self.names)

    def filter(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        return [d for d in diagnostics if not self.hides(d)]


def _unit(path: Path_) -> tuple[str, Path_] | None:
    """The part of the document a structural error at ``path`` belongs to: ``(kind, path)``
    with kind ``item`` (remove from its list), ``class`` or ``task``; ``None`` when the
    error is outside any part that can be set aside."""
    match path:
        case ("tasks", str(), "classes", int(), str(lst), int(), *_) if lst in _EXAMPLE_LISTS:
            return "item", path[:6]
        case ("tasks", str(), "classes", int(), *_):
            return "class", path[:4]
        case ("tasks", str(), "edge_cases", int(), *_):
            return "item", path[:4]
        case ("tasks", str(), *_):
            return "task", path[:2]
        case ("scope", "out_of_scope_examples", int(), *_):
            return "item", path[:3]
        case ("rules", int(), *_):
            return "item", path[:2]
    return None


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def _drop_item(source: SourceMap, path: Path_) -> SourceMap:
    """The source map with list item ``path`` removed and the later items renumbered."""
    parent, index = path[:-1], path[-1]
    assert isinstance(index, int)
    n = len(parent)

    def move(table: dict[Path_, Any]) -> dict[Path_, Any]:
        out: dict[Path_, Any] = {}
        for p, pos in table.items():
            at = p[n] if len(p) > n else None
            if isinstance(at, int) and p[:n] == parent:
                if at == index:
                    continue
                if at > index:
                    p = (*parent, at - 1, *p[n + 1 :])
            out[p] = pos
        return out

    return SourceMap(values=move(source.values), keys=move(source.keys), files=source.files)


def quarantine(doc: Document, errors: list[Diagnostic]) -> tuple[Document, Quarantine] | None:
    """``doc`` without the parts ``errors`` point into, or ``None`` (see the module doc)."""
    units: dict[Path_, str] = {}
    for d in errors:
        unit = _unit(d.location.path)
        if unit is None:
            return None
        kind, path = unit
        units[path] = kind
    # a part inside another part that is set aside anyway needs nothing of its own
    paths = [p for p in units if not any(q != p and p[: len(q)] == q for q in units)]
    data = copy.deepcopy(doc.data)
    source = doc.source
    q = Quarantine()
    try:
        for path in [p for p in paths if units[p] == "class"]:
            node = _get(data, path)
            cid = node.get("id") if isinstance(node, dict) else None
            if isinstance(cid, str) and _ID.match(cid):
                _get(data, path[:-1])[path[-1]] = cid  # a bare id keeps the class known
                q.paths.add(path)
            else:
                units[path] = "item"
                if isinstance(cid, str):
                    q.names.add(cid)
        for path in [p for p in paths if units[p] == "task"]:
            del data["tasks"][path[1]]
            q.names.add(str(path[1]))
        # remove list items last to first, so earlier paths stay valid
        for path in sorted((p for p in paths if units[p] == "item"), key=_removal_order):
            del _get(data, path[:-1])[path[-1]]
            source = _drop_item(source, path)
            q.paths = {_shift(p, path) for p in q.paths}
    except (KeyError, IndexError, TypeError):
        return None
    return Document(data=data, source=source), q


def _removal_order(path: Path_) -> tuple[Any, ...]:
    # deeper paths first, then higher indices first within a list
    return (-len(path), tuple(-p if isinstance(p, int) else 0 for p in path))


def _shift(p: Path_, removed: Path_) -> Path_:
    n = len(removed) - 1
    index, at = removed[n], p[n] if len(p) > n else None
    if p[:n] == removed[:n] and isinstance(at, int) and isinstance(index, int) and at > index:
        return (*p[:n], at - 1, *p[n + 1 :])
    return p
