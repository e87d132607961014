"""Lint: style advice (GK4xx) that makes a guideline easier to apply consistently.

Lint never blocks by default (warnings); ``--strict`` or a project's ``lint.severity`` makes
it do so. Near-identical definitions are found with a prefix-filtered Jaccard similarity join,
so a 10,000-class taxonomy is linted in well under a second.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from guidekit import ir
from guidekit.codes import diag
from guidekit.diagnostics import Diagnostic, Location
from guidekit.resolve import SourceMap

_WORD = re.compile(r"[a-z0-9]+")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(
    r"(?<![\w.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}[\s.-]\d{3,4}[\s.-]\d{3,4}(?![\w.])"
)


def _loc(source: SourceMap | None, loc: Location | None, *more: str) -> Location | None:
    if loc is None:
        return None
    path = (*loc.path, *more)
    return source.locate(path) if source is not None else loc


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def similar_pairs(
    texts: list[tuple[str, str]], threshold: float
) -> Iterator[tuple[str, str, float]]:
    """Pairs of ``(id, text)`` whose word sets have Jaccard similarity >= ``threshold``.

    Prefix filtering: with tokens ordered rarest first, two sets can only reach the
    threshold if they share a token among the first ``|s| - ceil(t * |s|) + 1`` of either.
    """
    sets = [(i, frozenset(_words(t))) for i, t in texts if t]
    sets = [(i, s) for i, s in sets if s]
    freq = Counter(tok for _, s in sets for tok in s)
    ordered = [(i, s, sorted(s, key=lambda tok: (freq[tok], tok))) for i, s in sets]
    index: dict[str, list[int]] = defaultdict(list)
    for n, (_i, s, toks) in enumerate(ordered):
        prefix = len(toks) - math.ceil(threshold * len(toks)) + 1
        candidates: set[int] = set()
        for tok in toks[:prefix]:
            candidates.update(index[tok])
            index[tok].append(n)
        for m in sorted(candidates):
            j, other, _ = ordered[m]
            inter = len(s & other)
            score = inter / (len(s) + len(other) - inter)
            if score >= threshold:
                yield j, ordered[n][0], score


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def check_lint(g: ir.Guideline, source: SourceMap | None = None) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    cfg = g.lint
    gov = g.governance
    for task in g.tasks.values():
        if not task.has_classes:
            continue
        if len(task.classes) > cfg.max_classes:
            out.append(
                diag(
                    "GK404",
                    f"task '{task.id}' has {len(task.classes)} classes, more "
                    f"than {cfg.max_classes}",
                    _loc(source, task.loc, "classes"),
                    hint="group classes under parents, or raise lint.max_classes",
                )
            )
        for c in task.classes:
            where = c.loc
            if not c.definition or not c.definition.strip():
                out.append(diag("GK401", f"class '{c.id}' has no definition", where))
            elif len(_words(c.definition)) < cfg.min_definition_words:
                out.append(
                    diag(
                        "GK403",
                        f"definition of '{c.id}' has "
                        f"{len(_words(c.definition))} words; write at least "
                        f"{cfg.min_definition_words}",
                        _loc(source, where, "definition"),
                    )
                )
            if c.deprecated:
                if not c.replaced_by:
                    out.append(
                        diag("GK409", f"class '{c.id}' is deprecated without `replaced_by`", where)
                    )
                continue
            if not c.examples:
                out.append(diag("GK407", f"class '{c.id}' has no examples", where))
            if not c.negatives:
                out.append(
                    diag(
                        "GK402",
                        f"class '{c.id}' has no negative examples",
                        where,
                        hint="add a record that looks like it but is not, with the "
                        "right label and why",
                    )
                )
        pairs = similar_pairs([(c.id, c.definition or "") for c in task.classes], cfg.similarity)
        by_id = {c.id: c for c in task.classes}
        for a, b, score in pairs:
            out.append(
                diag(
                    "GK405",
                    f"definitions of '{a}' and '{b}' are {score:.0%} the same words",
                    _loc(source, by_id[b].loc, "definition"),
                    hint="say what separates the two classes",
                )
            )
        for ec in task.all_edge_cases():
            if ec.decision is None:
                out.append(diag("GK408", f"edge case '{ec.id}' is undecided", ec.loc))
            elif not ec.rationale:
                out.append(diag("GK410", f"edge case '{ec.id}' has no rationale", ec.loc))
    top = gov.rank(gov.highest)
    for ex in g.examples():
        if gov.rank(ex.sensitivity) >= top:
            continue
        for text in _strings(dict(ex.record)):
            kind = (
                "an email address"
                if EMAIL.search(text)
                else ("a phone number" if PHONE.search(text) else None)
            )
            if kind:
                out.append(
                    diag(
                        "GK406",
                        f"{ex.kind.replace('_', ' ')} text contains what looks "
                        f"like {kind}, at level '{ex.sensitivity}'",
                        ex.loc,
                        hint=f"redact it, or set `sensitivity: {gov.highest}`",
                    )
                )
                break
    return out
