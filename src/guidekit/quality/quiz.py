"""Qualification quizzes: the evaluation set as a quiz for annotators, and its scoring.

:func:`quiz_records` turns the evaluation items an audience may see into records without
answers, in a seeded order. :func:`score_quiz` scores each annotator's answers with the
evaluation scorer (:func:`guidekit.quality.evaluation.score`, so every task is matched by its
own gold matching: labels, label sets, spans, boxes at an IoU), per task, class and edge
case; gives each annotator a verdict against ``evaluation.qualification``; and lists every
wrong answer with what in the guideline decides it, items ranked by how many got them wrong.

A quiz item an annotator did not answer counts as a wrong answer ("no answer"), so every
annotator is scored on the same items; answers for items outside the quiz are set aside and
reported (GK609), never silently dropped.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from guidekit import ir
from guidekit.diagnostics.model import Diagnostic
from guidekit.quality import evaluation as E
from guidekit.quality.ratings import Annotation

#: ``link(kind, task, id) -> URL or None``: where the handbook explains a class
#: (``kind="class"``), an edge case or a negative example; given by the command, which knows
#: the handbook's layout.
Linker = Callable[[str, str | None, str], str | None]


def quiz_items(guideline: ir.Guideline) -> list[ir.EvalItem]:
    """The items of a quiz: every resolved, not held-out evaluation item of ``guideline``
    (already filtered for its audience by :func:`guidekit.audience.for_audience`)."""
    return [i for i in guideline.evaluation.items if not i.holdout and i.source != "unresolved"]


def quiz_records(guideline: ir.Guideline, seed: int) -> list[dict[str, Any]]:
    """The quiz's records, without answers, shuffled by ``seed``: the same seed gives the same
    order on every machine (the items are sorted by id before shuffling)."""
    items = sorted(quiz_items(guideline), key=lambda i: i.id)
    random.Random(seed).shuffle(items)
    id_field = guideline.delivery.id
    out = []
    for item in items:
        rec = {k: v for k, v in item.record.items() if k in guideline.record.fields}
        out.append({id_field: item.id, **rec})
    return out


def quiz_key(guideline: ir.Guideline) -> dict[str, E.KeyItem]:
    """The answers of the quiz's items."""
    key, _ = E.key_from(guideline)
    ids = {i.id for i in quiz_items(guideline)}
    return {k: v for k, v in key.items() if k in ids}


@dataclass(slots=True)
class WrongAnswer:
    annotator: str
    item: str
    task: str
    given: Any
    expected: Any
    decided_by: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotator": self.annotator,
            "item": self.item,
            "task": self.task,
            "given": self.given,
            "expected": self.expected,
            "decided_by": self.decided_by,
        }


@dataclass(slots=True)
class AnnotatorResult:
    annotator: str
    answered: int
    items: int
    right: int
    tasks: list[E.TaskResult]
    task_scores: dict[str, dict[str, Any]]
    verdict: str  # pass | fail | no_threshold
    reasons: list[str]

    @property
    def accuracy(self) -> float | None:
        return None if not self.items else self.right / self.items

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotator": self.annotator,
            "answered_items": self.answered,
            "answers": self.items,
            "right": self.right,
            "accuracy": self.accuracy,
            "tasks": self.task_scores,
            "groups": {
                r.task: [
                    {
                        "kind": g.kind,
                        "name": g.name,
                        "items": g.items,
                        "score": g.to_dict()["f1"],
                    }
                    for g in r.groups
                    if g.kind in ("class", "edge_case", "negative")
                ]
                + [
                    {
                        "kind": "class",
                        "name": c,
                        "items": int(v.get("support", 0)),
                        "score": v.get("recall"),
                    }
                    for c, v in r.classes.items()
                    if v.get("support")
                    and not any(g.kind == "class" and g.name == c for g in r.groups)
                ]
                for r in self.tasks
            },
            "verdict": self.verdict,
            "reasons": self.reasons,
        }


@dataclass(slots=True)
class QuizReport:
    guideline: str
    answers: str
    items: int
    annotators: list[AnnotatorResult]
    wrong: list[WrongAnswer]
    excluded: list[dict[str, Any]]
    qualification: ir.Qualification | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        return [a.annotator for a in self.annotators if a.verdict == "fail"]

    def ranked_items(self) -> list[dict[str, Any]]:
        """Items by how many annotators got them wrong (most first), then by id."""
        by_item: dict[str, list[WrongAnswer]] = {}
        for w in self.wrong:
            by_item.setdefault(w.item, []).append(w)
        rows: list[dict[str, Any]] = []
        for item, ws in by_item.items():
            who = sorted({w.annotator for w in ws})
            answers = Counter(_show(w.given) for w in ws)
            rows.append(
                {
                    "item": item,
                    "wrong": len(who),
                    "of": len(self.annotators),
                    "annotators": who,
                    "tasks": sorted({w.task for w in ws}),
                    "expected": {w.task: w.expected for w in ws},
                    "wrong_answers": [{"answer": v, "count": n} for v, n in answers.most_common()],
                    "decided_by": ws[0].decided_by,
                }
            )
        rows.sort(key=lambda r: (-int(r["wrong"]), str(r["item"])))
        return rows

    def to_dict(self) -> dict[str, Any]:
        q = self.qualification
        return {
            "kind": "quiz",
            "guideline": self.guideline,
            "answers": self.answers,
            "items": self.items,
            "qualification": None
            if q is None
            else {"min_accuracy": q.min_accuracy, "per_task": dict(q.per_task)},
            "annotators": [a.to_dict() for a in self.annotators],
            "passed": [a.annotator for a in self.annotators if a.verdict == "pass"],
            "failed": self.failed,
            "items_ranked": self.ranked_items(),
            "wrong_answers": [w.to_dict() for w in self.wrong],
            "excluded": self.excluded,
        }


def _right(counts: tuple[float, float, float]) -> bool:
    return counts[1] == 0 and counts[2] == 0


def _show(value: Any) -> str:
    if value is None:
        return "(no answer)"
    if isinstance(value, list):
        labels = [v.get("label") if isinstance(v, dict) else v for v in value]
        return ", ".join(str(v) for v in labels) or "(none)"
    return str(value)


def _labels_of(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v.get("label") if isinstance(v, dict) else v) for v in value]
    return [] if value is None else [str(value)]


def decided_by(
    guideline: ir.Guideline, key: E.KeyItem, task: str, link: Linker
) -> list[dict[str, Any]]:
    """What decides the item's answer: its edge cases, then its negative examples, then the
    definitions of the classes of the right answer, each with a link into the handbook."""
    out: list[dict[str, Any]] = []
    cases = {ec.id: ec for ec in guideline.edge_cases() if ec.id is not None}
    negatives = {
        ex.id: ex for ex in guideline.examples() if ex.kind == "negative" and ex.id is not None
    }
    for ec_id in key.edge_cases:
        ec = cases.get(ec_id)
        if ec is None:
            continue
        text = ec.rationale or ec.question or ec.note
        out.append(
            {
                "kind": "edge_case",
                "id": ec_id,
                "text": text,
                "link": link("edge_case", ec.task, ec_id),
            }
        )
    for neg_id in key.negatives:
        ex = negatives.get(neg_id)
        if ex is None:
            continue
        out.append(
            {
                "kind": "negative",
                "id": neg_id,
                "text": ex.why or ex.note,
                "link": link("negative", ex.task, neg_id),
            }
        )
    t = guideline.tasks.get(task)
    if t is not None:
        classes = {c.id: c for c in t.classes}
        for label in dict.fromkeys(_labels_of(key.labels.get(task))):
            c = classes.get(label)
            if c is None:
                continue
            out.append(
                {
                    "kind": "class",
                    "id": c.id,
                    "text": c.definition,
                    "link": link("class", task, c.id),
                }
            )
    return out


def score_quiz(
    guideline: ir.Guideline,
    answers: Sequence[Annotation],
    *,
    link: Linker,
    label: str,
    source: str,
    iou: float = 0.5,
) -> QuizReport:
    """Score every annotator's answers on the quiz built from ``guideline`` (for the same
    audience the quiz was built for)."""
    key = quiz_key(guideline)
    by_annotator: dict[str, list[Annotation]] = {}
    for a in answers:
        by_annotator.setdefault(a.annotator, []).append(a)
    q = guideline.evaluation.qualification
    results: list[AnnotatorResult] = []
    wrong: list[WrongAnswer] = []
    diagnostics: list[Diagnostic] = []
    unknown = repeated = 0
    for who in sorted(by_annotator):
        screened = E.screen(guideline, key, by_annotator[who])
        diagnostics += screened.diagnostics
        unknown += screened.unknown
        repeated += screened.repeated
        given = {a.item: a for a in screened.records}
        # an item not answered is a wrong answer, so everyone is scored on the same items
        blanks = [Annotation(i, who, {}, "", 0) for i in key if i not in given]
        records = [*screened.records, *blanks]
        tasks = E.score(guideline, key, records, iou=iou, samples=0)
        pairs = right = 0
        task_scores: dict[str, dict[str, Any]] = {}
        for r in tasks:
            n_right = sum(1 for c in r.outcomes.values() if _right(c))
            pairs += len(r.outcomes)
            right += n_right
            d = r.overall.to_dict()
            task_scores[r.task] = {
                "type": r.type,
                "items": len(r.outcomes),
                "right": n_right,
                "accuracy": n_right / len(r.outcomes) if r.outcomes else None,
                "score": d["f1"],
                "precision": d["precision"],
                "recall": d["recall"],
            }
            for item, counts in sorted(r.outcomes.items()):
                if _right(counts):
                    continue
                answer = given.get(item)
                wrong.append(
                    WrongAnswer(
                        who,
                        item,
                        r.task,
                        None if answer is None else answer.data.get(r.task),
                        key[item].labels.get(r.task),
                        decided_by(guideline, key[item], r.task, link),
                    )
                )
        verdict, reasons = _verdict(q, right, pairs, task_scores)
        results.append(
            AnnotatorResult(who, len(given), pairs, right, tasks, task_scores, verdict, reasons)
        )
    excluded: list[dict[str, Any]] = []
    if unknown:
        excluded.append(
            {
                "what": "answers for items not in the quiz",
                "count": unknown,
                "why": "the item is not a quiz item for this audience (or is held out)",
            }
        )
    if repeated:
        excluded.append(
            {
                "what": "repeated answers",
                "count": repeated,
                "why": "an annotator answered an item twice; the first answer counts",
            }
        )
    return QuizReport(label, source, len(key), results, wrong, excluded, q, diagnostics)


def _verdict(
    q: ir.Qualification | None, right: int, pairs: int, task_scores: dict[str, dict[str, Any]]
) -> tuple[str, list[str]]:
    if q is None or (q.min_accuracy is None and not q.per_task):
        return "no_threshold", ["the guideline declares no `evaluation.qualification`"]
    reasons = []
    ok = True
    if q.min_accuracy is not None:
        acc = right / pairs if pairs else 0.0
        met = acc >= q.min_accuracy - 1e-12
        ok &= met
        reasons.append(
            f"accuracy {acc:.3f} ({right}/{pairs}) {'meets' if met else 'misses'} "
            f"{q.min_accuracy:g}"
        )
    for tid, bound in sorted(q.per_task.items()):
        s = task_scores.get(tid, {}).get("score")
        met = s is not None and s >= bound - 1e-12
        ok &= met
        shown = "none" if s is None else f"{s:.3f}"
        reasons.append(f"{tid} score {shown} {'meets' if met else 'misses'} {bound:g}")
    return ("pass" if ok else "fail"), reasons
