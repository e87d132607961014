"""What the handbook shows from the latest quiz and evaluation results
(``guidekit build --target handbook --results FILE``): the JSON reports of ``guidekit quiz
score`` and ``guidekit eval``.

Class pages list the most frequent wrong labels of the class ("common mistakes"); each edge
case says how often annotators and the model got it right. The results summarise answers, so
only readers cleared for everything see them (:func:`guidekit.audience.sees_results`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError

ANNOTATORS = "annotators"
MODEL = "model"
NO_ANSWER = "(no answer)"


@dataclass
class Results:
    """Wrong labels per (task, right class) and source; right answers per edge case and
    source, as (right, answers)."""

    mistakes: dict[tuple[str, str], dict[str, dict[str, int]]] = field(default_factory=dict)
    edge_cases: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def add_mistake(self, task: str, right: str, wrong: str, source: str, n: int = 1) -> None:
        by_label = self.mistakes.setdefault((task, right), {})
        counts = by_label.setdefault(wrong, {})
        counts[source] = counts.get(source, 0) + n

    def add_case(self, ec: str, source: str, right: float, n: int) -> None:
        tally = self.edge_cases.setdefault(ec, {}).setdefault(source, [0.0, 0])
        tally[0] += right
        tally[1] += n

    def common_mistakes(self, task: str, cls: str, limit: int = 5) -> list[tuple[str, int, int]]:
        """The most frequent wrong labels of ``cls``: (label, by annotators, by the model)."""
        rows = [
            (label, c.get(ANNOTATORS, 0), c.get(MODEL, 0))
            for label, c in self.mistakes.get((task, cls), {}).items()
        ]
        rows.sort(key=lambda r: (-(r[1] + r[2]), r[0]))
        return rows[:limit]


def _label(value: Any) -> str | None:
    if value is None:
        return NO_ANSWER
    if isinstance(value, str | bool | int):
        return str(value).lower() if isinstance(value, bool) else str(value)
    return None


def _quiz(data: dict[str, Any], out: Results) -> None:
    for w in data.get("wrong_answers", []):
        right = _label(w.get("expected"))
        wrong = _label(w.get("given"))
        if right is not None and right != NO_ANSWER and wrong is not None:
            out.add_mistake(str(w["task"]), right, wrong, ANNOTATORS)
    for a in data.get("annotators", []):
        for groups in (a.get("groups") or {}).values():
            for g in groups:
                if g.get("kind") == "edge_case" and g.get("score") is not None:
                    n = int(g["items"])
                    out.add_case(str(g["name"]), ANNOTATORS, float(g["score"]) * n, n)


def _eval(data: dict[str, Any], out: Results) -> None:
    for t in data.get("tasks", []):
        labels, confusion = t.get("labels") or [], t.get("confusion")
        if confusion:
            for i, row in enumerate(confusion):
                for j, n in enumerate(row):
                    if i != j and n and i < len(labels) and j < len(labels):
                        out.add_mistake(str(t["task"]), str(labels[i]), str(labels[j]), MODEL, n)
        for g in t.get("groups", []):
            if g.get("kind") != "edge_case":
                continue
            score = g.get("accuracy") if g.get("accuracy") is not None else g.get("f1")
            if score is not None:
                n = int(g["items"])
                out.add_case(str(g["name"]), MODEL, float(score) * n, n)


def load_results(paths: Sequence[Path]) -> Results:
    """Read the JSON reports of ``quiz score`` and ``eval`` (GK622 for any other file)."""
    out = Results()
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise GuidekitError(
                diag("GK622", f"cannot read the results file: {exc}", Location(str(path)))
            ) from None
        if isinstance(data, dict) and data.get("kind") == "quiz":
            _quiz(data, out)
        elif isinstance(data, dict) and isinstance(data.get("tasks"), list) and "key_items" in data:
            _eval(data, out)
        else:
            raise GuidekitError(
                diag(
                    "GK622",
                    "this is not the JSON report of `guidekit quiz score` or `guidekit eval`",
                    Location(str(path)),
                    hint="write one with `--format json -o FILE`",
                )
            )
        out.files.append(Path(path).name)
    return out
